//! The platform configuration (`platform`): tier presets, regions and the
//! platform switches, including the mapping of the seed's environment
//! variables.

use std::collections::BTreeMap;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::error::{Problem, Problems};
use crate::isolation::IsolationMode;
use crate::quotas::TierPresets;
use crate::text::{LabelName, Name, PromDuration, SqlIdentifier};

/// Platform-wide settings that apply to every tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "PlatformConfig"))]
pub struct PlatformConfig {
    /// Version of this document's schema.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = [1])))]
    pub schema_version: u32,
    /// Feature switches.
    #[serde(default)]
    pub switches: Switches,
    /// Regions tenants may live in.
    #[validate(
        length(min = 1, max = 100, message = "must list 1 to 100 regions"),
        nested
    )]
    pub regions: Vec<Region>,
    /// Quota preset of each tier.
    #[serde(default)]
    #[validate(nested)]
    pub tiers: TierPresets,
    /// Monitoring settings shared by all tenants.
    #[serde(default)]
    #[validate(nested)]
    pub monitoring: PlatformMonitoring,
    /// The application's tables that tenants in `row` mode share, each with
    /// the column holding the owning tenant's id. Row-level security is
    /// rendered on each of them, in the schema named by each `row`-mode
    /// tenant's `isolation.database.schema`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 1000, message = "must list at most 1000 tables"))]
    pub shared_tables: Vec<SharedTable>,
    /// Regions the platform's operators work from: a cross-tenant grant to
    /// the operators makes these regions hold the tenant's data as far as
    /// transfers are concerned. Empty: unknown, so transfer checks of a
    /// tenant granting the operators access report no evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 100, message = "must list at most 100 regions"))]
    pub operator_regions: Vec<Name>,
}

/// A table shared by the tenants in `row` mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SharedTable {
    /// The table's name (in the shared schema).
    pub table: SqlIdentifier,
    /// The column holding the id (UUID) of the tenant a row belongs to.
    pub tenant_column: SqlIdentifier,
}

/// The platform's switches; each has an environment variable from the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Switches {
    /// Weakest isolation any tenant may use (`TENANT_ISOLATION_MODE`).
    pub minimum_isolation: IsolationMode,
    /// Strict isolation for every tenant: no `row` mode, a per-tenant key
    /// (`TENANT_ISOLATION_MODE=strict`).
    pub strict_isolation: bool,
    /// Render Prometheus rules and Alertmanager routes (`MONITORING_ENABLED`).
    pub monitoring_enabled: bool,
    /// Render Slack receivers (`SLACK_WEBHOOKS_ENABLED`).
    pub slack_webhooks_enabled: bool,
    /// Render the tenants' own metrics rules (`PROMETHEUS_METRICS`).
    pub prometheus_metrics: bool,
    /// Grafana dashboards (`GRAFANA_DASHBOARDS`).
    pub grafana_dashboards: DashboardMode,
}

impl Default for Switches {
    fn default() -> Self {
        Switches {
            minimum_isolation: IsolationMode::Schema,
            strict_isolation: false,
            monitoring_enabled: true,
            slack_webhooks_enabled: true,
            prometheus_metrics: true,
            grafana_dashboards: DashboardMode::Auto,
        }
    }
}

/// How Grafana dashboards are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DashboardMode {
    /// The built-in overview for every tenant plus the tenant's own dashboards.
    Auto,
    /// Only the dashboards the tenant's document lists.
    Manual,
    /// No dashboards.
    Off,
}

/// A region and the jurisdiction its law falls under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// The region's name, e.g. `eu-west-1`.
    pub name: Name,
    /// Its jurisdiction, e.g. `eu`, `us`, `uk`, `ch`.
    pub jurisdiction: Name,
}

/// Monitoring settings shared by all tenants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlatformMonitoring {
    /// The label that carries the tenant's slug on every series and alert.
    pub tenant_label: LabelName,
    /// Default rule evaluation interval.
    pub evaluation_interval: PromDuration,
    /// Uid of the Prometheus data source dashboards use.
    #[validate(length(min = 1, max = 40, message = "must be 1 to 40 characters long"))]
    pub datasource_uid: String,
    /// URL Grafana's shared Prometheus data source queries (default
    /// `http://prometheus:9090`).
    #[serde(default = "default_prometheus_url")]
    #[validate(url(message = "must be a URL"))]
    pub prometheus_url: String,
    /// Mimir's Prometheus API URL (e.g. `http://mimir:8080/prometheus`).
    /// When set, Grafana gets one data source per tenant that sends the
    /// tenant's slug as `X-Scope-OrgID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(url(message = "must be a URL"))]
    pub mimir_url: Option<String>,
    /// Layout of the shared Alertmanager routing tree
    /// (`alertmanager/alertmanager.yml`): `auto` (the default) keeps one
    /// flat list of tenant routes for small platforms and adds an outer
    /// level of regex routes on the slug's first characters above a
    /// measured number of tenants; `flat` and `sharded` force one layout.
    #[serde(default, skip_serializing_if = "RouteTree::is_auto")]
    pub alertmanager_route_tree: RouteTree,
}

/// Layout of the shared Alertmanager routing tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RouteTree {
    /// Flat below the renderer's measured threshold, sharded above it.
    #[default]
    Auto,
    /// One route per tenant directly below the root.
    Flat,
    /// The tenant routes grouped below regex routes on the slug's first
    /// characters.
    Sharded,
}

impl RouteTree {
    fn is_auto(&self) -> bool {
        *self == RouteTree::Auto
    }
}

fn default_prometheus_url() -> String {
    "http://prometheus:9090".to_owned()
}

impl Default for PlatformMonitoring {
    fn default() -> Self {
        PlatformMonitoring {
            tenant_label: label("tenant"),
            evaluation_interval: duration("1m"),
            datasource_uid: "prometheus".to_owned(),
            prometheus_url: default_prometheus_url(),
            mimir_url: None,
            alertmanager_route_tree: RouteTree::Auto,
        }
    }
}

// The defaults above are constants known to pass their rules; a unit test
// builds `PlatformMonitoring::default()` so a typo here fails the tests.
#[expect(clippy::expect_used, reason = "constant input, checked by a test")]
fn label(text: &str) -> LabelName {
    LabelName::new(text).expect("constant label name is valid")
}

#[expect(clippy::expect_used, reason = "constant input, checked by a test")]
fn duration(text: &str) -> PromDuration {
    PromDuration::new(text).expect("constant duration is valid")
}

/// The environment variables of the seed and the switches they set.
pub const ENVIRONMENT_VARIABLES: [&str; 5] = [
    "TENANT_ISOLATION_MODE",
    "MONITORING_ENABLED",
    "SLACK_WEBHOOKS_ENABLED",
    "PROMETHEUS_METRICS",
    "GRAFANA_DASHBOARDS",
];

impl Switches {
    /// These switches with the seed's environment variables applied.
    ///
    /// A pure function of the given map (reading the environment is the
    /// caller's job); variables not in [`ENVIRONMENT_VARIABLES`] are ignored.
    /// Values are case-insensitive; booleans accept `true`/`false`, `1`/`0`,
    /// `yes`/`no` and `on`/`off`. `TENANT_ISOLATION_MODE` takes `row`,
    /// `schema`, `database` or `strict` (= at least `schema`, strictly).
    /// `GRAFANA_DASHBOARDS` takes `auto`, `manual`, `off`, or a boolean
    /// (`true` = `auto`).
    pub fn with_environment(&self, vars: &BTreeMap<String, String>) -> Result<Switches, Problems> {
        let mut switches = self.clone();
        let mut problems = Vec::new();
        for (name, value) in vars {
            let v = value.trim().to_ascii_lowercase();
            let pointer = match name.as_str() {
                "TENANT_ISOLATION_MODE" => "/switches/minimum_isolation",
                "MONITORING_ENABLED" => "/switches/monitoring_enabled",
                "SLACK_WEBHOOKS_ENABLED" => "/switches/slack_webhooks_enabled",
                "PROMETHEUS_METRICS" => "/switches/prometheus_metrics",
                "GRAFANA_DASHBOARDS" => "/switches/grafana_dashboards",
                _ => continue,
            };
            let result = match name.as_str() {
                "TENANT_ISOLATION_MODE" => match v.as_str() {
                    "row" => Ok((IsolationMode::Row, false)),
                    "schema" => Ok((IsolationMode::Schema, false)),
                    "database" => Ok((IsolationMode::Database, false)),
                    "strict" => Ok((IsolationMode::Schema, true)),
                    _ => Err("expected `row`, `schema`, `database` or `strict`"),
                }
                .map(|(mode, strict)| {
                    switches.minimum_isolation = mode;
                    switches.strict_isolation = strict;
                }),
                "GRAFANA_DASHBOARDS" => match v.as_str() {
                    "auto" | "true" | "1" | "yes" | "on" => Ok(DashboardMode::Auto),
                    "manual" => Ok(DashboardMode::Manual),
                    "off" | "false" | "0" | "no" => Ok(DashboardMode::Off),
                    _ => Err("expected `auto`, `manual` or `off`"),
                }
                .map(|mode| switches.grafana_dashboards = mode),
                _ => parse_bool(&v).map(|b| match name.as_str() {
                    "MONITORING_ENABLED" => switches.monitoring_enabled = b,
                    "SLACK_WEBHOOKS_ENABLED" => switches.slack_webhooks_enabled = b,
                    _ => switches.prometheus_metrics = b,
                }),
            };
            if let Err(expected) = result {
                problems.push(Problem::new(
                    pointer,
                    format!(
                        "environment variable `{name}` is {}: {expected}",
                        crate::show::quote(value)
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(switches)
        } else {
            Err(Problems::new(problems))
        }
    }
}

fn parse_bool(v: &str) -> Result<bool, &'static str> {
    match v {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("expected `true` or `false`"),
    }
}

impl Default for PlatformConfig {
    /// The built-in platform, used when no platform document is given: the
    /// default switches, tier presets and monitoring settings, and no
    /// regions (a platform document lists its own; without one, tenants'
    /// regions are not checked).
    fn default() -> Self {
        PlatformConfig {
            schema_version: crate::version::CURRENT_SCHEMA_VERSION,
            switches: Switches::default(),
            regions: Vec::new(),
            tiers: TierPresets::default(),
            monitoring: PlatformMonitoring::default(),
            shared_tables: Vec::new(),
            operator_regions: Vec::new(),
        }
    }
}

impl PlatformConfig {
    /// The jurisdiction of `region`, when the platform knows the region.
    pub fn jurisdiction_of(&self, region: &Name) -> Option<&Name> {
        self.regions
            .iter()
            .find(|r| &r.name == region)
            .map(|r| &r.jurisdiction)
    }
}
