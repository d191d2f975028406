//! Hostile requests and misuse: spellings outside the permission grammar,
//! principal ids no subject can have, decisions explained against another
//! version of their tenant.

use tenant_model::{Classification, Tenant};
use tenant_policy::{
    audit::{AuditEvent, EventStamp},
    authz::{PolicySet, Principal, PrincipalKind, Reason, Request, RequestPart, Resource},
};

use super::*;

/// `beatforge`: jonas is admin (`*:*`), everything that deletes is denied
/// for restricted data, and `ops` members may read everything.
fn beatforge() -> Tenant {
    let mut t = tenant("beatforge");
    let ac = &mut t.access_control;
    ac.roles = vec![
        role("admin", &["*:*"], &[]),
        role("reader", &["*:read"], &[]),
    ];
    ac.bindings = vec![
        binding(user("jonas.weber@beatforge.example"), "admin"),
        binding(subject(tenant_model::SubjectKind::Group, "ops"), "reader"),
        tenant_model::Binding {
            conditions: tenant_model::Conditions {
                owner_only: true,
                ..Default::default()
            },
            ..binding(subject(tenant_model::SubjectKind::Group, "owners"), "admin")
        },
    ];
    ac.denies = vec![deny("no-deletes", &["*:delete"])];
    t
}

fn request<'a>(id: &'a str, action: &'a str, kind: &'a str, groups: &'a [&'a str]) -> Request<'a> {
    Request::new(
        Principal::new(PrincipalKind::User, id, "beatforge")
            .with_groups(groups)
            .with_mfa(true),
        action,
        Resource::new("beatforge", kind, "t-1").with_classification(Classification::Restricted),
        monday_morning(),
    )
}

const JONAS: &str = "jonas.weber@beatforge.example";

/// Spellings of actions and kinds that no permission can name.
const OUTSIDE: &[&str] = &[
    "DELETE",
    "Delete",
    "delete ",
    " delete",
    "de lete",
    "*",
    "",
    "delete\n",
    "delete\0",
    "\u{1b}[31mdelete",
    "dele\u{202e}te",
    "délete",
    "1delete",
    "-delete",
    "delete:x",
    "track:delete",
    "ｄｅｌｅｔｅ",
];

#[test]
fn the_real_spelling_is_denied_by_the_explicit_deny() {
    let set = PolicySet::compile(&[beatforge()]).unwrap();
    let decision = set.authorize(&request(JONAS, "delete", "track", &[]));
    assert_eq!(decision.reason(), Reason::ExplicitDeny);
    assert!(
        set.authorize(&request(JONAS, "write", "track", &[]))
            .is_allowed()
    );
}

#[test]
fn actions_outside_the_grammar_are_never_allowed() {
    let set = PolicySet::compile(&[beatforge()]).unwrap();
    for action in OUTSIDE {
        let decision = set.authorize(&request(JONAS, action, "track", &[]));
        assert!(!decision.is_allowed(), "{action:?} is allowed");
        assert_eq!(
            decision.reason(),
            Reason::InvalidRequest(RequestPart::Action),
            "{action:?}"
        );
        let text = decision.explain(&set).unwrap().to_string();
        assert!(
            text.starts_with("denied in tenant `beatforge`: the action is not a permission word"),
            "{action:?}: {text}"
        );
    }
}

#[test]
fn resource_kinds_outside_the_grammar_are_never_allowed() {
    let set = PolicySet::compile(&[beatforge()]).unwrap();
    for kind in OUTSIDE {
        for groups in [&[][..], &["ops"][..]] {
            let decision = set.authorize(&request(JONAS, "read", kind, groups));
            assert_eq!(
                decision.reason(),
                Reason::InvalidRequest(RequestPart::ResourceKind),
                "{kind:?}"
            );
        }
    }
    // Too long as a whole, though each part is a word.
    let long = "k".repeat(130);
    let decision = set.authorize(&request(JONAS, "read", &long, &[]));
    assert_eq!(
        decision.reason(),
        Reason::InvalidRequest(RequestPart::ResourceKind)
    );
}

#[test]
fn principal_ids_no_subject_can_have_never_match() {
    let set = PolicySet::compile(&[beatforge()]).unwrap();
    // An empty id with an empty owner would pass `owner_only` otherwise.
    let mut empty = request("", "write", "track", &["owners"]);
    empty.resource.owner = Some("");
    assert_eq!(
        set.authorize(&empty).reason(),
        Reason::InvalidRequest(RequestPart::PrincipalId)
    );
    let long = "x".repeat(257);
    let mut too_long = request(&long, "write", "track", &["owners"]);
    too_long.resource.owner = Some(&long);
    assert_eq!(
        set.authorize(&too_long).reason(),
        Reason::InvalidRequest(RequestPart::PrincipalId)
    );
    // 256 characters of two bytes each are still a possible id.
    let wide = "é".repeat(256);
    let mut wide_owner = request(&wide, "write", "track", &["owners"]);
    wide_owner.resource.owner = Some(&wide);
    assert!(set.authorize(&wide_owner).is_allowed());
    // Other spellings of a subject id are other ids.
    for id in [
        "Jonas.Weber@beatforge.example",
        "jonas.weber@beatforge.example ",
        "jonas.weber@beatforge.example\0",
        " jonas.weber@beatforge.example",
    ] {
        let decision = set.authorize(&request(id, "write", "track", &[]));
        assert_eq!(decision.reason(), Reason::NoMatchingGrant, "{id:?}");
    }
}

#[test]
fn tenant_slugs_that_cannot_exist_never_match() {
    let set = PolicySet::compile(&[beatforge()]).unwrap();
    for slug in [
        "BeatForge",
        "beatforge ",
        "beatforge\n",
        "",
        "*",
        "beat forge",
    ] {
        let mut r = request(JONAS, "write", "track", &[]);
        r.resource.tenant = slug;
        assert_eq!(
            set.authorize(&r).reason(),
            Reason::UnknownTenant,
            "{slug:?}"
        );
        let mut r = request(JONAS, "write", "track", &[]);
        r.principal.tenant = slug;
        assert_eq!(
            set.authorize(&r).reason(),
            Reason::NoCrossTenantGrant,
            "{slug:?}"
        );
    }
}

#[test]
fn a_decision_is_not_explained_by_another_version_of_its_tenant() {
    let set = PolicySet::compile(&[beatforge(), tenant("other")]).unwrap();
    let r = request(JONAS, "write", "track", &[]);
    let decision = set.authorize(&r);
    assert!(decision.is_allowed());

    // The tenant recompiled with its bindings in another order: the
    // decision's binding index would name someone else's binding.
    let mut changed = beatforge();
    changed.access_control.bindings.reverse();
    let updated = set.with_tenant(&changed).unwrap();
    let error = decision.explain(&updated).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the decision was made by another version of the policy of the resource's tenant; explain it against the set that made it"
    );
    let stamp = EventStamp::new(r.now, [7; 10]).unwrap();
    assert!(AuditEvent::from_decision(&updated, &r, decision, stamp).is_err());
    // Even the same document compiled again is another version.
    let again = set.with_tenant(&beatforge()).unwrap();
    assert!(decision.explain(&again).is_err());
    let fresh = PolicySet::compile(&[beatforge(), tenant("other")]).unwrap();
    assert!(decision.explain(&fresh).is_err());

    // Against the set that made it, and a set where only another tenant
    // changed, it explains.
    assert!(decision.explain(&set).is_ok());
    let other_changed = set.with_tenant(&tenant("other")).unwrap();
    let added = other_changed.with_tenant(&tenant("newcomer")).unwrap();
    for s in [&other_changed, &added] {
        let text = decision.explain(s).unwrap().to_string();
        assert_eq!(
            text,
            "allowed in tenant `beatforge`: role `admin` from a binding (/access_control/bindings/0)"
        );
        assert!(AuditEvent::from_decision(s, &r, decision, stamp).is_ok());
    }
    // The decision made by the updated set explains against it.
    let new_decision = updated.authorize(&r);
    assert_eq!(
        new_decision.explain(&updated).unwrap().pointer(),
        Some("/access_control/bindings/2")
    );
    assert!(new_decision.explain(&set).is_err());
}

#[test]
fn a_decision_stays_a_few_integers() {
    // Reason, tenant position, rule index and the tenant's stamp.
    assert_eq!(std::mem::size_of::<tenant_policy::authz::Decision>(), 16);
}

#[test]
fn slugs_that_share_the_inline_head_are_told_apart() {
    // 15 bytes are inline with the length; longer slugs are compared whole.
    let slugs = [
        "abcdefghijklmno",
        "abcdefghijklmnop",
        "abcdefghijklmnoq",
        "abcdefghijklmn",
    ];
    let tenants: Vec<Tenant> = slugs
        .iter()
        .map(|s| {
            let mut t = tenant(s);
            t.access_control.roles = vec![role("reader", &["*:read"], &[])];
            t.access_control.bindings = vec![binding(user(s), "reader")];
            t
        })
        .collect();
    let set = PolicySet::compile(&tenants).unwrap();
    for (i, own) in slugs.iter().enumerate() {
        for (j, other) in slugs.iter().enumerate() {
            let mut r = request(own, "read", "track", &[]);
            r.principal.tenant = other;
            r.resource.tenant = other;
            let decision = set.authorize(&r);
            assert_eq!(decision.is_allowed(), i == j, "{own} in {other}");
            let text = decision.explain(&set).unwrap().to_string();
            assert!(text.contains(&format!("tenant `{other}`")), "{text}");
        }
    }
    for missing in ["abcdefghijklmno\0", "abcdefghijklmnopq", "abcdefghijklmnor"] {
        let mut r = request("x", "read", "track", &[]);
        r.resource.tenant = missing;
        assert_eq!(
            set.authorize(&r).reason(),
            Reason::UnknownTenant,
            "{missing:?}"
        );
    }
}
