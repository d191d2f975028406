//! Slack receivers and message templates (`slack_templates`).

use std::collections::BTreeMap;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::monitoring::Severity;
use crate::secret::Secret;
use crate::text::{Locale, Name, SlackChannel};

/// Slack receivers and message templates of one tenant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "SlackConfig"))]
pub struct SlackConfig {
    /// Where notifications go.
    #[serde(default)]
    #[validate(length(max = 50, message = "must list at most 50 receivers"), nested)]
    pub receivers: Vec<SlackReceiver>,
    /// Message templates the receivers use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 50, message = "must list at most 50 templates"), nested)]
    pub templates: Vec<SlackTemplate>,
}

/// A Slack incoming webhook and what it receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SlackReceiver {
    /// The receiver's name, unique in the tenant.
    pub name: Name,
    /// The incoming webhook URL (`https://hooks.slack.com/...`); a secret.
    pub webhook_url: Secret,
    /// Channel to post to.
    pub channel: SlackChannel,
    /// Severities this receiver accepts; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<Severity>,
    /// Whether resolved notifications are sent too. Alertmanager's own
    /// default is `false`; tenant-kit's is `true`.
    #[serde(default = "yes")]
    pub send_resolved: bool,
    /// Message template; the built-in one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Name>,
    /// Name the messages are posted as; any text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 80, message = "must be 1 to 80 characters long"))]
    pub username: Option<String>,
}

fn yes() -> bool {
    true
}

/// A tenant's message template: Fluent messages per locale that override or
/// add to the built-in catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SlackTemplate {
    /// The template's name, unique in the tenant.
    pub name: Name,
    /// What the template is for; any text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "must be at most 500 characters long"))]
    pub description: Option<String>,
    /// Fluent (FTL) source per locale, e.g. `fr: "alert-firing-title = ..."`.
    #[validate(length(min = 1, max = 10, message = "must have 1 to 10 locales"))]
    #[cfg_attr(feature = "schema", schemars(extend(
        "propertyNames" = { "pattern": crate::text::LOCALE_PATTERN },
        "minProperties" = 1,
        "maxProperties" = 10
    )))]
    pub messages: BTreeMap<Locale, String>,
}
