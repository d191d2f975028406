//! The compiled policy set and its evaluator.
//!
//! A [`PolicySet`] is immutable: compiled once from the tenants' documents,
//! then shared between threads and cloned for the price of two reference
//! counts. Replacing one tenant's document ([`PolicySet::with_tenant`])
//! compiles only that tenant and shares every other tenant's compiled form.

use std::sync::Arc;

use chrono::{Datelike, Timelike};
use tenant_model::{Tenant, TenantStatus};

use crate::compile::{
    CompileError, CompiledConditions, CompiledTenant, Map, SubjectSet, any_covers, compile_tenant,
};
use crate::decision::{Condition, Decision, Reason};
use crate::request::{Principal, PrincipalKind, Request, Resource};
use crate::table::{Space, Table};

/// The access-control policy of every tenant, compiled for fast decisions.
///
/// Semantics, in the order they are applied:
///
/// 1. The resource's tenant must be in the set, else [`Reason::UnknownTenant`].
/// 2. An explicit deny of the resource's tenant that matches beats every
///    allow ([`Reason::ExplicitDeny`]). A deny that names subjects applies to
///    the tenant's own principals only (subject ids belong to the tenant's
///    identity provider); a deny without subjects applies to everyone,
///    including other tenants' principals and platform operators.
/// 3. Lifecycle: a **suspended** tenant's resources are closed to everyone
///    except platform operators holding one of its cross-tenant grants, so an
///    operator can still investigate or restore under an explicit, audited,
///    expiring grant while nobody else — not even the tenant's own admins —
///    acts on it ([`Reason::TenantSuspended`]). An **offboarding** tenant keeps
///    only the actions `read` and `export`, so that its data can be taken
///    out before erasure but nothing changes any more
///    ([`Reason::TenantOffboarding`]). A provisioning tenant is treated like
///    an active one, since setting it up needs access.
/// 4. The tenant boundary: a principal from another tenant, and every
///    platform operator, is allowed only by an unexpired cross-tenant grant of
///    the resource's tenant naming its tenant (or the platform operators),
///    its subject (or no subject) and the permission
///    ([`Reason::AllowedByGrant`], else [`Reason::NoCrossTenantGrant`]).
/// 5. A principal of the resource's tenant is allowed by the first binding (in
///    document order) whose subject matches, whose role covers
///    `resource:action` (with inheritance and `*` wildcards) and whose
///    conditions all hold ([`Reason::AllowedByRole`]). If bindings cover the
///    permission but none of them has its conditions met, the first one's
///    first failing condition is the reason ([`Reason::ConditionFailed`]);
///    otherwise the default applies: deny ([`Reason::NoMatchingGrant`]).
///
/// A binding's time window is judged in the tenant's time zone; a binding or
/// grant applies while `now` is before its `expires_at`. Subjects match a
/// principal as follows: `user` by id (users and platform operators),
/// `service_account` by id (service accounts), `group` by membership.
#[derive(Clone)]
pub struct PolicySet {
    tenants: Arc<Vec<Arc<CompiledTenant>>>,
    /// Slug to position in `tenants`.
    index: Arc<Table>,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("tenants", &self.tenants.len())
            .finish_non_exhaustive()
    }
}

impl PolicySet {
    /// Compiles the tenants' access control. Slugs must be unique.
    pub fn compile<'t>(
        tenants: impl IntoIterator<Item = &'t Tenant>,
    ) -> Result<Self, CompileError> {
        let mut compiled = Vec::new();
        let mut seen: Map<()> = Map::default();
        for tenant in tenants {
            if seen.insert(tenant.slug.as_str().into(), ()).is_some() {
                return Err(CompileError::duplicate_slug(tenant));
            }
            compiled.push(Arc::new(compile_tenant(tenant)?));
        }
        Ok(PolicySet {
            index: Arc::new(slug_index(&compiled)),
            tenants: Arc::new(compiled),
        })
    }

    /// A new set with `tenant`'s access control replaced (or added, if its
    /// slug is new), sharing every other tenant's compiled form with `self`.
    pub fn with_tenant(&self, tenant: &Tenant) -> Result<Self, CompileError> {
        let compiled = Arc::new(compile_tenant(tenant)?);
        let mut tenants = Vec::clone(&self.tenants);
        match self.index.get(Space::Tenant, tenant.slug.as_str()) {
            Some(position) => {
                if let Some(slot) = tenants.get_mut(position as usize) {
                    *slot = compiled;
                }
                Ok(PolicySet {
                    tenants: Arc::new(tenants),
                    index: Arc::clone(&self.index),
                })
            }
            None => {
                tenants.push(compiled);
                Ok(PolicySet {
                    index: Arc::new(slug_index(&tenants)),
                    tenants: Arc::new(tenants),
                })
            }
        }
    }

    /// How many tenants the set holds.
    pub fn len(&self) -> usize {
        self.tenants.len()
    }

    /// Whether the set holds no tenant.
    pub fn is_empty(&self) -> bool {
        self.tenants.is_empty()
    }

    /// Whether a tenant with this slug is in the set.
    pub fn contains(&self, slug: &str) -> bool {
        self.index.get(Space::Tenant, slug).is_some()
    }

    pub(crate) fn tenant(&self, index: u32) -> Option<&CompiledTenant> {
        self.tenants.get(index as usize).map(|t| &**t)
    }

    /// Decides a request. Never allocates.
    pub fn authorize(&self, request: &Request<'_>) -> Decision {
        let resource = &request.resource;
        let Some(index) = self.index.get(Space::Tenant, resource.tenant) else {
            return Decision::unknown_tenant();
        };
        let Some(tenant) = self.tenants.get(index as usize) else {
            return Decision::unknown_tenant();
        };
        decide(tenant, index, request)
    }

    /// The permissions `kind:action` the principal has on the resource at
    /// `now`. Wildcard actions are expanded over the actions the resource
    /// tenant's document names; an action nobody names cannot be listed.
    pub fn permitted_actions(
        &self,
        principal: &Principal<'_>,
        resource: &Resource<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<String> {
        let Some(tenant) = self
            .index
            .get(Space::Tenant, resource.tenant)
            .and_then(|i| self.tenants.get(i as usize))
        else {
            return Vec::new();
        };
        let mut actions: Vec<&str> = tenant.action_names.iter().map(|a| &**a).collect();
        actions.sort_unstable();
        actions
            .into_iter()
            .filter(|action| {
                self.authorize(&Request {
                    principal: *principal,
                    action,
                    resource: *resource,
                    now,
                })
                .is_allowed()
            })
            .map(|action| format!("{}:{action}", resource.kind))
            .collect()
    }
}

fn slug_index(tenants: &[Arc<CompiledTenant>]) -> Table {
    Table::build(
        tenants
            .iter()
            .enumerate()
            .map(|(i, t)| (Space::Tenant, &*t.slug, index_u32(i))),
    )
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn decide(tenant: &CompiledTenant, index: u32, request: &Request<'_>) -> Decision {
    let principal = &request.principal;
    let resource = &request.resource;
    let kind = tenant.resource_symbol(resource.kind);
    let action = tenant.action_symbol(request.action);
    let operator = principal.kind == PrincipalKind::PlatformOperator;
    let home = !operator && principal.tenant == resource.tenant;

    let bit = tenant.bit(kind, action);
    let may_deny = bit.is_none_or(|b| tenant.deny_mask >> b & 1 == 1);
    for (i, deny) in tenant.denies.iter().enumerate().take_while(|_| may_deny) {
        if deny.when_locked && !resource.locked {
            continue;
        }
        if deny
            .min_classification
            .is_some_and(|min| resource.classification < min)
        {
            continue;
        }
        if !any_covers(&deny.permissions, kind, action) {
            continue;
        }
        if deny.subjects.is_empty() || (home && subjects_match(&deny.subjects, principal)) {
            return Decision::new(Reason::ExplicitDeny, index, index_u32(i));
        }
    }

    match tenant.status {
        TenantStatus::Suspended if !operator => {
            return Decision::new(Reason::TenantSuspended, index, 0);
        }
        TenantStatus::Offboarding if !matches!(request.action, "read" | "export") => {
            return Decision::new(Reason::TenantOffboarding, index, 0);
        }
        _ => {}
    }

    if !home {
        for (i, grant) in tenant.grants.iter().enumerate() {
            let grantee = match &grant.grantee {
                Some(slug) => !operator && **slug == *principal.tenant,
                None => operator,
            };
            if grantee
                && request.now < grant.expires_at
                && (grant.subjects.is_empty() || subjects_match(&grant.subjects, principal))
                && any_covers(&grant.permissions, kind, action)
            {
                return Decision::new(Reason::AllowedByGrant, index, index_u32(i));
            }
        }
        return Decision::new(Reason::NoCrossTenantGrant, index, 0);
    }

    // Candidate bindings come from up to three indices (the principal's id and
    // each of its groups); the lowest index that allows wins, as in a scan in
    // document order.
    let mut allowed = u32::MAX;
    let mut failed: Option<(u32, Condition)> = None;
    let mut consider = |list: &[u32]| {
        for &b in list {
            if b >= allowed {
                break;
            }
            let Some(binding) = tenant.bindings.get(b as usize) else {
                continue;
            };
            let covers = match bit {
                Some(b) => binding.coverage >> b & 1 == 1,
                None => tenant
                    .role_permissions
                    .get(binding.role as usize)
                    .is_some_and(|p| p.covers(kind, action)),
            };
            if !covers {
                continue;
            }
            if binding.unconditional {
                allowed = b;
                break;
            }
            match failed_condition(&binding.conditions, tenant, request) {
                None => allowed = b,
                Some(c) => {
                    if failed.is_none_or(|(f, _)| b < f) {
                        failed = Some((b, c));
                    }
                }
            }
        }
    };
    let space = match principal.kind {
        PrincipalKind::ServiceAccount => Space::ServiceAccount,
        PrincipalKind::User | PrincipalKind::PlatformOperator => Space::User,
    };
    consider(tenant.bindings_of(space, principal.id).as_slice());
    for group in principal.groups {
        consider(tenant.bindings_of(Space::Group, group).as_slice());
    }
    if allowed != u32::MAX {
        return Decision::new(Reason::AllowedByRole, index, allowed);
    }
    match failed {
        Some((b, c)) => Decision::new(Reason::ConditionFailed(c), index, b),
        None => Decision::new(Reason::NoMatchingGrant, index, 0),
    }
}

fn subjects_match(subjects: &SubjectSet, principal: &Principal<'_>) -> bool {
    let by_id = match principal.kind {
        PrincipalKind::User | PrincipalKind::PlatformOperator => &subjects.users,
        PrincipalKind::ServiceAccount => &subjects.service_accounts,
    };
    by_id.iter().any(|id| **id == *principal.id)
        || subjects
            .groups
            .iter()
            .any(|g| principal.groups.iter().any(|pg| **g == **pg))
}

/// The first condition of a binding that fails, in the order of
/// [`Condition`]'s variants.
fn failed_condition(
    c: &CompiledConditions,
    tenant: &CompiledTenant,
    request: &Request<'_>,
) -> Option<Condition> {
    if c.expires_at.is_some_and(|t| request.now >= t) {
        return Some(Condition::Expired);
    }
    if let Some((days, start, end)) = c.window {
        let local = request.now.with_timezone(&tenant.time_zone);
        let day = local.weekday().num_days_from_monday();
        // Hour and minute fit in u16; the cast cannot truncate.
        let minute = (local.hour() * 60 + local.minute()) as u16;
        if days & (1 << day) == 0 || minute < start || minute >= end {
            return Some(Condition::TimeWindow);
        }
    }
    if !c.networks.is_empty() {
        let inside = request
            .principal
            .source_ip
            .is_some_and(|ip| c.networks.iter().any(|n| n.contains(ip)));
        if !inside {
            return Some(Condition::SourceCidr);
        }
    }
    if c.require_mfa && !request.principal.mfa {
        return Some(Condition::Mfa);
    }
    if c.max_classification
        .is_some_and(|max| request.resource.classification > max)
    {
        return Some(Condition::Classification);
    }
    if c.owner_only && request.resource.owner != Some(request.principal.id) {
        return Some(Condition::OwnerOnly);
    }
    None
}
