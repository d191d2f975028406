//! The namespaces of a tenant's names: the same text is a different key as
//! a resource kind, an action, a user, a service account or a group.
//!
//! The tables themselves are in [`crate::names`] (a tenant's names) and in
//! the policy set (tenants by slug).

/// What kind of name a key is; the same text in two namespaces is two keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Space {
    Resource = 1,
    Action = 2,
    User = 3,
    ServiceAccount = 4,
    Group = 5,
}
