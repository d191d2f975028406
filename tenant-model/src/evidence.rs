//! Evidence in a tenant document: which fields were written (a field the
//! document leaves to its default is no evidence of anything), and which
//! JSON pointers name a field of a tenant document at all.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::push_segment;
use crate::locate::SourceMap;
use crate::parse::Format;

/// The fields a tenant document writes, as JSON pointers (every member and
/// element, at every depth, and the root `""`).
///
/// Compliance checks read it to tell a value the document states from a
/// default the model filled in: `audit.enabled` is `true` both ways, but
/// only the written one is evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WrittenFields {
    pointers: BTreeSet<String>,
}

impl WrittenFields {
    /// The fields written in `text` (JSON, YAML or TOML). Text that does not
    /// parse writes nothing.
    pub fn of_text(text: &str, format: Format) -> Self {
        let map = SourceMap::build(text, format);
        let mut pointers: BTreeSet<String> = map.pointers().map(str::to_owned).collect();
        pointers.insert(String::new());
        WrittenFields { pointers }
    }

    /// Every field `document` serializes: for documents built in code, where
    /// the caller states every value it sets (defaults included).
    pub fn of_document<T: serde::Serialize>(document: &T) -> Self {
        let mut pointers = BTreeSet::new();
        if let Ok(value) = serde_json::to_value(document) {
            walk(&value, &mut String::new(), &mut pointers);
        }
        WrittenFields { pointers }
    }

    /// Whether the field at `pointer` is written.
    pub fn contains(&self, pointer: &str) -> bool {
        self.pointers.contains(pointer)
    }

    /// How many fields are written.
    pub fn len(&self) -> usize {
        self.pointers.len()
    }

    /// Whether nothing is written (not even the root).
    pub fn is_empty(&self) -> bool {
        self.pointers.is_empty()
    }
}

fn walk(value: &Value, at: &mut String, out: &mut BTreeSet<String>) {
    out.insert(at.clone());
    let len = at.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                push_segment(at, key);
                walk(child, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                push_segment(at, &i.to_string());
                walk(child, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether `pointer` (RFC 6901) names a field a tenant document can have:
/// each segment a property of the object reached so far, a key of a map,
/// or an index into a list. `""` (the whole document) is a field.
///
/// The answer comes from a table generated from the
/// published tenant schema, so it is the same whether or not the `schema`
/// feature (schemars) is compiled in.
pub fn is_tenant_field(pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<String> = rest
        .split('/')
        .map(|raw| raw.replace("~1", "/").replace("~0", "~"))
        .collect();
    TENANT_FIELDS.iter().any(|pattern| {
        let pattern = pattern.split('/').skip(1);
        pattern.clone().count() == segments.len()
            && pattern
                .zip(&segments)
                .all(|(expected, segment)| match expected {
                    ANY_KEY => true,
                    ANY_INDEX => segment.parse::<usize>().is_ok(),
                    name => name == segment,
                })
    })
}

/// In a [`TENANT_FIELDS`] pattern: any key of a map.
const ANY_KEY: &str = "*";
/// In a [`TENANT_FIELDS`] pattern: any index into a list.
const ANY_INDEX: &str = "#";

/// Every field a tenant document can have, as a JSON pointer pattern in
/// which [`ANY_KEY`] stands for any key of a map and [`ANY_INDEX`] for any
/// list index. Generated from the tenant schema; a test (with the `schema`
/// feature) fails when it is stale and `UPDATE_TENANT_FIELDS=1` rewrites it.
const TENANT_FIELDS: &[&str] = include!("tenant_fields.in");

#[cfg(all(test, feature = "schema"))]
mod tests {
    use std::collections::BTreeSet;

    use schemars::generate::SchemaSettings;
    use serde_json::Value;

    use super::{ANY_INDEX, ANY_KEY, TENANT_FIELDS};
    use crate::tenant::Tenant;

    /// Every field pattern of the schema: properties by name, a map's
    /// values (`additionalProperties` that is a schema) as [`ANY_KEY`], a
    /// list's items as [`ANY_INDEX`], through `$ref`, `anyOf`, `oneOf` and
    /// `allOf`.
    fn fields(root: &Value, node: &Value, at: &str, out: &mut BTreeSet<String>) {
        assert!(
            at.matches('/').count() < 16,
            "the tenant schema nests deeper than expected (a recursive type?) at {at}"
        );
        out.insert(at.to_owned());
        for node in alternatives(root, node, 0) {
            if let Some(Value::Object(properties)) = node.get("properties") {
                for (name, child) in properties {
                    assert!(
                        name != ANY_KEY && name != ANY_INDEX && !name.contains(['/', '~']),
                        "property {name:?} cannot be written in a pattern"
                    );
                    fields(root, child, &format!("{at}/{name}"), out);
                }
            }
            if let Some(child @ Value::Object(_)) = node.get("additionalProperties") {
                fields(root, child, &format!("{at}/{ANY_KEY}"), out);
            }
            if let Some(items) = node.get("items") {
                fields(root, items, &format!("{at}/{ANY_INDEX}"), out);
            }
        }
    }

    /// `node` with its `$ref` followed and its `anyOf` / `oneOf` / `allOf`
    /// branches spread, to a small depth (the tenant schema nests few).
    fn alternatives<'a>(root: &'a Value, node: &'a Value, depth: usize) -> Vec<&'a Value> {
        assert!(depth <= 8, "the tenant schema nests deeper than expected");
        let mut out = vec![node];
        if let Some(Value::String(reference)) = node.get("$ref")
            && let Some(path) = reference.strip_prefix('#')
            && let Some(target) = root.pointer(path)
        {
            out.extend(alternatives(root, target, depth + 1));
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(branches)) = node.get(key) {
                for branch in branches {
                    out.extend(alternatives(root, branch, depth + 1));
                }
            }
        }
        out
    }

    #[test]
    fn the_field_table_is_the_tenant_schema() {
        let schema = SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<Tenant>()
            .to_value();
        let mut generated = BTreeSet::new();
        fields(&schema, &schema, "", &mut generated);
        generated.remove("");
        let mut text = String::from(
            "// Generated from the tenant schema by `evidence::tests`; do not edit.\n&[\n",
        );
        for field in &generated {
            text.push_str(&format!("    {field:?},\n"));
        }
        text.push_str("]\n");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/tenant_fields.in");
        if std::env::var_os("UPDATE_TENANT_FIELDS").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        let table: BTreeSet<String> = TENANT_FIELDS.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            table, generated,
            "src/tenant_fields.in is stale: run `UPDATE_TENANT_FIELDS=1 cargo test -p tenant-model tenant_fields`"
        );
    }

    #[test]
    fn patterns_match_keys_indexes_and_names() {
        assert!(super::is_tenant_field(""));
        assert!(super::is_tenant_field("/monitoring/alert_rules/12/labels"));
        assert!(super::is_tenant_field(
            "/access_control/bindings/0/conditions/require_mfa"
        ));
        assert!(!super::is_tenant_field("/access_control/bindings/first"));
        assert!(!super::is_tenant_field("access_control"));
        assert!(!super::is_tenant_field("/slug/x"));
    }
}
