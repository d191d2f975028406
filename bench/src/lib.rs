//! The benchmark workload, identical for every engine: tenants with five roles,
//! a hundred users and a thousand resources each, and 10 000 requests from a
//! fixed seed; plus its translation to tenant-kit, Cedar and casbin.

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

pub mod harness;
pub mod realistic;

pub const USERS: usize = 100;
pub const RESOURCES: usize = 1_000;
pub const FOLDERS: usize = 10;
pub const ACTIONS: [&str; 5] = ["read", "write", "delete", "share", "export"];
pub const ZONES: [&str; 4] = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"];
pub const REQUESTS: usize = 10_000;
pub const SEED: u64 = 0x5eed_2026;

/// Request classes and their share of the 10 000 requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    RoleAllow,
    ConditionAllow,
    DefaultDeny,
    ExplicitDeny,
    CrossTenantDeny,
    CrossTenantAllow,
}

impl Class {
    pub fn expected(self) -> bool {
        matches!(
            self,
            Class::RoleAllow | Class::ConditionAllow | Class::CrossTenantAllow
        )
    }
}

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

pub fn slug(i: usize) -> String {
    format!("t{i:05}")
}

/// The tenant whose principals make the cross-tenant requests into tenant `i`.
pub fn foreign(i: usize, tenants: usize) -> String {
    if tenants > 1 {
        slug((i + 1) % tenants)
    } else {
        "outsider".to_owned()
    }
}

pub fn locked(r: usize) -> bool {
    r % 50 == 0
}

pub fn owner(r: usize) -> usize {
    (r * 7) % USERS
}

pub fn folder(r: usize) -> usize {
    r % FOLDERS
}

/// u0..u9 admin, u10..u39 editor, the rest viewer; u0..u19 may also delete
/// (business hours, office network, MFA).
pub fn role_of(u: usize) -> &'static str {
    match u {
        0..10 => "admin",
        10..40 => "editor",
        _ => "viewer",
    }
}

pub fn deleter(u: usize) -> bool {
    u < 20
}

/// What a role allows without conditions, as (folder or None for any, action).
pub fn role_allows(role: &str, f: usize, action: &str) -> bool {
    let viewer = action == "read" && f < 6;
    let editor = viewer || (action == "write" && f < 2);
    let admin = editor || action == "read" || action == "share";
    match role {
        "viewer" => viewer,
        "editor" => editor,
        _ => admin,
    }
}

/// One request with owned strings, made before any timing.
#[derive(Debug, Clone)]
pub struct Ask {
    pub class: Class,
    pub tenant: usize,
    pub principal_tenant: String,
    pub principal_user: usize,
    pub principal_id: String,
    pub action: &'static str,
    pub resource: usize,
    pub resource_tenant: String,
    pub resource_id: String,
    pub kind: String,
    pub owner: String,
    pub locked: bool,
    pub mfa: bool,
    pub ip: IpAddr,
    pub now: DateTime<Utc>,
    /// Day of week (1 = Monday) and minute of day in the resource tenant's zone.
    pub weekday: u32,
    pub minute: u32,
}

pub static GROUPS: [&str; 1] = ["staff"];

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
            Resource::new(&self.resource_tenant, &self.kind, &self.resource_id)
                .with_owner(&self.owner)
                .with_classification(Classification::Internal)
                .with_locked(self.locked),
            self.now,
        )
    }
}

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 4).unwrap_or_default()
}

/// A UTC instant at local weekday `day` (0 = Monday) and `minute` in `zone`.
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

pub fn requests(tenants: usize) -> Vec<Ask> {
    let mut rng = Rng(SEED);
    (0..REQUESTS)
        .map(|_| one_request(&mut rng, tenants))
        .collect()
}

fn one_request(rng: &mut Rng, tenants: usize) -> Ask {
    let roll = rng.below(100);
    let class = match roll {
        0..40 => Class::RoleAllow,
        40..55 => Class::ConditionAllow,
        55..75 => Class::DefaultDeny,
        75..85 => Class::ExplicitDeny,
        85..95 => Class::CrossTenantDeny,
        _ => Class::CrossTenantAllow,
    };
    let t = rng.below(tenants);
    let zone = ZONES[t % ZONES.len()];
    let mut mfa = rng.below(2) == 0;
    let mut ip = if rng.below(2) == 0 {
        IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))
    } else {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))
    };
    let mut day = rng.below(7) as u32;
    let mut minute = rng.below(24 * 60) as u32;
    let mut principal_tenant = slug(t);
    let random_resource = |rng: &mut Rng, f: usize, unlocked: bool| loop {
        let r = f + FOLDERS * rng.below(RESOURCES / FOLDERS);
        if !unlocked || !locked(r) {
            break r;
        }
    };
    let (u, action, r) = match class {
        Class::RoleAllow => {
            let u = rng.below(USERS);
            let role = role_of(u);
            loop {
                let f = rng.below(FOLDERS);
                let action = ACTIONS[rng.below(ACTIONS.len())];
                if role_allows(role, f, action) {
                    break (u, action, random_resource(rng, f, action != "read"));
                }
            }
        }
        Class::ConditionAllow => {
            if rng.below(2) == 0 {
                // A viewer writes a resource of its own.
                let u = loop {
                    // Users whose resources are all locked (u50) cannot take part.
                    let u = 40 + rng.below(USERS - 40);
                    if (43 * u) % 50 != 0 {
                        break u;
                    }
                };
                let r = loop {
                    let r = (43 * u) % USERS + USERS * rng.below(RESOURCES / USERS);
                    if !locked(r) {
                        break r;
                    }
                };
                (u, "write", r)
            } else {
                // A deleter deletes in business hours, from the office, with MFA.
                let u = rng.below(20);
                mfa = true;
                ip = IpAddr::V4(Ipv4Addr::new(10, 9, 8, 7));
                day = rng.below(5) as u32;
                minute = 9 * 60 + rng.below(9 * 60) as u32;
                (u, "delete", {
                    let f = rng.below(FOLDERS);
                    random_resource(rng, f, true)
                })
            }
        }
        Class::DefaultDeny => {
            if rng.below(4) == 0 {
                // A deleter outside business hours: a failed condition.
                let u = rng.below(20);
                day = 5 + rng.below(2) as u32;
                (u, "delete", {
                    let f = rng.below(FOLDERS);
                    random_resource(rng, f, true)
                })
            } else {
                let u = 40 + rng.below(USERS - 40);
                let action = ["share", "export", "delete"][rng.below(3)];
                (u, action, {
                    let f = rng.below(FOLDERS);
                    random_resource(rng, f, true)
                })
            }
        }
        Class::ExplicitDeny => {
            // Editors and admins write folder 0, where locked resources live.
            let u = rng.below(40);
            let r = FOLDERS * 5 * rng.below(RESOURCES / (FOLDERS * 5));
            (u, "write", r)
        }
        Class::CrossTenantDeny => {
            principal_tenant = foreign(t, tenants);
            let u = 1 + rng.below(USERS - 1);
            (u, "read", {
                let f = rng.below(FOLDERS);
                random_resource(rng, f, false)
            })
        }
        Class::CrossTenantAllow => {
            principal_tenant = foreign(t, tenants);
            (0, "read", {
                let f = rng.below(FOLDERS);
                random_resource(rng, f, false)
            })
        }
    };
    let now = at_local(zone, day, minute);
    let local = now.with_timezone(&zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC));
    Ask {
        class,
        tenant: t,
        principal_id: format!("u{u}"),
        principal_user: u,
        principal_tenant,
        action,
        resource: r,
        resource_tenant: slug(t),
        resource_id: format!("r{r}"),
        kind: format!("f{}", folder(r)),
        owner: format!("u{}", owner(r)),
        locked: locked(r),
        mfa,
        ip,
        now,
        weekday: local.weekday().number_from_monday(),
        minute: local.hour() * 60 + local.minute(),
    }
}

// ---------------------------------------------------------------------------
// tenant-kit

const BASE: &str = r#"
schema_version: 1
id: 00000000-0000-4000-8000-000000000000
slug: t00000
display_name: Bench tenant
tier: professional
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

fn perms(list: &[&str]) -> Vec<Permission> {
    list.iter()
        .map(|p| Permission::new(*p).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn role(n: &str, permissions: &[&str], inherits: &[&str]) -> Role {
    Role {
        name: name(n),
        description: None,
        permissions: perms(permissions),
        inherits: inherits.iter().map(|i| name(i)).collect(),
    }
}

pub struct TenantKitTemplate {
    base: Tenant,
    roles: Vec<Role>,
}

impl TenantKitTemplate {
    pub fn new() -> Self {
        let base =
            tenant_model::parse::<Tenant>(BASE, Format::Yaml).unwrap_or_else(|p| panic!("{p:?}"));
        let roles = vec![
            role(
                "viewer",
                &[
                    "f0:read", "f1:read", "f2:read", "f3:read", "f4:read", "f5:read",
                ],
                &[],
            ),
            role("editor", &["f0:write", "f1:write"], &["viewer"]),
            role("admin", &["*:read", "*:share"], &["editor"]),
            role("writer", &["*:write"], &[]),
            role("deleter", &["*:delete"], &[]),
        ];
        TenantKitTemplate { base, roles }
    }

    /// Tenant `i`'s document.
    pub fn tenant(&self, i: usize, tenants: usize) -> Tenant {
        let mut t = self.base.clone();
        t.slug = Slug::new(slug(i)).unwrap_or_else(|e| panic!("{e}"));
        t.id = TenantId::new(format!("00000000-0000-4000-8000-{i:012}"))
            .unwrap_or_else(|e| panic!("{e}"));
        t.time_zone = TimeZone::new(ZONES[i % ZONES.len()]).unwrap_or_else(|e| panic!("{e}"));
        let user = |u: usize| Subject {
            kind: SubjectKind::User,
            id: format!("u{u}"),
        };
        let mut bindings: Vec<Binding> = (0..USERS)
            .map(|u| Binding {
                subject: user(u),
                role: name(role_of(u)),
                conditions: Conditions::default(),
                expires_at: None,
            })
            .collect();
        bindings.push(Binding {
            subject: Subject {
                kind: SubjectKind::Group,
                id: "staff".to_owned(),
            },
            role: name("writer"),
            conditions: Conditions {
                owner_only: true,
                ..Conditions::default()
            },
            expires_at: None,
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
        bindings.extend((0..USERS).filter(|&u| deleter(u)).map(|u| Binding {
            subject: user(u),
            role: name("deleter"),
            conditions: business.clone(),
            expires_at: None,
        }));
        t.access_control = AccessControl {
            roles: self.roles.clone(),
            bindings,
            denies: vec![Deny {
                name: name("locked"),
                subjects: Vec::new(),
                permissions: perms(&["*:write", "*:delete", "*:share"]),
                when_locked: true,
                min_classification: None,
                reason: "locked resources do not change".to_owned(),
            }],
            cross_tenant_grants: vec![CrossTenantGrant {
                name: name("partner-reads"),
                grantee: Grantee::Tenant(
                    Slug::new(foreign(i, tenants)).unwrap_or_else(|e| panic!("{e}")),
                ),
                subjects: vec![user(0)],
                permissions: perms(&["*:read"]),
                require_mfa: false,
                expires_at: Timestamp::new("2100-01-01T00:00:00Z")
                    .unwrap_or_else(|e| panic!("{e}")),
                reason: "partner label".to_owned(),
            }],
            last_access_review: None,
        };
        t
    }
}

impl Default for TenantKitTemplate {
    fn default() -> Self {
        Self::new()
    }
}

pub fn tenant_kit_documents(tenants: usize) -> Vec<Tenant> {
    let template = TenantKitTemplate::new();
    (0..tenants).map(|i| template.tenant(i, tenants)).collect()
}

// ---------------------------------------------------------------------------
// Cedar

pub const CEDAR_POLICIES: &str = r#"
permit(principal in Role::"viewer", action == Action::"read", resource in Folder::"f0");
permit(principal in Role::"viewer", action == Action::"read", resource in Folder::"f1");
permit(principal in Role::"viewer", action == Action::"read", resource in Folder::"f2");
permit(principal in Role::"viewer", action == Action::"read", resource in Folder::"f3");
permit(principal in Role::"viewer", action == Action::"read", resource in Folder::"f4");
permit(principal in Role::"viewer", action == Action::"read", resource in Folder::"f5");
permit(principal in Role::"editor", action == Action::"write", resource in Folder::"f0");
permit(principal in Role::"editor", action == Action::"write", resource in Folder::"f1");
permit(principal in Role::"admin", action == Action::"read", resource);
permit(principal in Role::"admin", action == Action::"share", resource);
permit(principal, action == Action::"write", resource) when { resource.owner == principal };
permit(principal in Role::"deleter", action == Action::"delete", resource) when {
  context.mfa && context.ip.isInRange(ip("10.0.0.0/8")) &&
  context.weekday <= 5 && context.minute >= 540 && context.minute < 1080
};
forbid(principal, action in [Action::"write", Action::"delete", Action::"share"], resource) when { resource.locked };
forbid(principal, action, resource) unless {
  principal.tenant == resource.tenant ||
  (action == Action::"read" && resource.tenant.guests.contains(principal))
};
permit(principal, action == Action::"read", resource) when { resource.tenant.guests.contains(principal) };
"#;

fn uid(kind: &str, id: &str) -> cedar_policy::EntityUid {
    cedar_policy::EntityUid::from_type_name_and_id(
        cedar_policy::EntityTypeName::from_str(kind).unwrap_or_else(|e| panic!("{e}")),
        cedar_policy::EntityId::new(id),
    )
}

fn user_uid(tenant: &str, u: usize) -> cedar_policy::EntityUid {
    uid("User", &format!("{tenant}/u{u}"))
}

fn entity(
    id: cedar_policy::EntityUid,
    attrs: Vec<(&str, cedar_policy::RestrictedExpression)>,
    parents: Vec<cedar_policy::EntityUid>,
) -> cedar_policy::Entity {
    cedar_policy::Entity::new(
        id,
        attrs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<HashMap<_, _>>(),
        parents.into_iter().collect::<HashSet<_>>(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Global entities: roles (with their hierarchy) and folders.
fn cedar_globals() -> Vec<cedar_policy::Entity> {
    let role = |r: &str, parents: &[&str]| {
        entity(
            uid("Role", r),
            Vec::new(),
            parents.iter().map(|p| uid("Role", p)).collect(),
        )
    };
    let mut out = vec![
        role("viewer", &[]),
        role("editor", &["viewer"]),
        role("admin", &["editor"]),
        role("writer", &[]),
        role("deleter", &[]),
    ];
    out.extend(
        (0..FOLDERS).map(|f| entity(uid("Folder", &format!("f{f}")), Vec::new(), Vec::new())),
    );
    out
}

/// A tenant's users (only, for a foreign tenant) as Cedar entities.
fn cedar_users(tenant: &str, out: &mut Vec<cedar_policy::Entity>) {
    use cedar_policy::RestrictedExpression as E;
    for u in 0..USERS {
        let mut parents = vec![uid("Role", role_of(u))];
        if deleter(u) {
            parents.push(uid("Role", "deleter"));
        }
        out.push(entity(
            user_uid(tenant, u),
            vec![("tenant", E::new_entity_uid(uid("Tenant", tenant)))],
            parents,
        ));
    }
}

/// Tenant `i`'s entities: the tenant, its users and its resources.
fn cedar_tenant(i: usize, tenants: usize, out: &mut Vec<cedar_policy::Entity>) {
    use cedar_policy::RestrictedExpression as E;
    let s = slug(i);
    out.push(entity(
        uid("Tenant", &s),
        vec![(
            "guests",
            E::new_set([E::new_entity_uid(user_uid(&foreign(i, tenants), 0))]),
        )],
        Vec::new(),
    ));
    cedar_users(&s, out);
    for r in 0..RESOURCES {
        out.push(entity(
            uid("Resource", &format!("{s}/r{r}")),
            vec![
                ("tenant", E::new_entity_uid(uid("Tenant", &s))),
                ("owner", E::new_entity_uid(user_uid(&s, owner(r)))),
                ("locked", E::new_bool(locked(r))),
            ],
            vec![uid("Folder", &format!("f{}", folder(r)))],
        ));
    }
}

pub fn cedar_policies() -> cedar_policy::PolicySet {
    cedar_policy::PolicySet::from_str(CEDAR_POLICIES).unwrap_or_else(|e| panic!("{e}"))
}

/// One entity store with every tenant (the shared-set variant).
pub fn cedar_shared_entities(tenants: usize) -> cedar_policy::Entities {
    let mut all = cedar_globals();
    for i in 0..tenants {
        cedar_tenant(i, tenants, &mut all);
    }
    if tenants == 1 {
        cedar_users("outsider", &mut all);
    }
    cedar_policy::Entities::from_entities(all, None).unwrap_or_else(|e| panic!("{e}"))
}

/// Tenant `i`'s own store, with the users of the tenant that sends it
/// cross-tenant requests (the per-tenant variant).
pub fn cedar_tenant_entities(i: usize, tenants: usize) -> cedar_policy::Entities {
    let mut all = cedar_globals();
    cedar_tenant(i, tenants, &mut all);
    cedar_users(&foreign(i, tenants), &mut all);
    cedar_policy::Entities::from_entities(all, None).unwrap_or_else(|e| panic!("{e}"))
}

pub fn cedar_request(ask: &Ask) -> cedar_policy::Request {
    use cedar_policy::RestrictedExpression as E;
    let context = cedar_policy::Context::from_pairs([
        ("mfa".to_owned(), E::new_bool(ask.mfa)),
        ("ip".to_owned(), E::new_ip(ask.ip.to_string())),
        ("weekday".to_owned(), E::new_long(i64::from(ask.weekday))),
        ("minute".to_owned(), E::new_long(i64::from(ask.minute))),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    cedar_policy::Request::new(
        user_uid(&ask.principal_tenant, ask.principal_user),
        uid("Action", ask.action),
        uid(
            "Resource",
            &format!("{}/{}", ask.resource_tenant, ask.resource_id),
        ),
        context,
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------
// casbin

pub const CASBIN_MODEL: &str = r#"
[request_definition]
r = sub, sdom, dom, obj, act, owner, locked, mfa, ip, wd, min

[policy_definition]
p = sub, dom, obj, act, eft, cond

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = (p.sub == "*" || g(r.sub, p.sub, r.dom)) && (p.dom == "*" || p.dom == r.dom) && (p.obj == "*" || p.obj == r.obj) && (p.act == "*" || p.act == r.act) && (p.cond == "" || (p.cond == "owner" && r.owner == r.sub) || (p.cond == "business" && r.mfa == "1" && inOffice(r.ip) && businessHours(r.wd, r.min)) || (p.cond == "locked" && r.locked == "1") || (p.cond == "foreign" && r.sdom != r.dom && !(r.act == "read" && g(r.sub, "guest", r.dom))))
"#;

fn in_office(ip: casbin::rhai::Dynamic) -> casbin::rhai::Dynamic {
    let ip = ip.into_immutable_string().unwrap_or_default();
    ip.starts_with("10.").into()
}

fn business_hours(wd: casbin::rhai::Dynamic, min: casbin::rhai::Dynamic) -> casbin::rhai::Dynamic {
    let wd: u32 = wd
        .into_immutable_string()
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);
    let min: u32 = min
        .into_immutable_string()
        .unwrap_or_default()
        .parse()
        .unwrap_or(0);
    (wd <= 5 && (540..1080).contains(&min)).into()
}

/// Registers the matcher's two functions, `inOffice` and `businessHours`.
pub fn casbin_functions(e: &mut casbin::Enforcer) {
    use casbin::CoreApi;
    e.add_function(
        "inOffice",
        casbin::function_map::OperatorFunction::Arg1(in_office),
    );
    e.add_function(
        "businessHours",
        casbin::function_map::OperatorFunction::Arg2(business_hours),
    );
}

pub fn casbin_enforcer(tenants: usize) -> casbin::Enforcer {
    use casbin::{CoreApi, MgmtApi};
    pollster::block_on(async {
        let model = casbin::DefaultModel::from_str(CASBIN_MODEL)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut e = casbin::Enforcer::new(model, casbin::MemoryAdapter::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        casbin_functions(&mut e);
        let mut p: Vec<Vec<String>> = Vec::new();
        let mut g: Vec<Vec<String>> = Vec::new();
        let row = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
        p.push(row(&["*", "*", "*", "*", "deny", "foreign"]));
        for i in 0..tenants {
            let d = slug(i);
            let d = d.as_str();
            for f in 0..6 {
                p.push(row(&["viewer", d, &format!("f{f}"), "read", "allow", ""]));
            }
            p.push(row(&["editor", d, "f0", "write", "allow", ""]));
            p.push(row(&["editor", d, "f1", "write", "allow", ""]));
            p.push(row(&["admin", d, "*", "read", "allow", ""]));
            p.push(row(&["admin", d, "*", "share", "allow", ""]));
            p.push(row(&["*", d, "*", "write", "allow", "owner"]));
            p.push(row(&["deleter", d, "*", "delete", "allow", "business"]));
            for act in ["write", "delete", "share"] {
                p.push(row(&["*", d, "*", act, "deny", "locked"]));
            }
            p.push(row(&["guest", d, "*", "read", "allow", ""]));
            g.push(row(&["editor", "viewer", d]));
            g.push(row(&["admin", "editor", d]));
            for u in 0..USERS {
                let user = format!("{d}/u{u}");
                g.push(row(&[&user, role_of(u), d]));
                if deleter(u) {
                    g.push(row(&[&user, "deleter", d]));
                }
            }
            g.push(row(&[&format!("{}/u0", foreign(i, tenants)), "guest", d]));
        }
        e.add_policies(p).await.unwrap_or_else(|e| panic!("{e}"));
        e.add_grouping_policies(g)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        e
    })
}

/// The casbin request, made before timing: sub, sdom, dom, obj, act, owner,
/// locked, mfa, ip, wd, min.
pub fn casbin_request(ask: &Ask) -> Vec<String> {
    vec![
        format!("{}/{}", ask.principal_tenant, ask.principal_id),
        ask.principal_tenant.clone(),
        ask.resource_tenant.clone(),
        ask.kind.clone(),
        ask.action.to_owned(),
        format!("{}/{}", ask.resource_tenant, ask.owner),
        if ask.locked { "1" } else { "0" }.to_owned(),
        if ask.mfa { "1" } else { "0" }.to_owned(),
        ask.ip.to_string(),
        ask.weekday.to_string(),
        ask.minute.to_string(),
    ]
}
