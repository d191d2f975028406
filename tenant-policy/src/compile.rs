//! Compilation of tenant documents into the indexed form the evaluator reads:
//! interned names, role closures, bindings indexed by subject.
//!
//! Everything that can be computed once is computed here, so that
//! [`PolicySet::authorize`](crate::authz::PolicySet::authorize) only hashes the
//! request's strings and looks at small integer tables.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::IpAddr;

use crate::names::{self, FarLists, Line, Probe};
use crate::table::Space;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tenant_model::{
    Classification, Conditions, Grantee, Permission, Problems, Subject, SubjectKind, Tenant,
    TenantStatus,
};

/// A compile error: what is wrong, in which tenant, at which field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tenant `{tenant}`, {pointer}: {problem}")]
pub struct CompileError {
    tenant: String,
    pointer: String,
    problem: String,
    problems: Option<Problems>,
}

impl CompileError {
    fn new(tenant: &Tenant, pointer: String, problem: String) -> Self {
        CompileError {
            tenant: tenant.slug.as_str().to_owned(),
            pointer,
            problem,
            problems: None,
        }
    }

    /// The tenant breaks rules of its document: the first is the error's
    /// pointer and problem, [`CompileError::problems`] has them all.
    pub(crate) fn invalid(tenant: &Tenant, problems: Problems) -> Self {
        let (pointer, problem) = problems
            .iter()
            .next()
            .map(|p| (p.pointer().to_owned(), p.message().to_owned()))
            .unwrap_or_default();
        CompileError {
            problems: Some(problems),
            ..CompileError::new(tenant, pointer, problem)
        }
    }

    /// Every problem of the tenant's document, when the error is that the
    /// document breaks its rules (see [`PolicySet::with_tenant`](crate::authz::PolicySet::with_tenant)).
    pub fn problems(&self) -> Option<&Problems> {
        self.problems.as_ref()
    }

    pub(crate) fn duplicate_slug(tenant: &Tenant) -> Self {
        CompileError::new(
            tenant,
            "/slug".to_owned(),
            format!("slug `{}` is used by two tenants", tenant.slug),
        )
    }

    /// The slug of the tenant whose document is wrong.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The JSON pointer of the wrong field, e.g. `/access_control/bindings/3/role`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What is wrong.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

/// A fast, fixed-seed hasher for the short keys of compiled tables (slugs,
/// names, subject ids). The tables are built from trusted documents, and a
/// request's strings only probe them, so hash flooding cannot grow them;
/// SipHash's protection would cost a third of a decision.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            if let Ok(word) = <[u8; 8]>::try_from(chunk) {
                self.add(u64::from_le_bytes(word));
            }
        }
        let mut tail = 0u64;
        for (i, byte) in chunks.remainder().iter().enumerate() {
            tail |= u64::from(*byte) << (8 * i);
        }
        self.add(tail ^ (bytes.len() as u64) << 56);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply above leaves the low bits weak (they only see the low
        // bits of the input), and tables pick slots with the low bits: mix
        // the high bits down (MurmurHash3's finalizer).
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub(crate) type Map<V> = HashMap<Box<str>, V, BuildHasherDefault<KeyHasher>>;

/// A symbol for "any" (`*`) in a compiled permission.
pub(crate) const ANY: u32 = u32::MAX;
/// A symbol for a request string the tenant's documents never name.
pub(crate) const UNKNOWN: u32 = u32::MAX - 1;

/// A compiled permission: interned resource and action, or [`ANY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Pattern {
    pub(crate) resource: u32,
    pub(crate) action: u32,
}

impl Pattern {
    pub(crate) fn covers(self, resource: u32, action: u32) -> bool {
        (self.resource == ANY || self.resource == resource)
            && (self.action == ANY || self.action == action)
    }
}

/// Whether any of `patterns` covers `resource:action`.
pub(crate) fn any_covers(patterns: &[Pattern], resource: u32, action: u32) -> bool {
    patterns.iter().any(|p| p.covers(resource, action))
}

/// A role's permissions, its own and inherited: sorted, so that a check is
/// at most four binary searches whatever the number of permissions.
#[derive(Debug, Clone, Default)]
pub(crate) struct PermissionSet(Vec<Pattern>);

impl PermissionSet {
    pub(crate) fn covers(&self, resource: u32, action: u32) -> bool {
        let has = |resource, action| self.0.binary_search(&Pattern { resource, action }).is_ok();
        (resource != UNKNOWN && action != UNKNOWN && has(resource, action))
            || (resource != UNKNOWN && has(resource, ANY))
            || (action != UNKNOWN && has(ANY, action))
            || has(ANY, ANY)
    }
}

/// A network of a binding's `source_cidrs`, as masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Net {
    V4 { network: u32, mask: u32 },
    V6 { network: u128, mask: u128 },
}

impl Net {
    fn new(net: ipnet::IpNet) -> Self {
        match net {
            ipnet::IpNet::V4(n) => {
                let mask = u32::from(n.netmask());
                Net::V4 {
                    network: u32::from(n.network()) & mask,
                    mask,
                }
            }
            ipnet::IpNet::V6(n) => {
                let mask = u128::from(n.netmask());
                Net::V6 {
                    network: u128::from(n.network()) & mask,
                    mask,
                }
            }
        }
    }

    pub(crate) fn contains(self, ip: IpAddr) -> bool {
        match (self, ip) {
            (Net::V4 { network, mask }, IpAddr::V4(ip)) => u32::from(ip) & mask == network,
            (Net::V6 { network, mask }, IpAddr::V6(ip)) => u128::from(ip) & mask == network,
            _ => false,
        }
    }
}

/// A binding's conditions, ready to check. Bindings with the same
/// conditions share one (see [`CompiledTenant::conditions`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct CompiledConditions {
    pub(crate) expires_at: Option<DateTime<Utc>>,
    /// Days as a bit set (bit 0 = Monday), start and end in minutes.
    pub(crate) window: Option<(u8, u16, u16)>,
    pub(crate) networks: Box<[Net]>,
    pub(crate) require_mfa: bool,
    pub(crate) max_classification: Option<Classification>,
    pub(crate) owner_only: bool,
}

impl CompiledConditions {
    fn new(conditions: &Conditions, expires_at: Option<DateTime<Utc>>) -> Self {
        CompiledConditions {
            expires_at,
            window: conditions.time_window.as_ref().map(|w| {
                let days = w.days.iter().fold(0u8, |set, d| {
                    set | 1 << d.to_chrono().num_days_from_monday()
                });
                (days, w.start.minutes(), w.end.minutes())
            }),
            networks: conditions
                .source_cidrs
                .iter()
                .map(|c| Net::new(c.net()))
                .collect(),
            require_mfa: conditions.require_mfa,
            max_classification: conditions.max_classification,
            owner_only: conditions.owner_only,
        }
    }
}

/// A binding: its index in the document, its role and its condition set
/// (0 for none, else one more than its position in [`Rules::conditions`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompiledBinding {
    pub(crate) binding: u32,
    pub(crate) role: u32,
    pub(crate) conditions: u32,
}

/// Subjects a deny or grant names, by kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct SubjectSet {
    pub(crate) users: Vec<Box<str>>,
    pub(crate) service_accounts: Vec<Box<str>>,
    pub(crate) groups: Vec<Box<str>>,
}

impl SubjectSet {
    fn new(subjects: &[Subject]) -> Self {
        let mut set = SubjectSet::default();
        for s in subjects {
            let id: Box<str> = s.id.as_str().into();
            match s.kind {
                SubjectKind::User => set.users.push(id),
                SubjectKind::ServiceAccount => set.service_accounts.push(id),
                SubjectKind::Group => set.groups.push(id),
            }
        }
        set
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.users.is_empty() && self.service_accounts.is_empty() && self.groups.is_empty()
    }
}

/// An explicit deny.
#[derive(Debug, Clone)]
pub(crate) struct CompiledDeny {
    pub(crate) subjects: SubjectSet,
    pub(crate) permissions: Vec<Pattern>,
    pub(crate) when_locked: bool,
    pub(crate) min_classification: Option<Classification>,
    pub(crate) name: Box<str>,
    pub(crate) reason: Box<str>,
}

/// A cross-tenant grant.
#[derive(Debug, Clone)]
pub(crate) struct CompiledGrant {
    /// The grantee tenant's slug; `None` for the platform operators.
    pub(crate) grantee: Option<Box<str>>,
    pub(crate) subjects: SubjectSet,
    pub(crate) permissions: Vec<Pattern>,
    pub(crate) expires_at: DateTime<Utc>,
    /// The principal must have signed in with MFA.
    pub(crate) require_mfa: bool,
    pub(crate) name: Box<str>,
    pub(crate) reason: Box<str>,
}

/// A coverage mask: one bit per pair of a resource kind and an action
/// (each plus "unknown"), so vocabularies of up to 128 pairs keep one bit
/// test per role or deny.
pub(crate) type Mask = u128;

/// What a decision needs of a deny when coverage masks are used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct DenySummary {
    /// The pairs the deny covers.
    pub(crate) mask: Mask,
    pub(crate) when_locked: bool,
    pub(crate) min_classification: Option<Classification>,
    /// Whether the deny names subjects (then see [`CompiledDeny::subjects`]).
    pub(crate) named: bool,
}

/// The part of a tenant's access control that names no subject: its
/// vocabulary, what its roles and denies cover, its binding conditions.
///
/// Tenants made from one template agree on all of it, so the set keeps one
/// copy per distinct value: with ten thousand such tenants a decision then
/// reads this part from the CPU caches and only the principal's slot from
/// memory.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Rules {
    /// Resource kinds and actions, to their symbols (a name table, see
    /// [`crate::names`]).
    pub(crate) vocabulary: Box<[Line]>,
    /// How many lines of `vocabulary` are slots.
    pub(crate) vocabulary_slots: u32,
    /// Bit sets over the vocabulary are used when every pair of a known (or
    /// unknown) resource kind and action has a bit: then a binding's or
    /// deny's coverage is one bit test instead of a search in another
    /// allocation, which matters once the set no longer fits in the caches.
    pub(crate) masked: bool,
    /// Number of interned actions, plus one for "unknown".
    pub(crate) width: u32,
    /// Number of interned resource kinds (the row of "unknown").
    pub(crate) resource_count: u32,
    /// Every pair some deny covers; a request outside it skips the denies.
    pub(crate) deny_mask: Mask,
    pub(crate) denies: Box<[DenySummary]>,
    /// Each role's coverage mask (when masks are used).
    pub(crate) role_masks: Box<[Mask]>,
    /// The distinct condition sets of bindings.
    pub(crate) conditions: Box<[CompiledConditions]>,
    /// Every pair some group binding's role covers; a request outside it
    /// does not look up the principal's groups.
    pub(crate) group_cover: Mask,
    /// The lowest index of a group binding (`u32::MAX` if none): a request
    /// already allowed by an earlier binding does not look up groups.
    pub(crate) first_group_binding: u32,
    pub(crate) status: TenantStatus,
    pub(crate) time_zone: Tz,
}

impl Rules {
    /// The bit of `resource:action` in coverage masks, when masks are used.
    pub(crate) fn bit(&self, resource: u32, action: u32) -> Option<u32> {
        if !self.masked {
            return None;
        }
        let row = if resource == UNKNOWN {
            self.resource_count
        } else {
            resource
        };
        let column = if action == UNKNOWN {
            self.width - 1
        } else {
            action
        };
        Some(row * self.width + column)
    }

    /// The symbol of a request's resource kind or action ([`UNKNOWN`] if
    /// never named).
    pub(crate) fn symbol(&self, probe: &Probe, name: &str) -> u32 {
        names::get(&self.vocabulary, self.vocabulary_slots, probe, name)
            .map_or(UNKNOWN, |found| found.b)
    }

    /// A role's coverage mask.
    pub(crate) fn role_mask(&self, role: u32) -> Mask {
        self.role_masks.get(role as usize).copied().unwrap_or(0)
    }
}

/// The rest of one tenant's compiled access control: what fewer decisions
/// (and explanations) read.
#[derive(Debug, Clone)]
pub(crate) struct CompiledTenant {
    pub(crate) slug: Box<str>,
    /// Further bindings of subjects: at an offset, a count (in the
    /// `binding` field), then the bindings, ascending, with their role and
    /// condition set so that a decision need not read [`Self::bindings`].
    /// Offset 0 is "none".
    pub(crate) lists: Box<[CompiledBinding]>,
    /// Each binding's role, for explanations.
    pub(crate) binding_roles: Box<[u32]>,
    pub(crate) far_lists: FarLists,
    pub(crate) action_names: Vec<Box<str>>,
    pub(crate) role_names: Vec<Box<str>>,
    /// Each role's permissions including inherited ones; empty when
    /// coverage masks are used (see [`Rules::masked`]).
    pub(crate) role_permissions: Vec<PermissionSet>,
    pub(crate) denies: Vec<CompiledDeny>,
    pub(crate) grants: Vec<CompiledGrant>,
}

impl CompiledTenant {
    /// The bindings listed at `offset` of [`Self::lists`].
    pub(crate) fn list(&self, offset: u32) -> &[CompiledBinding] {
        let start = offset as usize;
        let count = self.lists.get(start).map_or(0, |c| c.binding) as usize;
        self.lists
            .get(start + 1..start + 1 + count)
            .unwrap_or_default()
    }
}

/// A compiled tenant in its parts.
pub(crate) struct Compiled {
    pub(crate) tenant: CompiledTenant,
    /// The subjects' name table (see [`crate::names`]).
    pub(crate) subjects: Box<[Line]>,
    /// How many lines of `subjects` are slots.
    pub(crate) subject_slots: u32,
    pub(crate) rules: Rules,
}

struct Interner<'t> {
    tenant: &'t Tenant,
    resources: Map<u32>,
    actions: Map<u32>,
    action_names: Vec<Box<str>>,
}

impl Interner<'_> {
    fn symbol(map: &mut Map<u32>, name: &str) -> u32 {
        if name == "*" {
            return ANY;
        }
        if let Some(&s) = map.get(name) {
            return s;
        }
        let s = u32::try_from(map.len()).unwrap_or(UNKNOWN);
        map.insert(name.into(), s);
        s
    }

    fn pattern(&mut self, p: &Permission) -> Pattern {
        let resource = Self::symbol(&mut self.resources, p.resource());
        let before = self.actions.len();
        let action = Self::symbol(&mut self.actions, p.action());
        if self.actions.len() > before {
            self.action_names.push(p.action().into());
        }
        Pattern { resource, action }
    }

    fn patterns(&mut self, ps: &[Permission]) -> Vec<Pattern> {
        let mut out: Vec<Pattern> = ps.iter().map(|p| self.pattern(p)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn error(&self, pointer: String, problem: String) -> CompileError {
        CompileError::new(self.tenant, pointer, problem)
    }
}

/// Compiles one tenant's document.
pub(crate) fn compile_tenant(tenant: &Tenant) -> Result<Compiled, CompileError> {
    let ac = &tenant.access_control;
    let mut interner = Interner {
        tenant,
        resources: Map::default(),
        actions: Map::default(),
        action_names: Vec::new(),
    };

    // The role rules (unique names, defined roles, no inheritance cycle)
    // are the model's, so a document and the compiler agree on them; below,
    // what they guarantee is relied on but never assumed for safety.
    if let Some(problem) = tenant_model::check_roles(ac).into_iter().next() {
        return Err(interner.error(problem.pointer().to_owned(), problem.message().to_owned()));
    }
    let mut role_index: Map<u32> = Map::default();
    for (i, role) in ac.roles.iter().enumerate() {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        role_index.entry(role.name.as_str().into()).or_insert(index);
    }
    let own: Vec<Vec<Pattern>> = ac
        .roles
        .iter()
        .map(|r| interner.patterns(&r.permissions))
        .collect();
    let parents: Vec<Vec<usize>> = ac
        .roles
        .iter()
        .map(|role| {
            role.inherits
                .iter()
                .filter_map(|parent| role_index.get(parent.as_str()).map(|&p| p as usize))
                .collect()
        })
        .collect();
    let role_permissions = closures(&parents, &own);

    let mut bindings = Vec::with_capacity(ac.bindings.len());
    let mut condition_sets: Vec<CompiledConditions> = Vec::new();
    let mut condition_ids: HashMap<CompiledConditions, u32> = HashMap::new();
    let mut by_subject: HashMap<(u8, &str), usize, BuildHasherDefault<KeyHasher>> =
        HashMap::default();
    let mut subjects: Vec<(Space, &str, Vec<u32>)> = Vec::new();
    for (i, b) in ac.bindings.iter().enumerate() {
        // `check_roles` reports an undefined role; should one reach here,
        // the binding's role resolves to nothing and gives nothing.
        let role = role_index.get(b.role.as_str()).copied().unwrap_or(u32::MAX);
        debug_assert!(role != u32::MAX, "binding {i} names an undefined role");
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        let space = match b.subject.kind {
            SubjectKind::User => Space::User,
            SubjectKind::ServiceAccount => Space::ServiceAccount,
            SubjectKind::Group => Space::Group,
        };
        let id = b.subject.id.as_str();
        match by_subject.get(&(space as u8, id)) {
            Some(&at) => {
                if let Some((_, _, list)) = subjects.get_mut(at) {
                    list.push(index);
                }
            }
            None => {
                by_subject.insert((space as u8, id), subjects.len());
                subjects.push((space, id, vec![index]));
            }
        }
        let conditions = if b.conditions.is_empty() && b.expires_at.is_none() {
            0
        } else {
            let set =
                CompiledConditions::new(&b.conditions, b.expires_at.as_ref().map(|t| t.instant()));
            match condition_ids.get(&set) {
                Some(&id) => id,
                None => {
                    condition_sets.push(set.clone());
                    let id = u32::try_from(condition_sets.len()).unwrap_or(u32::MAX);
                    condition_ids.insert(set, id);
                    id
                }
            }
        };
        bindings.push(CompiledBinding {
            binding: index,
            role,
            conditions,
        });
    }

    let denies: Vec<CompiledDeny> = ac
        .denies
        .iter()
        .map(|d| CompiledDeny {
            subjects: SubjectSet::new(&d.subjects),
            permissions: interner.patterns(&d.permissions),
            when_locked: d.when_locked,
            min_classification: d.min_classification,
            name: d.name.as_str().into(),
            reason: d.reason.as_str().into(),
        })
        .collect();
    let grants = ac
        .cross_tenant_grants
        .iter()
        .map(|g| CompiledGrant {
            grantee: match &g.grantee {
                Grantee::Tenant(slug) => Some(slug.as_str().into()),
                Grantee::PlatformOperators => None,
            },
            subjects: SubjectSet::new(&g.subjects),
            permissions: interner.patterns(&g.permissions),
            expires_at: g.expires_at.instant(),
            require_mfa: g.require_mfa,
            name: g.name.as_str().into(),
            reason: g.reason.as_str().into(),
        })
        .collect();

    let resource_count = u32::try_from(interner.resources.len()).unwrap_or(u32::MAX);
    let width = u32::try_from(interner.actions.len())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let masked =
        u64::from(resource_count.saturating_add(1)) * u64::from(width) <= u64::from(Mask::BITS);
    let mask = |covers: &dyn Fn(u32, u32) -> bool| -> Mask {
        if !masked {
            return 0;
        }
        let mut bits: Mask = 0;
        for row in 0..=resource_count {
            for column in 0..width {
                let resource = if row == resource_count { UNKNOWN } else { row };
                let action = if column + 1 == width { UNKNOWN } else { column };
                if covers(resource, action) {
                    bits |= 1 << (row * width + column);
                }
            }
        }
        bits
    };
    let role_masks: Box<[Mask]> = role_permissions
        .iter()
        .map(|permissions| mask(&|r, a| permissions.covers(r, a)))
        .collect();
    let deny_masks: Vec<Mask> = denies
        .iter()
        .map(|d| mask(&|r, a| any_covers(&d.permissions, r, a)))
        .collect();
    let deny_mask = deny_masks.iter().fold(0, |bits, m| bits | m);
    let deny_summaries: Box<[DenySummary]> = denies
        .iter()
        .zip(&deny_masks)
        .map(|(d, &mask)| DenySummary {
            mask,
            when_locked: d.when_locked,
            min_classification: d.min_classification,
            named: !d.subjects.is_empty(),
        })
        .collect();
    let role_mask_of = |role: u32| role_masks.get(role as usize).copied().unwrap_or(0);
    let mut group_cover: Mask = 0;
    let mut first_group_binding = u32::MAX;
    for (space, _, list) in &subjects {
        if *space != Space::Group {
            continue;
        }
        for &b in list {
            first_group_binding = first_group_binding.min(b);
            if let Some(binding) = bindings.get(b as usize) {
                group_cover |= role_mask_of(binding.role);
            }
        }
    }

    let vocabulary: Vec<(Space, &str, u32, u32)> = interner
        .resources
        .iter()
        .map(|(k, &v)| (Space::Resource, &**k, 0, v))
        .chain(
            interner
                .actions
                .iter()
                .map(|(k, &v)| (Space::Action, &**k, 0, v)),
        )
        .collect();
    let vocabulary = names::build(&vocabulary);

    // The subjects' table: each subject's first binding inline, the others
    // in `lists`.
    let count = |n: usize| CompiledBinding {
        binding: u32::try_from(n).unwrap_or(0),
        role: 0,
        conditions: 0,
    };
    let mut lists: Vec<CompiledBinding> = vec![count(0)];
    let mut entries: Vec<(Space, &str, u32, u32)> = Vec::with_capacity(subjects.len());
    for (space, id, list) in &subjects {
        let (first, rest) = match list.split_first() {
            Some((&b, rest)) => {
                let packed = bindings.get(b as usize).map_or(names::NO_FIRST, |binding| {
                    names::pack_first(b, binding.role, binding.conditions)
                });
                if packed == names::NO_FIRST {
                    (packed, list.as_slice())
                } else {
                    (packed, rest)
                }
            }
            None => (names::NO_FIRST, list.as_slice()),
        };
        let offset = if rest.is_empty() {
            0
        } else {
            let offset = u32::try_from(lists.len()).unwrap_or(u32::MAX);
            lists.push(count(rest.len()));
            lists.extend(rest.iter().filter_map(|&b| bindings.get(b as usize)));
            offset
        };
        entries.push((*space, *id, offset, first));
    }
    let built = names::build(&entries);

    Ok(Compiled {
        tenant: CompiledTenant {
            slug: tenant.slug.as_str().into(),
            lists: lists.into_boxed_slice(),
            binding_roles: bindings.iter().map(|b| b.role).collect(),
            far_lists: built.far,
            action_names: interner.action_names,
            role_names: ac.roles.iter().map(|r| r.name.as_str().into()).collect(),
            role_permissions: if masked { Vec::new() } else { role_permissions },
            denies,
            grants,
        },
        subjects: built.lines,
        subject_slots: built.slot_lines,
        rules: Rules {
            vocabulary: vocabulary.lines,
            vocabulary_slots: vocabulary.slot_lines,
            masked,
            width,
            resource_count,
            deny_mask,
            denies: deny_summaries,
            role_masks,
            conditions: condition_sets.into_boxed_slice(),
            group_cover,
            first_group_binding,
            status: tenant.status,
            time_zone: tenant.time_zone.tz(),
        },
    })
}

/// Each role's permissions with those of every role it inherits,
/// transitively. Cycles are the model's error ([`tenant_model::check_roles`]);
/// should one reach here, its closing edge is ignored, so this still ends.
fn closures(parents: &[Vec<usize>], own: &[Vec<Pattern>]) -> Vec<PermissionSet> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let n = parents.len();
    let mut state = vec![State::New; n];
    let mut out: Vec<PermissionSet> = vec![PermissionSet::default(); n];
    // Iterative depth-first search: (role, next parent position).
    for root in 0..n {
        if state.get(root) != Some(&State::New) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(s) = state.get_mut(root) {
            *s = State::Open;
        }
        while let Some(&mut (role, ref mut next)) = stack.last_mut() {
            let role_parents = parents.get(role).map(Vec::as_slice).unwrap_or_default();
            if let Some(&parent) = role_parents.get(*next) {
                *next += 1;
                match state.get(parent).copied() {
                    Some(State::New) => {
                        if let Some(s) = state.get_mut(parent) {
                            *s = State::Open;
                        }
                        stack.push((parent, 0));
                    }
                    Some(State::Open) => {
                        debug_assert!(false, "role {role} inherits itself");
                    }
                    _ => {}
                }
            } else {
                let mut set: Vec<Pattern> = own.get(role).cloned().unwrap_or_default();
                for &parent in role_parents {
                    if let Some(p) = out.get(parent) {
                        set.extend_from_slice(&p.0);
                    }
                }
                set.sort_unstable();
                set.dedup();
                if let Some(slot) = out.get_mut(role) {
                    *slot = PermissionSet(set);
                }
                if let Some(s) = state.get_mut(role) {
                    *s = State::Done;
                }
                stack.pop();
            }
        }
    }
    out
}
