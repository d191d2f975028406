//! YAML: every rendered YAML file goes through [`to_string`], which uses
//! serde-saphyr with the settings Go's YAML readers (Prometheus,
//! Alertmanager, Grafana, Kubernetes) need: strings that YAML 1.1 would read
//! as booleans, numbers, nulls or timestamps (`yes`, `no`, `on`, `~`,
//! `0x1f`, `2024-01-01`) are quoted, control characters are escaped inside
//! double quotes, and no block scalars are written (their indentation and
//! chomping rules are where hostile text could change meaning).
//!
//! The bytes are serde-saphyr's; most documents are written by this
//! module's own writer (`emit`), which gives the same output for the shapes
//! the renderers use several times faster, and hands anything else back to
//! serde-saphyr. Its tests hold it to serde-saphyr byte for byte.

use serde::Serialize;

mod emit;

/// Why a value could not be written as YAML (a bug in a renderer's types,
/// not a document problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError(pub String);

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "internal error: cannot write YAML: {}", self.0)
    }
}

impl std::error::Error for YamlError {}

/// `value` as a YAML document, after a comment line naming its generator.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    // Grown as written: the files stay in the bundle until it is written
    // out, so a generous first guess would be memory held, not saved.
    let mut out = String::from(HEADER);
    if emit::write(&mut out, value).is_ok() {
        return Ok(out);
    }
    out.truncate(HEADER.len());
    let options = serde_saphyr::ser_options! {
        prefer_block_scalars: false,
    };
    serde_saphyr::to_fmt_writer_with_options(&mut out, value, options)
        .map_err(|e| YamlError(e.to_string()))?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// The first line of every rendered YAML file.
pub const HEADER: &str =
    "# Rendered by tenant-kit from the tenant documents; edit those, not this file.\n";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn hostile_strings_come_back_as_the_same_strings() {
        // Every string whose quoting the writer decides (`emit`'s list).
        let hostile = emit::tests::TRICKY;
        let mut map = BTreeMap::new();
        for (i, s) in hostile.iter().enumerate() {
            map.insert(format!("k{i:02}"), (*s).to_owned());
        }
        let text = to_string(&map).unwrap();
        assert!(text.starts_with(HEADER));
        let back: BTreeMap<String, String> = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(back, map, "{text}");
        for line in text.lines().skip(1) {
            assert!(line.starts_with('k'), "one line per value: {line:?}");
        }
    }
}
