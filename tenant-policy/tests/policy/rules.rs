//! One test per semantic rule, through a data-driven `check` helper.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use tenant_model::{
    Cidr, Classification, ClockTime, SubjectKind, Tenant, TenantStatus, TimeWindow, Weekday,
};
use tenant_policy::authz::{
    Condition, PolicySet, Principal, PrincipalKind, Reason, Request, Resource,
};

use super::*;

/// A request in a compact form: who (`kind`, `id`, `tenant`), what
/// (`kind:action` on a resource of `resource_tenant`).
struct Ask<'a> {
    principal: PrincipalKind,
    id: &'a str,
    tenant: &'a str,
    groups: &'a [&'a str],
    mfa: bool,
    ip: Option<&'a str>,
    permission: &'a str,
    resource_tenant: &'a str,
    owner: Option<&'a str>,
    classification: Classification,
    locked: bool,
    now: DateTime<Utc>,
}

fn ask<'a>(id: &'a str, tenant: &'a str, permission: &'a str, resource_tenant: &'a str) -> Ask<'a> {
    Ask {
        principal: PrincipalKind::User,
        id,
        tenant,
        groups: Default::default(),
        mfa: false,
        ip: None,
        permission,
        resource_tenant,
        owner: None,
        classification: PUBLIC,
        locked: false,
        now: monday_morning(),
    }
}

fn check(tenants: &[Tenant], ask: Ask<'_>, expected: Reason) {
    let set = PolicySet::compile(tenants).unwrap();
    let (kind, action) = ask.permission.split_once(':').unwrap();
    let ip: Option<IpAddr> = ask.ip.map(|ip| ip.parse().unwrap());
    let mut principal = Principal::new(ask.principal, ask.id, ask.tenant)
        .with_groups(ask.groups)
        .with_mfa(ask.mfa);
    principal.source_ip = ip;
    let mut resource = Resource::new(ask.resource_tenant, kind, "r-1")
        .with_classification(ask.classification)
        .with_locked(ask.locked);
    resource.owner = ask.owner;
    let request = Request::new(principal, action, resource, ask.now);
    let decision = set.authorize(&request);
    assert_eq!(
        decision.reason(),
        expected,
        "{}",
        decision.explain(&set).unwrap()
    );
    let allowed = matches!(expected, Reason::AllowedByRole | Reason::AllowedByGrant);
    assert_eq!(decision.is_allowed(), allowed);
}

/// Tenant `acme`: viewer < editor < admin; alice is editor, bob admin,
/// group `ops` viewer, service account `ci` editor.
fn acme() -> Tenant {
    let mut t = tenant("acme");
    let ac = &mut t.access_control;
    ac.roles = vec![
        role("viewer", &["track:read", "*:list"], &[]),
        role("editor", &["track:write"], &["viewer"]),
        role("admin", &["*:*"], &["editor"]),
    ];
    ac.bindings = vec![
        binding(user("alice"), "editor"),
        binding(user("bob"), "admin"),
        binding(subject(SubjectKind::Group, "ops"), "viewer"),
        binding(subject(SubjectKind::ServiceAccount, "ci"), "editor"),
    ];
    t
}

fn conditional(conditions: tenant_model::Conditions) -> Tenant {
    let mut t = acme();
    t.access_control.bindings = vec![tenant_model::Binding {
        conditions,
        ..binding(user("carol"), "editor")
    }];
    t
}

#[test]
fn default_deny() {
    check(
        &[acme()],
        ask("alice", "acme", "track:delete", "acme"),
        Reason::NoMatchingGrant,
    );
    check(
        &[acme()],
        ask("nobody", "acme", "track:read", "acme"),
        Reason::NoMatchingGrant,
    );
    check(
        &[tenant("acme")],
        ask("alice", "acme", "track:read", "acme"),
        Reason::NoMatchingGrant,
    );
}

#[test]
fn roles_and_inheritance() {
    check(
        &[acme()],
        ask("alice", "acme", "track:write", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &[acme()],
        ask("alice", "acme", "track:read", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &[acme()],
        ask("bob", "acme", "album:delete", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &[acme()],
        Ask {
            groups: &["ops"],
            ..ask("dave", "acme", "track:read", "acme")
        },
        Reason::AllowedByRole,
    );
    check(
        &[acme()],
        Ask {
            groups: &["ops"],
            ..ask("dave", "acme", "track:write", "acme")
        },
        Reason::NoMatchingGrant,
    );
    check(
        &[acme()],
        Ask {
            principal: PrincipalKind::ServiceAccount,
            ..ask("ci", "acme", "track:write", "acme")
        },
        Reason::AllowedByRole,
    );
    // A service account named like a user gets nothing of the user's.
    check(
        &[acme()],
        Ask {
            principal: PrincipalKind::ServiceAccount,
            ..ask("alice", "acme", "track:write", "acme")
        },
        Reason::NoMatchingGrant,
    );
}

#[test]
fn wildcards() {
    // `*:list` of viewer, inherited by editor; unknown kinds match wildcards only.
    check(
        &[acme()],
        ask("alice", "acme", "playlist:list", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &[acme()],
        ask("alice", "acme", "never-named:list", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &[acme()],
        ask("alice", "acme", "never-named:read", "acme"),
        Reason::NoMatchingGrant,
    );
    check(
        &[acme()],
        ask("bob", "acme", "never-named:never-named", "acme"),
        Reason::AllowedByRole,
    );
    let mut t = acme();
    t.access_control.roles[0] = role("viewer", &["track:*"], &[]);
    check(
        std::slice::from_ref(&t),
        ask("alice", "acme", "track:anything", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &[t],
        ask("alice", "acme", "album:anything", "acme"),
        Reason::NoMatchingGrant,
    );
}

#[test]
fn deny_beats_allow() {
    let mut t = acme();
    t.access_control.denies = vec![tenant_model::Deny {
        when_locked: true,
        ..deny("hold", &["*:write"])
    }];
    check(
        std::slice::from_ref(&t),
        ask("bob", "acme", "track:write", "acme"),
        Reason::AllowedByRole,
    );
    check(
        std::slice::from_ref(&t),
        Ask {
            locked: true,
            ..ask("bob", "acme", "track:write", "acme")
        },
        Reason::ExplicitDeny,
    );
    check(
        std::slice::from_ref(&t),
        Ask {
            locked: true,
            ..ask("bob", "acme", "track:read", "acme")
        },
        Reason::AllowedByRole,
    );

    let mut t = acme();
    t.access_control.denies = vec![tenant_model::Deny {
        min_classification: Some(Classification::Confidential),
        subjects: vec![user("alice")],
        ..deny("secret", &["track:read"])
    }];
    let secret = |id| Ask {
        classification: Classification::Restricted,
        ..ask(id, "acme", "track:read", "acme")
    };
    check(
        std::slice::from_ref(&t),
        secret("alice"),
        Reason::ExplicitDeny,
    );
    check(
        std::slice::from_ref(&t),
        secret("bob"),
        Reason::AllowedByRole,
    );
    check(
        &[t],
        Ask {
            classification: Classification::Internal,
            ..secret("alice")
        },
        Reason::AllowedByRole,
    );
}

#[test]
fn binding_conditions() {
    let at = |h: i64| monday_morning() + Duration::hours(h);
    let window = conditional(tenant_model::Conditions {
        time_window: Some(TimeWindow {
            days: vec![Weekday::Mon, Weekday::Tue],
            start: ClockTime::new("09:00").unwrap(),
            end: ClockTime::new("18:00").unwrap(),
        }),
        ..Default::default()
    });
    // 08:00 UTC is 10:00 in Paris (summer time).
    check(
        std::slice::from_ref(&window),
        Ask {
            now: at(0),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::AllowedByRole,
    );
    check(
        std::slice::from_ref(&window),
        Ask {
            now: at(-1),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::AllowedByRole,
    );
    check(
        std::slice::from_ref(&window),
        Ask {
            now: at(-2),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::ConditionFailed(Condition::TimeWindow),
    );
    check(
        std::slice::from_ref(&window),
        Ask {
            now: at(10),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::ConditionFailed(Condition::TimeWindow),
    );
    check(
        &[window],
        Ask {
            now: at(48),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::ConditionFailed(Condition::TimeWindow),
    );

    let cidr = conditional(tenant_model::Conditions {
        source_cidrs: vec![
            Cidr::new("10.20.0.0/16").unwrap(),
            Cidr::new("2001:db8::/32").unwrap(),
        ],
        ..Default::default()
    });
    let from = |ip| Ask {
        ip,
        ..ask("carol", "acme", "track:write", "acme")
    };
    check(
        std::slice::from_ref(&cidr),
        from(Some("10.20.3.4")),
        Reason::AllowedByRole,
    );
    check(
        std::slice::from_ref(&cidr),
        from(Some("2001:db8::1")),
        Reason::AllowedByRole,
    );
    check(
        std::slice::from_ref(&cidr),
        from(Some("10.21.3.4")),
        Reason::ConditionFailed(Condition::SourceCidr),
    );
    check(
        &[cidr],
        from(None),
        Reason::ConditionFailed(Condition::SourceCidr),
    );

    let mfa = conditional(tenant_model::Conditions {
        require_mfa: true,
        ..Default::default()
    });
    check(
        std::slice::from_ref(&mfa),
        ask("carol", "acme", "track:write", "acme"),
        Reason::ConditionFailed(Condition::Mfa),
    );
    check(
        &[mfa],
        Ask {
            mfa: true,
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::AllowedByRole,
    );

    let class = conditional(tenant_model::Conditions {
        max_classification: Some(Classification::Internal),
        ..Default::default()
    });
    check(
        std::slice::from_ref(&class),
        Ask {
            classification: Classification::Confidential,
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::ConditionFailed(Condition::Classification),
    );
    check(
        &[class],
        Ask {
            classification: Classification::Internal,
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::AllowedByRole,
    );

    let owner = conditional(tenant_model::Conditions {
        owner_only: true,
        ..Default::default()
    });
    check(
        std::slice::from_ref(&owner),
        ask("carol", "acme", "track:write", "acme"),
        Reason::ConditionFailed(Condition::OwnerOnly),
    );
    check(
        std::slice::from_ref(&owner),
        Ask {
            owner: Some("alice"),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::ConditionFailed(Condition::OwnerOnly),
    );
    check(
        &[owner],
        Ask {
            owner: Some("carol"),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::AllowedByRole,
    );

    let mut expiring = conditional(tenant_model::Conditions::default());
    expiring.access_control.bindings[0].expires_at = Some(timestamp(monday_morning()));
    check(
        std::slice::from_ref(&expiring),
        ask("carol", "acme", "track:write", "acme"),
        Reason::ConditionFailed(Condition::Expired),
    );
    check(
        &[expiring],
        Ask {
            now: at(-1),
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::AllowedByRole,
    );
}

#[test]
fn a_later_binding_without_conditions_still_allows() {
    let mut t = conditional(tenant_model::Conditions {
        require_mfa: true,
        ..Default::default()
    });
    t.access_control
        .bindings
        .push(binding(subject(SubjectKind::Group, "staff"), "viewer"));
    check(
        std::slice::from_ref(&t),
        Ask {
            groups: &["staff"],
            ..ask("carol", "acme", "track:read", "acme")
        },
        Reason::AllowedByRole,
    );
    check(
        &[t],
        Ask {
            groups: &["staff"],
            ..ask("carol", "acme", "track:write", "acme")
        },
        Reason::ConditionFailed(Condition::Mfa),
    );
}

#[test]
fn tenant_boundary() {
    let mut other = acme();
    other.slug = Slug::new("other").unwrap();
    let both = [acme(), other];
    // alice is editor in both documents, but a principal of `acme` is not one of `other`.
    check(
        &both,
        ask("alice", "acme", "track:read", "other"),
        Reason::NoCrossTenantGrant,
    );
    check(
        &both,
        ask("alice", "other", "track:read", "other"),
        Reason::AllowedByRole,
    );
    check(
        &both,
        ask("alice", "acme", "track:read", "nowhere"),
        Reason::UnknownTenant,
    );
    // Platform operators are not exempt.
    let operator = |resource_tenant| Ask {
        principal: PrincipalKind::PlatformOperator,
        ..ask("root", "", "track:read", resource_tenant)
    };
    check(&both, operator("acme"), Reason::NoCrossTenantGrant);
    // Operators named `alice` in the tenant's own document still need a grant.
    check(
        &both,
        Ask {
            principal: PrincipalKind::PlatformOperator,
            ..ask("alice", "acme", "track:read", "acme")
        },
        Reason::NoCrossTenantGrant,
    );
}

#[test]
fn cross_tenant_grants() {
    let later = monday_morning() + Duration::days(1);
    let mut shared = acme();
    shared.access_control.cross_tenant_grants = vec![
        grant("label-reads", Some("label"), &["track:read"], later),
        grant("support", None, &["*:read"], later),
        grant("old", Some("label"), &["*:*"], monday_morning()),
    ];
    shared.access_control.denies = vec![tenant_model::Deny {
        when_locked: true,
        ..deny("hold", &["*:*"])
    }];
    let t = [shared.clone()];
    check(
        &t,
        ask("zoe", "label", "track:read", "acme"),
        Reason::AllowedByGrant,
    );
    // The expired grant gives nothing.
    check(
        &t,
        ask("zoe", "label", "track:write", "acme"),
        Reason::NoCrossTenantGrant,
    );
    check(
        &t,
        ask("zoe", "elsewhere", "track:read", "acme"),
        Reason::NoCrossTenantGrant,
    );
    check(
        &t,
        Ask {
            principal: PrincipalKind::PlatformOperator,
            ..ask("root", "", "album:read", "acme")
        },
        Reason::AllowedByGrant,
    );
    // A principal of the tenant named like the grantee is not a grantee.
    check(
        &t,
        Ask {
            principal: PrincipalKind::User,
            ..ask("root", "acme", "album:read", "acme")
        },
        Reason::NoMatchingGrant,
    );
    // Denies of the resource's tenant beat grants.
    check(
        &t,
        Ask {
            locked: true,
            ..ask("zoe", "label", "track:read", "acme")
        },
        Reason::ExplicitDeny,
    );

    // Grants may name the grantee's subjects.
    let mut named = shared;
    named.access_control.cross_tenant_grants[0].subjects =
        vec![subject(SubjectKind::Group, "partners")];
    let t = [named];
    check(
        &t,
        ask("zoe", "label", "track:read", "acme"),
        Reason::NoCrossTenantGrant,
    );
    check(
        &t,
        Ask {
            groups: &["partners"],
            ..ask("zoe", "label", "track:read", "acme")
        },
        Reason::AllowedByGrant,
    );
}

#[test]
fn lifecycle() {
    let later = monday_morning() + Duration::days(1);
    let mut t = acme();
    t.access_control.cross_tenant_grants = vec![grant("support", None, &["*:*"], later)];
    let suspended = [with_status(t.clone(), TenantStatus::Suspended)];
    check(
        &suspended,
        ask("bob", "acme", "track:read", "acme"),
        Reason::TenantSuspended,
    );
    check(
        &suspended,
        ask("zoe", "label", "track:read", "acme"),
        Reason::TenantSuspended,
    );
    check(
        &suspended,
        Ask {
            principal: PrincipalKind::PlatformOperator,
            ..ask("root", "", "track:write", "acme")
        },
        Reason::AllowedByGrant,
    );
    let leaving = [with_status(t.clone(), TenantStatus::Offboarding)];
    check(
        &leaving,
        ask("bob", "acme", "track:read", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &leaving,
        ask("bob", "acme", "track:export", "acme"),
        Reason::AllowedByRole,
    );
    check(
        &leaving,
        ask("bob", "acme", "track:write", "acme"),
        Reason::TenantOffboarding,
    );
    let provisioning = [with_status(t, TenantStatus::Provisioning)];
    check(
        &provisioning,
        ask("bob", "acme", "track:write", "acme"),
        Reason::AllowedByRole,
    );
}

#[test]
fn permitted_actions_lists_what_authorize_allows() {
    let set = PolicySet::compile(&[acme()]).unwrap();
    let principal = Principal::new(PrincipalKind::User, "alice", "acme");
    let resource = Resource::new("acme", "track", "t-1").with_classification(PUBLIC);
    let now = monday_morning();
    assert_eq!(
        set.permitted_actions(&principal, &resource, now),
        ["track:list", "track:read", "track:write"]
    );
    let mut bob = principal;
    bob.id = "bob";
    assert_eq!(
        set.permitted_actions(&bob, &resource, now),
        ["track:list", "track:read", "track:write"]
    );
    let mut outsider = principal;
    outsider.tenant = "label";
    assert!(set.permitted_actions(&outsider, &resource, now).is_empty());
}

#[test]
fn with_tenant_replaces_one_tenant_and_keeps_the_old_set() {
    let mut other = acme();
    other.slug = Slug::new("other").unwrap();
    let set = PolicySet::compile(&[acme(), other]).unwrap();
    let mut changed = acme();
    changed.access_control.bindings.clear();
    let updated = set.with_tenant(&changed).unwrap();
    assert_eq!(updated.len(), 2);
    let request = |resource_tenant| {
        Request::new(
            Principal::new(PrincipalKind::User, "alice", resource_tenant),
            "read",
            Resource::new(resource_tenant, "track", "t-1").with_classification(PUBLIC),
            monday_morning(),
        )
    };
    assert!(set.authorize(&request("acme")).is_allowed());
    assert!(!updated.authorize(&request("acme")).is_allowed());
    assert!(updated.authorize(&request("other")).is_allowed());
    let mut new = acme();
    new.slug = Slug::new("newcomer").unwrap();
    let grown = updated.with_tenant(&new).unwrap();
    assert_eq!(grown.len(), 3);
    assert!(grown.authorize(&request("newcomer")).is_allowed());
    assert!(!updated.contains("newcomer"));
}

#[test]
fn policy_sets_are_shareable() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<PolicySet>();
    let set = PolicySet::compile(&[acme()]).unwrap();
    let handle = std::thread::spawn({
        let set = set.clone();
        move || set.len()
    });
    assert_eq!(handle.join().unwrap(), 1);
}

#[test]
fn long_and_short_names_are_both_found() {
    // Names longer than the compiled table's inline keys take another path.
    let long_user = "a-user-id-much-longer-than-twenty-two-bytes@example.com";
    let long_group = "a-group-name-also-longer-than-twenty-two-bytes";
    let long_kind = "a-resource-kind-longer-than-twenty-two";
    let mut t = acme();
    t.access_control
        .roles
        .push(role("long", &[&format!("{long_kind}:read")], &[]));
    t.access_control
        .bindings
        .push(binding(user(long_user), "long"));
    t.access_control
        .bindings
        .push(binding(subject(SubjectKind::Group, long_group), "viewer"));
    let permission = format!("{long_kind}:read");
    check(
        std::slice::from_ref(&t),
        ask(long_user, "acme", &permission, "acme"),
        Reason::AllowedByRole,
    );
    check(
        std::slice::from_ref(&t),
        ask(long_user, "acme", "track:read", "acme"),
        Reason::NoMatchingGrant,
    );
    check(
        std::slice::from_ref(&t),
        Ask {
            groups: &[long_group],
            ..ask("x", "acme", "track:read", "acme")
        },
        Reason::AllowedByRole,
    );
    check(
        &[t],
        ask("alice", "acme", &permission, "acme"),
        Reason::NoMatchingGrant,
    );
}
