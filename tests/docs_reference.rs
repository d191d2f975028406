//! Generates `docs/guide/reference.md`, the document reference, from the
//! JSON Schemas in `schemas/`, and fails when the committed page is stale.
//!
//! `UPDATE_DOCS=1 cargo test --test docs_reference` rewrites the page.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failing test should fail loudly"
)]

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value};

/// The schemas, in the order the page lists them.
const SCHEMAS: [&str; 7] = [
    "tenant_base",
    "platform",
    "compliance_rules",
    "access_control",
    "isolation_policy",
    "monitoring_config",
    "slack_templates",
];

/// A long pattern is named, not printed (the CIDR pattern is kilobytes).
const MAX_PATTERN: usize = 80;

/// A long list of values (the IANA time zones) is counted, not printed.
const MAX_ENUM: usize = 12;

fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn anchor(schema: &str, def: &str) -> String {
    format!("{schema}.{def}")
}

/// The type of a schema node, with links to definitions.
fn type_of(schema: &str, node: &Value) -> String {
    let Some(obj) = node.as_object() else {
        return "any".to_owned();
    };
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("[`{name}`](#{})", anchor(schema, name));
    }
    if let Some(c) = obj.get("const") {
        return format!("`{c}`");
    }
    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        let list: Vec<String> = values
            .iter()
            .take(MAX_ENUM)
            .map(|v| format!("`{v}`"))
            .collect();
        if values.len() > MAX_ENUM {
            return format!(
                "one of {} values ({}, …; see the schema)",
                values.len(),
                list.join(", ")
            );
        }
        return format!("one of {}", list.join(", "));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = obj.get(key).and_then(Value::as_array) {
            let list: Vec<String> = options.iter().map(|o| type_of(schema, o)).collect();
            return list.join(" or ");
        }
    }
    let types: Vec<String> = match obj.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => vec![],
    };
    let types: Vec<String> = types
        .into_iter()
        .map(|t| match (t.as_str(), obj.get("items")) {
            ("array", Some(items)) => format!("array of {}", type_of(schema, items)),
            ("object", _)
                if obj
                    .get("additionalProperties")
                    .is_some_and(Value::is_object) =>
            {
                format!("map of {}", type_of(schema, &obj["additionalProperties"]))
            }
            _ => t,
        })
        .collect();
    if types.is_empty() {
        "any".to_owned()
    } else {
        types.join(" or ")
    }
}

/// Constraints and default of a schema node, comma-separated.
fn constraints(node: &Value) -> String {
    let Some(obj) = node.as_object() else {
        return String::new();
    };
    let mut out = Vec::new();
    for (key, label) in [
        ("minLength", "length ≥"),
        ("maxLength", "length ≤"),
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
        ("minItems", "items ≥"),
        ("maxItems", "items ≤"),
        ("format", "format"),
    ] {
        if let Some(v) = obj.get(key) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            out.push(format!("{label} {v}"));
        }
    }
    if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
        if p.len() <= MAX_PATTERN {
            out.push(format!("pattern `{}`", p.replace('|', "\\|")));
        } else {
            out.push("pattern (long; see the schema)".to_owned());
        }
    }
    if let Some(d) = obj.get("default") {
        let text = d.to_string();
        if text.len() <= MAX_PATTERN {
            out.push(format!("default `{}`", text.replace('|', "\\|")));
        } else {
            out.push("default (see the schema)".to_owned());
        }
    }
    out.join(", ")
}

fn description(node: &Value) -> String {
    node.get("description")
        .and_then(Value::as_str)
        .map(one_line)
        .unwrap_or_default()
}

/// A table of an object's fields.
fn fields(out: &mut String, schema: &str, obj: &Map<String, Value>) {
    let Some(props) = obj.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str("| field | type | required | constraints | description |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    let mut names: Vec<&String> = props.keys().collect();
    names.sort();
    for name in names {
        let node = &props[name];
        writeln!(
            out,
            "| `{name}` | {} | {} | {} | {} |",
            type_of(schema, node),
            if required.contains(&name.as_str()) {
                "yes"
            } else {
                ""
            },
            constraints(node),
            description(node)
        )
        .unwrap();
    }
    out.push('\n');
}

/// The variants of a `oneOf`/`anyOf` definition, one line each.
fn variants(out: &mut String, schema: &str, obj: &Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(options) = obj.get(key).and_then(Value::as_array) else {
            continue;
        };
        out.push_str("One of:\n\n");
        for option in options {
            let what = match option.get("properties").and_then(Value::as_object) {
                Some(props) if option.get("const").is_none() => {
                    let keys: Vec<String> = props
                        .iter()
                        .map(|(k, v)| format!("`{k}`: {}", type_of(schema, v)))
                        .collect();
                    format!("an object {{ {} }}", keys.join(", "))
                }
                _ => type_of(schema, option),
            };
            let extra = constraints(option);
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({extra})")
            };
            let text = description(option);
            let text = if text.is_empty() {
                String::new()
            } else {
                format!(": {text}")
            };
            writeln!(out, "- {what}{extra}{text}").unwrap();
        }
        out.push('\n');
    }
}

fn definition(out: &mut String, schema: &str, name: &str, node: &Value) {
    let obj = node.as_object().unwrap();
    writeln!(out, "<a id=\"{}\"></a>\n", anchor(schema, name)).unwrap();
    writeln!(out, "#### `{name}`\n").unwrap();
    let text = description(node);
    if !text.is_empty() {
        writeln!(out, "{text}\n").unwrap();
    }
    if obj.contains_key("properties") {
        fields(out, schema, obj);
    } else if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
        variants(out, schema, obj);
    } else {
        let extra = constraints(node);
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(", {extra}")
        };
        writeln!(out, "Type: {}{extra}.\n", type_of(schema, node)).unwrap();
    }
}

fn generate(root: &Path) -> String {
    let mut out = String::new();
    out.push_str(
        "# Document reference\n\n\
         <!-- Generated from schemas/*.json by tests/docs_reference.rs; do not edit.\n     \
         Regenerate with: UPDATE_DOCS=1 cargo test --test docs_reference -->\n\n\
         Every field of every document, from the JSON Schemas in `schemas/`\n\
         (`tenantctl schema --out schemas` writes them; the model is their\n\
         source). The schemas say the shape; [the documents](documents.md)\n\
         explains the rules a schema cannot say (uniqueness across tenants,\n\
         references between fields, compliance). Unknown fields are errors\n\
         everywhere.\n\n",
    );
    for schema in SCHEMAS {
        writeln!(out, "- [`{schema}`](#{schema})").unwrap();
    }
    out.push('\n');
    for schema in SCHEMAS {
        let path = root.join("schemas").join(format!("{schema}.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let obj = value.as_object().unwrap();
        writeln!(out, "<a id=\"{schema}\"></a>\n").unwrap();
        writeln!(out, "## `{schema}` (`schemas/{schema}.json`)\n").unwrap();
        let text = description(&value);
        if !text.is_empty() {
            writeln!(out, "{text}\n").unwrap();
        }
        fields(&mut out, schema, obj);
        if let Some(defs) = obj.get("$defs").and_then(Value::as_object) {
            writeln!(out, "### Definitions of `{schema}`\n").unwrap();
            let mut names: Vec<&String> = defs.keys().collect();
            names.sort();
            for name in names {
                definition(&mut out, schema, name, &defs[name]);
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[test]
fn the_document_reference_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = root.join("docs/guide/reference.md");
    let expected = generate(root);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&page, &expected).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(
        current == expected,
        "docs/guide/reference.md is stale: run `UPDATE_DOCS=1 cargo test --test docs_reference`"
    );
}

#[test]
fn every_schema_is_in_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = std::fs::read_dir(root.join("schemas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = SCHEMAS.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "a schema is missing from the reference");
}
