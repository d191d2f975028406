//! Compliance rules (`compliance_rules`): platform-wide controls (GDPR,
//! SOC 2) and what each checks in a tenant document.
//!
//! The checks are a closed set of typed tests, so every rule can be evaluated
//! without a rule language and explained precisely; `tenant-policy` runs them.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::isolation::IsolationMode;
use crate::tenant::{ContactRole, TenantStatus, Tier};
use crate::text::{Name, Permission, Pointer};

/// The platform's compliance controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "ComplianceRules"))]
pub struct ComplianceRules {
    /// Version of this document's schema.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = [1])))]
    pub schema_version: u32,
    /// The controls.
    #[validate(
        length(min = 1, max = 500, message = "must list 1 to 500 rules"),
        nested
    )]
    pub rules: Vec<ComplianceRule>,
}

/// One control and how it is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ComplianceRule {
    /// Identifier, unique in the document, e.g. `gdpr-art-44-residency`.
    pub id: Name,
    /// Framework the control belongs to.
    pub framework: Framework,
    /// The framework's reference, e.g. `Art. 44` or `CC6.1`.
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters long"))]
    pub reference: String,
    /// Short title; any text.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub title: String,
    /// How bad a failure is.
    pub severity: FindingSeverity,
    /// Which tenants the rule applies to; all when absent.
    #[serde(default, skip_serializing_if = "Applicability::is_everyone")]
    #[validate(nested)]
    pub applies_to: Applicability,
    /// What is checked.
    pub check: Check,
    /// Where in the tenant document the evidence is.
    pub evidence: Pointer,
    /// What to do when the check fails; any text.
    #[validate(length(min = 1, max = 2000, message = "must be 1 to 2000 characters long"))]
    pub remediation: String,
}

/// A compliance framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Framework {
    /// EU General Data Protection Regulation.
    Gdpr,
    /// AICPA SOC 2.
    Soc2,
}

/// Severity of a failed control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingSeverity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl FindingSeverity {
    /// The severity as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingSeverity::Low => "low",
            FindingSeverity::Medium => "medium",
            FindingSeverity::High => "high",
            FindingSeverity::Critical => "critical",
        }
    }
}

/// Writes [`FindingSeverity::as_str`], e.g. for a metrics label.
impl std::fmt::Display for FindingSeverity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which tenants a rule applies to; every list that is given must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    /// Only tenants whose home region is in one of these jurisdictions
    /// (see the platform's regions), e.g. `eu`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jurisdictions: Vec<Name>,
    /// Only these tiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    /// Only tenants with these statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<TenantStatus>,
}

impl Applicability {
    /// Whether the rule applies to every tenant.
    pub fn is_everyone(&self) -> bool {
        *self == Applicability::default()
    }
}

/// What a rule checks in a tenant document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Check {
    /// The home region and every replica region are among these.
    RegionIn {
        /// Allowed regions.
        regions: Vec<Name>,
    },
    /// Personal data is kept at most this many days.
    RetentionAtMost {
        /// Most days.
        days: u32,
    },
    /// A contact with this role is listed.
    ContactPresent {
        /// The role.
        role: ContactRole,
    },
    /// Data is erased when the tenant leaves.
    ErasureOnOffboarding,
    /// Audit logging is on.
    AuditLoggingEnabled,
    /// Every binding to one of these roles (or a role inheriting them)
    /// requires multi-factor authentication.
    MfaForRoles {
        /// Role names.
        roles: Vec<Name>,
    },
    /// Data is encrypted at rest.
    EncryptionAtRest,
    /// Bindings were reviewed at most this many days ago.
    AccessReviewWithin {
        /// Most days since the last review.
        days: u32,
    },
    /// No binding to a role holding `*:*` lacks an expiry.
    NoWildcardBindingWithoutExpiry,
    /// The isolation mode is at least this.
    IsolationAtLeast {
        /// Weakest accepted mode.
        mode: IsolationMode,
    },
    /// Every binding whose role's effective permissions (inheritance
    /// included) reach a privileged permission requires MFA, expires within
    /// `max_days` of the evaluation, and names one user or service account,
    /// never a group; every cross-tenant grant reaching one names its
    /// subjects (no groups, not "everyone") and expires within `max_days`.
    /// Role names play no part.
    PrivilegedAccess {
        /// The privileged permissions: a permission reaches one when it
        /// covers it (`*:*` covers `*:write`; `track:write` does not).
        #[serde(default = "default_privileged")]
        permissions: Vec<Permission>,
        /// Longest accepted time from the evaluation to a privileged
        /// binding's or grant's expiry, in days.
        max_days: u32,
    },
    /// Personal data of data subjects in one of `from` is held only in
    /// their jurisdiction, in an `adequate` one, or under a transfer
    /// mechanism the tenant records (GDPR chapter V). The regions holding
    /// data: home, replicas, the encryption key's region, and the
    /// operators' regions when platform operators hold a grant.
    TransfersSafeguarded {
        /// Jurisdictions whose data subjects the rule protects, e.g. `eu`.
        from: Vec<Name>,
        /// Destinations with an adequacy decision the rule accepts.
        #[serde(default)]
        adequate: Vec<Name>,
    },
    /// TLS is required on every connection.
    EncryptionInTransit,
    /// The isolation checks of the tenant find nothing.
    IsolationFindings,
    /// The audit trail is kept and read: audit logging on, audit records
    /// kept at least `retention_days`, and the trail given with the
    /// evaluation verifies against an independently kept head with no gap
    /// between consecutive records longer than `max_gap_hours`.
    AuditTrail {
        /// Fewest days audit records are kept.
        retention_days: u32,
        /// Longest accepted time between consecutive records, in hours.
        max_gap_hours: u32,
    },
}

/// The default privileged permissions: any wildcard resource with write,
/// delete, share, export or admin.
pub fn default_privileged() -> Vec<Permission> {
    ["*:write", "*:delete", "*:share", "*:export", "*:admin"]
        .into_iter()
        .filter_map(|p| Permission::new(p).ok())
        .collect()
}

impl Check {
    /// Regions the check names (for validation against the platform).
    pub fn regions(&self) -> &[Name] {
        match self {
            Check::RegionIn { regions } => regions,
            _ => &[],
        }
    }

    /// Jurisdictions the check names (for validation against the platform).
    pub fn jurisdictions(&self) -> Vec<&Name> {
        match self {
            Check::TransfersSafeguarded { from, adequate } => from.iter().chain(adequate).collect(),
            _ => Vec::new(),
        }
    }
}
