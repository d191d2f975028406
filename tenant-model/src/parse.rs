//! Reading documents: text in JSON, YAML or TOML to a checked, typed value,
//! with every problem reported at once.
//!
//! The pipeline is the same for every format and document kind:
//!
//! 1. the text is parsed into a JSON value (syntax errors stop here, with
//!    the parser's line and column);
//! 2. `schema_version` is checked and older versions are migrated forward;
//! 3. the value is deserialized into the typed document. A problem does not
//!    stop this step: an unknown field is removed, a value that breaks its
//!    type's rule is replaced by a placeholder that passes it, and the
//!    deserialization is tried again, so one run reports all of them;
//! 4. field rules (`validator`) and the cross-field rules of the document run
//!    on the typed value; problems under a replaced value are dropped, as
//!    they are consequences of the first one;
//! 5. every problem gets the line and column of its field.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{Problem, Problems, join, push_segment};
use crate::locate::{SourceMap, line_column};
use crate::text::placeholder_for;
use crate::version;

/// The formats documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML 1.2 (one document per file).
    Yaml,
    /// TOML 1.0.
    Toml,
}

impl Format {
    /// The format a file name's extension names: `.json`, `.yaml`, `.yml`, `.toml`.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }
}

/// The kinds of documents, told apart by their top-level fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// A tenant document (`tenant_base`).
    Tenant,
    /// The platform configuration.
    Platform,
    /// The compliance rules.
    ComplianceRules,
}

impl DocumentKind {
    /// Tells what kind of document `text` is: one with `rules` is the
    /// compliance rules, one with `regions`, `switches` or `tiers` the
    /// platform configuration, anything else is read as a tenant (so that
    /// its problems are reported against the tenant schema).
    pub fn detect(text: &str, format: Format) -> Result<DocumentKind, Problem> {
        let value = parse_value(text, format)?;
        let has = |key: &str| value.get(key).is_some();
        Ok(if has("slug") {
            DocumentKind::Tenant
        } else if has("rules") {
            DocumentKind::ComplianceRules
        } else if has("regions") || has("switches") || has("tiers") {
            DocumentKind::Platform
        } else {
            DocumentKind::Tenant
        })
    }
}

/// Largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// Most problems reported for one document; the rest are summarized.
pub const MAX_PROBLEMS: usize = 200;

/// A kind of document tenant-kit reads.
pub trait Document: DeserializeOwned + Validate + Sized {
    /// The document's kind, as in the schema file names, e.g. `tenant_base`.
    const KIND: &'static str;

    /// The rules between fields that field types and `validator` cannot say.
    fn check_rules(&self, problems: &mut Vec<Problem>);
}

/// Parses, migrates and checks a document.
///
/// On failure, every problem found is returned, in document order, each with
/// the JSON pointer of its field and, where the format gives them, line and
/// column.
pub fn parse<D: Document>(text: &str, format: Format) -> Result<D, Problems> {
    let mut problems = Vec::new();
    let document = parse_value(text, format)
        .and_then(|value| version::migrate(D::KIND, value))
        .map_err(|p| vec![p])
        .map(|value| typed::<D>(value, &mut problems));
    let document = match document {
        Ok(document) => document,
        Err(early) => {
            problems = early;
            None
        }
    };
    if problems.is_empty()
        && let Some(document) = document
    {
        return Ok(document);
    }
    if problems.is_empty() {
        // Every path that gives up records why first; this keeps a
        // `Problems` from ever being empty should one not.
        problems.push(Problem::new("", "the document could not be read"));
    }
    Err(finish(problems, text, format))
}

/// Writes a document in `format`. Inline secrets are written as
/// [`REDACTED`](crate::REDACTED).
///
/// YAML is written with quoted scalars rather than block scalars, and with
/// `yes`, `no`, `on` and `off` quoted, so that YAML 1.1 readers (Go's
/// YAML, used by Prometheus and Alertmanager) read the same values.
pub fn to_text<D: serde::Serialize>(document: &D, format: Format) -> Result<String, Problem> {
    let failed =
        |e: &dyn std::fmt::Display| Problem::new("", format!("cannot write the document: {e}"));
    match format {
        Format::Json => serde_json::to_string_pretty(document)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| failed(&e)),
        Format::Yaml => {
            let mut options = serde_saphyr::SerializerOptions::default();
            options.prefer_block_scalars = false;
            serde_saphyr::to_string_with_options(document, options).map_err(|e| failed(&e))
        }
        Format::Toml => toml::to_string(document).map_err(|e| failed(&e)),
    }
}

/// Places problems at their line and column, orders and bounds them.
pub(crate) fn finish(mut problems: Vec<Problem>, text: &str, format: Format) -> Problems {
    let map = SourceMap::build(text, format);
    problems = problems
        .into_iter()
        .map(|p| {
            let (line, column) = match (p.line(), p.column()) {
                (Some(line), Some(column)) => (line, column),
                _ => map.position(p.pointer()),
            };
            // A URL may be a webhook URL or carry credentials: whatever put
            // one in a message or a pointer (a misplaced value, a key), it
            // is not shown. In a pointer, `/` is escaped as `~1`.
            let pointer = if p.pointer().contains(":~1~1") {
                p.pointer()
                    .split('/')
                    .map(|segment| {
                        if segment.contains(":~1~1") {
                            "<URL not shown>"
                        } else {
                            segment
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("/")
            } else {
                p.pointer().to_owned()
            };
            Problem::new(pointer, redact_urls(p.message())).at(line, column)
        })
        .collect();
    problems.sort();
    problems.dedup();
    if problems.len() >= MAX_PROBLEMS {
        // The parser stops collecting at the limit, so the true count is unknown.
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem::new(
            "",
            format!("too many problems; only the first {MAX_PROBLEMS} are shown"),
        ));
    }
    Problems::new(problems)
}

/// Parses text into a JSON value; a syntax error is one problem with a position.
pub(crate) fn parse_value(text: &str, format: Format) -> Result<Value, Problem> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Problem::new(
            "",
            format!(
                "document is {} bytes; the limit is {MAX_DOCUMENT_BYTES} bytes",
                text.len()
            ),
        )
        .at(1, 1));
    }
    match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| {
            let message = strip_position(&e.to_string());
            Problem::new("", format!("invalid JSON: {message}"))
                .at(e.line().max(1), e.column().max(1))
        }),
        Format::Yaml => {
            let mut options = serde_saphyr::Options::default();
            options.with_snippet = false;
            // YAML 1.2 booleans only: `no` (Norwegian) and `on` are text.
            options.strict_booleans = true;
            match serde_saphyr::from_str_with_options::<Value>(text, options) {
                Ok(Value::Null) if text.trim().is_empty() => {
                    Err(Problem::new("", "document is empty").at(1, 1))
                }
                Ok(value) => Ok(value),
                Err(e) => {
                    let (line, column) = e
                        .location()
                        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
                    let message = strip_position(&e.to_string());
                    Err(Problem::new("", format!("invalid YAML: {message}"))
                        .at(line.max(1), column.max(1)))
                }
            }
        }
        Format::Toml => match toml::from_str::<toml::Table>(text) {
            Ok(table) => Ok(toml_to_json(toml::Value::Table(table))),
            Err(e) => {
                let (line, column) = e
                    .span()
                    .map_or((1, 1), |span| line_column(text, span.start));
                let message = e.message().trim().to_owned();
                Err(Problem::new("", format!("invalid TOML: {message}")).at(line, column))
            }
        },
    }
}

/// Replaces every URL-like word (anything around `://` up to a quote,
/// backtick or white space) with `<URL not shown>`.
fn redact_urls(message: &str) -> String {
    let is_edge = |c: char| c == '`' || c == '"' || c == '\'' || c.is_whitespace();
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at);
        let start = before.rfind(is_edge).map_or(0, |i| i + 1);
        let end = after.find(is_edge).unwrap_or(after.len());
        if end <= 3 {
            // A bare scheme such as `https://` names no place: keep it.
            out.push_str(before);
            out.push_str("://");
            rest = after.get(3..).unwrap_or("");
            continue;
        }
        out.push_str(before.get(..start).unwrap_or(""));
        out.push_str("<URL not shown>");
        rest = after.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Removes a trailing " at line N column M" that some parsers add: the
/// position is reported separately.
fn strip_position(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or(message).trim();
    match first_line.rfind(" at line ") {
        Some(cut) => first_line.get(..cut).unwrap_or(first_line).to_owned(),
        None => first_line.to_owned(),
    }
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Deserializes `value` into `D`, collecting problems as described in the
/// module docs; then runs field and cross-field rules.
fn typed<D: Document>(mut value: Value, problems: &mut Vec<Problem>) -> Option<D> {
    // Pointers whose value was replaced or removed; problems under them are
    // consequences and are dropped.
    let mut replaced: Vec<String> = Vec::new();
    let mut attempts = 0usize;
    let document = loop {
        attempts += 1;
        if attempts > MAX_PROBLEMS {
            break None;
        }
        let error = match serde_path_to_error::deserialize::<_, D>(&value) {
            Ok(document) => break Some(document),
            Err(error) => error,
        };
        let pointer = path_to_pointer(error.path());
        let message = error.inner().to_string();
        if let Some(field) = between(&message, "unknown field `", "`") {
            // The path ends at the unknown key.
            let known = between(&message, "expected ", "")
                .map(|rest| format!(", expected {rest}"))
                .unwrap_or_default();
            problems.push(Problem::new(
                &pointer,
                format!("unknown field `{field}`{known}"),
            ));
            let removed = value_at_mut(&mut value, parent_of(&pointer))
                .and_then(Value::as_object_mut)
                .and_then(|map| map.remove(&field));
            if removed.is_none() {
                break None;
            }
        } else if let Some(placeholder) = placeholder_for(&message) {
            // A stand-in put there earlier may not pass this type's rule
            // either; that is no new problem.
            if !replaced.contains(&pointer) {
                problems.push(Problem::new(&pointer, message));
            }
            let slot = value_at_mut(&mut value, &pointer);
            match slot {
                Some(slot) if *slot != Value::String(placeholder.to_owned()) => {
                    *slot = Value::String(placeholder.to_owned());
                    replaced.push(pointer);
                }
                _ => break None,
            }
        } else if let Some(field) = between(&message, "missing field `", "`") {
            let member = join(&pointer, &field);
            if !is_under_any(&member, &replaced) {
                problems.push(Problem::new(
                    member,
                    format!("missing required field `{field}`"),
                ));
            }
            break None;
        } else {
            problems.push(Problem::new(&pointer, humanize(&message)));
            if pointer.is_empty() || replaced.contains(&pointer) {
                break None;
            }
            // Put a value of the expected type in place of the bad one, so
            // that the rest of the document is still checked. When the
            // expected type has no such value, remove the bad one if that
            // cannot shift other positions (a mapping member, not a list
            // element).
            if let Some(stand_in) = stand_in_for(&message) {
                match value_at_mut(&mut value, &pointer) {
                    Some(slot) => *slot = stand_in,
                    None => break None,
                }
            } else {
                let key = last_segment(&pointer);
                let removed = value_at_mut(&mut value, parent_of(&pointer))
                    .and_then(Value::as_object_mut)
                    .and_then(|map| map.remove(&key));
                if removed.is_none() {
                    break None;
                }
            }
            replaced.push(pointer);
        }
    };
    let document = document?;
    let mut later = Vec::new();
    if let Err(errors) = document.validate() {
        validation_problems(&errors, "", &mut later);
    }
    document.check_rules(&mut later);
    problems.extend(
        later
            .into_iter()
            .filter(|p| !is_under_any(p.pointer(), &replaced)),
    );
    Some(document)
}

/// A value of the type serde's message says was expected.
fn stand_in_for(message: &str) -> Option<Value> {
    if let Some(first) = between(message, "expected one of `", "`") {
        return Some(Value::String(first));
    }
    let expected = between(message, "expected ", "")?;
    let word = expected.split([',', ' ']).next().unwrap_or("");
    match word {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
            Some(Value::from(1))
        }
        "f32" | "f64" => Some(Value::from(1.0)),
        _ if expected.starts_with("a boolean") => Some(Value::Bool(false)),
        _ if expected.starts_with("a string") || expected.starts_with("a borrowed string") => {
            Some(Value::String("placeholder".to_owned()))
        }
        _ if expected.starts_with("a sequence") => Some(Value::Array(Vec::new())),
        _ => None,
    }
}

fn is_under_any(pointer: &str, roots: &[String]) -> bool {
    roots.iter().any(|root| {
        pointer == root
            || pointer
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The text between `start` and the next `end` (or the end when `end` is empty).
fn between(message: &str, start: &str, end: &str) -> Option<String> {
    let from = message.find(start)? + start.len();
    let rest = message.get(from..)?;
    if end.is_empty() {
        return Some(rest.to_owned());
    }
    let to = rest.find(end)?;
    rest.get(..to).map(str::to_owned)
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn parent_of(pointer: &str) -> &str {
    pointer
        .rfind('/')
        .and_then(|cut| pointer.get(..cut))
        .unwrap_or("")
}

fn last_segment(pointer: &str) -> String {
    unescape(
        pointer
            .rfind('/')
            .and_then(|cut| pointer.get(cut + 1..))
            .unwrap_or(""),
    )
}

fn value_at_mut<'v>(value: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    value.pointer_mut(pointer)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                push_segment(&mut pointer, key)
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Rewrites serde's wording into the user's: no Rust type names.
fn humanize(message: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a non-negative whole number"),
        ("expected usize", "expected a non-negative whole number"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
        ("expected a borrowed string", "expected a string"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected a mapping"),
        ("invalid type: map", "invalid type: mapping"),
        ("invalid type: sequence", "invalid type: list"),
        ("invalid type: unit value", "invalid type: null"),
        ("expected string or map", "expected a string or a mapping"),
    ];
    let mut out = message.to_owned();
    for (from, to) in WORDS {
        if out.ends_with(from)
            || out.contains(&format!("{from},"))
            || out.contains(&format!("{from} "))
        {
            out = out.replace(from, to);
        }
    }
    // `expected struct Tenant` names a Rust type.
    if let Some(cut) = out.find("expected struct ") {
        out = format!("{}expected a mapping", out.get(..cut).unwrap_or(""));
    }
    if let Some(cut) = out.find("expected enum ") {
        out = format!(
            "{}expected one of the listed values",
            out.get(..cut).unwrap_or("")
        );
    }
    out
}

/// Turns `validator` errors into problems, with pointers built from field names.
fn validation_problems(errors: &ValidationErrors, pointer: &str, out: &mut Vec<Problem>) {
    for (field, kind) in errors.errors() {
        let here = join(pointer, field);
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    let mut message = error
                        .message
                        .as_deref()
                        .map_or_else(|| format!("fails the `{}` rule", error.code), str::to_owned);
                    if let Some(found) = error.params.get("value").filter(|v| v.is_number()) {
                        message.push_str(&format!(", found `{found}`"));
                    } else if error.code == "length"
                        && let Some(found) = error.params.get("value")
                    {
                        let count = match found {
                            Value::Array(items) => Some(items.len()),
                            Value::Object(map) => Some(map.len()),
                            Value::String(s) => Some(s.chars().count()),
                            _ => None,
                        };
                        if let Some(count) = count {
                            message.push_str(&format!(", found {count}"));
                        }
                    }
                    out.push(Problem::new(&here, message));
                }
            }
            ValidationErrorsKind::Struct(inner) => validation_problems(inner, &here, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    validation_problems(inner, &format!("{here}/{index}"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_wording_is_rewritten() {
        assert_eq!(
            humanize("invalid type: string \"x\", expected u32"),
            "invalid type: string \"x\", expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            humanize("invalid type: sequence, expected struct Tenant"),
            "invalid type: list, expected a mapping"
        );
    }

    #[test]
    fn urls_are_never_shown() {
        assert_eq!(
            redact_urls("unknown field `https://hooks.slack.com/services/T/B/x`, expected `a`"),
            "unknown field `<URL not shown>`, expected `a`"
        );
        assert_eq!(
            redact_urls("invalid type: string \"http://u:p@h/x\" and ftp://y z"),
            "invalid type: string \"<URL not shown>\" and <URL not shown> z"
        );
        assert_eq!(redact_urls("no url here"), "no url here");
        assert_eq!(
            redact_urls("must be an `https://` URL"),
            "must be an `https://` URL"
        );
    }

    #[test]
    fn positions_are_stripped_from_parser_messages() {
        assert_eq!(
            strip_position("expected value at line 1 column 2"),
            "expected value"
        );
    }
}
