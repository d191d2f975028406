//! The checked-in JSON Schemas are the ones the code generates.

use crate::root;

const REGENERATE: &str = "cargo run -p tenant-cli -- schema --out schemas";

#[test]
fn checked_in_schemas_are_current() {
    let dir = root().join("schemas");
    let generated = tenant_kit::model::schemas();
    assert_eq!(generated.len(), 7);
    for schema in &generated {
        let path = dir.join(schema.file_name);
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == schema.to_pretty_json(),
            "schemas/{} is stale or missing; regenerate with `{REGENERATE}`",
            schema.file_name
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = generated.iter().map(|s| s.file_name.to_owned()).collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "schemas/ holds files the code does not generate; regenerate with `{REGENERATE}`"
    );
}

#[test]
fn schemas_are_valid_draft_2020_12() {
    let meta = jsonschema::draft202012::meta::validator();
    for schema in tenant_kit::model::schemas() {
        let errors: Vec<String> = meta
            .iter_errors(&schema.schema)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", schema.file_name);
        assert_eq!(
            schema.schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}
