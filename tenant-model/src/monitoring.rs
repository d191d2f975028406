//! Monitoring (`monitoring_config`): alert and recording rules, SLOs,
//! dashboards and alert routing of one tenant.
//!
//! Queries are PromQL text here; the renderers parse them with a real PromQL
//! parser and lock every selector to the tenant.

use std::collections::BTreeMap;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::access::TimeWindow;
use crate::text::{AlertName, LabelName, MetricName, Name, PromDuration, Timestamp};

/// Alert rules, SLOs, dashboards and routing of one tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "MonitoringConfig"))]
pub struct MonitoringConfig {
    /// Whether anything is rendered for this tenant.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How often the tenant's rule groups are evaluated (default `1m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_interval: Option<PromDuration>,
    /// Alerting rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 500, message = "must list at most 500 rules"), nested)]
    pub alert_rules: Vec<AlertRule>,
    /// Recording rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 500, message = "must list at most 500 rules"), nested)]
    pub recording_rules: Vec<RecordingRule>,
    /// Service level objectives; each renders recording rules, burn-rate
    /// alerts and promtool tests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 100, message = "must list at most 100 SLOs"), nested)]
    pub slos: Vec<Slo>,
    /// Grafana dashboards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(
        length(max = 100, message = "must list at most 100 dashboards"),
        nested
    )]
    pub dashboards: Vec<Dashboard>,
    /// Where the tenant's alerts go.
    #[serde(default)]
    #[validate(nested)]
    pub routing: Routing,
}

fn yes() -> bool {
    true
}

impl Default for MonitoringConfig {
    fn default() -> Self {
        MonitoringConfig {
            enabled: true,
            evaluation_interval: None,
            alert_rules: Vec::new(),
            recording_rules: Vec::new(),
            slos: Vec::new(),
            dashboards: Vec::new(),
            routing: Routing::default(),
        }
    }
}

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Someone must act now.
    Critical,
    /// Someone should look soon.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// Every severity, most urgent first.
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Warning, Severity::Info];

    /// The severity's label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A Prometheus alerting rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// Alert name.
    pub alert: AlertName,
    /// PromQL expression; tenant matchers are added when rendering.
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters long"))]
    pub expr: String,
    /// How long the expression must hold before the alert fires.
    #[serde(rename = "for", default, skip_serializing_if = "Option::is_none")]
    pub for_duration: Option<PromDuration>,
    /// Severity label.
    pub severity: Severity,
    /// One-line summary; any text (escaped on output).
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters long"))]
    pub summary: String,
    /// Longer description; any text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 4000, message = "must be at most 4000 characters long"))]
    pub description: Option<String>,
    /// Link to the runbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(url(message = "must be a URL"))]
    pub runbook_url: Option<String>,
    /// Extra labels; `tenant` and `severity` are set by tenant-kit.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[validate(length(max = 30, message = "must have at most 30 labels"))]
    pub labels: BTreeMap<LabelName, String>,
}

/// A Prometheus recording rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordingRule {
    /// Name of the recorded series.
    pub record: MetricName,
    /// PromQL expression; tenant matchers are added when rendering.
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters long"))]
    pub expr: String,
    /// Extra labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[validate(length(max = 30, message = "must have at most 30 labels"))]
    pub labels: BTreeMap<LabelName, String>,
}

/// A service level objective measured as a ratio of bad events to all events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Slo {
    /// The SLO's name, unique in the tenant.
    pub name: Name,
    /// What the SLO promises; any text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 1000, message = "must be at most 1000 characters long"))]
    pub description: Option<String>,
    /// Target percentage of good events, strictly between 0 and 100, e.g. `99.9`.
    #[validate(range(
        exclusive_min = 0.0,
        exclusive_max = 100.0,
        message = "must be strictly between 0 and 100"
    ))]
    #[cfg_attr(feature = "schema", schemars(extend("exclusiveMinimum" = 0, "exclusiveMaximum" = 100)))]
    pub objective: f64,
    /// Period the objective is measured over, e.g. `30d`.
    pub period: PromDuration,
    /// The service level indicator.
    #[validate(nested)]
    pub sli: Sli,
}

/// A service level indicator: two PromQL queries of event rates over `[$window]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Sli {
    /// Rate of bad events, with `$window` where the range goes, e.g.
    /// `sum(rate(http_requests_total{code=~"5.."}[$window]))`.
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters long"))]
    pub error_query: String,
    /// Rate of all events, with `$window` where the range goes.
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters long"))]
    pub total_query: String,
}

/// A Grafana dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    /// The dashboard's name, unique in the tenant; part of its uid.
    pub name: Name,
    /// Title; any text.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub title: String,
    /// Auto-refresh interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<PromDuration>,
    /// How far back the dashboard shows by default (default `6h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_range: Option<PromDuration>,
    /// Panels, laid out in order.
    #[validate(
        length(min = 1, max = 100, message = "must list 1 to 100 panels"),
        nested
    )]
    pub panels: Vec<Panel>,
}

/// One panel of a dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Panel {
    /// Title; any text.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub title: String,
    /// Visualisation.
    pub kind: PanelKind,
    /// PromQL queries; tenant matchers are added when rendering.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 20, message = "must list at most 20 queries"), nested)]
    pub queries: Vec<PanelQuery>,
    /// Grafana unit, e.g. `percent`, `reqps`, `s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 50, message = "must be 1 to 50 characters long"))]
    pub unit: Option<String>,
    /// Markdown of a `text` panel; any text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 10000, message = "must be at most 10000 characters long"))]
    pub content: Option<String>,
}

/// Grafana panel types tenant-kit renders.
// Exhaustive on purpose (not `#[non_exhaustive]`): tenant-policy and
// tenant-render give every case its own meaning, and a new case must be a
// compile error there, not a wildcard default; adding one is a breaking
// change of tenant-model. (A comment, not docs: docs become the schema's
// description.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PanelKind {
    /// Time series graph.
    Timeseries,
    /// Single value.
    Stat,
    /// Gauge.
    Gauge,
    /// Bar gauge.
    Bargauge,
    /// Table.
    Table,
    /// Markdown text.
    Text,
}

/// A query of a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PanelQuery {
    /// PromQL expression.
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters long"))]
    pub expr: String,
    /// Legend format, e.g. `{{route}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 200, message = "must be at most 200 characters long"))]
    pub legend: Option<String>,
}

/// Where a tenant's alerts go and when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// Labels alerts are grouped by (default `alertname`, `severity`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 20, message = "must list at most 20 labels"))]
    pub group_by: Vec<LabelName>,
    /// Wait before the first notification of a group (default `30s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_wait: Option<PromDuration>,
    /// Wait before notifying about new alerts in a group (default `5m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_interval: Option<PromDuration>,
    /// Wait before repeating a notification (default `4h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_interval: Option<PromDuration>,
    /// Receiver for alerts no route takes; required when there are receivers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_receiver: Option<Name>,
    /// Routes by severity, first match wins unless `continue` is set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 50, message = "must list at most 50 routes"), nested)]
    pub routes: Vec<Route>,
    /// The tenant's business hours, in its time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub business_hours: Option<TimeWindow>,
    /// Times when notifications are muted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 50, message = "must list at most 50 windows"), nested)]
    pub maintenance_windows: Vec<MaintenanceWindow>,
}

/// A route: alerts of these severities go to this receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Severities this route takes; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<Severity>,
    /// The receiver, one of the tenant's Slack receivers.
    pub receiver: Name,
    /// Only during or only outside business hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<RouteTime>,
    /// Keep matching later routes after this one.
    #[serde(
        rename = "continue",
        default,
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub continue_matching: bool,
}

/// When a route is active.
// Exhaustive on purpose (not `#[non_exhaustive]`): tenant-policy and
// tenant-render give every case its own meaning, and a new case must be a
// compile error there, not a wildcard default; adding one is a breaking
// change of tenant-model. (A comment, not docs: docs become the schema's
// description.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RouteTime {
    /// During the tenant's business hours.
    BusinessHours,
    /// Outside the tenant's business hours.
    OutsideBusinessHours,
}

/// A time when the tenant's notifications are muted: weekly, or once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MaintenanceWindow {
    /// The window's name, unique in the tenant.
    pub name: Name,
    /// Every week, in the tenant's time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub weekly: Option<TimeWindow>,
    /// Once, between two instants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub once: Option<OneOffWindow>,
    /// Severities muted; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<Severity>,
}

/// A single period between two instants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OneOffWindow {
    /// Start, inclusive.
    pub starts_at: Timestamp,
    /// End, exclusive; after `starts_at`.
    pub ends_at: Timestamp,
}
