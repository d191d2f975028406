//! The compiled policy set and its evaluator.
//!
//! A [`PolicySet`] is immutable: compiled once from the tenants' documents,
//! then shared between threads and cloned for the price of a reference
//! count. Replacing one tenant's document ([`PolicySet::with_tenant`])
//! compiles only that tenant and shares every other tenant's compiled form.
//!
//! The layout is chosen for many tenants, where a decision's cost is its
//! cache misses: the tenant table holds, per tenant, the address of its
//! subjects' name table and of its [`Rules`] (shared between tenants that
//! agree on them, hence usually in the caches), so that a typical decision
//! reads one line of the tenant from memory, the principal's.

use std::collections::HashSet;
use std::hash::Hasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{Datelike, Timelike};
use chrono_tz::Tz;
use tenant_model::{Permission, Tenant, TenantStatus};

use crate::compile::{
    CompileError, CompiledConditions, CompiledTenant, KeyHasher, Mask, Rules, SubjectSet,
    any_covers, compile_tenant,
};
use crate::decision::{Condition, Decision, Reason, RequestPart};
use crate::names::{self, Found, Line, Probe};
use crate::request::{Principal, PrincipalKind, Request, Resource};
use crate::table::Space;

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
    tenants: Arc<TenantTable>,
}

/// A tenant in the set: what nearly every decision reads of it, inline, so
/// that a decision finds the principal's slot in the tenant's name table
/// before it has read anything else of the tenant (see [`crate::names`]).
#[derive(Clone)]
#[repr(align(64))]
struct Entry {
    tenant: Arc<CompiledTenant>,
    subjects: Arc<[Line]>,
    /// How many lines of `subjects` are slots (the rest are long ids).
    subject_slots: u32,
    /// Shared by the tenants that agree on it.
    rules: Arc<Rules>,
    /// The first bytes of the slug, zero-padded, and its length in the
    /// last byte: the entry fits one 64-byte cache line.
    slug_head: [u64; 2],
    /// The tenant's position in the set (decisions name tenants by it).
    position: u32,
    /// Distinguishes this compiled tenant from every other one compiled in
    /// the process, so that a decision is never explained by another
    /// version of its tenant (see [`Decision::explain`]).
    stamp: u32,
}

// An entry is one cache line: a decision reads no second line of it.
const _: () = assert!(std::mem::size_of::<Entry>() == 64);

/// The next [`Entry::stamp`]. A counter, not a clock or randomness: it only
/// has to differ between the compiled versions of one tenant that are alive
/// at once, and wraps after four billion compilations.
static NEXT_STAMP: AtomicU32 = AtomicU32::new(1);

/// Distinct [`Rules`], to share them between tenants.
type RulesSet = HashSet<Arc<Rules>>;

/// How many bytes of a slug [`Entry`] holds.
const SLUG_HEAD: usize = 15;

/// The first [`SLUG_HEAD`] bytes of `slug` and its length (at most 255) in
/// the 16th: equal heads of slugs that fit are equal slugs.
fn slug_head(slug: &str) -> [u64; 2] {
    let mut bytes = [0u8; SLUG_HEAD + 1];
    let n = slug.len().min(SLUG_HEAD);
    if let (Some(to), Some(from)) = (bytes.get_mut(..n), slug.as_bytes().get(..n)) {
        to.copy_from_slice(from);
    }
    if let Some(len) = bytes.get_mut(SLUG_HEAD) {
        *len = u8::try_from(slug.len()).unwrap_or(u8::MAX);
    }
    let (low, high) = bytes.split_at(8);
    let word = |b: &[u8]| <[u8; 8]>::try_from(b).map_or(0, u64::from_le_bytes);
    [word(low), word(high)]
}

fn slug_hash(slug: &str) -> u64 {
    let mut h = KeyHasher::default();
    h.write(slug.as_bytes());
    h.finish()
}

impl Entry {
    fn new(tenant: &Tenant, position: u32, shared: &mut RulesSet) -> Result<Self, CompileError> {
        let compiled = compile_tenant(tenant)?;
        let rules = Arc::new(compiled.rules);
        let rules = match shared.get(&rules) {
            Some(same) => Arc::clone(same),
            None => {
                shared.insert(Arc::clone(&rules));
                rules
            }
        };
        let slug = tenant.slug.as_str();
        Ok(Entry {
            tenant: Arc::new(compiled.tenant),
            subjects: Arc::from(compiled.subjects),
            subject_slots: compiled.subject_slots,
            rules,
            slug_head: slug_head(slug),
            position,
            stamp: NEXT_STAMP.fetch_add(1, Ordering::Relaxed),
        })
    }

    fn is(&self, slug: &str, head: [u64; 2]) -> bool {
        self.slug_head == head && (slug.len() <= SLUG_HEAD || *self.tenant.slug == *slug)
    }
}

/// The tenants, in an open-addressing table keyed by slug that holds each
/// tenant's [`Entry`] inline: finding a request's tenant reads one slot,
/// which small enough tables keep in the CPU caches. The slots are cut into
/// shared chunks, so that replacing a tenant copies one chunk and the list
/// of chunks, not every tenant's entry. Positions (the order tenants were
/// added in) are stable, so that a decision can be explained by any set
/// derived from the one that made it.
#[derive(Clone)]
struct TenantTable {
    chunks: Vec<Arc<Chunk>>,
    /// Number of slots: a multiple of [`CHUNK`].
    capacity: usize,
    /// Slot of the tenant at each position.
    positions: Vec<u32>,
}

/// Slots per chunk of the tenant table.
const CHUNK: usize = 32;

#[derive(Clone, Default)]
struct Chunk([Option<Entry>; CHUNK]);

impl TenantTable {
    fn with_capacity(tenants: usize) -> Self {
        // At most about 70 % full.
        let chunks = (tenants * 10 / 7 / CHUNK + 1).max(1);
        TenantTable {
            chunks: (0..chunks).map(|_| Arc::new(Chunk::default())).collect(),
            capacity: chunks * CHUNK,
            positions: Vec::with_capacity(tenants),
        }
    }

    fn slot(&self, i: usize) -> Option<&Entry> {
        self.chunks.get(i / CHUNK)?.0.get(i % CHUNK)?.as_ref()
    }

    fn slot_mut(&mut self, i: usize) -> Option<&mut Option<Entry>> {
        Arc::make_mut(self.chunks.get_mut(i / CHUNK)?)
            .0
            .get_mut(i % CHUNK)
    }

    fn start(&self, hash: u64) -> usize {
        (((hash >> 32) * self.capacity as u64) >> 32) as usize
    }

    fn find(&self, slug: &str) -> Option<&Entry> {
        self.slot_of(slug).and_then(|i| self.slot(i))
    }

    fn slot_of(&self, slug: &str) -> Option<usize> {
        let head = slug_head(slug);
        let mut i = self.start(slug_hash(slug));
        for _ in 0..self.capacity {
            let entry = self.slot(i)?;
            if entry.is(slug, head) {
                return Some(i);
            }
            i += 1;
            if i == self.capacity {
                i = 0;
            }
        }
        None
    }

    /// Adds a tenant whose slug is not in the table yet; the caller makes
    /// sure a slot is free.
    fn add(&mut self, slug: &str, entry: Entry) {
        let mut i = self.start(slug_hash(slug));
        while self.slot(i).is_some() {
            i += 1;
            if i == self.capacity {
                i = 0;
            }
        }
        if let Some(slot) = self.slot_mut(i) {
            *slot = Some(entry);
            self.positions.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }

    fn get(&self, position: u32) -> Option<&Entry> {
        self.slot(*self.positions.get(position as usize)? as usize)
    }

    fn has_room(&self) -> bool {
        (self.positions.len() + 1) * 10 / 7 < self.capacity
    }

    fn len(&self) -> usize {
        self.positions.len()
    }
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
        let tenants: Vec<&Tenant> = tenants.into_iter().collect();
        let mut table = TenantTable::with_capacity(tenants.len());
        let mut shared = RulesSet::new();
        for tenant in tenants {
            let slug = tenant.slug.as_str();
            if table.slot_of(slug).is_some() {
                return Err(CompileError::duplicate_slug(tenant));
            }
            let position = index_u32(table.len());
            table.add(slug, Entry::new(tenant, position, &mut shared)?);
        }
        Ok(PolicySet {
            tenants: Arc::new(table),
        })
    }

    /// A new set with `tenant`'s access control replaced (or added, if its
    /// slug is new), sharing every other tenant's compiled form with `self`.
    ///
    /// The tenant is checked first with every rule a parse runs
    /// ([`tenant_model::validate`]), since it is often one built or changed
    /// in code: [`CompileError::problems`] lists what is wrong.
    ///
    /// The reload pattern: keep the set in an `Arc` (or an `ArcSwap`), build
    /// the new one with `with_tenant`, [`without_tenant`](Self::without_tenant)
    /// or [`compile`](Self::compile), swap it in; a request keeps the `Arc` it
    /// decided with, and explains its decision against that set.
    ///
    /// ```
    /// use std::sync::{Arc, RwLock};
    /// use tenant_model::{Format, Tenant, chrono::{TimeZone, Utc}, parse};
    /// use tenant_policy::authz::{PolicySet, Principal, Request, Resource};
    ///
    /// let text = include_str!("doc/acme-music.yaml");
    /// let tenant: Tenant = parse(text, Format::Yaml)?;
    /// let current = RwLock::new(Arc::new(PolicySet::compile([&tenant])?));
    ///
    /// // A request takes the set that is current and keeps it.
    /// let set = Arc::clone(&current.read().unwrap());
    /// let now = Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap();
    /// let request = Request::new(
    ///     Principal::user("nobody", "acme-music"),
    ///     "read",
    ///     Resource::new("acme-music", "track", "t-1"),
    ///     now,
    /// );
    /// let decision = set.authorize(&request);
    ///
    /// // Meanwhile the tenant's document changes and the set is swapped.
    /// let mut edited = tenant.clone();
    /// edited.access_control.bindings.clear();
    /// let next = Arc::new(set.with_tenant(&edited)?);
    /// *current.write().unwrap() = next;
    ///
    /// // The decision is explained against the set that made it.
    /// assert!(decision.explain(&set).is_ok());
    /// assert!(decision.explain(&current.read().unwrap()).is_err());
    ///
    /// // A tenant changed in code that breaks a rule is refused, by pointer.
    /// let mut broken = tenant.clone();
    /// let mut binding = broken.access_control.bindings[0].clone();
    /// binding.role = "no-such-role".parse()?;
    /// broken.access_control.bindings.push(binding);
    /// let error = set.with_tenant(&broken).unwrap_err();
    /// assert!(error.problems().is_some_and(|p| !p.is_empty()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_tenant(&self, tenant: &Tenant) -> Result<Self, CompileError> {
        tenant_model::validate(tenant)
            .map_err(|problems| CompileError::invalid(tenant, problems))?;
        let slug = tenant.slug.as_str();
        let old = self.tenants.slot_of(slug);
        let old_entry = old.and_then(|i| self.tenants.slot(i));
        // Share the rules with the tenant replaced, or with the first one.
        let mut shared = RulesSet::new();
        for entry in [old_entry, self.tenants.get(0)].into_iter().flatten() {
            shared.insert(Arc::clone(&entry.rules));
        }
        let table = match (old, old_entry) {
            (Some(i), Some(replaced)) => {
                let entry = Entry::new(tenant, replaced.position, &mut shared)?;
                let mut table = TenantTable::clone(&self.tenants);
                if let Some(slot) = table.slot_mut(i) {
                    *slot = Some(entry);
                }
                table
            }
            _ => {
                let position = index_u32(self.tenants.len());
                let entry = Entry::new(tenant, position, &mut shared)?;
                if self.tenants.has_room() {
                    let mut table = TenantTable::clone(&self.tenants);
                    table.add(slug, entry);
                    table
                } else {
                    let mut table = TenantTable::with_capacity(self.tenants.len() * 2 + 1);
                    for p in 0..position {
                        if let Some(kept) = self.tenants.get(p) {
                            table.add(&kept.tenant.slug, kept.clone());
                        }
                    }
                    table.add(slug, entry);
                    table
                }
            }
        };
        Ok(PolicySet {
            tenants: Arc::new(table),
        })
    }

    /// A new set without the tenant `slug` (the same set if it holds no
    /// such tenant), sharing every other tenant's compiled form with `self`.
    ///
    /// The remaining tenants take new positions: explain a decision made
    /// before the removal against the set that made it.
    ///
    /// ```
    /// use tenant_model::{Format, Tenant, parse};
    /// use tenant_policy::authz::PolicySet;
    ///
    /// let text = include_str!("doc/acme-music.yaml");
    /// let a: Tenant = parse(text, Format::Yaml)?;
    /// let mut b = a.clone();
    /// b.slug = "lofi-labs".parse()?;
    /// b.id = "6f1e0b7c-3a52-4f0e-9d43-5f0f6a2d8c11".parse()?;
    /// let set = PolicySet::compile([&a, &b])?;
    /// let smaller = set.without_tenant("acme-music");
    /// assert_eq!((smaller.len(), smaller.contains("acme-music"), smaller.contains("lofi-labs")), (1, false, true));
    /// assert_eq!(set.without_tenant("no-such-tenant").len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn without_tenant(&self, slug: &str) -> Self {
        if self.tenants.slot_of(slug).is_none() {
            return self.clone();
        }
        let n = self.tenants.len();
        let mut table = TenantTable::with_capacity(n.saturating_sub(1));
        let mut position = 0u32;
        for p in 0..index_u32(n) {
            if let Some(kept) = self.tenants.get(p)
                && *kept.tenant.slug != *slug
            {
                let mut entry = kept.clone();
                entry.position = position;
                position += 1;
                table.add(&kept.tenant.slug, entry);
            }
        }
        PolicySet {
            tenants: Arc::new(table),
        }
    }

    /// How many tenants the set holds.
    pub fn len(&self) -> usize {
        self.tenants.len()
    }

    /// Whether the set holds no tenant.
    pub fn is_empty(&self) -> bool {
        self.tenants.len() == 0
    }

    /// Whether a tenant with this slug is in the set.
    pub fn contains(&self, slug: &str) -> bool {
        self.tenants.find(slug).is_some()
    }

    /// The compiled tenant at `index`, if it is the one stamped `stamp`.
    pub(crate) fn tenant(&self, index: u32, stamp: u32) -> Option<&CompiledTenant> {
        self.tenants
            .get(index)
            .filter(|t| t.stamp == stamp)
            .map(|t| &*t.tenant)
    }

    /// Decides a request. Never allocates.
    ///
    /// ```
    /// use tenant_model::{Format, Tenant, chrono::{TimeZone, Utc}, parse};
    /// use tenant_policy::authz::{PolicySet, Principal, Reason, Request, Resource};
    ///
    /// let acme: Tenant = parse(include_str!("doc/acme-music.yaml"), Format::Yaml)?;
    /// let policy = PolicySet::compile([&acme])?;
    /// let now = Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap();
    /// let stranger = Principal::user("stranger", "acme-music");
    /// let request = Request::new(stranger, "read", Resource::new("acme-music", "track", "t-1"), now);
    /// let decision = policy.authorize(&request);
    /// assert!(!decision.is_allowed());
    /// assert_eq!(decision.reason(), Reason::NoMatchingGrant);
    /// assert_eq!(decision.reason().as_str(), "no_matching_grant");
    /// let explanation = decision.explain(&policy)?;
    /// assert_eq!(explanation.tenant(), Some("acme-music"));
    /// // Explanations serialize for audit records and logs.
    /// let json = serde_json::to_value(&explanation)?;
    /// assert_eq!(json["reason"], "no_matching_grant");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authorize(&self, request: &Request<'_>) -> Decision {
        match self.tenants.find(request.resource.tenant) {
            Some(entry) => decide(entry, entry.position, request),
            None => Decision::unknown_tenant(),
        }
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
        let Some(tenant) = self.tenants.find(resource.tenant).map(|e| &*e.tenant) else {
            return Vec::new();
        };
        let mut actions: Vec<&str> = tenant.action_names.iter().map(|a| &**a).collect();
        actions.sort_unstable();
        actions
            .into_iter()
            .filter(|action| {
                self.authorize(&Request::new(*principal, action, *resource, now))
                    .is_allowed()
            })
            .map(|action| format!("{}:{action}", resource.kind))
            .collect()
    }
}

/// Bit `bit` of `mask`, `None` if `bit` is outside it (a broken index, which
/// each caller resolves towards denying).
fn bit_set(mask: Mask, bit: u32) -> Option<bool> {
    debug_assert!(bit < Mask::BITS, "bit {bit} outside a coverage mask");
    mask.checked_shr(bit).map(|m| m & 1 == 1)
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The lowest binding that allows, and the lowest one that covers the
/// permission but fails a condition, over the candidates seen so far.
struct Candidates {
    allowed: u32,
    failed: Option<(u32, Condition)>,
}

/// What a decision has worked out about the request in the tenant.
struct Context<'a, 'r> {
    entry: &'a Entry,
    request: &'a Request<'r>,
    kind: u32,
    action: u32,
    bit: Option<u32>,
}

impl Context<'_, '_> {
    fn covers(&self, role: u32) -> bool {
        match self.bit {
            // A bit outside the mask is a broken index: not covered.
            Some(bit) => bit_set(self.entry.rules.role_mask(role), bit) == Some(true),
            None => self
                .entry
                .tenant
                .role_permissions
                .get(role as usize)
                .is_some_and(|p| p.covers(self.kind, self.action)),
        }
    }

    fn deny_applies(&self, i: u32, home: bool) -> bool {
        let resource = &self.request.resource;
        let summary = self.entry.rules.denies.get(i as usize);
        let deny = || self.entry.tenant.denies.get(i as usize);
        let (covers, when_locked, min_classification, named) = match (self.bit, summary) {
            (Some(bit), Some(s)) => (
                // A bit outside the mask is a broken index: covered.
                bit_set(s.mask, bit) != Some(false),
                s.when_locked,
                s.min_classification,
                s.named,
            ),
            _ => match deny() {
                Some(d) => (
                    any_covers(&d.permissions, self.kind, self.action),
                    d.when_locked,
                    d.min_classification,
                    !d.subjects.is_empty(),
                ),
                None => {
                    // Fail closed: a deny the summaries list but the tenant
                    // lacks is a broken index; it applies.
                    debug_assert!(false, "deny {i} does not resolve");
                    return true;
                }
            },
        };
        if !covers
            || (when_locked && !resource.locked)
            || min_classification.is_some_and(|min| resource.classification < min)
        {
            return false;
        }
        !named
            || (home
                && match deny() {
                    Some(d) => subjects_match(&d.subjects, &self.request.principal),
                    None => {
                        debug_assert!(false, "deny {i} does not resolve");
                        true
                    }
                })
    }

    fn consider(&self, b: u32, role: u32, conditions: u32, seen: &mut Candidates) {
        if b >= seen.allowed || !self.covers(role) {
            return;
        }
        if conditions == 0 {
            seen.allowed = b;
            return;
        }
        let Some(set) = self.entry.rules.conditions.get(conditions as usize - 1) else {
            // Fail closed: a condition set that does not resolve is a
            // broken index; the binding does not allow.
            debug_assert!(false, "condition set {conditions} does not resolve");
            return;
        };
        match failed_condition(set, self.entry.rules.time_zone, self.request) {
            None => seen.allowed = b,
            Some(c) => {
                if seen.failed.is_none_or(|(f, _)| b < f) {
                    seen.failed = Some((b, c));
                }
            }
        }
    }

    /// Considers the bindings of a subject found in the name table.
    fn consider_subject(&self, found: Found, seen: &mut Candidates) {
        let first = names::unpack_first(found.b);
        if let Some((b, role, conditions)) = first {
            self.consider(b, role, conditions, seen);
            if seen.allowed <= b {
                // The subject's other bindings come later in the document.
                return;
            }
        }
        let tenant = &self.entry.tenant;
        let offset = tenant.far_lists.offset(found);
        if offset == 0 {
            return;
        }
        for binding in tenant.list(offset) {
            if binding.binding >= seen.allowed {
                break;
            }
            self.consider(binding.binding, binding.role, binding.conditions, seen);
        }
    }

    /// Looks a subject up in the tenant's name table.
    fn subject(&self, probe: &Probe, id: &str) -> Option<Found> {
        names::get(&self.entry.subjects, self.entry.subject_slots, probe, id)
    }
}

/// The part of a request that no document can name, if any: such a request
/// is denied before any rule is read, so no wildcard allow can match a
/// spelling (`DELETE`, `delete `, `*`) that the denies do not.
fn invalid_part(request: &Request<'_>) -> Option<RequestPart> {
    let (kind, action) = (request.resource.kind, request.action);
    if !Permission::is_word(action) {
        return Some(RequestPart::Action);
    }
    if !Permission::is_word(kind) || kind.len() + 1 + action.len() > Permission::MAX_LEN {
        return Some(RequestPart::ResourceKind);
    }
    let id = request.principal.id;
    // Subject ids are 1 to 256 characters; count them only when the bytes
    // leave a doubt.
    if id.is_empty() || (id.len() > MAX_SUBJECT_ID && id.chars().count() > MAX_SUBJECT_ID) {
        return Some(RequestPart::PrincipalId);
    }
    None
}

/// The longest subject id a document can hold, in characters.
const MAX_SUBJECT_ID: usize = 256;

fn decide(entry: &Entry, index: u32, request: &Request<'_>) -> Decision {
    if let Some(part) = invalid_part(request) {
        return Decision::new(Reason::InvalidRequest(part), index, 0, entry.stamp);
    }
    let principal = &request.principal;
    let resource = &request.resource;
    let rules = &*entry.rules;
    let operator = principal.kind == PrincipalKind::PlatformOperator;
    let home = !operator && principal.tenant == resource.tenant;
    // The principal's probe depends on the request only: hashing it first
    // lets the processor overlap it with the lookups below (measured: about
    // 6 ns of 90 with one tenant).
    let space = match principal.kind {
        PrincipalKind::ServiceAccount => Space::ServiceAccount,
        PrincipalKind::User | PrincipalKind::PlatformOperator => Space::User,
    };
    let who = Probe::new(space, principal.id);
    // Start reading the principal's slot line (and text), the rules' masks
    // and deny summaries now: each is a likely cache miss that depends only
    // on the entry or its rules, so they overlap each other and the
    // vocabulary lookups below instead of following them (measured: see
    // bench/README.md, "Where the time goes").
    names::touch(&entry.subjects, entry.subject_slots, &who);
    touch_rules(rules);
    let kind = rules.symbol(&Probe::new(Space::Resource, resource.kind), resource.kind);
    let action = rules.symbol(&Probe::new(Space::Action, request.action), request.action);
    let context = Context {
        entry,
        request,
        kind,
        action,
        bit: rules.bit(kind, action),
    };

    // The summaries are built from the tenant's denies, one each (see
    // `compile_tenant`); reading the tenant's count here would cost a cache
    // miss per decision.
    let may_deny = context
        .bit
        .is_none_or(|b| bit_set(rules.deny_mask, b) != Some(false));
    if may_deny {
        for i in 0..index_u32(rules.denies.len()) {
            if context.deny_applies(i, home) {
                return Decision::new(Reason::ExplicitDeny, index, i, entry.stamp);
            }
        }
    }

    match rules.status {
        TenantStatus::Suspended if !operator => {
            return Decision::new(Reason::TenantSuspended, index, 0, entry.stamp);
        }
        TenantStatus::Offboarding if !matches!(request.action, "read" | "export") => {
            return Decision::new(Reason::TenantOffboarding, index, 0, entry.stamp);
        }
        _ => {}
    }

    if !home {
        for (i, grant) in entry.tenant.grants.iter().enumerate() {
            let grantee = match &grant.grantee {
                Some(slug) => !operator && **slug == *principal.tenant,
                None => operator,
            };
            if grantee
                && request.now < grant.expires_at
                && (!grant.require_mfa || principal.mfa)
                && (grant.subjects.is_empty() || subjects_match(&grant.subjects, principal))
                && any_covers(&grant.permissions, kind, action)
            {
                return Decision::new(Reason::AllowedByGrant, index, index_u32(i), entry.stamp);
            }
        }
        return Decision::new(Reason::NoCrossTenantGrant, index, 0, entry.stamp);
    }

    // Candidate bindings come from the principal's id and each of its
    // groups; the lowest index that allows wins, as in a scan in document
    // order.
    let mut seen = Candidates {
        allowed: u32::MAX,
        failed: None,
    };
    if let Some(found) = context.subject(&who, principal.id) {
        context.consider_subject(found, &mut seen);
    }
    // Groups are looked up only if a group binding could still change the
    // answer: one covers the permission and none allows before them.
    let groups_matter = context
        .bit
        .is_none_or(|b| bit_set(rules.group_cover, b) != Some(false))
        && seen.allowed > rules.first_group_binding;
    if groups_matter {
        for group in principal.groups.iter() {
            if let Some(found) = context.subject(&Probe::new(Space::Group, group), group) {
                context.consider_subject(found, &mut seen);
            }
        }
    }
    if seen.allowed != u32::MAX {
        return Decision::new(Reason::AllowedByRole, index, seen.allowed, entry.stamp);
    }
    match seen.failed {
        Some((b, c)) => Decision::new(Reason::ConditionFailed(c), index, b, entry.stamp),
        None => Decision::new(Reason::NoMatchingGrant, index, 0, entry.stamp),
    }
}

/// Reads the first line of a tenant's role masks and deny summaries without
/// waiting for them (see [`names::touch`]).
#[inline]
fn touch_rules(rules: &Rules) {
    std::hint::black_box((
        rules.role_masks.first().copied(),
        rules.denies.first().map(|d| d.mask),
    ));
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
            .any(|g| principal.groups.iter().any(|pg| **g == *pg))
}

/// The first condition of a binding that fails, in the order of
/// [`Condition`]'s variants.
fn failed_condition(
    c: &CompiledConditions,
    time_zone: Tz,
    request: &Request<'_>,
) -> Option<Condition> {
    if c.expires_at.is_some_and(|t| request.now >= t) {
        return Some(Condition::Expired);
    }
    if let Some((days, start, end)) = c.window {
        let local = request.now.with_timezone(&time_zone);
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

#[cfg(test)]
mod tests {
    //! Broken internal indices fail closed: the evaluator denies (and, in
    //! debug builds, its debug assertion fires instead).
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;
    use tenant_model::{Format, parse};

    fn tenant() -> Tenant {
        let yaml = r#"
schema_version: 1
id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
slug: acme
display_name: Acme
tier: professional
status: active
locale: en
time_zone: Europe/Paris
data_residency: { region: eu-west-1 }
contacts:
  - { name: Ops, email: ops@example.com, role: owner }
isolation:
  mode: schema
  database: { name: music, schema: tenant_acme, role: acme_app }
  cache: { key_prefix: "acme:", acl_user: acme }
access_control:
  roles:
    - { name: admin, permissions: ["*:*"] }
  bindings:
    - { subject: { kind: user, id: alice }, role: admin }
    - { subject: { kind: user, id: bob }, role: admin, conditions: { require_mfa: true } }
  denies:
    - { name: no-deletes, permissions: ["*:delete"], subjects: [{ kind: user, id: carol }], reason: policy }
"#;
        parse(yaml, Format::Yaml).unwrap()
    }

    fn ask<'a>(id: &'a str, action: &'a str) -> Request<'a> {
        Request::new(
            Principal::new(PrincipalKind::User, id, "acme")
                .with_groups(crate::request::Groups::NONE)
                .with_mfa(true),
            action,
            Resource::new("acme", "track", "t-1")
                .with_classification(tenant_model::Classification::Public),
            chrono::DateTime::UNIX_EPOCH,
        )
    }

    /// Decides with a broken entry: either the debug assertion fires or the
    /// decision is returned.
    fn decide_broken(entry: &Entry, request: &Request<'_>) -> Option<Decision> {
        let run = std::panic::AssertUnwindSafe(|| decide(entry, 0, request));
        match std::panic::catch_unwind(run) {
            Ok(decision) => Some(decision),
            // Only a debug assertion may panic.
            Err(_) if cfg!(debug_assertions) => None,
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }

    #[test]
    fn a_deny_that_does_not_resolve_applies() {
        let set = PolicySet::compile([&tenant()]).unwrap();
        let entry = set.tenants.get(0).unwrap();
        let carol = ask("carol", "delete");
        assert_eq!(set.authorize(&carol).reason(), Reason::ExplicitDeny);
        assert_eq!(
            set.authorize(&ask("alice", "delete")).reason(),
            Reason::AllowedByRole
        );
        // The summary names subjects, the deny itself is gone.
        let mut broken = entry.clone();
        let mut tenant = (*broken.tenant).clone();
        tenant.denies.clear();
        broken.tenant = Arc::new(tenant);
        if let Some(decision) = decide_broken(&broken, &ask("alice", "delete")) {
            assert_eq!(decision.reason(), Reason::ExplicitDeny);
        }
        // Without masks the deny is read from the tenant, and missing.
        let mut rules = (*broken.rules).clone();
        rules.masked = false;
        broken.rules = Arc::new(rules);
        if let Some(decision) = decide_broken(&broken, &ask("alice", "delete")) {
            assert_eq!(decision.reason(), Reason::ExplicitDeny);
        }
    }

    #[test]
    fn a_condition_set_that_does_not_resolve_does_not_allow() {
        let set = PolicySet::compile([&tenant()]).unwrap();
        let entry = set.tenants.get(0).unwrap();
        assert!(set.authorize(&ask("bob", "read")).is_allowed());
        let mut broken = entry.clone();
        let mut rules = (*broken.rules).clone();
        rules.conditions = Box::new([]);
        broken.rules = Arc::new(rules);
        if let Some(decision) = decide_broken(&broken, &ask("bob", "read")) {
            assert!(!decision.is_allowed());
        }
    }
}
