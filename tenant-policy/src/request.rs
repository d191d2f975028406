//! The question a service asks: may this principal do this action on this
//! resource, now?
//!
//! Every field borrows, so building a [`Request`] never allocates: the hot
//! path of a service is `authorize(&Request { .. })` on values it already
//! holds.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use tenant_model::Classification;

/// What kind of identity a principal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// A person of a tenant. Its groups (see [`Principal::groups`]) match
    /// group bindings, so a group member is a user with groups.
    User,
    /// A non-human identity of a tenant.
    ServiceAccount,
    /// An operator of the platform. Operators belong to no tenant and get
    /// nothing without a tenant's cross-tenant grant (zero trust); they match
    /// `user` subjects of such a grant by id.
    PlatformOperator,
}

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal<'a> {
    /// What kind of identity.
    pub kind: PrincipalKind,
    /// Its identifier in its tenant's identity provider.
    pub id: &'a str,
    /// The slug of the principal's tenant; ignored for platform operators.
    pub tenant: &'a str,
    /// The groups the principal is a member of.
    pub groups: &'a [&'a str],
    /// Whether the principal signed in with multi-factor authentication.
    pub mfa: bool,
    /// Where the request comes from, when known.
    pub source_ip: Option<IpAddr>,
}

/// What is acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource<'a> {
    /// The slug of the tenant that owns the resource.
    pub tenant: &'a str,
    /// The resource's kind: the `resource` part of permissions, e.g. `track`.
    pub kind: &'a str,
    /// Its identifier.
    pub id: &'a str,
    /// The id of the principal that owns it, if any.
    pub owner: Option<&'a str>,
    /// How sensitive its data is.
    pub classification: Classification,
    /// Whether it is locked (e.g. under legal hold).
    pub locked: bool,
}

/// One access-control question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// Who asks.
    pub principal: Principal<'a>,
    /// The action, the `action` part of permissions, e.g. `read`: the
    /// permission checked is `{resource.kind}:{action}`.
    pub action: &'a str,
    /// What is acted on.
    pub resource: Resource<'a>,
    /// The instant of the request: time windows, expiries and grants are
    /// judged at this instant (the library reads no clock).
    pub now: DateTime<Utc>,
}
