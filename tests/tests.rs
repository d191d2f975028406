//! Workspace-level tests through the `tenant-kit` facade: one test binary
//! with a module per area, as ripgrep does.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failing test should fail loudly"
)]

mod agreement;
mod direct;
mod examples;
mod hardening;
mod hostile;
mod quickstart;
mod roundtrip;
mod schemas;

use std::path::{Path, PathBuf};

/// The repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` with one of the document extensions, sorted.
fn documents_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if tenant_kit::model::Format::from_path(&path).is_some() {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A document's text as a JSON value, whatever its format.
fn as_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    match tenant_kit::model::Format::from_path(path).unwrap() {
        tenant_kit::model::Format::Json => serde_json::from_str(&text).unwrap(),
        tenant_kit::model::Format::Yaml => serde_saphyr::from_str(&text).unwrap(),
        tenant_kit::model::Format::Toml => {
            let table: toml::Table = toml::from_str(&text).unwrap();
            serde_json::to_value(table).unwrap()
        }
        other => panic!("no reader for {other:?} in this test"),
    }
}
