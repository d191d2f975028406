//! Compile errors: documents built in code may hold what the parser rejects;
//! compiling them reports the field instead of panicking, with the model's
//! own words (`tenant_model::check_roles`: one source for the role rules).

use tenant_policy::authz::PolicySet;

use super::*;

fn check(t: Tenant, expected: &str) {
    let error = PolicySet::compile([&t]).unwrap_err();
    assert_eq!(error.to_string(), expected);
}

#[test]
fn dangling_role_in_binding() {
    let mut t = tenant("acme");
    t.access_control.roles = vec![role("viewer", &["track:read"], &[])];
    t.access_control.bindings = vec![binding(user("a"), "viewer"), binding(user("b"), "ghost")];
    check(
        t,
        "tenant `acme`, /access_control/bindings/1/role: role `ghost` is not defined",
    );
}

#[test]
fn dangling_inherited_role() {
    let mut t = tenant("acme");
    t.access_control.roles = vec![role("viewer", &["track:read"], &["ghost"])];
    check(
        t,
        "tenant `acme`, /access_control/roles/0/inherits/0: role `ghost` is not defined",
    );
}

#[test]
fn inheritance_cycle() {
    let mut t = tenant("acme");
    t.access_control.roles = vec![
        role("a", &[], &["b"]),
        role("b", &[], &["c"]),
        role("c", &["x:y"], &["a"]),
    ];
    check(
        t,
        "tenant `acme`, /access_control/roles/2/inherits/0: role inheritance has a cycle: a → b → c → a",
    );
    let mut t = tenant("acme");
    t.access_control.roles = vec![role("a", &[], &["a"])];
    check(
        t,
        "tenant `acme`, /access_control/roles/0/inherits/0: role inheritance has a cycle: a → a",
    );
}

#[test]
fn duplicate_role() {
    let mut t = tenant("acme");
    t.access_control.roles = vec![role("a", &[], &[]), role("a", &[], &[])];
    check(
        t,
        "tenant `acme`, /access_control/roles/1/name: role `a` is defined twice; first at `/access_control/roles/0/name`",
    );
}

#[test]
fn duplicate_slug() {
    let error = PolicySet::compile(&[tenant("acme"), tenant("acme")]).unwrap_err();
    assert_eq!(error.pointer(), "/slug");
    assert_eq!(error.tenant(), "acme");
    assert_eq!(
        error.to_string(),
        "tenant `acme`, /slug: slug `acme` is used by two tenants"
    );
}

#[test]
fn with_tenant_rejects_a_broken_document_and_keeps_the_set() {
    let set = PolicySet::compile(&[tenant("acme")]).unwrap();
    let mut broken = tenant("acme");
    broken.access_control.bindings = vec![binding(user("a"), "ghost")];
    assert_eq!(
        set.with_tenant(&broken).unwrap_err().pointer(),
        "/access_control/bindings/0/role"
    );
    assert_eq!(set.len(), 1);
}
