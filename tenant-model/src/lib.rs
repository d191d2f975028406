#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod access;
mod compliance;
mod direct;
mod error;
mod evidence;
mod isolation;
mod locate;
mod monitoring;
mod parse;
mod platform;
pub mod promql;
mod quotas;
mod rules;
#[cfg(feature = "schema")]
mod schema;
mod secret;
mod show;
mod slack;
mod tenant;
mod text;
mod value;
mod version;

pub use crate::access::{
    AccessControl, AccessReview, Binding, Classification, Conditions, CrossTenantGrant, Deny,
    Grantee, Role, Subject, SubjectKind, TimeWindow, Weekday,
};
pub use crate::compliance::{
    Applicability, Check, ComplianceRule, ComplianceRules, FindingSeverity, Framework,
    default_privileged,
};
pub use crate::error::{Problem, Problems};
pub use crate::evidence::{WrittenFields, is_tenant_field};
pub use crate::isolation::{
    CacheIsolation, DatabaseIsolation, Encryption, IsolationMode, IsolationPolicy, NetworkIsolation,
};
pub use crate::monitoring::{
    AlertRule, Dashboard, MaintenanceWindow, MonitoringConfig, OneOffWindow, Panel, PanelKind,
    PanelQuery, RecordingRule, Route, RouteTime, Routing, Severity, Sli, Slo,
};
pub use crate::parse::{
    Document, DocumentKind, FieldRulesOnly, Format, FullReadingOnly, InlineSecrets,
    MAX_DOCUMENT_BYTES, MAX_PROBLEMS, parse, parse_clean_json, to_text, validate, write,
};
pub use crate::platform::{
    DashboardMode, ENVIRONMENT_VARIABLES, PlatformConfig, PlatformMonitoring, Region, RouteTree,
    SharedTable, Switches,
};
pub use crate::quotas::{
    Autoscaling, AutoscalingOverrides, MetricsLimits, MetricsOverrides, QuotaLimits,
    QuotaOverrides, TierPresets,
};
pub use crate::rules::{
    MAX_QUERY_BYTES, MAX_QUERY_OPERATORS, PrefixOverlap, QueryVerdicts, SetProblem,
    check_against_platform, check_queries, check_queries_with, check_roles,
    check_rules_against_platform, check_tenant_set, key_prefix_overlaps, shared_values,
};
#[cfg(feature = "schema")]
pub use crate::schema::{SchemaFile, schemas};
pub use crate::secret::{REDACTED, Secret};
pub use crate::show::{escape_controls, looks_like_credential, redact_credentials};
pub use crate::slack::{SlackConfig, SlackReceiver, SlackTemplate};
pub use crate::tenant::{
    AuditSettings, Contact, ContactRole, DataProtection, DataResidency, Tenant, TenantStatus, Tier,
    Transfer, TransferMechanism,
};
pub use crate::text::{
    AlertName, Cidr, ClockTime, Date, InvalidValue, KeyPrefix, LabelName, Locale, MetricName, Name,
    Permission, Pointer, PromDuration, Sha256Hex, SlackChannel, Slug, SqlIdentifier, TenantId,
    TimeZone, Timestamp,
};
pub use crate::version::{CURRENT_SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS};

/// The public dependencies of this crate's API, re-exported so that a user
/// names the same versions: [`Timestamp`] and [`Date`] hold `chrono` values,
/// [`TimeZone`] a `chrono_tz` zone, [`TenantId`] a `uuid`.
pub use {chrono, chrono_tz, uuid};

/// Positions of fields in source text, for problems found after parsing
/// (such as [`check_tenant_set`]'s).
pub fn locate(text: &str, format: Format, pointer: &str) -> (usize, usize) {
    locate::SourceMap::build(text, format).position(pointer)
}

/// Places problems found after parsing at their line and column in `text`
/// and puts them in document order.
pub fn place(problems: Vec<Problem>, text: &str, format: Format) -> Vec<Problem> {
    parse::finish(problems, parse::TENANT_SECRETS, text, format).into_vec()
}
