//! A deliberately naive reference evaluator, written straight from the
//! semantics in `PolicySet`'s documentation (linear scans, no
//! precomputation), and property tests that the compiled set agrees with it.
//!
//! Policies and requests come from a seed through a small generator rather
//! than from composed proptest strategies: a tenant document has too many
//! interlocking parts (roles named by bindings, grants naming slugs) for
//! shrinking to help, and generating 100 000 cases from seeds keeps the run
//! fast. A failure prints the seed, the request and both answers.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use proptest::prelude::*;
use tenant_model::{
    Binding, Cidr, Classification, ClockTime, Conditions, Deny, Grantee, Slug, Subject,
    SubjectKind, Tenant, TenantStatus, TimeWindow, TimeZone, Weekday,
};
use tenant_policy::authz::{
    Condition, PolicySet, Principal, PrincipalKind, Reason, Request, RequestPart, Resource,
};

use super::*;

// ---------------------------------------------------------------------------
// The reference model.

fn subject_matches(s: &Subject, p: &Principal<'_>) -> bool {
    match s.kind {
        SubjectKind::User => {
            matches!(
                p.kind,
                PrincipalKind::User | PrincipalKind::PlatformOperator
            ) && s.id == p.id
        }
        SubjectKind::ServiceAccount => p.kind == PrincipalKind::ServiceAccount && s.id == p.id,
        SubjectKind::Group => p.groups.iter().any(|g| g == s.id.as_str()),
    }
}

fn role_covers(t: &Tenant, role: &str, kind: &str, action: &str, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    let Some(r) = t
        .access_control
        .roles
        .iter()
        .find(|r| r.name.as_str() == role)
    else {
        return false;
    };
    r.permissions.iter().any(|p| p.covers(kind, action))
        || r.inherits
            .iter()
            .any(|parent| role_covers(t, parent.as_str(), kind, action, depth + 1))
}

fn failed_condition(t: &Tenant, b: &Binding, r: &Request<'_>) -> Option<Condition> {
    let c = &b.conditions;
    if b.expires_at.as_ref().is_some_and(|e| r.now >= e.instant()) {
        return Some(Condition::Expired);
    }
    if let Some(w) = &c.time_window {
        let local = r.now.with_timezone(&t.time_zone.tz());
        let minutes = (local.hour() * 60 + local.minute()) as u16;
        let day_ok = w.days.iter().any(|d| d.to_chrono() == local.weekday());
        if !day_ok || minutes < w.start.minutes() || minutes >= w.end.minutes() {
            return Some(Condition::TimeWindow);
        }
    }
    if !c.source_cidrs.is_empty() {
        let ok = match r.principal.source_ip {
            Some(ip) => c.source_cidrs.iter().any(|n| n.net().contains(&ip)),
            None => false,
        };
        if !ok {
            return Some(Condition::SourceCidr);
        }
    }
    if c.require_mfa && !r.principal.mfa {
        return Some(Condition::Mfa);
    }
    if c.max_classification
        .is_some_and(|max| r.resource.classification > max)
    {
        return Some(Condition::Classification);
    }
    if c.owner_only && r.resource.owner != Some(r.principal.id) {
        return Some(Condition::OwnerOnly);
    }
    None
}

/// Whether a request names only what a document can name: `kind:action`
/// must parse as a permission without wildcards, the principal id must have
/// 1 to 256 characters.
fn invalid_part(r: &Request<'_>) -> Option<RequestPart> {
    let (kind, action) = (r.resource.kind, r.action);
    if action == "*" || tenant_model::Permission::new(format!("x:{action}")).is_err() {
        return Some(RequestPart::Action);
    }
    if kind == "*" || tenant_model::Permission::new(format!("{kind}:{action}")).is_err() {
        return Some(RequestPart::ResourceKind);
    }
    let chars = r.principal.id.chars().count();
    if chars == 0 || chars > 256 {
        return Some(RequestPart::PrincipalId);
    }
    None
}

/// The reference answer: the reason and the pointer of what decided.
fn reference(tenants: &[Tenant], r: &Request<'_>) -> (Reason, Option<String>) {
    let (kind, action) = (r.resource.kind, r.action);
    let Some(t) = tenants
        .iter()
        .find(|t| t.slug.as_str() == r.resource.tenant)
    else {
        return (Reason::UnknownTenant, None);
    };
    if let Some(part) = invalid_part(r) {
        return (Reason::InvalidRequest(part), None);
    }
    let ac = &t.access_control;
    let operator = r.principal.kind == PrincipalKind::PlatformOperator;
    let home = !operator && r.principal.tenant == r.resource.tenant;
    for (i, d) in ac.denies.iter().enumerate() {
        let applies = (!d.when_locked || r.resource.locked)
            && d.min_classification
                .is_none_or(|m| r.resource.classification >= m)
            && d.permissions.iter().any(|p| p.covers(kind, action))
            && (d.subjects.is_empty()
                || (home && d.subjects.iter().any(|s| subject_matches(s, &r.principal))));
        if applies {
            return (
                Reason::ExplicitDeny,
                Some(format!("/access_control/denies/{i}")),
            );
        }
    }
    if t.status == TenantStatus::Suspended && !operator {
        return (Reason::TenantSuspended, Some("/status".into()));
    }
    if t.status == TenantStatus::Offboarding && action != "read" && action != "export" {
        return (Reason::TenantOffboarding, Some("/status".into()));
    }
    if !home {
        for (i, g) in ac.cross_tenant_grants.iter().enumerate() {
            let grantee = match &g.grantee {
                Grantee::Tenant(slug) => !operator && slug.as_str() == r.principal.tenant,
                Grantee::PlatformOperators => operator,
            };
            if grantee
                && r.now < g.expires_at.instant()
                && (!g.require_mfa || r.principal.mfa)
                && (g.subjects.is_empty()
                    || g.subjects.iter().any(|s| subject_matches(s, &r.principal)))
                && g.permissions.iter().any(|p| p.covers(kind, action))
            {
                return (
                    Reason::AllowedByGrant,
                    Some(format!("/access_control/cross_tenant_grants/{i}")),
                );
            }
        }
        return (
            Reason::NoCrossTenantGrant,
            Some("/access_control/cross_tenant_grants".into()),
        );
    }
    let mut first_failure = None;
    for (i, b) in ac.bindings.iter().enumerate() {
        if !subject_matches(&b.subject, &r.principal)
            || !role_covers(t, b.role.as_str(), kind, action, 0)
        {
            continue;
        }
        match failed_condition(t, b, r) {
            None => {
                return (
                    Reason::AllowedByRole,
                    Some(format!("/access_control/bindings/{i}")),
                );
            }
            Some(c) => {
                if first_failure.is_none() {
                    first_failure = Some((i, c));
                }
            }
        }
    }
    match first_failure {
        Some((i, c)) => (
            Reason::ConditionFailed(c),
            Some(format!("/access_control/bindings/{i}/{}", field(c))),
        ),
        None => (Reason::NoMatchingGrant, None),
    }
}

fn field(c: Condition) -> &'static str {
    // `Condition` is non-exhaustive; the reference model knows these six.
    match c {
        Condition::Expired => "expires_at",
        Condition::TimeWindow => "conditions/time_window",
        Condition::SourceCidr => "conditions/source_cidrs",
        Condition::Mfa => "conditions/require_mfa",
        Condition::Classification => "conditions/max_classification",
        Condition::OwnerOnly => "conditions/owner_only",
        _ => "unknown condition",
    }
}

// ---------------------------------------------------------------------------
// The generator.

/// SplitMix64: small, fast and good enough to pick test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SLUGS: [&str; 3] = ["t-a", "t-b", "t-c"];
const KINDS: [&str; 3] = ["track", "album", "*"];
const ACTIONS: [&str; 5] = ["read", "write", "export", "delete", "*"];
/// Subject ids: short ones inline in a name slot, one of exactly the inline
/// size, and longer ones (a UUID, an email) confirmed in the side table.
const IDS: [&str; 6] = [
    "u0",
    "u1",
    "u2",
    "exactly8",
    "0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11",
    "jonas.weber@beatforge.example",
];
const GROUPS: [&str; 3] = ["g0", "g1", "engineering-on-call-rotation"];
/// Ids a request may carry that are near misses of the subjects' ids.
const NEAR_IDS: [&str; 6] = [
    "U0",
    "u0 ",
    "exactly9",
    "0B7C6F1E-3A52-4F0E-9D43-5F0F6A2D8C11",
    "jonas.weber@beatforge.exampl",
    "",
];
const ROLES: [&str; 4] = ["r0", "r1", "r2", "r3"];
/// Roles added to large tenants, so that role indices pass 255.
const FILLER_ROLES: usize = 260;

/// Strings made once and kept for the test run, so that requests can
/// borrow them like the constants above.
fn leaked(make: impl Fn(usize) -> String, n: usize) -> Vec<&'static str> {
    (0..n)
        .map(|i| &*Box::leak(make(i).into_boxed_str()))
        .collect()
}

/// Slugs of every tenant a set may hold: more than a chunk of the tenant
/// table, so that it grows.
fn slug_pool() -> &'static [&'static str] {
    static POOL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let mut pool = SLUGS.to_vec();
        pool.extend(leaked(|k| format!("t-{k:02}"), 45));
        pool
    })
}

/// Subject ids of the bulk bindings of large tenants: emails, long enough
/// for the side table.
fn bulk_ids() -> &'static [&'static str] {
    static IDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    IDS.get_or_init(|| leaked(|k| format!("user-{k:03}@bulk.example.com"), 300))
}

fn filler_roles() -> &'static [&'static str] {
    static ROLES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    ROLES.get_or_init(|| leaked(|k| format!("f{k}"), FILLER_ROLES))
}

/// A tenant with no access control, without parsing a document each time.
fn blank(slug: &str) -> Tenant {
    static BASE: std::sync::OnceLock<Tenant> = std::sync::OnceLock::new();
    let mut t = BASE.get_or_init(|| tenant("t-a")).clone();
    t.slug = Slug::new(slug).unwrap();
    t
}
const ZONES: [&str; 3] = ["UTC", "Europe/Paris", "America/New_York"];
const CLASSES: [Classification; 4] = [
    Classification::Public,
    Classification::Internal,
    Classification::Confidential,
    Classification::Restricted,
];

fn base_time() -> DateTime<Utc> {
    monday_morning()
}

fn random_time(rng: &mut Rng) -> DateTime<Utc> {
    base_time() + Duration::minutes(rng.below(60 * 24 * 8) as i64 - 60 * 24)
}

fn random_permissions(rng: &mut Rng, max: usize) -> Vec<tenant_model::Permission> {
    let n = 1 + rng.below(max);
    (0..n)
        .map(|_| {
            tenant_model::Permission::new(format!("{}:{}", rng.pick(&KINDS), rng.pick(&ACTIONS)))
                .unwrap()
        })
        .collect()
}

fn random_subject(rng: &mut Rng) -> Subject {
    match rng.below(3) {
        0 => subject(SubjectKind::User, rng.word(&IDS)),
        1 => subject(SubjectKind::ServiceAccount, rng.word(&IDS)),
        _ => subject(SubjectKind::Group, rng.word(&GROUPS)),
    }
}

fn random_subjects(rng: &mut Rng) -> Vec<Subject> {
    if rng.chance(50) {
        Vec::new()
    } else {
        (0..1 + rng.below(2)).map(|_| random_subject(rng)).collect()
    }
}

fn random_conditions(rng: &mut Rng) -> Conditions {
    let mut c = Conditions::default();
    if rng.chance(25) {
        let days = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        let start = rng.below(20);
        let end = start + 1 + rng.below(24 - start);
        c.time_window = Some(TimeWindow {
            days: (0..1 + rng.below(3)).map(|_| *rng.pick(&days)).collect(),
            start: ClockTime::new(format!("{start:02}:{:02}", rng.below(2) * 30)).unwrap(),
            end: ClockTime::new(format!("{end:02}:00")).unwrap(),
        });
    }
    if rng.chance(20) {
        let nets = ["10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24", "2001:db8::/32"];
        c.source_cidrs = (0..1 + rng.below(2))
            .map(|_| Cidr::new(*rng.pick(&nets)).unwrap())
            .collect();
    }
    c.require_mfa = rng.chance(20);
    if rng.chance(20) {
        c.max_classification = Some(*rng.pick(&CLASSES));
    }
    c.owner_only = rng.chance(15);
    c
}

fn random_tenant(rng: &mut Rng, slug: &str, grants: bool) -> Tenant {
    let mut t = blank(slug);
    t.status = *rng.pick(&[
        TenantStatus::Active,
        TenantStatus::Active,
        TenantStatus::Active,
        TenantStatus::Active,
        TenantStatus::Active,
        TenantStatus::Provisioning,
        TenantStatus::Suspended,
        TenantStatus::Offboarding,
    ]);
    t.time_zone = TimeZone::new(*rng.pick(&ZONES)).unwrap();
    let ac = &mut t.access_control;
    let roles = 1 + rng.below(ROLES.len());
    ac.roles = (0..roles)
        .map(|i| {
            // Inheriting only earlier roles keeps the graph acyclic.
            let inherits: Vec<&str> = (0..i)
                .filter(|_| rng.chance(35))
                .map(|j| ROLES[j])
                .collect();
            role(ROLES[i], &[], &inherits)
        })
        .collect();
    for r in &mut ac.roles {
        r.permissions = if rng.chance(15) {
            Vec::new()
        } else {
            random_permissions(rng, 3)
        };
    }
    if rng.chance(25) {
        // A vocabulary too large for the compiled set's bit masks, so that
        // its general path is compared too.
        let extra: Vec<String> = (0..20).map(|i| format!("extra{i}:read")).collect();
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        ac.roles[0].permissions.extend(perms(&extra));
    }
    // A large tenant: hundreds of bindings, many subjects with several
    // bindings, more than 255 roles and condition sets.
    let large = rng.chance(4);
    if large {
        for filler in filler_roles() {
            let mut r = role(filler, &[], &[]);
            r.permissions = random_permissions(rng, 2);
            ac.roles.push(r);
        }
    }
    let all_roles: Vec<&str> = ac.roles.iter().map(|r| r.name.as_str()).collect();
    let all_roles: Vec<String> = all_roles.into_iter().map(str::to_owned).collect();
    let count = if large {
        200 + rng.below(200)
    } else {
        rng.below(10)
    };
    ac.bindings = (0..count)
        .map(|_| Binding {
            subject: if large && rng.chance(70) {
                subject(SubjectKind::User, rng.word(bulk_ids()))
            } else {
                random_subject(rng)
            },
            role: name(if large {
                rng.pick(&all_roles).as_str()
            } else {
                ROLES[rng.below(roles)]
            }),
            conditions: if rng.chance(50) {
                random_conditions(rng)
            } else {
                Conditions::default()
            },
            expires_at: if rng.chance(15) {
                Some(timestamp(random_time(rng)))
            } else {
                None
            },
        })
        .collect();
    ac.denies = (0..rng.below(3))
        .map(|i| Deny {
            subjects: random_subjects(rng),
            when_locked: rng.chance(40),
            min_classification: if rng.chance(30) {
                Some(*rng.pick(&CLASSES))
            } else {
                None
            },
            permissions: random_permissions(rng, 2),
            ..deny(&format!("d{i}"), &["x:y"])
        })
        .collect();
    if grants {
        ac.cross_tenant_grants = (0..rng.below(3))
            .map(|i| {
                let grantee = if rng.chance(30) {
                    None
                } else if rng.chance(80) {
                    Some(*rng.pick(&SLUGS))
                } else {
                    Some(*rng.pick(slug_pool()))
                };
                let mut g = grant(&format!("g{i}"), grantee, &[], random_time(rng));
                g.permissions = random_permissions(rng, 2);
                g.subjects = random_subjects(rng);
                g
            })
            .collect();
    }
    t
}

/// A set of tenants and their slugs: mostly one to three, sometimes forty
/// or more (the tenant table then spans several chunks).
fn random_tenants(rng: &mut Rng, grants: bool) -> (Vec<Tenant>, Vec<&'static str>) {
    let pool = slug_pool();
    let n = if rng.chance(5) {
        40 + rng.below(pool.len() - 40)
    } else {
        1 + rng.below(SLUGS.len())
    };
    let slugs: Vec<&'static str> = pool.iter().copied().take(n).collect();
    let tenants = slugs
        .iter()
        .map(|slug| random_tenant(rng, slug, grants))
        .collect();
    (tenants, slugs)
}

/// Owned parts of a request, so that requests can borrow them.
struct Ask {
    kind: PrincipalKind,
    id: &'static str,
    tenant: &'static str,
    groups: Vec<&'static str>,
    mfa: bool,
    ip: Option<IpAddr>,
    action: &'static str,
    resource_tenant: &'static str,
    resource_kind: &'static str,
    owner: Option<&'static str>,
    classification: Classification,
    locked: bool,
    now: DateTime<Utc>,
}

const REQUEST_SLUGS: [&str; 4] = ["t-a", "t-b", "t-c", "t-z"];
const REQUEST_KINDS: [&str; 3] = ["track", "album", "video"];
const REQUEST_ACTIONS: [&str; 5] = ["read", "write", "export", "delete", "fly"];
/// Spellings no permission can name, for actions and resource kinds.
const OUTSIDE: [&str; 13] = [
    "*",
    "DELETE",
    "Read",
    "delete ",
    " read",
    "",
    "re ad",
    "write\n",
    "\u{1b}[2Jread",
    "rea\u{202e}d",
    "écrire",
    "track:read",
    "0read",
];

/// A request action or kind: mostly from the vocabulary, sometimes outside
/// the grammar.
fn request_word(rng: &mut Rng, words: &[&'static str]) -> &'static str {
    if rng.chance(8) {
        rng.word(&OUTSIDE)
    } else {
        rng.word(words)
    }
}

fn random_ask(rng: &mut Rng, slugs: &[&'static str]) -> Ask {
    let resource_tenant = if rng.chance(5) {
        "t-z"
    } else {
        *rng.pick(slugs)
    };
    let ips = [
        IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)),
        IpAddr::V4(Ipv4Addr::new(10, 200, 0, 1)),
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)),
        IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9)),
        IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
    ];
    Ask {
        kind: *rng.pick(&[
            PrincipalKind::User,
            PrincipalKind::User,
            PrincipalKind::ServiceAccount,
            PrincipalKind::PlatformOperator,
        ]),
        id: match rng.below(20) {
            0 => rng.word(&NEAR_IDS),
            1 | 2 => rng.word(bulk_ids()),
            _ => rng.word(&IDS),
        },
        // Mostly the resource's own tenant, so that bindings get exercised.
        tenant: if rng.chance(75) {
            resource_tenant
        } else {
            rng.word(&REQUEST_SLUGS)
        },
        groups: GROUPS.iter().copied().filter(|_| rng.chance(40)).collect(),
        mfa: rng.chance(50),
        ip: if rng.chance(80) {
            Some(*rng.pick(&ips))
        } else {
            None
        },
        action: request_word(rng, &REQUEST_ACTIONS),
        resource_tenant,
        resource_kind: request_word(rng, &REQUEST_KINDS),
        owner: if rng.chance(60) {
            Some(rng.word(&IDS))
        } else {
            None
        },
        classification: *rng.pick(&CLASSES),
        locked: rng.chance(30),
        now: random_time(rng),
    }
}

fn request(a: &Ask) -> Request<'_> {
    let mut principal = Principal::new(a.kind, a.id, a.tenant)
        .with_groups(&a.groups)
        .with_mfa(a.mfa);
    principal.source_ip = a.ip;
    let mut resource = Resource::new(a.resource_tenant, a.resource_kind, "r-1")
        .with_classification(a.classification)
        .with_locked(a.locked);
    resource.owner = a.owner;
    Request::new(principal, a.action, resource, a.now)
}

const REQUESTS_PER_POLICY: usize = 100;
const REQUESTS_PER_UPDATE: usize = 25;

proptest! {
    // 1 000 policy sets × 100 requests = 100 000 comparisons per run.
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn compiled_set_agrees_with_the_reference(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let (mut tenants, mut slugs) = random_tenants(&mut rng, true);
        let mut set = PolicySet::compile(&tenants).unwrap();
        // Then a few updates: a tenant replaced or added (the table grows
        // past its chunks), each followed by requests.
        let steps = rng.below(4);
        for step in 0..=steps {
            let requests = if step == 0 { REQUESTS_PER_POLICY } else { REQUESTS_PER_UPDATE };
            let mut made = Vec::with_capacity(requests);
            for _ in 0..requests {
                let ask = random_ask(&mut rng, &slugs);
                let r = request(&ask);
                let decision = set.authorize(&r);
                let explanation = decision.explain(&set).unwrap();
                let expected = reference(&tenants, &r);
                let got = (decision.reason(), explanation.pointer().map(str::to_owned));
                prop_assert_eq!(
                    &got, &expected,
                    "seed {} step {}: {:?}\n{}\ntenants: {:#?}", seed, step, r, explanation, tenants.iter().map(|t| (&t.slug, t.status, &t.access_control)).collect::<Vec<_>>()
                );
                prop_assert_eq!(decision.is_allowed(), matches!(expected.0, Reason::AllowedByRole | Reason::AllowedByGrant));
                made.push((ask.resource_tenant, decision, got.1));
            }
            if step == steps {
                break;
            }
            let pool = slug_pool();
            let slug = if rng.chance(50) && slugs.len() < pool.len() {
                let new = pool[slugs.len()];
                slugs.push(new);
                new
            } else {
                *rng.pick(&slugs)
            };
            let updated = random_tenant(&mut rng, slug, true);
            let next = match set.with_tenant(&updated) {
                Ok(next) => next,
                Err(e) => {
                    // `with_tenant` checks the document's rules first; the
                    // random tenants may break some (a day listed twice,
                    // over 200 roles). Then `validate` must agree, and the
                    // set stays as it was.
                    prop_assert!(e.problems().is_some(), "{}", e);
                    prop_assert!(tenant_model::validate(&updated).is_err());
                    if !tenants.iter().any(|t| t.slug.as_str() == slug) {
                        slugs.retain(|s| *s != slug);
                    }
                    continue;
                }
            };
            match tenants.iter().position(|t| t.slug.as_str() == slug) {
                Some(i) => tenants[i] = updated,
                None => tenants.push(updated),
            }
            // Decisions of the old set: explained by the new one only if
            // their tenant was not recompiled, and then in the same words.
            for (tenant, decision, pointer) in made {
                let again = decision.explain(&next);
                if decision.reason() == Reason::UnknownTenant {
                    prop_assert!(again.is_ok());
                } else if tenant == slug {
                    prop_assert!(again.is_err(), "seed {}: {:?}", seed, decision);
                } else {
                    prop_assert_eq!(again.unwrap().pointer().map(str::to_owned), pointer);
                }
            }
            set = next;
        }
    }

    #[test]
    fn no_access_across_tenants_without_grants(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let (tenants, slugs) = random_tenants(&mut rng, false);
        let set = PolicySet::compile(&tenants).unwrap();
        for _ in 0..REQUESTS_PER_POLICY {
            let ask = random_ask(&mut rng, &slugs);
            let r = request(&ask);
            let foreign = r.principal.kind == PrincipalKind::PlatformOperator
                || r.principal.tenant != r.resource.tenant;
            if foreign {
                prop_assert!(!set.authorize(&r).is_allowed(), "seed {}: {:?}", seed, r);
            }
        }
    }

    #[test]
    fn permitted_actions_agree_with_authorize(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let (tenants, slugs) = random_tenants(&mut rng, true);
        let set = PolicySet::compile(&tenants).unwrap();
        let ask = random_ask(&mut rng, &slugs);
        let r = request(&ask);
        for permission in set.permitted_actions(&r.principal, &r.resource, r.now) {
            let (_, action) = permission.split_once(':').unwrap();
            let allowed = set.authorize(&Request::new(r.principal, action, r.resource, r.now)).is_allowed();
            prop_assert!(allowed);
        }
    }
}

#[test]
fn operators_without_a_grant_are_denied_everywhere() {
    let mut rng = Rng(7);
    for _ in 0..200 {
        let (tenants, slugs) = random_tenants(&mut rng, false);
        let set = PolicySet::compile(&tenants).unwrap();
        for _ in 0..50 {
            let mut ask = random_ask(&mut rng, &slugs);
            ask.kind = PrincipalKind::PlatformOperator;
            let r = request(&ask);
            assert!(!set.authorize(&r).is_allowed(), "{r:?}");
        }
    }
}

#[test]
fn slugs_in_the_generator_are_valid() {
    for s in SLUGS {
        Slug::new(s).unwrap();
    }
}

/// The generator must reach every reason often enough for the agreement test
/// to mean something.
#[test]
fn generator_reaches_every_reason() {
    let mut counts = std::collections::HashMap::<Reason, usize>::new();
    // Allowed decisions by the part of the layout they went through.
    let mut layout = std::collections::BTreeMap::<&str, usize>::new();
    let mut rng = Rng(42);
    for _ in 0..300 {
        let (tenants, slugs) = random_tenants(&mut rng, true);
        let set = PolicySet::compile(&tenants).unwrap();
        for _ in 0..REQUESTS_PER_POLICY {
            let ask = random_ask(&mut rng, &slugs);
            let decision = set.authorize(&request(&ask));
            *counts.entry(decision.reason()).or_default() += 1;
            if decision.reason() == Reason::AllowedByRole {
                let home = tenants
                    .iter()
                    .find(|t| t.slug.as_str() == ask.resource_tenant);
                let bindings = home.map_or(0, |t| t.access_control.bindings.len());
                for (part, reached) in [
                    ("long id", ask.id.len() > 8),
                    ("hundreds of bindings", bindings >= 200),
                    ("forty tenants", tenants.len() >= 40),
                ] {
                    if reached {
                        *layout.entry(part).or_default() += 1;
                    }
                }
            }
        }
    }
    let conditions = [
        Condition::Expired,
        Condition::TimeWindow,
        Condition::SourceCidr,
        Condition::Mfa,
        Condition::Classification,
        Condition::OwnerOnly,
    ];
    let mut expected = vec![
        Reason::AllowedByRole,
        Reason::AllowedByGrant,
        Reason::ExplicitDeny,
        Reason::NoMatchingGrant,
        Reason::NoCrossTenantGrant,
        Reason::TenantSuspended,
        Reason::TenantOffboarding,
        Reason::UnknownTenant,
        Reason::InvalidRequest(RequestPart::Action),
        Reason::InvalidRequest(RequestPart::ResourceKind),
        Reason::InvalidRequest(RequestPart::PrincipalId),
    ];
    expected.extend(conditions.map(Reason::ConditionFailed));
    for reason in expected {
        let n = counts.get(&reason).copied().unwrap_or(0);
        assert!(n >= 15, "{reason:?} reached {n} times: {counts:?}");
    }
    for part in ["long id", "hundreds of bindings", "forty tenants"] {
        let n = layout.get(part).copied().unwrap_or(0);
        assert!(n >= 15, "{part} reached {n} times: {layout:?}");
    }
}
