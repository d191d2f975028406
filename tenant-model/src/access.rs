//! Access control (`access_control`): roles, bindings with conditions,
//! explicit denies and cross-tenant grants.
//!
//! The semantics (default deny, deny beats allow, wildcards, inheritance,
//! conditions, the tenant boundary) are evaluated by `tenant-policy`; this
//! module is the document's shape and its structural rules.

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::text::{Cidr, ClockTime, Date, Name, Permission, Sha256Hex, Slug, Timestamp};

/// Who may do what in a tenant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "AccessControl"))]
pub struct AccessControl {
    /// Named sets of permissions.
    #[serde(default)]
    #[validate(length(max = 200, message = "must list at most 200 roles"), nested)]
    pub roles: Vec<Role>,
    /// Who holds which role, under which conditions.
    #[serde(default)]
    #[validate(
        length(max = 10000, message = "must list at most 10000 bindings"),
        nested
    )]
    pub bindings: Vec<Binding>,
    /// Explicit denies; a deny beats any allow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 200, message = "must list at most 200 denies"), nested)]
    pub denies: Vec<Deny>,
    /// Access this tenant gives to principals of other tenants (or to
    /// platform operators) on its own resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 200, message = "must list at most 200 grants"), nested)]
    pub cross_tenant_grants: Vec<CrossTenantGrant>,
    /// The last review of the effective access: when, by whom, and the
    /// SHA-256 of the population reviewed. A bare date (the form before
    /// reviewer and snapshot were recorded) is still read; such a review
    /// proves nothing about what was reviewed, so compliance checks fail it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub last_access_review: Option<AccessReview>,
}

/// A review of a tenant's effective access an auditor can check: its date,
/// who signed it off, and the SHA-256 of the population reviewed (each
/// subject, its effective permissions, MFA and expiry, as `tenantctl
/// compliance review` prints it).
///
/// Written either as `{date, reviewer, snapshot_sha256}` or, as documents
/// written before these fields existed do, as a bare date; a bare date reads
/// as a review without reviewer or snapshot. This accepting-both reader is
/// chosen over a schema-version bump because every other field of the
/// document is unchanged, and old documents keep validating (while failing
/// the access review control, which is the truth about them).
///
/// Written back, a review without reviewer and snapshot is a bare date
/// again, so that documents round-trip; a review with only one of the two
/// (possible only in code) is written as a record and refused when read.
#[derive(Debug, Clone, PartialEq, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(with = "AccessReviewForms"))]
pub struct AccessReview {
    /// The day of the review.
    pub date: Date,
    /// Who reviewed and signed off; absent only in the bare-date form.
    #[validate(length(min = 1, max = 256, message = "must be 1 to 256 characters long"))]
    pub reviewer: Option<String>,
    /// SHA-256 of the reviewed population; absent only in the bare-date form.
    pub snapshot_sha256: Option<Sha256Hex>,
}

/// The review as an object: every field required.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "AccessReviewRecord"))]
struct AccessReviewRecord {
    /// The day of the review.
    date: Date,
    /// Who reviewed and signed off; any text.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 256)))]
    reviewer: String,
    /// SHA-256 of the reviewed population (`tenantctl compliance review`).
    snapshot_sha256: Sha256Hex,
}

/// The two written forms, for the schema.
#[cfg(feature = "schema")]
#[derive(JsonSchema)]
#[serde(untagged)]
#[expect(dead_code, reason = "only its schema is used")]
enum AccessReviewForms {
    /// A review record.
    Record(AccessReviewRecord),
    /// A bare date: the form before reviewer and snapshot were recorded.
    DateOnly(Date),
}

impl Serialize for AccessReview {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if self.reviewer.is_none() && self.snapshot_sha256.is_none() {
            return self.date.serialize(serializer);
        }
        let mut record = serializer.serialize_struct("AccessReview", 3)?;
        record.serialize_field("date", &self.date)?;
        if let Some(reviewer) = &self.reviewer {
            record.serialize_field("reviewer", reviewer)?;
        }
        if let Some(snapshot) = &self.snapshot_sha256 {
            record.serialize_field("snapshot_sha256", snapshot)?;
        }
        record.end()
    }
}

impl<'de> Deserialize<'de> for AccessReview {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Forms;
        impl<'de> serde::de::Visitor<'de> for Forms {
            type Value = AccessReview;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a review `{date, reviewer, snapshot_sha256}` or a date `YYYY-MM-DD`")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<AccessReview, E> {
                let date = Date::new(text).map_err(E::custom)?;
                Ok(AccessReview {
                    date,
                    reviewer: None,
                    snapshot_sha256: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<AccessReview, A::Error> {
                let record = AccessReviewRecord::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(AccessReview {
                    date: record.date,
                    reviewer: Some(record.reviewer),
                    snapshot_sha256: Some(record.snapshot_sha256),
                })
            }
        }
        deserializer.deserialize_any(Forms)
    }
}

/// A named set of permissions, possibly inheriting other roles' permissions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The role's name, unique in the tenant.
    pub name: Name,
    /// What the role is for; any text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 500, message = "must be at most 500 characters long"))]
    pub description: Option<String>,
    /// Permissions `resource:action`; either part may be `*`.
    #[serde(default)]
    #[validate(length(max = 500, message = "must list at most 500 permissions"))]
    pub permissions: Vec<Permission>,
    /// Roles whose permissions this role also has (transitively).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 20, message = "must list at most 20 roles"))]
    pub inherits: Vec<Name>,
}

/// Gives a subject a role, optionally under conditions and until a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Binding {
    /// Who receives the role.
    #[validate(nested)]
    pub subject: Subject,
    /// The role, defined in this document.
    pub role: Name,
    /// Conditions that must all hold.
    #[serde(default, skip_serializing_if = "Conditions::is_empty")]
    #[validate(nested)]
    pub conditions: Conditions,
    /// The binding stops applying at this instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

/// A user, group or service account of the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// What kind of subject.
    pub kind: SubjectKind,
    /// Its identifier in the tenant's identity provider.
    #[validate(length(min = 1, max = 256, message = "must be 1 to 256 characters long"))]
    pub id: String,
}

/// Kinds of subjects a binding can name.
// Exhaustive on purpose (not `#[non_exhaustive]`): tenant-policy and
// tenant-render give every case its own meaning, and a new case must be a
// compile error there, not a wildcard default; adding one is a breaking
// change of tenant-model. (A comment, not docs: docs become the schema's
// description.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// One person.
    User,
    /// Everyone in a group.
    Group,
    /// A non-human identity.
    ServiceAccount,
}

/// Conditions on a binding; all that are given must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Only within this weekly window, in the tenant's time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub time_window: Option<TimeWindow>,
    /// Only from these networks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 100, message = "must list at most 100 networks"))]
    pub source_cidrs: Vec<Cidr>,
    /// Only when the principal signed in with multi-factor authentication.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_mfa: bool,
    /// Only on resources classified at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_classification: Option<Classification>,
    /// Only on resources the principal owns.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub owner_only: bool,
}

impl Conditions {
    /// Whether no condition is set.
    pub fn is_empty(&self) -> bool {
        *self == Conditions::default()
    }
}

/// A weekly window in the tenant's time zone: on these days, from `start`
/// (inclusive) to `end` (exclusive). Windows do not cross midnight: write two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeWindow {
    /// Days of the week.
    #[validate(length(min = 1, max = 7, message = "must list 1 to 7 days"))]
    pub days: Vec<Weekday>,
    /// Start time `HH:MM`.
    pub start: ClockTime,
    /// End time `HH:MM`, after `start`; `24:00` is the end of the day.
    pub end: ClockTime,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// The matching chrono weekday.
    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }

    /// The lowercase English name Alertmanager's time intervals use.
    pub fn alertmanager_name(self) -> &'static str {
        match self {
            Weekday::Mon => "monday",
            Weekday::Tue => "tuesday",
            Weekday::Wed => "wednesday",
            Weekday::Thu => "thursday",
            Weekday::Fri => "friday",
            Weekday::Sat => "saturday",
            Weekday::Sun => "sunday",
        }
    }
}

/// Data classification, least sensitive first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Classification {
    /// Anyone may see it.
    Public,
    /// Staff of the tenant.
    Internal,
    /// A need to know.
    Confidential,
    /// The most sensitive data (e.g. personal data of special categories).
    Restricted,
}

impl Classification {
    /// The classification as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Internal => "internal",
            Classification::Confidential => "confidential",
            Classification::Restricted => "restricted",
        }
    }
}

/// Writes [`Classification::as_str`], e.g. for a metrics label.
impl std::fmt::Display for Classification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An explicit deny: beats every allow, including cross-tenant grants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deny {
    /// The deny's name, unique in the tenant; shown in decisions.
    pub name: Name,
    /// Whom it applies to; empty means every principal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 100, message = "must list at most 100 subjects"), nested)]
    pub subjects: Vec<Subject>,
    /// The permissions denied.
    #[validate(length(min = 1, max = 100, message = "must list 1 to 100 permissions"))]
    pub permissions: Vec<Permission>,
    /// Only on locked resources.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub when_locked: bool,
    /// Only on resources classified at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_classification: Option<Classification>,
    /// Why; any text, shown in explanations.
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters long"))]
    pub reason: String,
}

/// Access this tenant gives to another tenant's principals, or to platform
/// operators, on this tenant's resources. Without such a grant nobody from
/// outside the tenant gets in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CrossTenantGrant {
    /// The grant's name, unique in the tenant; shown in decisions and audit records.
    pub name: Name,
    /// Who receives access.
    pub grantee: Grantee,
    /// Which of the grantee's principals; empty means all of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(length(max = 100, message = "must list at most 100 subjects"), nested)]
    pub subjects: Vec<Subject>,
    /// What the grantee may do here.
    #[validate(length(min = 1, max = 100, message = "must list 1 to 100 permissions"))]
    pub permissions: Vec<Permission>,
    /// The grant ends at this instant; grants always end.
    pub expires_at: Timestamp,
    /// Only when the grantee's principal signed in with multi-factor
    /// authentication.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_mfa: bool,
    /// Why; any text, shown in explanations and audit records.
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters long"))]
    pub reason: String,
}

/// The receiver of a cross-tenant grant.
// Exhaustive on purpose (not `#[non_exhaustive]`): tenant-policy and
// tenant-render give every case its own meaning, and a new case must be a
// compile error there, not a wildcard default; adding one is a breaking
// change of tenant-model. (A comment, not docs: docs become the schema's
// description.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Grantee {
    /// Principals of the tenant with this slug.
    Tenant(Slug),
    /// The platform's operators (zero trust: they need a grant too).
    PlatformOperators,
}
