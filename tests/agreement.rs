//! The Rust types and the published JSON Schemas agree on what is valid:
//! random edits of real documents are judged by both, and any disagreement
//! fails. Rules between fields (references, uniqueness, cycles) are beyond
//! JSON Schema, so the Rust side here runs everything but those.

use proptest::prelude::*;
use serde_json::Value;
use tenant_kit::model::{self, Format, Tenant};

use crate::root;

/// A tenant checked field by field: every rule a parse runs except those
/// between fields (`Document` is sealed; tenant-model provides this one).
type FieldsOnly = model::FieldRulesOnly<Tenant>;

/// The tenant schema, compiled once for every case.
fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: std::sync::LazyLock<jsonschema::Validator> =
        std::sync::LazyLock::new(compile_schema);
    &SCHEMA
}

fn compile_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas/tenant_base.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

pub(crate) fn examples() -> Vec<Value> {
    ["acme-music", "beatforge", "lofi-labs"]
        .iter()
        .map(|name| {
            let path = root().join(format!("examples/tenants/json/{name}.json"));
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        })
        .collect()
}

/// Every pointer of `value`, the root excepted.
pub(crate) fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let p = format!("{here}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let p = format!("{here}/{index}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

/// Values that sit on the edges of the text rules and of the types.
fn edge_values() -> Vec<Value> {
    let strings = [
        "",
        "a",
        "ab",
        "abc",
        "-abc",
        "abc-",
        "ABC",
        "Abc",
        "a_b",
        "a b",
        "a:b",
        "a::b",
        "a:",
        "a-b:",
        "a:b:",
        "*",
        "*:*",
        "track:read",
        "Track:read",
        "track:*",
        "*:read",
        "track:",
        ":read",
        "x",
        "0abc",
        "_abc",
        "pg_x",
        "public",
        "select",
        "user",
        "order",
        "1h30m",
        "0",
        "1y",
        "30d",
        "5m",
        "1m30s",
        "1ms",
        "1h1h",
        "m",
        "24:00",
        "23:59",
        "24:01",
        "9:00",
        "10.0.0.0/8",
        "10.0.0.1/8",
        "::/0",
        "2001:db8::/32",
        "10.0.0.0/33",
        "fr-FR",
        "fr_FR",
        "de",
        "x-private",
        "#abc",
        "#ABC",
        "abc",
        "#a b",
        "Europe/Paris",
        "Mars/Olympus",
        "UTC",
        "utc",
        "2026-01-01T00:00:00Z",
        "2026-01-01",
        "2026-02-30",
        "2026-13-01T00:00:00Z",
        "0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11",
        "0B7C6F1E-3A52-4F0E-9D43-5F0F6A2D8C11",
        "0b7c6f1e3a524f0e9d435f0f6a2d8c11",
        "{0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11}",
        "maya@lofi-labs.example",
        "not-an-email",
        "a@b",
        "/isolation/mode",
        "isolation",
        "/a~2b",
        "__reserved",
        "up == 0",
        "sum(rate(x[5m]))",
        "https://runbooks.example/a",
        "http://x",
        "ftp://x",
        "a\nb",
        "é",
        "ÄBC",
        "enterprise",
        "active",
        "owner",
        "row",
        "schema",
        "database",
        "warning",
        "critical",
        "info",
        "business_hours",
        "timeseries",
        "stat",
        "monday",
        "user",
        "group",
        "service_account",
        "restricted",
        "platform_operators",
    ];
    let mut values: Vec<Value> = strings.iter().map(|s| Value::from(*s)).collect();
    values.push(Value::from("a".repeat(64)));
    values.push(Value::from("a".repeat(63)));
    values.push(Value::from(format!("#{}", "a".repeat(80))));
    values.push(Value::from("x".repeat(201)));
    values.push(Value::from("x".repeat(2001)));
    for n in [
        -1i64,
        0,
        1,
        2,
        7,
        24,
        59,
        60,
        99,
        100,
        101,
        365,
        366,
        1000,
        65535,
        65536,
        4_294_967_295,
        4_294_967_296,
    ] {
        values.push(Value::from(n));
    }
    for f in [0.5, 99.9, 100.0, 1e300, -0.0, 1.5] {
        values.push(Value::from(f));
    }
    values.extend([
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        Value::Array(vec![]),
        Value::Array(vec![Value::from("a")]),
        serde_json::json!({}),
        serde_json::json!({ "env": "X" }),
        serde_json::json!({ "file": "/x" }),
        serde_json::json!({ "tenant": "acme-music" }),
    ]);
    values
}

/// An edit of a document.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    Replace(usize, usize),
    Remove(usize),
    AddKey(usize, usize),
}

pub(crate) fn apply(document: &Value, edit: &Edit) -> Option<Value> {
    let mut out = document.clone();
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let values = edge_values();
    let pick = |i: usize| all.get(i % all.len()).cloned();
    match edit {
        Edit::Replace(at, with) => {
            *out.pointer_mut(&pick(*at)?)? = values.get(with % values.len())?.clone();
        }
        Edit::Remove(at) => {
            let pointer = pick(*at)?;
            let (parent, key) = pointer.rsplit_once('/')?;
            let key = key.replace("~1", "/").replace("~0", "~");
            match out.pointer_mut(parent)? {
                Value::Object(map) => {
                    map.remove(&key);
                }
                Value::Array(items) => {
                    let index: usize = key.parse().ok()?;
                    if index < items.len() {
                        items.remove(index);
                    }
                }
                _ => return None,
            }
        }
        Edit::AddKey(at, with) => {
            let target = out.pointer_mut(&pick(*at)?)?;
            target
                .as_object_mut()?
                .insert("extra".to_owned(), values.get(with % values.len())?.clone());
        }
    }
    Some(out)
}

pub(crate) fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Replace(a, b)),
        2 => any::<usize>().prop_map(Edit::Remove),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::AddKey(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn rust_types_and_schemas_agree(which in 0usize..3, edits in proptest::collection::vec(edit(), 1..3)) {
        let validator = schema();
        let mut document = examples().swap_remove(which);
        for edit in &edits {
            if let Some(edited) = apply(&document, edit) {
                document = edited;
            }
        }
        let text = serde_json::to_string_pretty(&document).unwrap();
        let rust = model::parse::<FieldsOnly>(&text, Format::Json);
        let schema_errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .take(5)
            .collect();
        match (&rust, schema_errors.is_empty()) {
            (Ok(_), true) | (Err(_), false) => {}
            (Ok(_), false) => prop_assert!(false, "Rust accepts, the schema refuses {edits:?}: {schema_errors:?}"),
            (Err(problems), true) => prop_assert!(false, "the schema accepts, Rust refuses {edits:?}: {problems:#}"),
        }
    }
}
