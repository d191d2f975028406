//! Compliance: every check kind passes and fails on the right data and
//! reports no evidence when the document does not write what it reads; the
//! two non-compliant fixtures fail the controls they should, at the fields
//! that are wrong or missing; privilege is found by effective permissions
//! (renaming roles changes nothing, a property test); access reviews check
//! their snapshot; transfers need a mechanism; the audit trail is verified;
//! and the default rule set is the one in `examples/compliance_rules.yaml`.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use tenant_model::{
    AccessReview, Binding, ComplianceRules, ContactRole, Date, FindingSeverity, Format,
    IsolationMode, Name, Permission, PlatformConfig, Role, Sha256Hex, Tenant, TenantStatus, Tier,
    Timestamp, WrittenFields, check_rules_against_platform, parse,
};
use tenant_policy::audit::{AuditChain, AuditDecision, AuditEvent, EventStamp};
use tenant_policy::checks::{
    AuditEvidence, ComplianceContext, ComplianceReport, DEFAULT_RULES_YAML, Outcome,
    TenantEvidence, access_population, access_snapshot_sha256, default_rules, evaluate_compliance,
    evaluate_compliance_set,
};

use crate::sample::{now, platform, tenant};

use Outcome::{Fail, NoEvidence, NotApplicable, Pass};

/// One rule with `check` (YAML), `applies_to` (YAML) and `evidence`.
fn rules_with(check: &str, applies_to: &str, evidence: &str) -> ComplianceRules {
    let yaml = format!(
        r#"
schema_version: 1
rules:
  - id: the-rule
    framework: soc2
    reference: CC0.0
    title: "The rule — ünïcode"
    severity: high
    applies_to: {applies_to}
    check: {check}
    evidence: {evidence}
    remediation: Fix it.
"#
    );
    parse(&yaml, Format::Yaml).unwrap()
}

fn rules(check: &str, applies_to: &str) -> ComplianceRules {
    rules_with(check, applies_to, "/contacts")
}

/// Evaluates a tenant built in code (every field it serializes counts as
/// written), without an audit trail.
fn eval(rules: &ComplianceRules, t: &Tenant) -> ComplianceReport {
    eval_at(rules, t, &platform(), now(), None)
}

fn eval_at(
    rules: &ComplianceRules,
    t: &Tenant,
    platform: &PlatformConfig,
    at: DateTime<Utc>,
    audit: Option<AuditEvidence<'_>>,
) -> ComplianceReport {
    let written = WrittenFields::of_document(t);
    let mut cx = ComplianceContext::new(platform, at);
    cx.audit = audit;
    evaluate_compliance(rules, TenantEvidence::new(t, &written), &cx)
}

/// Evaluates a document as written, with `audit`.
fn eval_text(
    rules: &ComplianceRules,
    yaml: &str,
    audit: Option<AuditEvidence<'_>>,
) -> ComplianceReport {
    let t: Tenant = parse(yaml, Format::Yaml).unwrap();
    let written = WrittenFields::of_text(yaml, Format::Yaml);
    let platform = platform();
    let mut cx = ComplianceContext::new(&platform, now());
    cx.audit = audit;
    evaluate_compliance(rules, TenantEvidence::new(&t, &written), &cx)
}

/// The sample tenant made compliant with the default rules: EU data
/// subjects, a security contact, the admin binding bounded to 90 days, and a
/// review of today's access.
fn compliant(slug: &str) -> Tenant {
    let mut t = tenant(slug);
    t.data_residency.data_subjects = vec![name("eu")];
    t.contacts.push(
        serde_json::from_value(serde_json::json!({
            "name": "Security", "email": "security@example.com", "role": "security"
        }))
        .unwrap(),
    );
    for b in &mut t.access_control.bindings {
        if b.expires_at.is_some() {
            b.expires_at = Some(Timestamp::new("2027-01-31T00:00:00Z").unwrap());
        }
    }
    review(&mut t, "2026-10-01");
    t
}

/// Records a review of `t`'s current access on `date`.
fn review(t: &mut Tenant, date: &str) {
    t.access_control.last_access_review = Some(AccessReview {
        date: Date::new(date).unwrap(),
        reviewer: Some("Reviewer".to_owned()),
        snapshot_sha256: Some(Sha256Hex::new(access_snapshot_sha256(t)).unwrap()),
    });
}

/// An audit trail of events every `step_hours` up to `now()`.
fn trail(count: i64, step_hours: i64) -> Vec<AuditEvent> {
    let mut chain = AuditChain::new();
    for i in 0..count {
        let time = now() - TimeDelta::hours(step_hours * (count - i));
        let mut random = [0u8; 10];
        random[0] = u8::try_from(i % 256).unwrap();
        chain.append(AuditEvent::from_parts(
            EventStamp::new(time, random).unwrap(),
            "acme-music",
            "user:u",
            "track:read",
            "track/t",
            AuditDecision::from_allowed(true),
            "role `viewer`",
        ));
    }
    chain.into_events()
}

/// Evaluates the rule `check` against the sample tenant changed by `edit`:
/// its outcome and observed value.
#[track_caller]
fn check(check: &str, edit: impl FnOnce(&mut Tenant), outcome: Outcome, observed: &str) {
    let mut t = compliant("acme-music");
    edit(&mut t);
    let report = eval(&rules(check, "{}"), &t);
    let result = &report.results[0];
    assert_eq!(
        (result.outcome, result.observed.as_str()),
        (outcome, observed),
        "{check}: {}",
        result.message
    );
    assert_eq!(result.evidence.as_str(), "/contacts");
    assert_eq!(result.remediation, "Fix it.");
    assert_eq!(result.severity, FindingSeverity::High);
    assert_eq!(
        result.locations.is_empty(),
        outcome == Pass || outcome == NotApplicable
    );
}

/// The outcomes and locations of every result, by rule id.
fn outcomes(report: &ComplianceReport) -> Vec<(String, Outcome, Vec<String>)> {
    report
        .results
        .iter()
        .map(|r| (r.rule.to_string(), r.outcome, r.locations.clone()))
        .collect()
}

fn name(s: &str) -> Name {
    Name::new(s).unwrap()
}

fn binding(role: &str, mfa: bool, expires: Option<&str>) -> Binding {
    let mut b: Binding = serde_json::from_value(serde_json::json!({
        "subject": { "kind": "user", "id": format!("someone-{role}") },
        "role": role,
    }))
    .unwrap();
    b.conditions.require_mfa = mfa;
    b.expires_at = expires.map(|e| Timestamp::new(e).unwrap());
    b
}

fn role(name_: &str, permissions: &[&str], inherits: &[&str]) -> Role {
    Role {
        name: name(name_),
        description: None,
        permissions: permissions
            .iter()
            .map(|p| Permission::new(*p).unwrap())
            .collect(),
        inherits: inherits.iter().map(|r| name(r)).collect(),
    }
}

fn fixture(file: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/compliance/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn region_in() {
    let eu = "{ region_in: { regions: [eu-west-1, eu-central-1] } }";
    check(eu, |_| {}, Pass, "`eu-west-1`, replicas `eu-central-1`");
    check(
        eu,
        |t| t.data_residency.replica_regions = vec![name("us-east-1")],
        Fail,
        "`eu-west-1`, replicas `us-east-1`",
    );
}

#[test]
fn retention_contacts_erasure_audit_logging_encryption() {
    let retention = "{ retention_at_most: { days: 365 } }";
    check(retention, |_| {}, Pass, "365 days");
    check(
        retention,
        |t| t.data_protection.retention_days = 366,
        Fail,
        "366 days",
    );
    let dpo = "{ contact_present: { role: dpo } }";
    check(
        dpo,
        |_| {},
        Pass,
        "contact roles: `dpo`, `owner`, `security`",
    );
    check(
        dpo,
        |t| t.contacts.retain(|c| c.role != ContactRole::Dpo),
        Fail,
        "contact roles: `owner`, `security`",
    );
    check(
        "erasure_on_offboarding",
        |_| {},
        Pass,
        "erasure_on_offboarding: true",
    );
    check(
        "erasure_on_offboarding",
        |t| t.data_protection.erasure_on_offboarding = false,
        Fail,
        "erasure_on_offboarding: false",
    );
    check(
        "audit_logging_enabled",
        |t| t.audit.enabled = false,
        Fail,
        "audit.enabled: false",
    );
    check(
        "encryption_at_rest",
        |_| {},
        Pass,
        "isolation.encryption.at_rest: true",
    );
    check(
        "encryption_in_transit",
        |t| t.isolation.encryption.in_transit = false,
        Fail,
        "isolation.encryption.in_transit: false",
    );
    check(
        "{ isolation_at_least: { mode: schema } }",
        |t| t.isolation.mode = IsolationMode::Row,
        Fail,
        "isolation.mode: row",
    );
}

#[test]
fn isolation_findings_fail_at_their_fields() {
    check("isolation_findings", |_| {}, Pass, "0 isolation finding(s)");
    let mut t = compliant("acme-music");
    t.isolation.network.allowed_cidrs.clear();
    let report = eval(&rules("isolation_findings", "{}"), &t);
    assert_eq!(report.results[0].outcome, Fail);
    assert_eq!(
        report.results[0].locations,
        ["/isolation/network/allowed_cidrs"]
    );
}

#[test]
fn a_field_left_to_its_default_is_no_evidence() {
    // `audit` is not written: `audit.enabled` is true by default, which
    // proves nothing.
    let yaml = fixture("silent.yaml");
    let report = eval_text(
        &rules_with("audit_logging_enabled", "{}", "/audit/enabled"),
        &yaml,
        None,
    );
    let r = &report.results[0];
    assert_eq!(r.outcome, NoEvidence, "{}", r.message);
    assert_eq!(r.locations, ["/audit/enabled"]);
    assert_eq!(
        r.message,
        "no evidence: the document does not write `/audit/enabled` (a default is not evidence)"
    );
    assert!(!report.is_compliant());
    // The same value written is evidence.
    let written = format!("{yaml}audit: {{ enabled: true, retention_days: 400 }}\n");
    let report = eval_text(
        &rules_with("audit_logging_enabled", "{}", "/audit/enabled"),
        &written,
        None,
    );
    assert_eq!(report.results[0].outcome, Pass);
    assert!(report.is_compliant());
}

#[test]
fn the_silent_document_lacks_evidence_where_it_is_silent() {
    let report = eval_text(&default_rules(), &fixture("silent.yaml"), None);
    let got: Vec<(String, Outcome, Vec<String>)> = outcomes(&report);
    let want: Vec<(&str, Outcome, Vec<&str>)> = vec![
        (
            "gdpr-ch5-transfers",
            NoEvidence,
            vec!["/data_residency/data_subjects"],
        ),
        (
            "gdpr-art-5-1-e-retention",
            NoEvidence,
            vec!["/data_protection/retention_days"],
        ),
        ("gdpr-art-37-dpo", Fail, vec!["/contacts"]),
        ("gdpr-art-33-security-contact", Fail, vec!["/contacts"]),
        (
            "gdpr-art-28-3-g-erasure",
            NoEvidence,
            vec!["/data_protection/erasure_on_offboarding"],
        ),
        (
            "soc2-cc6-1-privileged-access",
            NoEvidence,
            vec!["/access_control", "/access_control/bindings"],
        ),
        (
            "soc2-cc6-1-encryption-at-rest",
            NoEvidence,
            vec!["/isolation/encryption/at_rest"],
        ),
        (
            "soc2-cc6-7-encryption-in-transit",
            NoEvidence,
            vec!["/isolation/encryption/in_transit"],
        ),
        ("soc2-cc6-6-isolation", Pass, vec![]),
        (
            "soc2-cc6-2-access-review",
            NoEvidence,
            vec!["/access_control/last_access_review"],
        ),
        ("soc2-cc7-3-security-contact", Fail, vec!["/contacts"]),
        (
            "soc2-cc7-2-audit-trail",
            NoEvidence,
            vec!["/audit", "/audit/enabled", "/audit/retention_days"],
        ),
    ];
    let want: Vec<(String, Outcome, Vec<String>)> = want
        .into_iter()
        .map(|(r, o, l)| (r.to_owned(), o, l.into_iter().map(str::to_owned).collect()))
        .collect();
    assert_eq!(got, want);
    assert!(!report.is_compliant());
    let s = &report.summary;
    assert_eq!(
        (s.passed, s.failed, s.no_evidence, s.not_applicable),
        (1, 3, 8, 0)
    );
}

#[test]
fn the_offshore_document_fails_transfers_privilege_review_and_audit() {
    let report = eval_text(&default_rules(), &fixture("offshore.yaml"), None);
    let failed: Vec<(String, Outcome, Vec<String>)> = outcomes(&report)
        .into_iter()
        .filter(|(_, o, _)| *o != Pass)
        .collect();
    let want: Vec<(&str, Outcome, Vec<&str>)> = vec![
        ("gdpr-ch5-transfers", Fail, vec!["/data_residency/region"]),
        (
            "soc2-cc6-1-privileged-access",
            Fail,
            vec![
                "/access_control/bindings/0/conditions/require_mfa",
                "/access_control/bindings/0/expires_at",
                "/access_control/bindings/0/subject",
                "/access_control/cross_tenant_grants/0/require_mfa",
                "/access_control/cross_tenant_grants/0/subjects",
                "/access_control/cross_tenant_grants/0/expires_at",
            ],
        ),
        (
            "soc2-cc6-2-access-review",
            Fail,
            vec!["/access_control/last_access_review/date"],
        ),
        (
            "soc2-cc7-2-audit-trail",
            Fail,
            vec!["/audit/retention_days"],
        ),
    ];
    let want: Vec<(String, Outcome, Vec<String>)> = want
        .into_iter()
        .map(|(r, o, l)| (r.to_owned(), o, l.into_iter().map(str::to_owned).collect()))
        .collect();
    assert_eq!(failed, want);
    // The EU rules apply: the data subjects are in the EU, whatever the
    // home region.
    assert_eq!(report.summary.not_applicable, 0);
    let review = report
        .results
        .iter()
        .find(|r| r.rule.as_str() == "soc2-cc6-2-access-review")
        .unwrap();
    assert_eq!(
        review.message,
        "the access review `2026-11-28` is dated in the future"
    );
}

#[test]
fn a_compliant_tenant_passes_every_default_rule_given_its_audit_trail() {
    let t = compliant("acme-music");
    let events = trail(30, 6);
    let head = events.last().unwrap().hash.clone();
    let audit = AuditEvidence::new(&events, &head);
    let report = eval_at(&default_rules(), &t, &platform(), now(), Some(audit));
    let failures: Vec<String> = report
        .failures()
        .iter()
        .map(|r| format!("{}: {}", r.rule, r.message))
        .collect();
    assert!(report.is_compliant(), "{failures:#?}");
    assert_eq!(report.summary.passed, 12);
    // Without the trail, the audit control has no evidence.
    let report = eval(&default_rules(), &t);
    assert_eq!(
        report
            .failures()
            .iter()
            .map(|r| (r.rule.as_str(), r.outcome))
            .collect::<Vec<_>>(),
        [("soc2-cc7-2-audit-trail", NoEvidence)]
    );
    assert!(!report.is_compliant());
}

#[test]
fn a_report_where_no_rule_applied_is_not_compliant() {
    let t = compliant("acme-music");
    let report = eval(&rules("audit_logging_enabled", "{ tiers: [free] }"), &t);
    assert_eq!(report.results[0].outcome, NotApplicable);
    assert_eq!(report.summary.failed + report.summary.no_evidence, 0);
    assert!(!report.is_compliant());
}

#[test]
fn privileged_access_is_found_by_permissions_not_names() {
    let rule = "{ privileged_access: { max_days: 90 } }";
    let run = |edit: &dyn Fn(&mut Tenant)| {
        let mut t = compliant("acme-music");
        edit(&mut t);
        let r = eval(&rules(rule, "{}"), &t).results.remove(0);
        (r.outcome, r.locations)
    };
    assert_eq!(run(&|_| {}), (Pass, vec![]));
    // Renamed `admin`: still privileged, still needs MFA.
    assert_eq!(
        run(&|t| {
            t.access_control.roles[2].name = name("superuser");
            t.access_control.bindings[1].role = name("superuser");
            t.access_control.bindings[1].conditions.require_mfa = false;
        }),
        (
            Fail,
            vec!["/access_control/bindings/1/conditions/require_mfa".to_owned()]
        )
    );
    // `*:delete` through inheritance, to a group, without expiry.
    assert_eq!(
        run(&|t| {
            t.access_control
                .roles
                .push(role("cleaner", &["*:delete"], &[]));
            t.access_control
                .roles
                .push(role("helper", &["track:read"], &["cleaner"]));
            let mut b = binding("helper", true, None);
            b.subject.kind = tenant_model::SubjectKind::Group;
            t.access_control.bindings.push(b);
        }),
        (
            Fail,
            vec![
                "/access_control/bindings/2/expires_at".to_owned(),
                "/access_control/bindings/2/subject".to_owned()
            ]
        )
    );
    // An expiry beyond 90 days fails; an expired binding grants nothing.
    assert_eq!(
        run(&|t| t.access_control.bindings[1].expires_at =
            Some(Timestamp::new("2027-03-01T00:00:00Z").unwrap())),
        (
            Fail,
            vec!["/access_control/bindings/1/expires_at".to_owned()]
        )
    );
    assert_eq!(
        run(&|t| t.access_control.bindings.push(binding(
            "admin",
            false,
            Some("2026-01-01T00:00:00Z")
        ))),
        (Pass, vec![])
    );
    // `track:write` and `*:read` are not privileged; `*:*` is.
    assert_eq!(
        run(&|t| {
            t.access_control.roles = vec![role("reader", &["*:read", "track:write"], &[])];
            t.access_control.bindings = vec![binding("reader", false, None)];
        }),
        (Pass, vec![])
    );
    // Nothing to test: no evidence.
    assert_eq!(
        run(&|t| t.access_control.bindings.clear()),
        (NoEvidence, vec!["/access_control/bindings".to_owned()])
    );
}

#[test]
fn privileged_permissions_are_configurable() {
    let custom = r#"{ privileged_access: { permissions: ["track:write"], max_days: 90 } }"#;
    let default = "{ privileged_access: { max_days: 90 } }";
    let mut t = compliant("acme-music");
    // The group `staff` becomes `editor`: `track:write`, not a wildcard.
    t.access_control.bindings[0].role = name("editor");
    let report = eval(&rules(default, "{}"), &t);
    assert_eq!(
        report.results[0].outcome, Pass,
        "{}",
        report.results[0].message
    );
    let report = eval(&rules(custom, "{}"), &t);
    assert_eq!(report.results[0].outcome, Fail);
    assert_eq!(
        report.results[0].locations,
        [
            "/access_control/bindings/0/conditions/require_mfa",
            "/access_control/bindings/0/expires_at",
            "/access_control/bindings/0/subject"
        ]
    );
}

#[test]
fn grants_to_operators_are_privileged_access_too() {
    let rule = "{ privileged_access: { max_days: 90 } }";
    let grant = |subjects: serde_json::Value, until: &str| {
        serde_json::from_value::<tenant_model::CrossTenantGrant>(serde_json::json!({
            "name": "support", "grantee": "platform_operators", "subjects": subjects,
            "permissions": ["*:export"], "expires_at": until, "reason": "ticket", "require_mfa": true
        }))
        .unwrap()
    };
    let mut t = compliant("acme-music");
    t.access_control.cross_tenant_grants.push(grant(
        serde_json::json!([{ "kind": "user", "id": "op-1" }]),
        "2026-12-15T00:00:00Z",
    ));
    assert_eq!(eval(&rules(rule, "{}"), &t).results[0].outcome, Pass);
    t.access_control.cross_tenant_grants[0] = grant(
        serde_json::json!([{ "kind": "group", "id": "ops" }]),
        "2026-12-15T00:00:00Z",
    );
    assert_eq!(
        eval(&rules(rule, "{}"), &t).results[0].locations,
        ["/access_control/cross_tenant_grants/0/subjects/0"]
    );
}

#[test]
fn access_reviews_check_date_reviewer_and_snapshot() {
    let rule = "{ access_review_within: { days: 90 } }";
    let run = |edit: &dyn Fn(&mut Tenant)| {
        let mut t = compliant("acme-music");
        edit(&mut t);
        let r = eval(&rules(rule, "{}"), &t).results.remove(0);
        (r.outcome, r.locations, r.message)
    };
    let (outcome, _, message) = run(&|_| {});
    assert_eq!(outcome, Pass, "{message}");
    // now() is 2026-11-27: 90 days is 2026-08-29.
    assert_eq!(run(&|t| review(t, "2026-08-29")).0, Pass);
    assert_eq!(
        run(&|t| review(t, "2026-08-28")).1,
        ["/access_control/last_access_review/date"]
    );
    // Tomorrow is the future: no slack.
    assert_eq!(
        run(&|t| review(t, "2026-11-28")).1,
        ["/access_control/last_access_review/date"]
    );
    // A bare date: no reviewer, no snapshot.
    let (outcome, locations, message) = run(&|t| {
        t.access_control.last_access_review = Some(parse_review("\"2026-10-01\""));
    });
    assert_eq!(
        (outcome, locations),
        (Fail, vec!["/access_control/last_access_review".to_owned()])
    );
    assert!(message.contains("bare date"), "{message}");
    // Access changed after the review: drift.
    let (outcome, locations, _) = run(&|t| {
        t.access_control.bindings[1].conditions.require_mfa = false;
    });
    assert_eq!(
        (outcome, locations),
        (Fail, vec!["/access_control/bindings".to_owned()])
    );
    // Renaming a role is not a change of access.
    let (outcome, _, message) = run(&|t| {
        t.access_control.roles[0].name = name("listener");
        t.access_control.roles[1].inherits = vec![name("listener")];
        t.access_control.bindings[0].role = name("listener");
    });
    assert_eq!(outcome, Pass, "{message}");
}

fn parse_review(json: &str) -> AccessReview {
    serde_json::from_str(json).unwrap()
}

#[test]
fn the_review_population_lists_effective_access() {
    let t = compliant("acme-music");
    let population = access_population(&t);
    let lines: Vec<String> = population
        .iter()
        .map(|e| {
            format!(
                "{} {} {:?} {} {}",
                e.source, e.subject, e.permissions, e.require_mfa, e.expires_at
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "binding group:staff [\"track:read\"] false never",
            "binding user:boss [\"*:*\", \"track:read\", \"track:write\"] true 2027-01-31T00:00:00Z",
        ]
    );
    assert_eq!(access_snapshot_sha256(&t).len(), 64);
}

#[test]
fn both_forms_of_the_review_are_read_and_a_bad_hash_is_refused() {
    let old = parse_review("\"2026-10-01\"");
    assert_eq!((old.reviewer, old.snapshot_sha256), (None, None));
    let new = parse_review(&format!(
        r#"{{"date": "2026-10-01", "reviewer": "Ann", "snapshot_sha256": "{}"}}"#,
        "ab".repeat(32)
    ));
    assert_eq!(new.reviewer.as_deref(), Some("Ann"));
    assert!(
        serde_json::from_str::<AccessReview>(
            r#"{"date": "2026-10-01", "reviewer": "Ann", "snapshot_sha256": "ABC"}"#
        )
        .is_err()
    );
    assert!(serde_json::from_str::<AccessReview>(r#"{"date": "2026-10-01"}"#).is_err());
    // Written back, the record form.
    assert_eq!(serde_json::to_value(&new).unwrap()["reviewer"], "Ann");
}

#[test]
fn transfers_need_a_mechanism() {
    let rule = "{ transfers_safeguarded: { from: [eu], adequate: [] } }";
    let run = |edit: &dyn Fn(&mut Tenant), platform: &PlatformConfig| {
        let mut t = compliant("acme-music");
        edit(&mut t);
        let r = eval_at(&rules(rule, "{}"), &t, platform, now(), None)
            .results
            .remove(0);
        (r.outcome, r.locations)
    };
    let p = platform();
    assert_eq!(run(&|_| {}, &p), (Pass, vec![]));
    let us_replica = |t: &mut Tenant| t.data_residency.replica_regions.push(name("us-east-1"));
    assert_eq!(
        run(&us_replica, &p),
        (Fail, vec!["/data_residency/replica_regions/1".to_owned()])
    );
    let with = |mechanism: &str| {
        let mechanism = mechanism.to_owned();
        move |t: &mut Tenant| {
            us_replica(t);
            t.data_residency.transfers.push(
                serde_json::from_value(serde_json::json!({ "to": "us", "mechanism": mechanism }))
                    .unwrap(),
            );
        }
    };
    assert_eq!(run(&with("sccs"), &p).0, Pass);
    assert_eq!(run(&with("bcrs"), &p).0, Pass);
    // Adequacy only where the rule lists it.
    assert_eq!(run(&with("adequacy"), &p).0, Fail);
    let adequate = rules(
        "{ transfers_safeguarded: { from: [eu], adequate: [us] } }",
        "{}",
    );
    let mut t = compliant("acme-music");
    us_replica(&mut t);
    assert_eq!(eval(&adequate, &t).results[0].outcome, Pass);
    // The key's region holds the data too (from the ARN).
    let key = |t: &mut Tenant| {
        t.isolation.encryption.key_id = Some("arn:aws:kms:us-east-1:1:key/k".to_owned())
    };
    assert_eq!(
        run(&key, &p),
        (Fail, vec!["/isolation/encryption/key_id".to_owned()])
    );
    // Operators with a grant: where they are counts; unknown is no evidence.
    let grant = |t: &mut Tenant| {
        t.access_control.cross_tenant_grants.push(
            serde_json::from_value(serde_json::json!({
                "name": "support", "grantee": "platform_operators",
                "subjects": [{ "kind": "user", "id": "op" }], "permissions": ["*:read"],
                "expires_at": "2026-12-15T00:00:00Z", "reason": "ticket"
            }))
            .unwrap(),
        );
    };
    assert_eq!(
        run(&grant, &p),
        (
            NoEvidence,
            vec!["/access_control/cross_tenant_grants/0".to_owned()]
        )
    );
    let mut us_ops = platform();
    us_ops.operator_regions = vec![name("us-east-1")];
    assert_eq!(
        run(&grant, &us_ops),
        (
            Fail,
            vec!["/access_control/cross_tenant_grants/0".to_owned()]
        )
    );
    // Data subjects elsewhere: the rule does not apply; none written: no evidence.
    assert_eq!(
        run(&|t| t.data_residency.data_subjects = vec![name("us")], &p).0,
        NotApplicable
    );
    assert_eq!(
        run(&|t| t.data_residency.data_subjects.clear(), &p).0,
        NoEvidence
    );
}

#[test]
fn the_audit_trail_is_verified_against_its_head_and_for_gaps() {
    let rule = "{ audit_trail: { retention_days: 365, max_gap_hours: 24 } }";
    let t = compliant("acme-music");
    let run = |events: &[AuditEvent], head: &str, t: &Tenant| {
        let r = eval_at(
            &rules(rule, "{}"),
            t,
            &platform(),
            now(),
            Some(AuditEvidence::new(events, head)),
        )
        .results
        .remove(0);
        (r.outcome, r.message)
    };
    let events = trail(10, 12);
    let head = events.last().unwrap().hash.clone();
    assert_eq!(run(&events, &head, &t).0, Pass);
    // Cut off the end: the head does not match.
    let (outcome, message) = run(&events[..9], &head, &t);
    assert_eq!(outcome, Fail);
    assert!(message.contains("does not verify"), "{message}");
    // A gap of 30 hours.
    let sparse = trail(3, 30);
    let (outcome, message) = run(&sparse, &sparse.last().unwrap().hash, &t);
    assert_eq!(outcome, Fail);
    assert!(message.contains("more than 24 hours"), "{message}");
    // Retention too short.
    let mut short = t.clone();
    short.audit.retention_days = 30;
    assert_eq!(run(&events, &head, &short).0, Fail);
}

#[test]
fn rules_apply_by_jurisdiction_tier_and_status() {
    let applies = |applies_to: &str, edit: &dyn Fn(&mut Tenant)| {
        let mut t = compliant("acme-music");
        t.audit.enabled = false;
        edit(&mut t);
        eval(&rules("audit_logging_enabled", applies_to), &t).results[0].outcome
    };
    let us = |t: &mut Tenant| {
        t.data_residency.region = name("us-east-1");
        t.data_residency.replica_regions.clear();
        t.data_residency.data_subjects = vec![name("us")];
    };
    assert_eq!(applies("{ jurisdictions: [eu] }", &|_| {}), Fail);
    assert_eq!(applies("{ jurisdictions: [eu] }", &us), NotApplicable);
    // EU data subjects in a US region: EU rules apply.
    assert_eq!(
        applies("{ jurisdictions: [eu] }", &|t| {
            us(t);
            t.data_residency.data_subjects = vec![name("eu")];
        }),
        Fail
    );
    assert_eq!(applies("{ jurisdictions: [us, eu] }", &us), Fail);
    assert_eq!(
        applies("{ jurisdictions: [eu] }", &|t| {
            t.data_residency.region = name("mars-1");
            t.data_residency.data_subjects.clear();
        }),
        Fail
    );
    assert_eq!(applies("{ tiers: [enterprise] }", &|_| {}), NotApplicable);
    assert_eq!(
        applies("{ tiers: [professional, enterprise] }", &|_| {}),
        Fail
    );
    assert_eq!(
        applies("{ statuses: [active] }", &|t| t.status =
            TenantStatus::Provisioning),
        NotApplicable
    );
    assert_eq!(
        applies("{ jurisdictions: [eu], tiers: [free] }", &|t| t.tier =
            Tier::Free),
        Fail
    );
}

#[test]
fn rules_naming_unknown_jurisdictions_regions_or_evidence_are_refused() {
    let unknown = rules("audit_logging_enabled", "{ jurisdictions: [eu, uk] }");
    let problems = check_rules_against_platform(&unknown, &platform());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].pointer(), "/rules/0/applies_to/jurisdictions/1");
    assert_eq!(
        problems[0].message(),
        "jurisdiction `uk` is not one of the platform's: eu, us"
    );
    let region = rules("{ region_in: { regions: [eu-west-9] } }", "{}");
    assert_eq!(
        check_rules_against_platform(&region, &platform())[0].pointer(),
        "/rules/0/check"
    );
    let transfer = rules(
        "{ transfers_safeguarded: { from: [eu], adequate: [ch] } }",
        "{}",
    );
    assert_eq!(
        check_rules_against_platform(&transfer, &platform()).len(),
        1
    );
    assert_eq!(
        check_rules_against_platform(&default_rules(), &platform()),
        vec![]
    );
    // An evidence pointer into nothing is refused when the rules are read.
    let yaml = DEFAULT_RULES_YAML.replacen("evidence: /contacts", "evidence: /contact", 1);
    let problems = parse::<ComplianceRules>(&yaml, Format::Yaml).unwrap_err();
    let problem = problems.iter().next().unwrap();
    assert_eq!(problem.pointer(), "/rules/2/evidence");
    assert_eq!(
        problem.message(),
        "`/contact` is not a field of a tenant document"
    );
    for ok in [
        "/access_control/last_access_review/date",
        "/access_control/bindings/3/conditions/require_mfa",
        "/monitoring/routing",
    ] {
        assert!(tenant_model::is_tenant_field(ok), "{ok}");
    }
    for bad in ["/audit/enable", "/contacts/x", "audit"] {
        assert!(!tenant_model::is_tenant_field(bad), "{bad}");
    }
}

#[test]
fn the_default_rules_are_the_example_document() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/compliance_rules.yaml"
    ))
    .unwrap();
    let example: ComplianceRules = parse(&example, Format::Yaml).unwrap();
    assert_eq!(example, default_rules());
    assert_eq!(default_rules().rules.len(), 12);
    assert!(DEFAULT_RULES_YAML.contains("gdpr-art-28-3-g-erasure"));
}

#[test]
fn the_summary_counts_failures_by_severity_and_lists_the_worst_first() {
    let mut eu = compliant("acme-music");
    eu.data_protection.retention_days = 1000; // medium
    eu.contacts.retain(|c| c.role != ContactRole::Dpo); // medium
    eu.data_residency.replica_regions = vec![name("us-east-1")]; // critical
    let mut us = compliant("lofi-labs");
    us.data_residency.region = name("us-east-1");
    us.data_residency.replica_regions.clear();
    us.data_residency.data_subjects = vec![name("us")];
    us.status = TenantStatus::Provisioning;
    let p = platform();
    let written = [
        WrittenFields::of_document(&eu),
        WrittenFields::of_document(&us),
    ];
    let reports = evaluate_compliance_set(
        &default_rules(),
        &[
            TenantEvidence::new(&eu, &written[0]),
            TenantEvidence::new(&us, &written[1]),
        ],
        &ComplianceContext::new(&p, now()),
    );
    let s = &reports[0].summary;
    assert_eq!(
        (s.passed, s.failed, s.no_evidence, s.not_applicable),
        (8, 3, 1, 0)
    );
    assert_eq!(
        s.failed_by_severity
            .iter()
            .map(|(k, v)| (*k, *v))
            .collect::<Vec<_>>(),
        [
            (FindingSeverity::Medium, 2),
            (FindingSeverity::High, 1),
            (FindingSeverity::Critical, 1)
        ]
    );
    let worst: Vec<&str> = reports[0]
        .failures()
        .iter()
        .map(|r| r.rule.as_str())
        .collect();
    assert_eq!(
        worst,
        [
            "gdpr-ch5-transfers",
            "soc2-cc7-2-audit-trail",
            "gdpr-art-5-1-e-retention",
            "gdpr-art-37-dpo"
        ]
    );
    // The US tenant: EU-only rules, transfers and the review rule (not for
    // provisioning tenants) do not apply.
    let s = &reports[1].summary;
    assert_eq!(
        (s.passed, s.failed, s.no_evidence, s.not_applicable),
        (7, 0, 1, 4)
    );
}

#[test]
fn reports_serialize_for_tools() {
    let report = eval(&default_rules(), &compliant("acme-music"));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["tenant"], "acme-music");
    assert_eq!(json["results"][0]["outcome"], "pass");
    assert_eq!(
        json["results"][0]["evidence"],
        "/data_residency/data_subjects"
    );
    assert_eq!(json["results"][11]["outcome"], "no_evidence");
    assert_eq!(json["results"][11]["locations"][0], "/audit");
    assert_eq!(json["summary"]["passed"], 11);
}

#[test]
fn observed_values_never_show_secrets() {
    let mut t = compliant("acme-music");
    t.isolation.database.password = Some(tenant_model::Secret::inline("hunter2-secret"));
    let report = eval(&default_rules(), &t);
    assert!(!format!("{report:?}").contains("hunter2"));
}

/// A role: indices of its permissions and of the roles it inherits.
type RoleSpec = (Vec<usize>, Vec<usize>);
/// A binding: role index, subject kind, MFA, expiry index.
type BindingSpec = (usize, u8, bool, u8);

/// A random access control: roles inheriting only earlier roles, bindings of
/// random subjects, MFA and expiry, and grants.
fn access_strategy() -> impl Strategy<Value = (Vec<RoleSpec>, Vec<BindingSpec>)> {
    let role = (
        proptest::collection::vec(0..PERMISSIONS.len(), 0..3),
        proptest::collection::vec(0..4usize, 0..2),
    );
    (
        proptest::collection::vec(role, 1..5),
        proptest::collection::vec((0..5usize, 0..3u8, any::<bool>(), 0..4u8), 0..6),
    )
}

const PERMISSIONS: [&str; 7] = [
    "*:*",
    "*:read",
    "*:write",
    "track:write",
    "track:*",
    "*:export",
    "billing:admin",
];
const EXPIRIES: [Option<&str>; 4] = [
    None,
    Some("2026-12-20T00:00:00Z"),
    Some("9999-12-31T00:00:00Z"),
    Some("2026-01-01T00:00:00Z"),
];

fn build(roles: &[RoleSpec], bindings: &[BindingSpec], names: &[String]) -> Tenant {
    let mut t = compliant("acme-music");
    let ac = &mut t.access_control;
    ac.roles = roles
        .iter()
        .enumerate()
        .map(|(i, (perms, inherits))| Role {
            name: name(&names[i]),
            description: None,
            permissions: perms
                .iter()
                .map(|p| Permission::new(PERMISSIONS[*p]).unwrap())
                .collect(),
            inherits: inherits
                .iter()
                .filter(|j| **j < i)
                .map(|j| name(&names[*j]))
                .collect(),
        })
        .collect();
    ac.bindings = bindings
        .iter()
        .enumerate()
        .map(|(i, (r, kind, mfa, expiry))| {
            let kind = ["user", "group", "service_account"][usize::from(*kind)];
            let mut b: Binding = serde_json::from_value(serde_json::json!({
                "subject": { "kind": kind, "id": format!("s{i}") },
                "role": names[r % roles.len()],
            }))
            .unwrap();
            b.conditions.require_mfa = *mfa;
            b.expires_at = EXPIRIES[usize::from(*expiry)].map(|e| Timestamp::new(e).unwrap());
            b
        })
        .collect();
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Renaming roles (consistently, everywhere) never changes an outcome
    /// or a location, with the review taken before the renaming.
    #[test]
    fn renaming_roles_never_changes_an_outcome(
        (roles, bindings) in access_strategy(),
        renamed in proptest::collection::vec("[a-z][a-z0-9_-]{0,10}", 5),
    ) {
        let original: Vec<String> = (0..5).map(|i| format!("role-{i}")).collect();
        let mut unique: Vec<String> = Vec::new();
        for (i, n) in renamed.iter().enumerate() {
            // Keep names unique: a clash would merge two roles.
            unique.push(if unique.contains(n) || original.contains(n) { format!("{n}-{i}x") } else { n.clone() });
        }
        let mut before = build(&roles, &bindings, &original);
        review(&mut before, "2026-10-01");
        let mut after = build(&roles, &bindings, &unique);
        after.access_control.last_access_review = before.access_control.last_access_review.clone();
        let rules = default_rules();
        prop_assert_eq!(outcomes(&eval(&rules, &before)), outcomes(&eval(&rules, &after)));
        prop_assert_eq!(access_snapshot_sha256(&before), access_snapshot_sha256(&after));
    }
}

#[test]
fn a_three_version_history_reports_the_exact_failing_interval() {
    use tenant_policy::checks::{TenantVersion, evaluate_history};
    let dir = format!(
        "{}/tests/fixtures/compliance/history",
        env!("CARGO_MANIFEST_DIR")
    );
    let manifest = std::fs::read_to_string(format!("{dir}/versions.txt")).unwrap();
    let mut loaded: Vec<(DateTime<Utc>, String, Tenant, WrittenFields)> = Vec::new();
    for line in manifest.lines() {
        let (at, file) = line.split_once(' ').unwrap();
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        loaded.push((
            at.parse().unwrap(),
            file.to_owned(),
            parse(&text, Format::Yaml).unwrap(),
            WrittenFields::of_text(&text, Format::Yaml),
        ));
    }
    let versions: Vec<TenantVersion<'_>> = loaded
        .iter()
        .rev() // any order
        .map(|(at, file, tenant, written)| TenantVersion {
            committed_at: *at,
            revision: file,
            tenant,
            written,
        })
        .collect();
    let yaml = r#"
schema_version: 1
rules:
  - { id: privileged, framework: soc2, reference: CC6.1, title: t, severity: high,
      check: { privileged_access: { max_days: 90 } }, evidence: /access_control/bindings, remediation: r }
  - { id: in-transit, framework: soc2, reference: CC6.7, title: t, severity: high,
      check: encryption_in_transit, evidence: /isolation/encryption/in_transit, remediation: r }
"#;
    let rules: ComplianceRules = parse(yaml, Format::Yaml).unwrap();
    let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    let history = evaluate_history(
        &rules,
        &versions,
        &platform(),
        at("2026-01-01T00:00:00Z"),
        at("2026-06-01T00:00:00Z"),
    );
    let intervals = |i: usize| {
        history.rules[i]
            .failing
            .iter()
            .map(|f| {
                (
                    f.from.to_rfc3339(),
                    f.until.to_rfc3339(),
                    f.outcome,
                    f.revisions.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before_first = (
        "2026-01-01T00:00:00+00:00".to_owned(),
        "2026-01-10T09:00:00+00:00".to_owned(),
        NoEvidence,
        Vec::<String>::new(),
    );
    assert_eq!(
        intervals(0),
        [
            before_first.clone(),
            (
                "2026-03-01T10:00:00+00:00".to_owned(),
                "2026-03-15T16:30:00+00:00".to_owned(),
                Fail,
                vec!["v2.yaml".to_owned()]
            ),
        ]
    );
    assert!(
        history.rules[0].failing[1]
            .message
            .contains("/access_control/bindings/2/conditions/require_mfa")
    );
    assert_eq!(intervals(1), [before_first]);
    assert!(!history.always_compliant());
    // A period that starts after the last version: v3 is in force, all pass.
    let later = evaluate_history(
        &rules,
        &versions,
        &platform(),
        at("2026-03-20T00:00:00Z"),
        at("2026-03-21T00:00:00Z"),
    );
    assert!(later.always_compliant(), "{later:#?}");
    // Inside v2 only: the whole period fails.
    let inside = evaluate_history(
        &rules,
        &versions,
        &platform(),
        at("2026-03-02T00:00:00Z"),
        at("2026-03-03T00:00:00Z"),
    );
    assert_eq!(inside.rules[0].failing.len(), 1);
    assert_eq!(inside.rules[0].failing[0].from, at("2026-03-02T00:00:00Z"));
    assert_eq!(inside.rules[0].failing[0].until, at("2026-03-03T00:00:00Z"));
}

#[test]
fn access_changes_are_typed_and_recorded_in_the_audit_chain() {
    use tenant_policy::checks::{AccessChange, access_change_events, access_changes};
    let old = compliant("acme-music");
    // Renaming a role changes no access.
    let mut renamed = old.clone();
    renamed.access_control.roles[0].name = name("listener");
    renamed.access_control.roles[1].inherits = vec![name("listener")];
    renamed.access_control.bindings[0].role = name("listener");
    assert_eq!(access_changes(&old, &renamed), vec![]);

    let grant = |permissions: &[&str]| {
        serde_json::from_value::<tenant_model::CrossTenantGrant>(serde_json::json!({
            "name": "support", "grantee": "platform_operators",
            "subjects": [{ "kind": "user", "id": "op" }], "permissions": permissions,
            "expires_at": "2026-12-15T00:00:00Z", "reason": "ticket"
        }))
        .unwrap()
    };
    let mut with_grant = old.clone();
    with_grant
        .access_control
        .cross_tenant_grants
        .push(grant(&["track:read"]));
    let mut new = with_grant.clone();
    new.access_control.bindings[1].conditions.require_mfa = false;
    new.access_control.bindings[1].expires_at =
        Some(Timestamp::new("2027-12-31T00:00:00Z").unwrap());
    new.access_control.bindings[0].role = name("editor"); // staff: + track:write
    new.access_control
        .bindings
        .push(binding("viewer", false, None));
    new.access_control.cross_tenant_grants[0] = grant(&["track:read", "*:export"]);
    let changes = access_changes(&with_grant, &new);
    let s = |x: &str| x.to_owned();
    assert_eq!(
        changes,
        vec![
            AccessChange::Widened {
                source: s("binding"),
                subject: s("group:staff"),
                added: vec![s("track:write")]
            },
            AccessChange::MfaDropped {
                source: s("binding"),
                subject: s("user:boss")
            },
            AccessChange::ExpiryExtended {
                source: s("binding"),
                subject: s("user:boss"),
                from: s("2027-01-31T00:00:00Z"),
                to: s("2027-12-31T00:00:00Z")
            },
            AccessChange::Added {
                source: s("binding"),
                subject: s("user:someone-viewer"),
                permissions: vec![s("track:read")]
            },
            AccessChange::Widened {
                source: s("grant"),
                subject: s("platform_operators/user:op"),
                added: vec![s("*:export")]
            },
        ]
    );
    assert_eq!(
        access_changes(&with_grant, &old),
        vec![AccessChange::Removed {
            source: s("grant"),
            subject: s("platform_operators/user:op"),
            permissions: vec![s("track:read")]
        }]
    );
    // Recorded in the audit chain, which verifies.
    let stamps = (0..changes.len()).map(|i| {
        EventStamp::new(
            now() + TimeDelta::seconds(i64::try_from(i).unwrap()),
            [u8::try_from(i).unwrap(); 10],
        )
        .unwrap()
    });
    let mut chain = AuditChain::new();
    for event in access_change_events("acme-music", "git:abc123", &changes, stamps) {
        chain.append(event);
    }
    chain.verify().unwrap();
    let events = chain.events();
    assert_eq!(events.len(), 5);
    assert_eq!(events[1].action, "access:mfa_dropped");
    assert_eq!(events[1].resource, "binding/user:boss");
    assert_eq!(events[1].actor, "git:abc123");
    assert_eq!(
        events[2].reason,
        "binding user:boss: expiry extended from 2027-01-31T00:00:00Z to 2027-12-31T00:00:00Z"
    );
    assert_eq!(
        serde_json::to_value(&changes[1]).unwrap()["change"],
        "mfa_dropped"
    );
}

#[test]
fn a_grant_requiring_mfa_is_enforced_by_the_evaluator() {
    use tenant_policy::authz::{PolicySet, Principal, PrincipalKind, Reason, Request, Resource};
    let mut t = compliant("acme-music");
    t.access_control.cross_tenant_grants.push(
        serde_json::from_value(serde_json::json!({
            "name": "support", "grantee": "platform_operators",
            "subjects": [{ "kind": "user", "id": "op" }], "permissions": ["track:read"],
            "expires_at": "2026-12-15T00:00:00Z", "reason": "ticket", "require_mfa": true
        }))
        .unwrap(),
    );
    let policy = PolicySet::compile([&t]).unwrap();
    let ask = |mfa: bool| {
        let principal = Principal::new(PrincipalKind::PlatformOperator, "op", "").with_mfa(mfa);
        let resource = Resource::new("acme-music", "track", "t-1")
            .with_classification(tenant_model::Classification::Internal);
        policy
            .authorize(&Request::new(principal, "read", resource, now()))
            .reason()
    };
    assert_eq!(ask(true), Reason::AllowedByGrant);
    assert_eq!(ask(false), Reason::NoCrossTenantGrant);
}
