//! Schema versions: which `schema_version`s are read, and the migration steps
//! that bring an older document forward to the current one.
//!
//! A migration step rewrites the parsed value of a document from one version
//! to the next; steps run in order, so supporting a new version means adding
//! one step and raising [`CURRENT_SCHEMA_VERSION`]. Version 1 is the first
//! published schema, so there are no steps yet.

use serde_json::Value;

use crate::error::Problem;

/// The schema version this library writes.
pub const CURRENT_SCHEMA_VERSION: u32 = 1;

/// Every schema version this library reads.
pub const SUPPORTED_SCHEMA_VERSIONS: &[u32] = &[1];

/// One step from `from` to `from + 1`.
struct Migration {
    from: u32,
    /// Which document kinds the step applies to.
    kinds: &'static [&'static str],
    /// Rewrites the value; returns what changed, for the user.
    apply: fn(&mut Value) -> Result<(), Problem>,
}

const MIGRATIONS: &[Migration] = &[];

/// Checks `schema_version` and migrates `value` to the current version.
pub(crate) fn migrate(kind: &str, mut value: Value) -> Result<Value, Problem> {
    let Some(map) = value.as_object() else {
        return Err(Problem::new(
            "",
            "expected a mapping at the top of the document",
        ));
    };
    let supported = SUPPORTED_SCHEMA_VERSIONS
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let version = match map.get("schema_version") {
        None => {
            return Err(Problem::new(
                "/schema_version",
                format!("missing required field `schema_version`; supported versions: {supported}"),
            ));
        }
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| {
                Problem::new(
                    "/schema_version",
                    format!(
                        "expected a whole number, found `{v}`; supported versions: {supported}"
                    ),
                )
            })?,
    };
    if !SUPPORTED_SCHEMA_VERSIONS.contains(&version) {
        let newer = if version > CURRENT_SCHEMA_VERSION {
            " (written for a newer tenant-kit)"
        } else {
            ""
        };
        return Err(Problem::new(
            "/schema_version",
            format!(
                "unsupported schema version `{version}`{newer}; supported versions: {supported}"
            ),
        ));
    }
    for step in MIGRATIONS
        .iter()
        .filter(|m| m.from >= version && m.kinds.contains(&kind))
    {
        (step.apply)(&mut value)?;
        if let Some(map) = value.as_object_mut() {
            map.insert("schema_version".to_owned(), Value::from(step.from + 1));
        }
    }
    Ok(value)
}
