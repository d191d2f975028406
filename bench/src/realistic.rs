//! The realistic workload: tenants of uneven size whose subjects are UUIDs
//! and email addresses, whose role sets differ from tenant to tenant, over
//! 12 resource kinds × 8 actions (96 pairs); 10 000 requests from a fixed
//! seed, a plain reference model of the answers, and its translation to
//! tenant-kit, Cedar and casbin.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone as _, Timelike, Utc};
use tenant_model::{
    AccessControl, Binding, Cidr, Classification, ClockTime, Conditions, CrossTenantGrant, Deny,
    Format, Grantee, Name, Permission, Role, Slug, Subject, SubjectKind, Tenant, TenantId,
    TimeWindow, TimeZone, Timestamp, Weekday,
};
use tenant_policy::authz::{Principal, PrincipalKind, Request, Resource};

use crate::Rng;

pub const KINDS: [&str; 12] = [
    "track",
    "album",
    "playlist",
    "artist",
    "contract",
    "royalty",
    "invoice",
    "report",
    "dashboard",
    "dataset",
    "model",
    "campaign",
];
pub const ACTIONS: [&str; 8] = [
    "read", "write", "delete", "share", "export", "publish", "approve", "archive",
];
/// Actions the `locked` deny covers.
pub const LOCKED_ACTIONS: [&str; 3] = ["write", "delete", "archive"];
/// Actions of the conditional `operator` role.
pub const OPERATOR_ACTIONS: [&str; 2] = ["delete", "archive"];
pub const ZONES: [&str; 4] = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"];
pub const REQUESTS: usize = 10_000;
pub const SEED: u64 = 0x7ea1_2026;
pub static GROUPS: [&str; 1] = ["staff"];

/// The pool tenants draw their roles from: a name and its base
/// permissions; each tenant adds one permission of its own to each role it
/// takes, so no two tenants' role sets need agree.
const ROLE_POOL: [(&str, &[&str]); 12] = [
    ("listener", &["track:read", "album:read", "playlist:read"]),
    ("curator", &["playlist:*", "track:share"]),
    (
        "artist-manager",
        &["artist:*", "contract:read", "royalty:read"],
    ),
    ("label-admin", &["*:read", "*:share", "album:publish"]),
    ("accountant", &["invoice:*", "royalty:*", "report:export"]),
    ("analyst", &["report:*", "dashboard:read", "dataset:read"]),
    (
        "data-engineer",
        &["dataset:*", "model:read", "dashboard:write"],
    ),
    (
        "ml-engineer",
        &["model:*", "dataset:read", "dataset:export"],
    ),
    ("marketer", &["campaign:*", "artist:read", "track:share"]),
    ("legal", &["contract:*", "*:approve"]),
    ("editor", &["track:write", "album:write", "playlist:write"]),
    ("auditor", &["*:read", "*:export"]),
];

const FIRST: [&str; 8] = [
    "anna", "jonas", "claire", "hugo", "ines", "mateo", "yuki", "omar",
];
const LAST: [&str; 8] = [
    "weber", "martin", "garcia", "rossi", "tanaka", "dubois", "smith", "novak",
];

pub fn slug(i: usize) -> String {
    format!("label-{i:05}")
}

/// The tenant whose first user gets a cross-tenant read grant into tenant `i`.
pub fn foreign(i: usize, tenants: usize) -> String {
    if tenants > 1 {
        slug((i + 1) % tenants)
    } else {
        "outsider".to_owned()
    }
}

fn uuid_from(rng: &mut Rng) -> String {
    let v = uuid::Uuid::from_u64_pair(rng.next(), rng.next());
    uuid::Builder::from_random_bytes(*v.as_bytes())
        .into_uuid()
        .to_string()
}

/// One role of a tenant: its name, its permissions and the role it inherits.
#[derive(Debug, Clone)]
pub struct TenantRole {
    pub name: String,
    pub permissions: Vec<String>,
    pub inherits: Option<usize>,
}

/// One user: id (UUID or email), roles (unconditional), whether it holds
/// the conditional `operator` role.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub roles: Vec<usize>,
    pub operator: bool,
}

/// A tenant of the workload, before translation to any engine.
#[derive(Debug, Clone)]
pub struct Shape {
    pub index: usize,
    pub slug: String,
    pub zone: &'static str,
    pub roles: Vec<TenantRole>,
    pub users: Vec<User>,
    /// Id of the foreign user the cross-tenant grant names.
    pub guest: String,
}

impl Shape {
    /// Every (kind, action) pair role `r` covers, with inheritance.
    pub fn role_covers(&self, r: usize, kind: &str, action: &str) -> bool {
        let mut at = Some(r);
        let mut steps = 0;
        while let Some(i) = at {
            let role = &self.roles[i];
            if role.permissions.iter().any(|p| {
                let (k, a) = p.split_once(':').unwrap_or(("", ""));
                (k == "*" || k == kind) && (a == "*" || a == action)
            }) {
                return true;
            }
            at = role.inherits;
            steps += 1;
            if steps > self.roles.len() {
                break;
            }
        }
        false
    }
}

/// The users of tenant `i` (only their ids matter for a foreign tenant).
fn users_of(i: usize, roles: usize) -> Vec<User> {
    let mut rng = Rng(SEED ^ (i as u64).wrapping_mul(0x9E37_79B9));
    // Uneven tenants: 20 to 200 users.
    let n = 20 + rng.below(181);
    let host = slug(i);
    (0..n)
        .map(|k| {
            let id = if rng.below(2) == 0 {
                uuid_from(&mut rng)
            } else {
                format!(
                    "{}.{}{k}@{host}.example",
                    FIRST[rng.below(FIRST.len())],
                    LAST[rng.below(LAST.len())]
                )
            };
            let mut user_roles = vec![rng.below(roles)];
            if rng.below(5) == 0 {
                let second = rng.below(roles);
                if second != user_roles[0] {
                    user_roles.push(second);
                }
            }
            User {
                id,
                roles: user_roles,
                operator: k % 8 == 1,
            }
        })
        .collect()
}

pub fn shape(i: usize, tenants: usize) -> Shape {
    let mut rng = Rng(SEED.rotate_left(17) ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let count = 3 + rng.below(6);
    let mut pool: Vec<usize> = (0..ROLE_POOL.len()).collect();
    // A partial Fisher–Yates shuffle picks the tenant's roles.
    for j in 0..count {
        let k = j + rng.below(pool.len() - j);
        pool.swap(j, k);
    }
    let roles: Vec<TenantRole> = pool[..count]
        .iter()
        .enumerate()
        .map(|(j, &p)| {
            let (name, base) = ROLE_POOL[p];
            let mut permissions: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
            let extra = format!(
                "{}:{}",
                KINDS[rng.below(KINDS.len())],
                ACTIONS[rng.below(ACTIONS.len())]
            );
            if !permissions.contains(&extra) {
                permissions.push(extra);
            }
            TenantRole {
                name: name.to_owned(),
                permissions,
                inherits: (j > 0 && rng.below(3) == 0).then(|| rng.below(j)),
            }
        })
        .collect();
    let users = users_of(i, roles.len());
    let guest = if tenants > 1 {
        users_of((i + 1) % tenants, 1)[0].id.clone()
    } else {
        "guest@outsider.example".to_owned()
    };
    Shape {
        index: i,
        slug: slug(i),
        zone: ZONES[i % ZONES.len()],
        roles,
        users,
        guest,
    }
}

pub fn shapes(tenants: usize) -> Vec<Shape> {
    (0..tenants).map(|i| shape(i, tenants)).collect()
}

/// One request with owned strings, made before any timing.
#[derive(Debug, Clone)]
pub struct Ask {
    pub tenant: usize,
    pub principal_tenant: String,
    pub principal_id: String,
    pub action: &'static str,
    pub kind: &'static str,
    pub resource_tenant: String,
    pub resource_id: String,
    pub owner: String,
    pub locked: bool,
    pub mfa: bool,
    pub ip: IpAddr,
    pub now: DateTime<Utc>,
    /// Day of week (1 = Monday) and minute of day in the resource tenant's zone.
    pub weekday: u32,
    pub minute: u32,
    /// The reference model's answer.
    pub expected: bool,
}

impl Ask {
    pub fn request(&self) -> Request<'_> {
        Request::new(
            Principal::new(
                PrincipalKind::User,
                &self.principal_id,
                &self.principal_tenant,
            )
            .with_groups(&GROUPS)
            .with_mfa(self.mfa)
            .with_source_ip(self.ip),
            self.action,
            Resource::new(&self.resource_tenant, self.kind, &self.resource_id)
                .with_owner(&self.owner)
                .with_classification(Classification::Internal)
                .with_locked(self.locked),
            self.now,
        )
    }
}

/// The reference model: what every engine must answer.
pub fn reference(shape: &Shape, ask: &Ask) -> bool {
    if ask.locked && LOCKED_ACTIONS.contains(&ask.action) {
        return false;
    }
    if ask.principal_tenant != shape.slug {
        return ask.principal_id == shape.guest && ask.action == "read";
    }
    let Some(user) = shape.users.iter().find(|u| u.id == ask.principal_id) else {
        return false;
    };
    if user
        .roles
        .iter()
        .any(|&r| shape.role_covers(r, ask.kind, ask.action))
    {
        return true;
    }
    if ask.action == "write" && ask.owner == ask.principal_id {
        return true;
    }
    user.operator
        && OPERATOR_ACTIONS.contains(&ask.action)
        && ask.mfa
        && matches!(ask.ip, IpAddr::V4(v4) if v4.octets()[0] == 10)
        && ask.weekday <= 5
        && (540..1080).contains(&ask.minute)
}

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 4).unwrap_or_default()
}

fn at_local(zone: &str, day: u32, minute: u32) -> DateTime<Utc> {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let date = monday() + Duration::days(i64::from(day));
    let naive = date
        .and_hms_opt(minute / 60, minute % 60, 0)
        .unwrap_or_default();
    tz.from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// The 10 000 requests: about half aimed at a permission the principal's
/// roles give, the rest owner writes, operator deletes in and out of
/// business hours, random questions (mostly denied), writes to locked
/// resources and cross-tenant reads; resource tenants uniform.
pub fn requests(shapes: &[Shape]) -> Vec<Ask> {
    let tenants = shapes.len();
    let mut rng = Rng(SEED);
    (0..REQUESTS)
        .map(|_| {
            let t = rng.below(tenants);
            let s = &shapes[t];
            let roll = rng.below(100);
            let mut user = &s.users[rng.below(s.users.len())];
            let mut principal_tenant = s.slug.clone();
            let mut principal_id = user.id.clone();
            let mut kind = KINDS[rng.below(KINDS.len())];
            let mut action = ACTIONS[rng.below(ACTIONS.len())];
            let mut locked = rng.below(25) == 0;
            let mut owner = s.users[rng.below(s.users.len())].id.clone();
            let mut mfa = rng.below(2) == 0;
            let mut ip = if rng.below(2) == 0 {
                IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))
            } else {
                IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))
            };
            let mut day = rng.below(7) as u32;
            let mut minute = rng.below(24 * 60) as u32;
            match roll {
                0..50 => {
                    // A permission one of the user's roles gives.
                    for _ in 0..64 {
                        let k = KINDS[rng.below(KINDS.len())];
                        let a = ACTIONS[rng.below(ACTIONS.len())];
                        if user.roles.iter().any(|&r| s.role_covers(r, k, a)) {
                            (kind, action) = (k, a);
                            break;
                        }
                    }
                }
                50..60 => {
                    action = "write";
                    owner = principal_id.clone();
                }
                60..68 => {
                    // Users 1, 9, 17, ... hold the conditional operator role.
                    user = &s.users[1 + 8 * rng.below((s.users.len() + 6) / 8)];
                    principal_id = user.id.clone();
                    action = OPERATOR_ACTIONS[rng.below(2)];
                    if rng.below(4) != 0 {
                        mfa = true;
                        ip = IpAddr::V4(Ipv4Addr::new(10, 9, 8, 7));
                        day = rng.below(5) as u32;
                        minute = 9 * 60 + rng.below(9 * 60) as u32;
                    }
                }
                68..80 => {}
                80..88 => {
                    locked = true;
                    action = LOCKED_ACTIONS[rng.below(LOCKED_ACTIONS.len())];
                }
                88..96 => {
                    principal_tenant = foreign(t, tenants);
                    principal_id = if tenants > 1 {
                        let f = &shapes[(t + 1) % tenants];
                        f.users[rng.below(f.users.len())].id.clone()
                    } else {
                        format!("user{}@outsider.example", rng.below(100))
                    };
                }
                _ => {
                    principal_tenant = foreign(t, tenants);
                    principal_id = s.guest.clone();
                    action = "read";
                }
            }
            let now = at_local(s.zone, day, minute);
            let local =
                now.with_timezone(&s.zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC));
            let mut ask = Ask {
                tenant: t,
                principal_tenant,
                principal_id,
                action,
                kind,
                resource_tenant: s.slug.clone(),
                resource_id: uuid_from(&mut rng),
                owner,
                locked,
                mfa,
                ip,
                now,
                weekday: local.weekday().number_from_monday(),
                minute: local.hour() * 60 + local.minute(),
                expected: false,
            };
            ask.expected = reference(s, &ask);
            ask
        })
        .collect()
}

// ---------------------------------------------------------------------------
// tenant-kit

const BASE: &str = r#"
schema_version: 1
id: 00000000-0000-4000-8000-000000000000
slug: label-00000
display_name: Bench label
tier: enterprise
status: active
locale: en
time_zone: UTC
data_residency: { region: eu-west-1 }
contacts:
  - { name: Ops, email: ops@example.com, role: owner }
isolation:
  mode: schema
  database: { name: music, schema: tenant_bench, role: bench_app }
  cache: { key_prefix: "bench:", acl_user: bench }
"#;

fn name(s: &str) -> Name {
    Name::new(s).unwrap_or_else(|e| panic!("{e}"))
}

fn perm(p: &str) -> Permission {
    Permission::new(p).unwrap_or_else(|e| panic!("{e}"))
}

fn user_subject(id: &str) -> Subject {
    Subject {
        kind: SubjectKind::User,
        id: id.to_owned(),
    }
}

pub fn tenant_kit_document(base: &Tenant, s: &Shape, tenants: usize) -> Tenant {
    let mut t = base.clone();
    t.slug = Slug::new(s.slug.clone()).unwrap_or_else(|e| panic!("{e}"));
    t.id = TenantId::new(format!("00000000-0000-4000-8000-{:012}", s.index))
        .unwrap_or_else(|e| panic!("{e}"));
    t.time_zone = TimeZone::new(s.zone).unwrap_or_else(|e| panic!("{e}"));
    let mut roles: Vec<Role> = s
        .roles
        .iter()
        .map(|r| Role {
            name: name(&r.name),
            description: None,
            permissions: r.permissions.iter().map(|p| perm(p)).collect(),
            inherits: r
                .inherits
                .map(|i| name(&s.roles[i].name))
                .into_iter()
                .collect(),
        })
        .collect();
    roles.push(Role {
        name: name("owner-writer"),
        description: None,
        permissions: vec![perm("*:write")],
        inherits: Vec::new(),
    });
    roles.push(Role {
        name: name("operator"),
        description: None,
        permissions: OPERATOR_ACTIONS
            .iter()
            .map(|a| perm(&format!("*:{a}")))
            .collect(),
        inherits: Vec::new(),
    });
    let business = Conditions {
        time_window: Some(TimeWindow {
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            start: ClockTime::new("09:00").unwrap_or_else(|e| panic!("{e}")),
            end: ClockTime::new("18:00").unwrap_or_else(|e| panic!("{e}")),
        }),
        source_cidrs: vec![Cidr::new("10.0.0.0/8").unwrap_or_else(|e| panic!("{e}"))],
        require_mfa: true,
        ..Conditions::default()
    };
    let mut bindings = Vec::new();
    for u in &s.users {
        for &r in &u.roles {
            bindings.push(Binding {
                subject: user_subject(&u.id),
                role: name(&s.roles[r].name),
                conditions: Conditions::default(),
                expires_at: None,
            });
        }
        if u.operator {
            bindings.push(Binding {
                subject: user_subject(&u.id),
                role: name("operator"),
                conditions: business.clone(),
                expires_at: None,
            });
        }
    }
    bindings.push(Binding {
        subject: Subject {
            kind: SubjectKind::Group,
            id: "staff".to_owned(),
        },
        role: name("owner-writer"),
        conditions: Conditions {
            owner_only: true,
            ..Conditions::default()
        },
        expires_at: None,
    });
    t.access_control = AccessControl {
        roles,
        bindings,
        denies: vec![Deny {
            name: name("locked"),
            subjects: Vec::new(),
            permissions: LOCKED_ACTIONS
                .iter()
                .map(|a| perm(&format!("*:{a}")))
                .collect(),
            when_locked: true,
            min_classification: None,
            reason: "locked resources do not change".to_owned(),
        }],
        cross_tenant_grants: vec![CrossTenantGrant {
            name: name("partner-reads"),
            grantee: Grantee::Tenant(
                Slug::new(foreign(s.index, tenants)).unwrap_or_else(|e| panic!("{e}")),
            ),
            subjects: vec![user_subject(&s.guest)],
            permissions: vec![perm("*:read")],
            require_mfa: false,
            expires_at: Timestamp::new("2100-01-01T00:00:00Z").unwrap_or_else(|e| panic!("{e}")),
            reason: "partner label".to_owned(),
        }],
        last_access_review: None,
    };
    t
}

pub fn tenant_kit_documents(shapes: &[Shape]) -> Vec<Tenant> {
    let base =
        tenant_model::parse::<Tenant>(BASE, Format::Yaml).unwrap_or_else(|p| panic!("{p:?}"));
    shapes
        .iter()
        .map(|s| tenant_kit_document(&base, s, shapes.len()))
        .collect()
}

// ---------------------------------------------------------------------------
// Cedar: one policy set and one entity store per tenant. Resource kinds are
// entity types; the resource's owner, lock and tenant come in the context
// (as they do in tenant-kit's request), so the store holds the tenant's
// users, roles and group, and the foreign guest.

fn cedar_type(kind: &str) -> String {
    let mut c = kind.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn uid(kind: &str, id: &str) -> cedar_policy::EntityUid {
    cedar_policy::EntityUid::from_type_name_and_id(
        cedar_policy::EntityTypeName::from_str(kind).unwrap_or_else(|e| panic!("{e}")),
        cedar_policy::EntityId::new(id),
    )
}

fn cedar_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Tenant `s`'s Cedar policies.
pub fn cedar_policy_text(s: &Shape) -> String {
    let mut out = String::new();
    let slug = &s.slug;
    let role = |r: &str| format!("Role::\"{slug}/{r}\"");
    for r in &s.roles {
        for p in &r.permissions {
            let (k, a) = p.split_once(':').unwrap_or(("*", "*"));
            let action = if a == "*" {
                "action".to_owned()
            } else {
                format!("action == Action::\"{a}\"")
            };
            let resource = if k == "*" {
                "resource".to_owned()
            } else {
                format!("resource is {}", cedar_type(k))
            };
            out.push_str(&format!(
                "permit(principal in {}, {action}, {resource});\n",
                role(&r.name)
            ));
        }
    }
    out.push_str(&format!(
        "permit(principal in Group::\"{slug}/staff\", action == Action::\"write\", resource) when {{ context.owner == principal }};\n"
    ));
    out.push_str(&format!(
        "permit(principal in {}, action in [Action::\"delete\", Action::\"archive\"], resource) when {{\n  context.mfa && context.ip.isInRange(ip(\"10.0.0.0/8\")) &&\n  context.weekday <= 5 && context.minute >= 540 && context.minute < 1080\n}};\n",
        role("operator")
    ));
    out.push_str(
        "forbid(principal, action in [Action::\"write\", Action::\"delete\", Action::\"archive\"], resource) when { context.locked };\n",
    );
    let guest = cedar_escape(&s.guest);
    out.push_str(&format!(
        "forbid(principal, action, resource) when {{ context.tenant == \"{slug}\" }} unless {{\n  context.principal_tenant == \"{slug}\" ||\n  (action == Action::\"read\" && principal == User::\"{guest}\")\n}};\n"
    ));
    out.push_str(&format!(
        "permit(principal == User::\"{guest}\", action == Action::\"read\", resource);\n"
    ));
    out
}

pub fn cedar_policies(s: &Shape) -> cedar_policy::PolicySet {
    cedar_policy::PolicySet::from_str(&cedar_policy_text(s)).unwrap_or_else(|e| panic!("{e}"))
}

fn entity(
    id: cedar_policy::EntityUid,
    parents: Vec<cedar_policy::EntityUid>,
) -> cedar_policy::Entity {
    cedar_policy::Entity::new(
        id,
        HashMap::new(),
        parents.into_iter().collect::<HashSet<_>>(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn cedar_tenant_entities(s: &Shape) -> Vec<cedar_policy::Entity> {
    let slug = &s.slug;
    let role = |r: &str| uid("Role", &format!("{slug}/{r}"));
    let mut all = Vec::with_capacity(s.users.len() + s.roles.len() + 4);
    for r in &s.roles {
        let parents = r
            .inherits
            .map(|i| role(&s.roles[i].name))
            .into_iter()
            .collect();
        all.push(entity(role(&r.name), parents));
    }
    all.push(entity(role("operator"), Vec::new()));
    all.push(entity(uid("Group", &format!("{slug}/staff")), Vec::new()));
    for u in &s.users {
        let mut parents: Vec<_> = u.roles.iter().map(|&r| role(&s.roles[r].name)).collect();
        if u.operator {
            parents.push(role("operator"));
        }
        parents.push(uid("Group", &format!("{slug}/staff")));
        all.push(entity(uid("User", &u.id), parents));
    }
    all
}

/// Tenant `s`'s own store, with the foreign guest its grant names.
pub fn cedar_entities(s: &Shape) -> cedar_policy::Entities {
    let mut all = cedar_tenant_entities(s);
    all.push(entity(uid("User", &s.guest), Vec::new()));
    cedar_policy::Entities::from_entities(all, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The shared variant: every tenant's policies in one set (the tenant
/// boundary of each applies to its own resources only) and one store.
pub fn cedar_shared(shapes: &[Shape]) -> (cedar_policy::PolicySet, cedar_policy::Entities) {
    let text: String = shapes.iter().map(cedar_policy_text).collect();
    let policies = cedar_policy::PolicySet::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut all: Vec<_> = shapes.iter().flat_map(cedar_tenant_entities).collect();
    if shapes.len() == 1 {
        all.push(entity(uid("User", &shapes[0].guest), Vec::new()));
    }
    let entities =
        cedar_policy::Entities::from_entities(all, None).unwrap_or_else(|e| panic!("{e}"));
    (policies, entities)
}

pub fn cedar_request(ask: &Ask) -> cedar_policy::Request {
    use cedar_policy::RestrictedExpression as E;
    let context = cedar_policy::Context::from_pairs([
        (
            "tenant".to_owned(),
            E::new_string(ask.resource_tenant.clone()),
        ),
        (
            "principal_tenant".to_owned(),
            E::new_string(ask.principal_tenant.clone()),
        ),
        (
            "owner".to_owned(),
            E::new_entity_uid(uid("User", &ask.owner)),
        ),
        ("locked".to_owned(), E::new_bool(ask.locked)),
        ("mfa".to_owned(), E::new_bool(ask.mfa)),
        ("ip".to_owned(), E::new_ip(ask.ip.to_string())),
        ("weekday".to_owned(), E::new_long(i64::from(ask.weekday))),
        ("minute".to_owned(), E::new_long(i64::from(ask.minute))),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    cedar_policy::Request::new(
        uid("User", &ask.principal_id),
        uid("Action", ask.action),
        uid(
            &cedar_type(ask.kind),
            &format!("{}/{}", ask.resource_tenant, ask.resource_id),
        ),
        context,
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------
// casbin: RBAC with domains, the same model as the simple workload.

pub fn casbin_enforcer(shapes: &[Shape]) -> casbin::Enforcer {
    use casbin::{CoreApi, MgmtApi};
    pollster::block_on(async {
        let model = casbin::DefaultModel::from_str(crate::CASBIN_MODEL)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut e = casbin::Enforcer::new(model, casbin::MemoryAdapter::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        crate::casbin_functions(&mut e);
        let mut p: Vec<Vec<String>> = Vec::new();
        let mut g: Vec<Vec<String>> = Vec::new();
        let row = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
        p.push(row(&["*", "*", "*", "*", "deny", "foreign"]));
        for s in shapes {
            let d = s.slug.as_str();
            for r in &s.roles {
                for perm in &r.permissions {
                    let (k, a) = perm.split_once(':').unwrap_or(("*", "*"));
                    p.push(row(&[&r.name, d, k, a, "allow", ""]));
                }
                if let Some(i) = r.inherits {
                    g.push(row(&[&r.name, &s.roles[i].name, d]));
                }
            }
            p.push(row(&["*", d, "*", "write", "allow", "owner"]));
            for a in OPERATOR_ACTIONS {
                p.push(row(&["operator", d, "*", a, "allow", "business"]));
            }
            for a in LOCKED_ACTIONS {
                p.push(row(&["*", d, "*", a, "deny", "locked"]));
            }
            p.push(row(&["guest", d, "*", "read", "allow", ""]));
            for u in &s.users {
                let user = format!("{d}/{}", u.id);
                for &r in &u.roles {
                    g.push(row(&[&user, &s.roles[r].name, d]));
                }
                if u.operator {
                    g.push(row(&[&user, "operator", d]));
                }
            }
            g.push(row(&[
                &format!("{}/{}", foreign(s.index, shapes.len()), s.guest),
                "guest",
                d,
            ]));
        }
        e.add_policies(p).await.unwrap_or_else(|e| panic!("{e}"));
        e.add_grouping_policies(g)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        e
    })
}

/// The casbin request: sub, sdom, dom, obj, act, owner, locked, mfa, ip, wd, min.
pub fn casbin_request(ask: &Ask) -> Vec<String> {
    vec![
        format!("{}/{}", ask.principal_tenant, ask.principal_id),
        ask.principal_tenant.clone(),
        ask.resource_tenant.clone(),
        ask.kind.to_owned(),
        ask.action.to_owned(),
        format!("{}/{}", ask.resource_tenant, ask.owner),
        if ask.locked { "1" } else { "0" }.to_owned(),
        if ask.mfa { "1" } else { "0" }.to_owned(),
        ask.ip.to_string(),
        ask.weekday.to_string(),
        ask.minute.to_string(),
    ]
}
