//! The example documents: valid ones pass an independent JSON Schema
//! validator and the library; each invalid one fails, next to its expected
//! diagnostics.

use std::path::Path;

use tenant_kit::model::{self, ComplianceRules, Format, PlatformConfig, Tenant};

use crate::{as_json, documents_under, root};

fn validator(schema_file: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(schema_file)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, path: &Path) -> Vec<String> {
    validator
        .iter_errors(&as_json(path))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn example_tenants_pass_the_schema_and_the_library() {
    let tenant_schema = validator("tenant_base.json");
    let files = documents_under(&root().join("examples/tenants"));
    assert!(
        files.len() >= 6,
        "expected YAML and JSON copies of at least three tenants"
    );
    for path in &files {
        let errors = schema_errors(&tenant_schema, path);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        let text = std::fs::read_to_string(path).unwrap();
        let parsed = model::parse::<Tenant>(&text, Format::from_path(path).unwrap());
        assert!(
            parsed.is_ok(),
            "{}: {}",
            path.display(),
            parsed.unwrap_err()
        );
    }
}

#[test]
fn yaml_and_json_copies_are_the_same_tenants() {
    let dir = root().join("examples/tenants");
    let yaml = documents_under(&dir)
        .into_iter()
        .filter(|p| p.extension().unwrap() == "yaml");
    let mut count = 0;
    for path in yaml {
        let json = dir
            .join("json")
            .join(path.with_extension("json").file_name().unwrap());
        let read = |p: &Path| {
            let text = std::fs::read_to_string(p).unwrap();
            model::parse::<Tenant>(&text, Format::from_path(p).unwrap()).unwrap()
        };
        assert_eq!(
            read(&path),
            read(&json),
            "{} and {} differ",
            path.display(),
            json.display()
        );
        count += 1;
    }
    assert!(count >= 3);
}

#[test]
fn example_tenants_cover_the_documented_variety() {
    let tenants: Vec<Tenant> = documents_under(&root().join("examples/tenants"))
        .iter()
        .filter(|p| p.extension().unwrap() == "yaml")
        .map(|p| model::parse(&std::fs::read_to_string(p).unwrap(), Format::Yaml).unwrap())
        .collect();
    let distinct = |f: &dyn Fn(&Tenant) -> String| {
        let mut v: Vec<String> = tenants.iter().map(f).collect();
        v.sort();
        v.dedup();
        v.len()
    };
    assert!(distinct(&|t| format!("{:?}", t.tier)) >= 3);
    assert!(distinct(&|t| t.locale.langid().language.to_string()) >= 3);
    assert!(distinct(&|t| format!("{:?}", t.isolation.mode)) >= 3);
    assert!(distinct(&|t| t.time_zone.to_string()) >= 3);
    assert!(
        tenants
            .iter()
            .any(|t| !t.monitoring.slos.is_empty() && t.slack.receivers.len() >= 2)
    );
    assert!(
        tenants
            .iter()
            .any(|t| !t.access_control.cross_tenant_grants.is_empty()
                && !t.monitoring.routing.maintenance_windows.is_empty())
    );
    let set: Vec<&Tenant> = tenants.iter().collect();
    assert_eq!(model::check_tenant_set(&set), vec![]);
}

#[test]
fn platform_and_compliance_examples_pass_the_schema_and_the_library() {
    let cases = [
        ("examples/platform.yaml", "platform.json"),
        ("examples/compliance_rules.yaml", "compliance_rules.json"),
    ];
    for (file, schema) in cases {
        let path = root().join(file);
        let errors = schema_errors(&validator(schema), &path);
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
    let text = std::fs::read_to_string(root().join("examples/platform.yaml")).unwrap();
    let platform = model::parse::<PlatformConfig>(&text, Format::Yaml).unwrap();
    let text = std::fs::read_to_string(root().join("examples/compliance_rules.yaml")).unwrap();
    model::parse::<ComplianceRules>(&text, Format::Yaml).unwrap();
    for path in documents_under(&root().join("examples/tenants")) {
        let tenant: Tenant = model::parse(
            &std::fs::read_to_string(&path).unwrap(),
            Format::from_path(&path).unwrap(),
        )
        .unwrap();
        assert_eq!(
            model::check_against_platform(&tenant, &platform),
            vec![],
            "{}",
            path.display()
        );
    }
}

/// Each invalid example fails the schema or the library, and has the
/// diagnostics `tenantctl validate` must print next to it (checked exactly by
/// the command-line tests).
#[test]
fn invalid_examples_fail() {
    let tenant_schema = validator("tenant_base.json");
    let dir = root().join("examples/invalid");
    let mut checked = 0;
    let mut schema_failures = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected") {
            continue;
        }
        let expected = path.with_extension("expected");
        let expected = if path.is_dir() {
            dir.join(format!(
                "{}.expected",
                path.file_name().unwrap().to_string_lossy()
            ))
        } else {
            expected
        };
        let lines = std::fs::read_to_string(&expected).unwrap_or_default();
        assert!(
            !lines.trim().is_empty(),
            "{} has no expected diagnostics next to it",
            path.display()
        );
        if path.is_dir() {
            // A set of documents: each is valid alone; the set is not.
            let tenants: Vec<Tenant> = documents_under(&path)
                .iter()
                .map(|p| {
                    model::parse(
                        &std::fs::read_to_string(p).unwrap(),
                        Format::from_path(p).unwrap(),
                    )
                    .unwrap()
                })
                .collect();
            let set: Vec<&Tenant> = tenants.iter().collect();
            assert!(
                !model::check_tenant_set(&set).is_empty(),
                "{}",
                path.display()
            );
        } else {
            let format = Format::from_path(&path).unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let relative = path.strip_prefix(root()).unwrap().display().to_string();
            match model::parse::<Tenant>(&text, format) {
                Err(problems) => {
                    // `tenantctl validate` prints `FILE:` before each problem.
                    let got: Vec<String> =
                        problems.iter().map(|p| format!("{relative}:{p}")).collect();
                    let want: Vec<&str> = lines.lines().collect();
                    assert_eq!(got, want, "{relative}");
                }
                Ok(tenant) => {
                    // Valid as a document; its queries cannot be locked to
                    // the tenant, or its Fluent overrides are not valid.
                    let queries =
                        model::place(model::check_queries(&tenant, "tenant"), &text, format);
                    for problem in &queries {
                        let line = format!("{relative}:{problem}");
                        assert!(lines.lines().any(|l| l == line), "{relative}: {line}");
                    }
                    let override_problems: usize = tenant
                        .slack
                        .templates
                        .iter()
                        .flat_map(|t| t.messages.iter())
                        .map(|(locale, source)| {
                            tenant_kit::i18n::check_overrides(locale.langid(), source).len()
                        })
                        .sum();
                    assert_eq!(
                        override_problems + queries.len(),
                        lines.lines().count(),
                        "{relative}"
                    );
                }
            }
            let fails_schema = !schema_errors(&tenant_schema, &path).is_empty();
            schema_failures += usize::from(fails_schema);
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} invalid examples");
    // The schema catches what JSON Schema can say (types, patterns, ranges,
    // unknown fields); references and cycles need the library.
    assert!(
        schema_failures >= 6,
        "only {schema_failures} invalid examples fail the schema"
    );
}
