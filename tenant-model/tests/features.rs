//! The Cargo features of tenant-model: a format that is off is refused with
//! an error naming its feature, and a document is judged by the same rules
//! whatever is on. `.ci/run` runs this file with every feature set
//! (`cargo test -p tenant-model --no-default-features --test features`, and
//! with each feature alone), so each `cfg` branch below runs somewhere.

use tenant_model::{ComplianceRules, Format, Tenant, parse, to_text};

/// A small tenant in JSON, the one format every build reads. Its binding
/// names a role it does not define (a rule between fields), and its alert
/// rule's query names another tenant: the PromQL lock (not optional) must
/// refuse it in every build.
const TENANT: &str = r#"{
  "schema_version": 1,
  "id": "0b4f4a4e-2f7c-4a51-9d53-0d6f4ec0c9a1",
  "slug": "acme-music",
  "display_name": "Acme Music",
  "tier": "professional",
  "status": "active",
  "locale": "fr-FR",
  "time_zone": "Europe/Paris",
  "data_residency": { "region": "eu-west-1" },
  "contacts": [{ "name": "Claire Martin", "email": "claire@acme.example", "role": "owner" }],
  "isolation": {
    "mode": "schema",
    "database": { "name": "music", "schema": "tenant_acme_music", "role": "acme_music_app" },
    "cache": { "key_prefix": "acme-music:", "acl_user": "acme-music" }
  },
  "access_control": {
    "roles": [{ "name": "viewer", "permissions": ["track:read"] }],
    "bindings": [{ "subject": { "kind": "user", "id": "claire" }, "role": "editor" }]
  },
  "monitoring": {
    "alert_rules": [{
      "alert": "HighErrorRate",
      "expr": "rate(http_errors_total{tenant=\"beatforge\"}[5m]) > 1",
      "severity": "critical",
      "summary": "errors"
    }]
  }
}"#;

/// Compliance rules whose evidence points at a field no tenant has: the
/// field table (generated from the schema) must refuse it in every build,
/// with or without schemars.
const RULES: &str = r#"{
  "schema_version": 1,
  "rules": [{
    "id": "soc2-cc7-2-audit-trail",
    "framework": "soc2",
    "reference": "CC7.2",
    "title": "The audit trail is kept a year",
    "severity": "high",
    "check": { "audit_trail": { "retention_days": 365, "max_gap_hours": 24 } },
    "evidence": "/audit/enable",
    "remediation": "Write `audit.enabled: true`."
  }]
}"#;

#[test]
fn a_json_tenant_is_judged_by_every_rule_in_every_build() {
    let problems = parse::<Tenant>(TENANT, Format::Json).unwrap_err();
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer()).collect();
    assert_eq!(
        pointers,
        ["/access_control/bindings/0/role"],
        "{problems:#}"
    );
    let tenant = valid_tenant();
    let queries = tenant_model::check_queries(&tenant, "tenant");
    let pointers: Vec<&str> = queries.iter().map(|p| p.pointer()).collect();
    assert_eq!(pointers, ["/monitoring/alert_rules/0/expr"], "{queries:?}");
}

#[test]
fn evidence_outside_the_tenant_document_is_refused_in_every_build() {
    let problems = parse::<ComplianceRules>(RULES, Format::Json).unwrap_err();
    let messages: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.pointer(), p.message()))
        .collect();
    assert!(
        messages.contains(
            &"/rules/0/evidence: `/audit/enable` is not a field of a tenant document".to_owned()
        ),
        "{messages:?}"
    );
    assert!(tenant_model::is_tenant_field("/audit/enabled"));
}

#[cfg(not(feature = "yaml"))]
#[test]
fn yaml_is_refused_naming_the_feature() {
    let problems = parse::<Tenant>("slug: acme-music\n", Format::Yaml).unwrap_err();
    let problem = problems.iter().next().unwrap();
    assert_eq!(
        problem.message(),
        "YAML documents are not supported by this build: enable the `yaml` feature of tenant-model"
    );
    assert_eq!((problem.line(), problem.column()), (Some(1), Some(1)));
    let refused = to_text(&valid_tenant(), Format::Yaml).unwrap_err();
    assert!(refused.message().contains("`yaml` feature"), "{refused}");
}

#[cfg(not(feature = "toml"))]
#[test]
fn toml_is_refused_naming_the_feature() {
    let problems = parse::<Tenant>("slug = \"acme-music\"\n", Format::Toml).unwrap_err();
    let problem = problems.iter().next().unwrap();
    assert_eq!(
        problem.message(),
        "TOML documents are not supported by this build: enable the `toml` feature of tenant-model"
    );
    let refused = to_text(&serde_json::json!({ "a": 1 }), Format::Toml).unwrap_err();
    assert!(refused.message().contains("`toml` feature"), "{refused}");
}

#[cfg(feature = "yaml")]
#[test]
fn yaml_is_read_with_the_feature() {
    let text = to_text(&serde_json::json!({ "slug": "acme-music" }), Format::Yaml).unwrap();
    assert_eq!(text.trim(), "slug: acme-music");
    // Read, then refused by the rules (not by the format): the fields are
    // missing.
    let problems = parse::<Tenant>(&text, Format::Yaml).unwrap_err();
    assert!(problems.iter().all(|p| !p.message().contains("feature")));
}

#[cfg(feature = "toml")]
#[test]
fn toml_is_read_with_the_feature() {
    let problems = parse::<Tenant>("slug = \"acme-music\"\n", Format::Toml).unwrap_err();
    assert!(problems.iter().all(|p| !p.message().contains("feature")));
}

#[cfg(feature = "schema")]
#[test]
fn schemas_are_generated_with_the_feature() {
    let names: Vec<&str> = tenant_model::schemas()
        .iter()
        .map(|s| s.file_name)
        .collect();
    assert!(names.contains(&"tenant_base.json"), "{names:?}");
}

/// [`TENANT`] with its binding fixed: a document every build reads.
#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a failure fails the test loudly"
)]
fn valid_tenant() -> Tenant {
    let fixed = TENANT.replace(r#""role": "editor""#, r#""role": "viewer""#);
    parse(&fixed, Format::Json).unwrap()
}
