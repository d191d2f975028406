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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Principal<'a> {
    /// What kind of identity.
    pub kind: PrincipalKind,
    /// Its identifier in its tenant's identity provider.
    pub id: &'a str,
    /// The slug of the principal's tenant; ignored for platform operators.
    pub tenant: &'a str,
    /// The groups the principal is a member of.
    pub groups: Groups<'a>,
    /// Whether the principal signed in with multi-factor authentication.
    pub mfa: bool,
    /// Where the request comes from, when known.
    pub source_ip: Option<IpAddr>,
}

/// What is acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
///
/// [`Request`], [`Principal`] and [`Resource`] are `#[non_exhaustive]`, so
/// that a field can be added (a request attribute a condition reads) without
/// breaking callers: build them with their constructors, and set a public
/// field by assignment where no builder method fits.
///
/// ```
/// use tenant_policy::authz::{Principal, Request, Resource};
///
/// let now = "2026-12-01T10:00:00Z".parse()?;
/// let mut resource = Resource::new("acme-music", "track", "t-1");
/// resource.owner = Some("claire");
/// let request = Request::new(Principal::user("claire", "acme-music"), "read", resource, now);
/// assert_eq!(request.resource.owner, Some("claire"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A struct literal is refused outside this crate:
///
/// ```compile_fail,E0639
/// use tenant_policy::authz::{Principal, Request, Resource};
///
/// let now = "2026-12-01T10:00:00Z".parse().unwrap();
/// let request = Request {
///     principal: Principal::user("claire", "acme-music"),
///     action: "read",
///     resource: Resource::new("acme-music", "track", "t-1"),
///     now,
/// };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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

/// The groups of a principal, borrowed as the service holds them: a
/// `&[&str]` or the `Vec<String>` it read from a token, without building a
/// `Vec<&str>` per request.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Groups<'a> {
    /// Borrowed string slices.
    Strs(&'a [&'a str]),
    /// Borrowed owned strings.
    Strings(&'a [String]),
}

impl<'a> Groups<'a> {
    /// No groups.
    pub const NONE: Groups<'static> = Groups::Strs(&[]);

    /// The groups, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let (strs, strings): (&'a [&'a str], &'a [String]) = match *self {
            Groups::Strs(s) => (s, &[]),
            Groups::Strings(s) => (&[], s),
        };
        strs.iter()
            .copied()
            .chain(strings.iter().map(String::as_str))
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        match self {
            Groups::Strs(s) => s.len(),
            Groups::Strings(s) => s.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for Groups<'_> {
    fn default() -> Self {
        Groups::NONE
    }
}

/// Equal when they hold the same groups in the same order, however held.
impl PartialEq for Groups<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Groups<'_> {}

impl<'a> From<&'a [&'a str]> for Groups<'a> {
    fn from(groups: &'a [&'a str]) -> Self {
        Groups::Strs(groups)
    }
}

impl<'a, const N: usize> From<&'a [&'a str; N]> for Groups<'a> {
    fn from(groups: &'a [&'a str; N]) -> Self {
        Groups::Strs(groups)
    }
}

impl<'a> From<&'a [String]> for Groups<'a> {
    fn from(groups: &'a [String]) -> Self {
        Groups::Strings(groups)
    }
}

impl<'a> From<&'a Vec<String>> for Groups<'a> {
    fn from(groups: &'a Vec<String>) -> Self {
        Groups::Strings(groups)
    }
}

impl<'a> From<&'a Vec<&'a str>> for Groups<'a> {
    fn from(groups: &'a Vec<&'a str>) -> Self {
        Groups::Strs(groups)
    }
}

impl<'a> Principal<'a> {
    /// A principal of `kind` with id `id` in tenant `tenant`: no groups, no
    /// multi-factor authentication, no source address. Add those with the
    /// `with_` methods.
    pub fn new(kind: PrincipalKind, id: &'a str, tenant: &'a str) -> Self {
        Principal {
            kind,
            id,
            tenant,
            groups: Groups::NONE,
            mfa: false,
            source_ip: None,
        }
    }

    /// A user of `tenant`.
    pub fn user(id: &'a str, tenant: &'a str) -> Self {
        Principal::new(PrincipalKind::User, id, tenant)
    }

    /// A service account of `tenant`.
    pub fn service_account(id: &'a str, tenant: &'a str) -> Self {
        Principal::new(PrincipalKind::ServiceAccount, id, tenant)
    }

    /// The principal in these groups: a `&[&str]`, `&Vec<String>` or
    /// `&[String]`.
    ///
    /// ```
    /// use tenant_policy::authz::Principal;
    ///
    /// let from_token: Vec<String> = vec!["staff".to_owned(), "ops".to_owned()];
    /// let p = Principal::user("claire", "acme-music").with_groups(&from_token).with_mfa(true);
    /// assert_eq!(p.groups.iter().collect::<Vec<_>>(), ["staff", "ops"]);
    /// assert_eq!(p.groups, Principal::user("claire", "acme-music").with_groups(&["staff", "ops"]).groups);
    /// ```
    #[must_use]
    pub fn with_groups(self, groups: impl Into<Groups<'a>>) -> Self {
        Principal {
            groups: groups.into(),
            ..self
        }
    }

    /// The principal with multi-factor authentication done or not.
    #[must_use]
    pub fn with_mfa(self, mfa: bool) -> Self {
        Principal { mfa, ..self }
    }

    /// The principal calling from `ip`.
    #[must_use]
    pub fn with_source_ip(self, ip: IpAddr) -> Self {
        Principal {
            source_ip: Some(ip),
            ..self
        }
    }
}

impl<'a> Resource<'a> {
    /// A resource of `kind` with id `id` in tenant `tenant`: no owner,
    /// [`Classification::Internal`], not locked.
    pub fn new(tenant: &'a str, kind: &'a str, id: &'a str) -> Self {
        Resource {
            tenant,
            kind,
            id,
            owner: None,
            classification: Classification::Internal,
            locked: false,
        }
    }

    /// The resource owned by principal `owner`.
    #[must_use]
    pub fn with_owner(self, owner: &'a str) -> Self {
        Resource {
            owner: Some(owner),
            ..self
        }
    }

    /// The resource with this classification.
    #[must_use]
    pub fn with_classification(self, classification: Classification) -> Self {
        Resource {
            classification,
            ..self
        }
    }

    /// The resource locked (legal hold, incident) or not.
    #[must_use]
    pub fn with_locked(self, locked: bool) -> Self {
        Resource { locked, ..self }
    }
}

impl<'a> Request<'a> {
    /// May `principal` do `action` on `resource` at `now`?
    pub fn new(
        principal: Principal<'a>,
        action: &'a str,
        resource: Resource<'a>,
        now: DateTime<Utc>,
    ) -> Self {
        Request {
            principal,
            action,
            resource,
            now,
        }
    }
}
