//! Compliance: every check kind passes and fails on the right data, rules
//! apply by jurisdiction, tier and status, and the default GDPR / SOC 2 rule
//! set is the one in `examples/compliance_rules.yaml`.

use chrono::NaiveDate;
use tenant_model::{
    Binding, ComplianceRules, ContactRole, Date, FindingSeverity, Format, IsolationMode, Name,
    Permission, Role, Tenant, TenantStatus, Tier, Timestamp, parse,
};
use tenant_policy::checks::{
    DEFAULT_RULES_YAML, Outcome, default_rules, evaluate_compliance, evaluate_compliance_set,
};

use crate::sample::{now, platform, tenant};

/// One rule with `check` (YAML) and `applies_to` (YAML).
fn rules(check: &str, applies_to: &str) -> ComplianceRules {
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
    evidence: /the/evidence
    remediation: Fix it.
"#
    );
    parse(&yaml, Format::Yaml).unwrap()
}

/// Evaluates the rule `check` against the sample tenant changed by `edit`:
/// its outcome and observed value.
#[track_caller]
fn check(check: &str, edit: impl FnOnce(&mut Tenant), outcome: Outcome, observed: &str) {
    let mut t = tenant("acme-music");
    edit(&mut t);
    let report = evaluate_compliance(&rules(check, "{}"), &t, &platform(), now());
    let result = &report.results[0];
    assert_eq!(
        (result.outcome, result.observed.as_str()),
        (outcome, observed),
        "{check}: {}",
        result.message
    );
    assert_eq!(result.evidence.as_str(), "/the/evidence");
    assert_eq!(result.remediation, "Fix it.");
    assert_eq!(result.severity, FindingSeverity::High);
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

use Outcome::{Fail, NotApplicable, Pass};

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
    check(
        eu,
        |t| {
            t.data_residency.region = name("us-east-1");
            t.data_residency.replica_regions.clear();
        },
        Fail,
        "`us-east-1`",
    );
}

#[test]
fn retention_at_most() {
    let rule = "{ retention_at_most: { days: 365 } }";
    check(rule, |_| {}, Pass, "365 days");
    check(
        rule,
        |t| t.data_protection.retention_days = 366,
        Fail,
        "366 days",
    );
    check(
        rule,
        |t| t.data_protection.retention_days = 1,
        Pass,
        "1 days",
    );
}

#[test]
fn contact_present() {
    let rule = "{ contact_present: { role: dpo } }";
    check(rule, |_| {}, Pass, "contact roles: `dpo`, `owner`");
    check(
        rule,
        |t| t.contacts.retain(|c| c.role != ContactRole::Dpo),
        Fail,
        "contact roles: `owner`",
    );
}

#[test]
fn erasure_audit_logging_and_encryption_at_rest() {
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
    check("audit_logging_enabled", |_| {}, Pass, "audit.enabled: true");
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
        "encryption_at_rest",
        |t| t.isolation.encryption.at_rest = false,
        Fail,
        "isolation.encryption.at_rest: false",
    );
}

#[test]
fn mfa_for_roles_covers_roles_inheriting_them() {
    let rule = "{ mfa_for_roles: { roles: [admin] } }";
    check(rule, |_| {}, Pass, "1 binding(s) to `admin`; 0 without MFA");
    check(
        rule,
        |t| {
            t.access_control
                .bindings
                .push(binding("admin", false, None))
        },
        Fail,
        "2 binding(s) to `admin`; 1 without MFA",
    );
    // A role that inherits `admin` holds its permissions: MFA needed too.
    check(
        rule,
        |t| {
            t.access_control.roles.push(role("super", &[], &["admin"]));
            t.access_control
                .bindings
                .push(binding("super", false, None));
        },
        Fail,
        "2 binding(s) to `admin`, `super`; 1 without MFA",
    );
    // A role `admin` inherits from is not covered.
    check(
        rule,
        |t| {
            t.access_control
                .bindings
                .push(binding("editor", false, None))
        },
        Pass,
        "1 binding(s) to `admin`; 0 without MFA",
    );
    // Cycles (rejected by the parser, possible in code) terminate.
    check(
        rule,
        |t| {
            t.access_control.roles.push(role("a", &[], &["b", "admin"]));
            t.access_control.roles.push(role("b", &[], &["a"]));
            t.access_control.bindings.push(binding("b", true, None));
        },
        Pass,
        "2 binding(s) to `a`, `admin`, `b`; 0 without MFA",
    );
}

#[test]
fn mfa_failures_name_the_bindings() {
    let mut t = tenant("acme-music");
    t.access_control
        .bindings
        .push(binding("admin", false, None));
    let report = evaluate_compliance(
        &rules("{ mfa_for_roles: { roles: [admin] } }", "{}"),
        &t,
        &platform(),
        now(),
    );
    assert_eq!(
        report.results[0].message,
        "bindings without `require_mfa`: /access_control/bindings/2 (`admin`)"
    );
}

#[test]
fn access_review_within() {
    let rule = "{ access_review_within: { days: 90 } }";
    let reviewed = |date: &str| {
        let date = Date::new(date).unwrap();
        move |t: &mut Tenant| t.access_control.last_access_review = Some(date)
    };
    // now() is 2026-11-27.
    check(
        rule,
        reviewed("2026-10-01"),
        Pass,
        "last review on 2026-10-01 (57 days before now)",
    );
    check(
        rule,
        reviewed("2026-08-29"),
        Pass,
        "last review on 2026-08-29 (90 days before now)",
    );
    check(
        rule,
        reviewed("2026-08-28"),
        Fail,
        "last review on 2026-08-28 (91 days before now)",
    );
    check(
        rule,
        reviewed("2026-11-28"),
        Pass,
        "last review on 2026-11-28 (-1 days before now)",
    );
    check(
        rule,
        reviewed("2026-12-05"),
        Fail,
        "last review on 2026-12-05 (-8 days before now)",
    );
    check(
        rule,
        |t| t.access_control.last_access_review = None,
        Fail,
        "no access review recorded",
    );
    assert_eq!(
        now().date_naive(),
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    );
}

#[test]
fn no_wildcard_binding_without_expiry() {
    let rule = "no_wildcard_binding_without_expiry";
    check(
        rule,
        |_| {},
        Pass,
        "roles holding `*:*`: `admin`; 0 binding(s) to them without expiry",
    );
    check(
        rule,
        |t| t.access_control.bindings.push(binding("admin", true, None)),
        Fail,
        "roles holding `*:*`: `admin`; 1 binding(s) to them without expiry",
    );
    check(
        rule,
        |t| {
            t.access_control
                .roles
                .push(role("root", &["billing:read"], &["admin"]));
            t.access_control.bindings.push(binding("root", true, None));
        },
        Fail,
        "roles holding `*:*`: `admin`, `root`; 1 binding(s) to them without expiry",
    );
    // `*:read` and `track:*` are not `*:*`.
    check(
        rule,
        |t| {
            t.access_control.roles = vec![role("reader", &["*:read", "track:*"], &[])];
            t.access_control.bindings = vec![binding("reader", false, None)];
        },
        Pass,
        "roles holding `*:*`: none; 0 binding(s) to them without expiry",
    );
}

#[test]
fn isolation_at_least() {
    let rule = "{ isolation_at_least: { mode: schema } }";
    check(rule, |_| {}, Pass, "isolation.mode: schema");
    check(
        rule,
        |t| t.isolation.mode = IsolationMode::Database,
        Pass,
        "isolation.mode: database",
    );
    check(
        rule,
        |t| t.isolation.mode = IsolationMode::Row,
        Fail,
        "isolation.mode: row",
    );
}

/// The outcome of a failing check limited by `applies_to` on the sample
/// tenant changed by `edit`.
#[track_caller]
fn applies(applies_to: &str, edit: impl FnOnce(&mut Tenant), outcome: Outcome) {
    let mut t = tenant("acme-music");
    t.audit.enabled = false;
    edit(&mut t);
    let report = evaluate_compliance(
        &rules("audit_logging_enabled", applies_to),
        &t,
        &platform(),
        now(),
    );
    let result = &report.results[0];
    assert_eq!(result.outcome, outcome, "{applies_to}: {}", result.message);
    if outcome == NotApplicable {
        assert!(
            result.message.starts_with("not applicable: "),
            "{}",
            result.message
        );
        assert_eq!(result.observed, "");
    }
}

#[test]
fn rules_apply_by_jurisdiction_tier_and_status() {
    let us = |t: &mut Tenant| t.data_residency.region = name("us-east-1");
    applies("{ jurisdictions: [eu] }", |_| {}, Fail);
    applies("{ jurisdictions: [eu] }", us, NotApplicable);
    applies("{ jurisdictions: [us, eu] }", us, Fail);
    // An unknown region has no known jurisdiction: the rule applies.
    applies(
        "{ jurisdictions: [eu] }",
        |t| t.data_residency.region = name("mars-1"),
        Fail,
    );
    applies("{ tiers: [enterprise] }", |_| {}, NotApplicable);
    applies("{ tiers: [professional, enterprise] }", |_| {}, Fail);
    applies("{ statuses: [active] }", |_| {}, Fail);
    applies(
        "{ statuses: [active] }",
        |t| t.status = TenantStatus::Provisioning,
        NotApplicable,
    );
    // Every list given must match.
    applies(
        "{ jurisdictions: [eu], tiers: [free] }",
        |_| {},
        NotApplicable,
    );
    applies(
        "{ jurisdictions: [eu], tiers: [free] }",
        |t| t.tier = Tier::Free,
        Fail,
    );
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
    assert_eq!(default_rules().rules.len(), 9);
    assert!(DEFAULT_RULES_YAML.contains("gdpr-art-44-residency"));
}

#[test]
fn a_well_configured_tenant_passes_the_default_rules() {
    let report = evaluate_compliance(&default_rules(), &tenant("acme-music"), &platform(), now());
    let failures: Vec<&str> = report
        .failures()
        .iter()
        .map(|r| r.message.as_str())
        .collect();
    assert!(report.is_compliant(), "{failures:?}");
    assert_eq!(
        (report.summary.passed, report.summary.not_applicable),
        (9, 0)
    );
    assert_eq!(report.tenant.as_str(), "acme-music");
    assert_eq!(report.evaluated_at, now());
}

#[test]
fn the_summary_counts_failures_by_severity_and_lists_the_worst_first() {
    let mut eu = tenant("acme-music");
    eu.audit.enabled = false; // high
    eu.data_protection.retention_days = 1000; // medium
    eu.contacts.retain(|c| c.role != ContactRole::Dpo); // medium
    eu.data_residency.replica_regions = vec![name("us-east-1")]; // critical
    let mut us = tenant("lofi-labs");
    us.data_residency.region = name("us-east-1");
    us.data_residency.replica_regions.clear();
    us.status = TenantStatus::Provisioning;
    let reports = evaluate_compliance_set(&default_rules(), &[&eu, &us], &platform(), now());

    let s = &reports[0].summary;
    assert_eq!((s.passed, s.failed, s.not_applicable), (5, 4, 0));
    assert_eq!(
        s.failed_by_severity
            .iter()
            .map(|(k, v)| (*k, *v))
            .collect::<Vec<_>>(),
        [
            (FindingSeverity::Medium, 2),
            (FindingSeverity::High, 1),
            (FindingSeverity::Critical, 1),
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
            "gdpr-art-44-residency",
            "soc2-cc7-2-audit-logging",
            "gdpr-art-5-retention",
            "gdpr-art-37-dpo",
        ]
    );
    // The US tenant: EU-only rules and the review rule (not for provisioning
    // tenants) do not apply.
    let s = &reports[1].summary;
    assert_eq!((s.passed, s.failed, s.not_applicable), (6, 0, 3));
}

#[test]
fn reports_serialize_for_tools() {
    let report = evaluate_compliance(&default_rules(), &tenant("acme-music"), &platform(), now());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["tenant"], "acme-music");
    assert_eq!(json["results"][0]["outcome"], "pass");
    assert_eq!(json["results"][0]["evidence"], "/data_residency");
    assert_eq!(json["summary"]["passed"], 9);
}

#[test]
fn observed_values_never_show_secrets() {
    let mut t = tenant("acme-music");
    t.isolation.database.password = Some(tenant_model::Secret::inline("hunter2-secret"));
    let report = evaluate_compliance(&default_rules(), &t, &platform(), now());
    let shown = format!("{report:?}");
    assert!(!shown.contains("hunter2"));
}
