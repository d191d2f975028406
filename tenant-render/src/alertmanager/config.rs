//! The Alertmanager configuration file (0.25), as typed structs: field
//! order is output order, empty optional fields are left out.

use serde::Serialize;

/// `alertmanager.yml`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Config {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) templates: Vec<String>,
    pub(crate) route: Route,
    pub(crate) receivers: Vec<Receiver>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) inhibit_rules: Vec<InhibitRule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) time_intervals: Vec<TimeIntervalSet>,
}

/// A node of the routing tree.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Route {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) receiver: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) group_by: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) matchers: Vec<String>,
    #[serde(rename = "continue", skip_serializing_if = "std::ops::Not::not")]
    pub(crate) continue_matching: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) group_wait: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) group_interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) repeat_interval: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) mute_time_intervals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) active_time_intervals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) routes: Vec<Route>,
}

/// A receiver: a name and its integrations (none when Slack webhooks are
/// switched off, or for the platform's and the tenants' null receivers).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Receiver {
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) slack_configs: Vec<SlackConfig>,
}

/// One Slack integration. Every string field but the URL ones is a Go
/// template for Alertmanager.
#[derive(Clone, Serialize)]
pub(crate) struct SlackConfig {
    /// Inline URL: only in Mimir configs, which refuse `*_file` fields (the
    /// file holding it is then a secret of the bundle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) api_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) api_url_file: Option<String>,
    pub(crate) channel: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) username: Option<String>,
    pub(crate) send_resolved: bool,
    pub(crate) color: String,
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) fields: Vec<SlackField>,
}

impl std::fmt::Debug for SlackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackConfig")
            .field("api_url", &self.api_url.as_ref().map(|_| "<redacted>"))
            .field("api_url_file", &self.api_url_file)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// An attachment field of a Slack message.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SlackField {
    pub(crate) title: String,
    pub(crate) value: String,
    pub(crate) short: bool,
}

/// An inhibition rule.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InhibitRule {
    pub(crate) source_matchers: Vec<String>,
    pub(crate) target_matchers: Vec<String>,
    pub(crate) equal: Vec<String>,
}

/// A named set of time intervals (`time_intervals`, Alertmanager 0.24+).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TimeIntervalSet {
    pub(crate) name: String,
    pub(crate) time_intervals: Vec<TimeInterval>,
}

/// One time interval; every list is a conjunction of ranges (empty: any).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct TimeInterval {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) times: Vec<TimeRange>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) weekdays: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) days_of_month: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) months: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) years: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) location: Option<String>,
}

/// `HH:MM` to `HH:MM` (end exclusive, `24:00` allowed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TimeRange {
    pub(crate) start_time: String,
    pub(crate) end_time: String,
}

/// A matcher `name="value"` (or another operator) in the quoted form
/// Alertmanager 0.25 parses; the value's `\`, `"` and line breaks escaped.
pub(crate) fn matcher(name: &str, op: &str, value: &str) -> String {
    let mut out = format!("{name}{op}\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
