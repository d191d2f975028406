//! Slack Block Kit messages for services that post alerts themselves.
//!
//! [`message`] turns an Alertmanager webhook payload ([`WebhookPayload`],
//! version 4, typed; its JSON Schema is [`webhook_schema`]) into a Block
//! Kit [`Message`] in the tenant's language, with a [`Localizer`] the
//! caller builds for the tenant. The message has a header (severity mark
//! and localized summary), a section of fields (severity, status, tenant,
//! how many alerts), one section per alert with its summary, description
//! and start time in the tenant's time zone, buttons to its runbook and
//! dashboard, and a context footer. Resolved groups get the resolved
//! wording and mark.
//!
//! It stays within Slack's limits ([`LIMITS`], checked by
//! [`check_limits`]): alerts that do not fit are summarised as the
//! localized "…and N more alerts". Every text from the payload or the tenant
//! goes through [`escape::mrkdwn`](crate::escape::mrkdwn), so no alert or
//! tenant text can mention `@channel`, `@here`, `@everyone`, a user or a
//! group, or make a link. Buttons only link to `http` and `https` URLs.
//!
//! The function does no I/O and reads no clock: the time of sending is
//! [`MessageOptions::now`].
//!
//! ```
//! use tenant_i18n::{Localizer, LocalizerConfig};
//! use tenant_render::slack::{MessageOptions, WebhookPayload, check_limits, message};
//!
//! let tenant: tenant_model::Tenant = tenant_model::parse(
//!     include_str!("doc/acme-music.yaml"),
//!     tenant_model::Format::Yaml,
//! )?;
//! let payload: WebhookPayload = serde_json::from_str(r#"{
//!   "version": "4", "groupKey": "{}:{alertname=\"HighErrorRate\"}", "status": "firing",
//!   "receiver": "acme-music/team", "groupLabels": {}, "commonLabels": {"severity": "critical"},
//!   "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
//!   "alerts": [{"status": "firing", "labels": {"alertname": "HighErrorRate", "severity": "critical"},
//!     "annotations": {"summary": "5xx above 5%"}, "startsAt": "2026-12-01T10:00:00Z",
//!     "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "", "fingerprint": "1"}]
//! }"#)?;
//! let l10n = Localizer::new(&LocalizerConfig::new(tenant.locale.langid().clone(), tenant.time_zone.tz()));
//! let now = "2026-12-01T10:01:00Z".parse()?;
//! let msg = message(&payload, &tenant, &l10n, &MessageOptions::new(now));
//! check_limits(&msg)?;
//! assert!(serde_json::to_string(&msg)?.contains("HighErrorRate"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tenant_i18n::{Args, DateLength, DateTimeStyle, Localizer, TimeLength};
use tenant_model::Tenant;

use crate::escape::mrkdwn;
use crate::names;

/// An Alertmanager webhook notification (payload version 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookPayload {
    /// The payload version, `"4"`.
    pub version: String,
    /// The key of the alert group.
    pub group_key: String,
    /// How many alerts Alertmanager left out (its `max_alerts`).
    #[serde(default)]
    pub truncated_alerts: u64,
    /// `firing` if any alert of the group is firing.
    pub status: AlertStatus,
    /// The receiver's name.
    pub receiver: String,
    /// The labels the group is grouped by.
    #[serde(default)]
    pub group_labels: BTreeMap<String, String>,
    /// The labels all alerts share.
    #[serde(default)]
    pub common_labels: BTreeMap<String, String>,
    /// The annotations all alerts share.
    #[serde(default)]
    pub common_annotations: BTreeMap<String, String>,
    /// The Alertmanager's URL.
    #[serde(rename = "externalURL", default)]
    pub external_url: String,
    /// The alerts.
    pub alerts: Vec<WebhookAlert>,
}

/// One alert of a webhook payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookAlert {
    /// `firing` or `resolved`.
    pub status: AlertStatus,
    /// The alert's labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The alert's annotations.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// When it started firing.
    pub starts_at: DateTime<Utc>,
    /// When it was resolved; `0001-01-01T00:00:00Z` while firing.
    pub ends_at: DateTime<Utc>,
    /// The URL of the rule that fired it.
    #[serde(rename = "generatorURL", default)]
    pub generator_url: String,
    /// Alertmanager's fingerprint of its labels.
    #[serde(default)]
    pub fingerprint: String,
}

/// Whether an alert (or a group) is firing or resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Firing.
    Firing,
    /// Resolved.
    Resolved,
}

/// The JSON Schema of [`WebhookPayload`] (with the `schema` feature).
#[cfg(feature = "schema")]
pub fn webhook_schema() -> serde_json::Value {
    schemars::schema_for!(WebhookPayload).to_value()
}

/// A Block Kit message: the notification text and the blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Message {
    /// The plain text of notifications and clients without blocks.
    pub text: String,
    /// The blocks.
    pub blocks: Vec<Block>,
}

/// A layout block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Block {
    /// Large plain text.
    Header {
        /// Plain text, at most 150 characters.
        text: Text,
    },
    /// Text and fields.
    Section {
        /// Text, at most 3 000 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
        /// At most 10 fields of at most 2 000 characters.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fields: Vec<Text>,
    },
    /// Small text.
    Context {
        /// At most 10 elements.
        elements: Vec<Text>,
    },
    /// Buttons.
    Actions {
        /// At most 25 buttons.
        elements: Vec<Button>,
    },
    /// A line.
    Divider,
}

/// A text object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
#[non_exhaustive]
pub enum Text {
    /// Plain text.
    #[serde(rename = "plain_text")]
    Plain {
        /// The text, escaped.
        text: String,
    },
    /// mrkdwn.
    #[serde(rename = "mrkdwn")]
    Mrkdwn {
        /// The text, escaped.
        text: String,
    },
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Plain { text } | Text::Mrkdwn { text } => text,
        }
    }
}

/// A link button.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Button {
    /// Always `button`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Plain text, at most 75 characters.
    pub text: Text,
    /// `http` or `https`, at most 3 000 characters.
    pub url: String,
}

/// Slack's limits the messages stay within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Blocks per message.
    pub blocks: usize,
    /// Characters of a header.
    pub header: usize,
    /// Characters of a section's text.
    pub section_text: usize,
    /// Fields per section.
    pub fields: usize,
    /// Characters of a field.
    pub field: usize,
    /// Characters of a button's text.
    pub button_text: usize,
    /// Characters of a button's URL.
    pub url: usize,
    /// Elements of a context block.
    pub context_elements: usize,
    /// Characters of all texts of the message together.
    pub total: usize,
}

/// Slack's documented limits.
pub const LIMITS: Limits = Limits {
    blocks: 50,
    header: 150,
    section_text: 3000,
    fields: 10,
    field: 2000,
    button_text: 75,
    url: 3000,
    context_elements: 10,
    total: 12000,
};

/// What a message needs beyond the payload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MessageOptions {
    /// When the message is sent (for the footer).
    pub now: DateTime<Utc>,
    /// Grafana's root URL; with it, alerts without a `dashboard_url`
    /// annotation link to the tenant's overview dashboard.
    pub grafana_url: Option<String>,
    /// Most alerts shown before "…and N more alerts" (the limits may
    /// show fewer).
    pub max_alerts: usize,
}

impl MessageOptions {
    /// Sent at `now`, no Grafana link, up to 10 alerts shown.
    pub fn new(now: DateTime<Utc>) -> Self {
        MessageOptions {
            now,
            grafana_url: None,
            max_alerts: 10,
        }
    }
}

/// Escapes `text` and cuts it to `max` characters (with `…`), never inside
/// an entity.
fn fit(text: &str, max: usize) -> String {
    let escaped = mrkdwn::escape(text);
    if escaped.chars().count() <= max {
        return escaped;
    }
    // The longest prefix whose escaped form fits with the ellipsis.
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let prefix: String = chars.iter().take(mid).collect();
        if mrkdwn::escape(&prefix).chars().count() < max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix: String = chars.iter().take(lo).collect();
    let mut out = mrkdwn::escape(&prefix);
    out.push('…');
    out
}

fn plain(text: &str, max: usize) -> Text {
    Text::Plain {
        text: fit(text, max),
    }
}

fn md(text: String) -> Text {
    Text::Mrkdwn { text }
}

fn link(url: &str) -> Option<String> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.chars().count() <= LIMITS.url
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| url.to_owned())
}

fn chars(message: &Message) -> usize {
    let mut n = message.text.chars().count();
    for block in &message.blocks {
        n += block_chars(block);
    }
    n
}

fn block_chars(block: &Block) -> usize {
    match block {
        Block::Header { text } => text.as_str().chars().count(),
        Block::Section { text, fields } => {
            text.as_ref().map_or(0, |t| t.as_str().chars().count())
                + fields
                    .iter()
                    .map(|f| f.as_str().chars().count())
                    .sum::<usize>()
        }
        Block::Context { elements } => elements.iter().map(|e| e.as_str().chars().count()).sum(),
        Block::Actions { elements } => elements
            .iter()
            .map(|b| b.text.as_str().chars().count() + b.url.chars().count())
            .sum(),
        Block::Divider => 0,
    }
}

/// The Block Kit message of `payload` for `tenant`, in the language of
/// `l10n` (the tenant's localizer, with its overrides if any).
pub fn message(
    payload: &WebhookPayload,
    tenant: &Tenant,
    l10n: &Localizer,
    options: &MessageOptions,
) -> Message {
    // Messages of the shipped catalogs; a tenant override that fails to
    // format falls back to the message id rather than a hole.
    let say = |id: &str, args: &Args| l10n.format(id, args).unwrap_or_else(|_| id.to_owned());
    let severity = payload
        .common_labels
        .get("severity")
        .cloned()
        .or_else(|| {
            payload
                .alerts
                .first()
                .and_then(|a| a.labels.get("severity").cloned())
        })
        .unwrap_or_default();
    let severity_word = match severity.as_str() {
        s @ ("critical" | "warning" | "info") => say(&format!("severity-{s}"), &Args::new()),
        other => other.to_owned(),
    };
    let alertname = payload
        .common_labels
        .get("alertname")
        .or_else(|| {
            payload
                .alerts
                .first()
                .and_then(|a| a.labels.get("alertname"))
        })
        .cloned()
        .unwrap_or_default();
    let firing = payload.status == AlertStatus::Firing;
    let mark = match (firing, severity.as_str()) {
        (false, _) => "✅",
        (true, "critical") => "🔴",
        (true, "warning") => "🟠",
        (true, _) => "🔵",
    };
    let args = Args::new()
        .with("severity", severity_word.as_str())
        .with("alert", alertname.as_str())
        .with("tenant", tenant.display_name.as_str());
    let summary = if firing {
        say("alert-firing-summary", &args)
    } else {
        say("alert-resolved-summary", &args)
    };
    let headline = format!("{mark} {summary}");
    let status_word = say(
        if firing {
            "status-firing"
        } else {
            "status-resolved"
        },
        &Args::new(),
    );
    let firing_count = payload
        .alerts
        .iter()
        .filter(|a| a.status == AlertStatus::Firing)
        .count();
    let field = |id: &str, value: &str| {
        md(format!(
            "*{}*\n{}",
            fit(&say(id, &Args::new()), 200),
            fit(value, LIMITS.field - 210)
        ))
    };
    let count_text = say(
        "alerts-firing-count",
        &Args::new().with("count", firing_count as f64),
    );
    let mut blocks = vec![
        Block::Header {
            text: plain(&headline, LIMITS.header),
        },
        Block::Section {
            text: None,
            fields: vec![
                field("slack-field-severity", &severity_word),
                field("slack-field-status", &status_word),
                field("slack-field-tenant", &tenant.display_name),
                md(fit(&count_text, LIMITS.field)),
            ],
        },
    ];
    let footer = Block::Context {
        elements: vec![md(fit(
            &say(
                "slack-footer",
                &Args::new()
                    .with("tenant", tenant.display_name.as_str())
                    .with("sent_at", options.now),
            ),
            LIMITS.section_text,
        ))],
    };
    let mut message = Message {
        text: fit(&headline, LIMITS.header),
        blocks: Vec::new(),
    };
    // Room kept for the "more" section and the footer.
    let reserve_chars = 400 + block_chars(&footer);
    let mut used = message.text.chars().count() + blocks.iter().map(block_chars).sum::<usize>();
    let started_word = say("slack-field-started", &Args::new());
    let style = DateTimeStyle {
        date: Some(DateLength::Medium),
        time: Some(TimeLength::Short),
        time_zone_name: true,
    };
    let mut shown = 0usize;
    for alert in &payload.alerts {
        if shown >= options.max_alerts {
            break;
        }
        let mut alert_blocks = vec![Block::Divider];
        let title = alert
            .annotations
            .get("summary")
            .or_else(|| alert.labels.get("alertname"))
            .cloned()
            .unwrap_or_default();
        let mut text = format!("*{}*", fit(&title, 500));
        if let Some(description) = alert.annotations.get("description") {
            text.push('\n');
            text.push_str(&fit(description, 2000));
        }
        text.push_str(&format!(
            "\n_{}: {}_",
            fit(&started_word, 100),
            fit(&l10n.format_datetime(alert.starts_at, style), 100)
        ));
        alert_blocks.push(Block::Section {
            text: Some(md(text)),
            fields: Vec::new(),
        });
        let mut buttons = Vec::new();
        if let Some(url) = alert.annotations.get("runbook_url").and_then(|u| link(u)) {
            buttons.push(Button {
                kind: "button".to_owned(),
                text: plain(
                    &say("slack-button-runbook", &Args::new()),
                    LIMITS.button_text,
                ),
                url,
            });
        }
        let dashboard = alert
            .annotations
            .get("dashboard_url")
            .and_then(|u| link(u))
            .or_else(|| {
                options.grafana_url.as_deref().and_then(|root| {
                    link(&format!(
                        "{}{}",
                        root.trim_end_matches('/'),
                        names::dashboard_path(tenant, names::OVERVIEW_DASHBOARD)
                    ))
                })
            });
        if let Some(url) = dashboard {
            buttons.push(Button {
                kind: "button".to_owned(),
                text: plain(
                    &say("slack-button-dashboard", &Args::new()),
                    LIMITS.button_text,
                ),
                url,
            });
        }
        if !buttons.is_empty() {
            alert_blocks.push(Block::Actions { elements: buttons });
        }
        let size: usize = alert_blocks.iter().map(block_chars).sum();
        // Two blocks kept for the "more" section and the footer.
        if blocks.len() + alert_blocks.len() + 2 > LIMITS.blocks
            || used + size + reserve_chars > LIMITS.total
        {
            break;
        }
        used += size;
        blocks.extend(alert_blocks);
        shown += 1;
    }
    let left_out = payload.alerts.len() - shown + payload.truncated_alerts as usize;
    if left_out > 0 {
        blocks.push(Block::Section {
            text: Some(md(fit(
                &say(
                    "slack-more-alerts",
                    &Args::new().with("count", left_out as f64),
                ),
                LIMITS.section_text,
            ))),
            fields: Vec::new(),
        });
    }
    blocks.push(footer);
    message.blocks = blocks;
    message
}

/// Whether `message` is within [`LIMITS`] and holds no mention or control
/// sequence; the first limit broken otherwise.
pub fn check_limits(message: &Message) -> Result<(), LimitError> {
    let fail = |what: String| Err(LimitError(what));
    if message.blocks.len() > LIMITS.blocks {
        return fail(format!(
            "{} blocks, more than {}",
            message.blocks.len(),
            LIMITS.blocks
        ));
    }
    let total = chars(message);
    if total > LIMITS.total {
        return fail(format!("{total} characters, more than {}", LIMITS.total));
    }
    let mut texts: Vec<&str> = vec![&message.text];
    for (i, block) in message.blocks.iter().enumerate() {
        let too_long = |t: &Text, max: usize| t.as_str().chars().count() > max;
        match block {
            Block::Header { text } => {
                if too_long(text, LIMITS.header) || !matches!(text, Text::Plain { .. }) {
                    return fail(format!(
                        "block {i}: the header is not plain text of at most {}",
                        LIMITS.header
                    ));
                }
                texts.push(text.as_str());
            }
            Block::Section { text, fields } => {
                if text
                    .as_ref()
                    .is_some_and(|t| too_long(t, LIMITS.section_text))
                {
                    return fail(format!(
                        "block {i}: section text longer than {}",
                        LIMITS.section_text
                    ));
                }
                if fields.len() > LIMITS.fields || fields.iter().any(|f| too_long(f, LIMITS.field))
                {
                    return fail(format!(
                        "block {i}: more than {} fields or a field longer than {}",
                        LIMITS.fields, LIMITS.field
                    ));
                }
                if text.is_none() && fields.is_empty() {
                    return fail(format!("block {i}: an empty section"));
                }
                texts.extend(text.iter().map(Text::as_str));
                texts.extend(fields.iter().map(Text::as_str));
            }
            Block::Context { elements } => {
                if elements.is_empty() || elements.len() > LIMITS.context_elements {
                    return fail(format!(
                        "block {i}: 1 to {} context elements",
                        LIMITS.context_elements
                    ));
                }
                texts.extend(elements.iter().map(Text::as_str));
            }
            Block::Actions { elements } => {
                for b in elements {
                    if too_long(&b.text, LIMITS.button_text)
                        || b.url.chars().count() > LIMITS.url
                        || b.kind != "button"
                    {
                        return fail(format!("block {i}: a button over the limits"));
                    }
                    texts.push(b.text.as_str());
                }
            }
            Block::Divider => {}
        }
    }
    if let Some(t) = texts
        .into_iter()
        .find(|t| mrkdwn::has_mention(t) || t.contains('<') || t.contains('>'))
    {
        return fail(format!("a text holds a mention or control sequence: {t:?}"));
    }
    Ok(())
}

/// A Slack limit a message breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError(String);

impl std::fmt::Display for LimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the message breaks a Slack limit: {}", self.0)
    }
}

impl std::error::Error for LimitError {}

#[cfg(test)]
mod tests {
    /// The doctests' tenant is the example's, with a header saying why it
    /// is copied.
    #[test]
    fn the_doctest_tenant_is_the_example() {
        let copy = include_str!("doc/acme-music.yaml");
        let example = include_str!("../../examples/tenants/acme-music.yaml");
        let body: String = copy.split_inclusive('\n').skip(3).collect();
        assert_eq!(
            body, example,
            "copy examples/tenants/acme-music.yaml to src/doc/"
        );
    }
}
