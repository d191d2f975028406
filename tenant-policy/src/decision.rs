//! The answer to a request: allowed or denied, and why.
//!
//! A [`Decision`] is a few integers (a reason and indices into the compiled
//! set), so deciding never allocates. [`Decision::explain`] turns it into
//! text for people and audit records, naming the role, binding, deny or grant
//! and its JSON pointer in the tenant's document.

use std::fmt;

use crate::policy::PolicySet;

/// Why a request was allowed or denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// A binding of the resource's tenant gives the principal a role that
    /// covers the permission, and all of the binding's conditions hold.
    AllowedByRole,
    /// An unexpired cross-tenant grant of the resource's tenant names the
    /// principal's tenant (or the platform operators) and the permission.
    AllowedByGrant,
    /// An explicit deny of the resource's tenant matches; a deny beats every
    /// allow.
    ExplicitDeny,
    /// A binding would give the permission but one of its conditions fails.
    ConditionFailed(Condition),
    /// Nothing gives the permission (default deny).
    NoMatchingGrant,
    /// The principal is from outside the resource's tenant and no unexpired
    /// cross-tenant grant lets it in (the tenant boundary).
    NoCrossTenantGrant,
    /// The resource's tenant is suspended.
    TenantSuspended,
    /// The resource's tenant is offboarding and the action is neither `read`
    /// nor `export`.
    TenantOffboarding,
    /// The resource's tenant is not in the policy set.
    UnknownTenant,
    /// A part of the request is outside what a document can name: an action
    /// or resource kind outside the permission grammar (another case,
    /// spaces, control characters, empty, a wildcard `*`), or a principal id
    /// no subject can have. Such a request is never allowed (fail closed).
    InvalidRequest(RequestPart),
}

/// The part of a request that [`Reason::InvalidRequest`] rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RequestPart {
    /// [`Request::action`](crate::authz::Request::action) is not a permission word.
    Action,
    /// [`Resource::kind`](crate::authz::Resource::kind) is not a permission word.
    ResourceKind,
    /// [`Principal::id`](crate::authz::Principal::id) is empty or longer than any
    /// subject id (256 characters).
    PrincipalId,
}

impl RequestPart {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            RequestPart::Action => {
                "the action is not a permission word (lowercase letter first, then lowercase letters, digits, `_` or `-`; no wildcard)"
            }
            RequestPart::ResourceKind => {
                "the resource kind is not a permission word (lowercase letter first, then lowercase letters, digits, `_` or `-`; no wildcard)"
            }
            RequestPart::PrincipalId => {
                "the principal id is empty or longer than any subject id can be"
            }
        }
    }
}

/// A condition of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Condition {
    /// The binding has expired (`expires_at`).
    Expired,
    /// The request is outside the binding's weekly time window.
    TimeWindow,
    /// The request's source address is in none of the binding's networks.
    SourceCidr,
    /// The principal did not use multi-factor authentication.
    Mfa,
    /// The resource is classified above the binding's maximum.
    Classification,
    /// The principal does not own the resource.
    OwnerOnly,
}

impl Reason {
    /// The reason in snake case, as serialized, for metrics labels and logs
    /// (a failed condition is `condition_failed`, an invalid request
    /// `invalid_request`; [`Condition::as_str`] names the condition).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::AllowedByRole => "allowed_by_role",
            Reason::AllowedByGrant => "allowed_by_grant",
            Reason::ExplicitDeny => "explicit_deny",
            Reason::ConditionFailed(_) => "condition_failed",
            Reason::NoMatchingGrant => "no_matching_grant",
            Reason::NoCrossTenantGrant => "no_cross_tenant_grant",
            Reason::TenantSuspended => "tenant_suspended",
            Reason::TenantOffboarding => "tenant_offboarding",
            Reason::UnknownTenant => "unknown_tenant",
            Reason::InvalidRequest(_) => "invalid_request",
        }
    }
}

/// Writes [`Reason::as_str`].
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Condition {
    /// The condition in snake case, as serialized, e.g. `mfa`.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Expired => "expired",
            Condition::TimeWindow => "time_window",
            Condition::SourceCidr => "source_cidr",
            Condition::Mfa => "mfa",
            Condition::Classification => "classification",
            Condition::OwnerOnly => "owner_only",
        }
    }

    /// The condition's field name under a binding.
    pub(crate) fn field(self) -> &'static str {
        match self {
            Condition::Expired => "expires_at",
            Condition::TimeWindow => "conditions/time_window",
            Condition::SourceCidr => "conditions/source_cidrs",
            Condition::Mfa => "conditions/require_mfa",
            Condition::Classification => "conditions/max_classification",
            Condition::OwnerOnly => "conditions/owner_only",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Condition::Expired => "has expired",
            Condition::TimeWindow => "only applies within its time window",
            Condition::SourceCidr => "only applies from its source networks",
            Condition::Mfa => "requires multi-factor authentication",
            Condition::Classification => "only applies up to its maximum data classification",
            Condition::OwnerOnly => "only applies to resources the principal owns",
        }
    }
}

/// The outcome of [`PolicySet::authorize`]: allowed or not, with its reason
/// as indices into the compiled set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decision {
    reason: Reason,
    /// Index of the resource's tenant in the set (`u32::MAX` if unknown).
    tenant: u32,
    /// Index of the binding, deny or grant the reason refers to.
    rule: u32,
    /// The stamp of the compiled tenant that decided: explaining checks it,
    /// so that indices are never read in another version of the tenant.
    stamp: u32,
}

impl Decision {
    pub(crate) const fn new(reason: Reason, tenant: u32, rule: u32, stamp: u32) -> Self {
        Decision {
            reason,
            tenant,
            rule,
            stamp,
        }
    }

    pub(crate) const fn unknown_tenant() -> Self {
        Decision::new(Reason::UnknownTenant, u32::MAX, 0, 0)
    }

    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self.reason, Reason::AllowedByRole | Reason::AllowedByGrant)
    }

    /// Why.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The decision in words, naming the role, binding, deny or grant and
    /// where it is in the tenant's document.
    ///
    /// `set` must hold the compiled tenant that made the decision: the set
    /// that made it, or one derived from it by
    /// [`with_tenant`](PolicySet::with_tenant) of *other* tenants. Against a
    /// set where the resource's tenant was compiled anew (or is missing),
    /// the decision's indices would name other rules, so this is an error.
    pub fn explain(&self, set: &PolicySet) -> Result<Explanation, StaleDecision> {
        crate::explain::explain(self, set)
    }

    pub(crate) fn tenant_index(&self) -> u32 {
        self.tenant
    }

    pub(crate) fn stamp(&self) -> u32 {
        self.stamp
    }

    pub(crate) fn rule_index(&self) -> u32 {
        self.rule
    }
}

/// [`Decision::explain`] was given a set that does not hold the compiled
/// tenant that made the decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the decision was made by another version of the policy of the resource's tenant; explain it against the set that made it"
)]
pub struct StaleDecision(());

impl StaleDecision {
    pub(crate) fn new() -> Self {
        StaleDecision(())
    }
}

/// A decision in words, for people and audit records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub(crate) allowed: bool,
    pub(crate) reason: Reason,
    pub(crate) tenant: Option<String>,
    pub(crate) rule: Option<String>,
    pub(crate) pointer: Option<String>,
    pub(crate) text: String,
}

impl Explanation {
    /// Whether the request was allowed.
    pub fn is_allowed(&self) -> bool {
        self.allowed
    }

    /// Why.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The slug of the resource's tenant, when it is in the set.
    pub fn tenant(&self) -> Option<&str> {
        self.tenant.as_deref()
    }

    /// The name of the role, deny or grant that decided, if any.
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// The JSON pointer of what decided, in the resource tenant's document.
    pub fn pointer(&self) -> Option<&str> {
        self.pointer.as_deref()
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Writes [`Condition::as_str`].
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub(crate) fn condition_text(condition: Condition) -> &'static str {
    condition.describe()
}
