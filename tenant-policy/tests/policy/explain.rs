//! Snapshots of explanations: every reason, in words, with its pointer.

use chrono::Duration;
use tenant_model::{Classification, Conditions, Deny, TenantStatus};
use tenant_policy::authz::{PolicySet, Principal, PrincipalKind, Request, Resource};

use super::*;

#[test]
fn explanations() {
    let later = monday_morning() + Duration::days(1);
    let mut acme = tenant("acme");
    let ac = &mut acme.access_control;
    ac.roles = vec![
        role("viewer", &["track:read"], &[]),
        role("editor", &["track:write"], &["viewer"]),
    ];
    ac.bindings = vec![
        binding(user("alice"), "editor"),
        tenant_model::Binding {
            conditions: Conditions {
                require_mfa: true,
                ..Default::default()
            },
            ..binding(user("carol"), "editor")
        },
    ];
    ac.denies = vec![Deny {
        when_locked: true,
        ..deny("legal-hold", &["*:write"])
    }];
    ac.cross_tenant_grants = vec![grant("label-reads", Some("label"), &["track:read"], later)];
    let suspended = with_status(tenant("closed"), TenantStatus::Suspended);
    let leaving = with_status(tenant("leaving"), TenantStatus::Offboarding);
    let set = PolicySet::compile(&[acme, suspended, leaving]).unwrap();

    let base = Request::new(
        Principal::new(PrincipalKind::User, "alice", "acme"),
        "read",
        Resource::new("acme", "track", "t-1").with_classification(Classification::Internal),
        monday_morning(),
    );
    let with = |id, tenant, action, resource_tenant, locked| {
        let mut request = base;
        request.principal.id = id;
        request.principal.tenant = tenant;
        request.action = action;
        request.resource.tenant = resource_tenant;
        request.resource.locked = locked;
        request
    };
    let cases = [
        with("alice", "acme", "read", "acme", false),
        with("alice", "acme", "write", "acme", true),
        with("carol", "acme", "write", "acme", false),
        with("alice", "acme", "delete", "acme", false),
        with("zoe", "label", "read", "acme", false),
        with("zoe", "other", "read", "acme", false),
        with("alice", "closed", "read", "closed", false),
        with("alice", "leaving", "write", "leaving", false),
        with("alice", "acme", "read", "nowhere", false),
    ];
    let text: Vec<String> = cases
        .iter()
        .map(|r| {
            let e = set.authorize(r).explain(&set).unwrap();
            format!(
                "{} {}:{} on {}: {e}\n  rule: {:?}, pointer: {:?}",
                r.principal.id,
                r.resource.kind,
                r.action,
                r.resource.tenant,
                e.rule(),
                e.pointer()
            )
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}
