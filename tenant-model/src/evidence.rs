//! Evidence in a tenant document: which fields were written (a field the
//! document leaves to its default is no evidence of anything), and which
//! JSON pointers name a field of a tenant document at all.

use std::collections::BTreeSet;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::error::push_segment;
use crate::locate::SourceMap;
use crate::parse::Format;
use crate::tenant::Tenant;

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

/// The tenant document's schema, for [`is_tenant_field`].
pub(crate) fn tenant_schema() -> Value {
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<Tenant>()
        .to_value()
}

/// Whether `pointer` (RFC 6901) names a field a tenant document can have:
/// each segment a property of the object schema reached so far, or an
/// index into a list. `""` (the whole document) is a field.
pub fn is_tenant_field(pointer: &str) -> bool {
    pointer_in_schema(&tenant_schema(), pointer)
}

pub(crate) fn pointer_in_schema(root: &Value, pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return false;
    };
    let mut nodes = vec![root];
    for raw in rest.split('/') {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        let mut next = Vec::new();
        for node in nodes {
            for node in alternatives(root, node, 0) {
                if let Some(child) = node.get("properties").and_then(|p| p.get(&segment)) {
                    next.push(child);
                }
                if let Some(child @ Value::Object(_)) = node.get("additionalProperties") {
                    next.push(child);
                }
                if segment.parse::<usize>().is_ok()
                    && let Some(items) = node.get("items")
                {
                    next.push(items);
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        nodes = next;
    }
    true
}

/// `node` with its `$ref` followed and its `anyOf` / `oneOf` / `allOf`
/// branches spread, to a small depth (the tenant schema nests few).
fn alternatives<'a>(root: &'a Value, node: &'a Value, depth: usize) -> Vec<&'a Value> {
    if depth > 8 {
        return Vec::new();
    }
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
