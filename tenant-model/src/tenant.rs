//! The tenant document (`tenant_base`): a tenant's identity and every section
//! of its configuration.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::access::AccessControl;
use crate::isolation::IsolationPolicy;
use crate::monitoring::MonitoringConfig;
use crate::quotas::QuotaOverrides;
use crate::slack::SlackConfig;
use crate::text::{Locale, Name, Slug, TenantId, TimeZone};

/// One tenant's configuration document: the single source of truth for
/// everything tenant-kit renders for that tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "Tenant"))]
pub struct Tenant {
    /// Version of this document's schema; see the migration notes.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = [1])))]
    pub schema_version: u32,
    /// Stable identifier; never reused.
    pub id: TenantId,
    /// The tenant's name in every target system (database, cache, metrics,
    /// Kubernetes). Changing it renames everything.
    pub slug: Slug,
    /// Name shown to people; any text.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub display_name: String,
    /// Free text about the tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 2000, message = "must be at most 2000 characters long"))]
    pub description: Option<String>,
    /// Commercial tier; selects the quota preset.
    pub tier: Tier,
    /// Lifecycle status.
    pub status: TenantStatus,
    /// Language of the tenant's notifications and dashboards.
    pub locale: Locale,
    /// Time zone for business hours, maintenance windows and dates.
    pub time_zone: TimeZone,
    /// Where the tenant's data lives.
    #[validate(nested)]
    pub data_residency: DataResidency,
    /// Retention and erasure of the tenant's data.
    #[serde(default)]
    #[validate(nested)]
    pub data_protection: DataProtection,
    /// People to reach about this tenant.
    #[validate(
        length(min = 1, max = 50, message = "must list 1 to 50 contacts"),
        nested
    )]
    pub contacts: Vec<Contact>,
    /// How the tenant's data is kept apart from other tenants'.
    #[validate(nested)]
    pub isolation: IsolationPolicy,
    /// Who may do what.
    #[serde(default)]
    #[validate(nested)]
    pub access_control: AccessControl,
    /// Per-tenant changes to the tier's quota preset.
    #[serde(default)]
    #[validate(nested)]
    pub quotas: QuotaOverrides,
    /// Alert rules, SLOs, dashboards and alert routing.
    #[serde(default)]
    #[validate(nested)]
    pub monitoring: MonitoringConfig,
    /// Slack receivers and message templates.
    #[serde(default)]
    #[validate(nested)]
    pub slack: SlackConfig,
    /// Audit logging.
    #[serde(default)]
    #[validate(nested)]
    pub audit: AuditSettings,
}

/// Commercial tier.
// Exhaustive on purpose (not `#[non_exhaustive]`): tenant-policy and
// tenant-render give every case its own meaning, and a new case must be a
// compile error there, not a wildcard default; adding one is a breaking
// change of tenant-model. (A comment, not docs: docs become the schema's
// description.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Free plan.
    Free,
    /// Entry paid plan.
    Starter,
    /// Mid plan.
    Professional,
    /// Largest plan.
    Enterprise,
}

impl Tier {
    /// Every tier, smallest first.
    pub const ALL: [Tier; 4] = [
        Tier::Free,
        Tier::Starter,
        Tier::Professional,
        Tier::Enterprise,
    ];

    /// The tier's name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Free => "free",
            Tier::Starter => "starter",
            Tier::Professional => "professional",
            Tier::Enterprise => "enterprise",
        }
    }
}

/// Writes [`Tier::as_str`], e.g. for a metrics label.
impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lifecycle status of a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TenantStatus {
    /// Being set up; no traffic yet.
    Provisioning,
    /// In service.
    Active,
    /// Access stopped (e.g. unpaid); data kept.
    Suspended,
    /// Leaving: data is exported, then erased.
    Offboarding,
}

impl TenantStatus {
    /// The status as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Provisioning => "provisioning",
            TenantStatus::Active => "active",
            TenantStatus::Suspended => "suspended",
            TenantStatus::Offboarding => "offboarding",
        }
    }
}

/// Writes [`TenantStatus::as_str`], e.g. for a metrics label.
impl std::fmt::Display for TenantStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the tenant's data lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DataResidency {
    /// The region that holds the data, one of the platform's regions.
    pub region: Name,
    /// Regions that may hold replicas or backups; the home region is implied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 20, message = "must list at most 20 regions"))]
    pub replica_regions: Vec<Name>,
    /// Where the people whose personal data the tenant processes are: the
    /// jurisdictions of the data subjects (e.g. `eu`), which need not be the
    /// home region's. Compliance checks of transfers need it: absent, they
    /// report no evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 20, message = "must list at most 20 jurisdictions"))]
    pub data_subjects: Vec<Name>,
    /// The safeguards of transfers out of the data subjects' jurisdictions
    /// (GDPR chapter V): one entry per destination jurisdiction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 50, message = "must list at most 50 transfers"), nested)]
    pub transfers: Vec<Transfer>,
}

/// The safeguard of a transfer of personal data to another jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The destination jurisdiction, e.g. `us`.
    pub to: Name,
    /// The mechanism that makes the transfer lawful.
    pub mechanism: TransferMechanism,
    /// Where the signed clauses, rules or decision are kept; any text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters long"))]
    pub reference: Option<String>,
}

/// A lawful basis for a transfer out of the data subjects' jurisdiction
/// (GDPR Art. 45 to 47).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TransferMechanism {
    /// An adequacy decision for the destination (Art. 45); the compliance
    /// rule lists which destinations have one.
    Adequacy,
    /// Standard contractual clauses (Art. 46(2)(c)).
    Sccs,
    /// Binding corporate rules (Art. 47).
    Bcrs,
}

impl TransferMechanism {
    /// The mechanism as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferMechanism::Adequacy => "adequacy",
            TransferMechanism::Sccs => "sccs",
            TransferMechanism::Bcrs => "bcrs",
        }
    }
}

/// Retention and erasure of the tenant's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DataProtection {
    /// Days personal data is kept before deletion.
    #[validate(range(min = 1, max = 3650, message = "must be between 1 and 3650 days"))]
    pub retention_days: u32,
    /// Whether all data is erased when the tenant leaves.
    pub erasure_on_offboarding: bool,
}

impl Default for DataProtection {
    fn default() -> Self {
        DataProtection {
            retention_days: 365,
            erasure_on_offboarding: true,
        }
    }
}

/// Someone to reach about the tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Full name; any text.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub name: String,
    /// Email address.
    #[validate(email(message = "must be an email address"))]
    pub email: String,
    /// What the contact is for.
    pub role: ContactRole,
}

/// What a contact is responsible for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContactRole {
    /// Business owner.
    Owner,
    /// Technical contact.
    Technical,
    /// Billing contact.
    Billing,
    /// Security contact.
    Security,
    /// Data protection officer (GDPR).
    Dpo,
}

impl ContactRole {
    /// The role as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactRole::Owner => "owner",
            ContactRole::Technical => "technical",
            ContactRole::Billing => "billing",
            ContactRole::Security => "security",
            ContactRole::Dpo => "dpo",
        }
    }
}

/// Audit logging of decisions and changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    /// Whether access decisions and changes are written to the audit trail.
    pub enabled: bool,
    /// Days audit records are kept.
    #[validate(range(min = 1, max = 3650, message = "must be between 1 and 3650 days"))]
    pub retention_days: u32,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            enabled: true,
            retention_days: 400,
        }
    }
}
