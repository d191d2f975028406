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
//!    deserialization is tried again, so one run reports all of them (the
//!    first try keeps no path, which costs; a failure is read again with
//!    `serde_path_to_error` for the pointer);
//! 4. field rules (`validator`) and the cross-field rules of the document run
//!    on the typed value; problems under a replaced value are dropped, as
//!    they are consequences of the first one;
//! 5. every problem gets the line and column of its field.

use std::path::Path;

use serde::de::{DeserializeOwned, DeserializeSeed};
use serde_json::Value;
use validator::{ValidationErrors, ValidationErrorsKind};

use crate::error::{Problem, Problems, join, push_segment};
use crate::locate::{SourceMap, line_column, offset_of_json_position};
use crate::secret::Secret;
use crate::show::quote;
use crate::text::placeholder_for;
use crate::value::{Reading, Strict, StrictValue};
use crate::version;

/// The formats documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
#[non_exhaustive]
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
        Ok(DocumentKind::from_top_level_keys(|key| {
            value.get(key).is_some()
        }))
    }

    /// The kind of a document whose top-level keys `has` tells, by the rule
    /// of [`detect`](Self::detect), for callers that read the keys
    /// themselves.
    pub fn from_top_level_keys(has: impl Fn(&str) -> bool) -> DocumentKind {
        if has("slug") {
            DocumentKind::Tenant
        } else if has("rules") {
            DocumentKind::ComplianceRules
        } else if has("regions") || has("switches") || has("tiers") {
            DocumentKind::Platform
        } else {
            DocumentKind::Tenant
        }
    }
}

/// Largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// Most problems reported for one document; the rest are summarized.
pub const MAX_PROBLEMS: usize = 200;

/// A kind of document tenant-kit reads: [`Tenant`](crate::Tenant),
/// [`PlatformConfig`](crate::PlatformConfig) and
/// [`ComplianceRules`](crate::ComplianceRules).
///
/// The trait is sealed: it is implemented here only, so that methods can be
/// added to it and the way field rules are checked (today the `validator`
/// crate) stays an implementation detail rather than a supertrait users
/// must name and version.
///
/// ```compile_fail,E0277
/// use tenant_model::{Document, Problem};
///
/// #[derive(serde::Deserialize)]
/// struct Mine {}
///
/// impl Document for Mine {
///     const KIND: &'static str = "mine";
///     fn check_rules(&self, _: &mut Vec<Problem>) {}
/// }
/// ```
pub trait Document: DeserializeOwned + Sized + sealed::Sealed {
    /// The document's kind, as in the schema file names, e.g. `tenant_base`.
    const KIND: &'static str;

    /// The rules between fields that field types and `validator` cannot say.
    fn check_rules(&self, problems: &mut Vec<Problem>);

    /// The document's `schema_version`. A kind that tells it lets
    /// [`parse`] read a JSON document of the current version straight into
    /// the type (see [`parse_clean_json`]); without it (the default) every
    /// document is read the full way, through a JSON value.
    fn schema_version(&self) -> Option<u32> {
        None
    }

    /// The document's secrets with their JSON pointers, for [`write()`].
    #[doc(hidden)]
    fn secrets(&self) -> Vec<(String, &Secret)> {
        Vec::new()
    }
}

pub(crate) mod sealed {
    /// The private half of [`Document`](super::Document): only this crate's
    /// documents implement it.
    pub trait Sealed {
        /// The field rules (lengths, ranges, formats), by `validator`.
        fn field_errors(&self) -> Result<(), validator::ValidationErrors>;
    }

    impl Sealed for crate::Tenant {
        fn field_errors(&self) -> Result<(), validator::ValidationErrors> {
            validator::Validate::validate(self)
        }
    }

    impl Sealed for crate::PlatformConfig {
        fn field_errors(&self) -> Result<(), validator::ValidationErrors> {
            validator::Validate::validate(self)
        }
    }

    impl Sealed for crate::ComplianceRules {
        fn field_errors(&self) -> Result<(), validator::ValidationErrors> {
            validator::Validate::validate(self)
        }
    }

    impl<D: super::Document> Sealed for super::FieldRulesOnly<D> {
        fn field_errors(&self) -> Result<(), validator::ValidationErrors> {
            self.0.field_errors()
        }
    }

    impl<D: super::Document> Sealed for super::FullReadingOnly<D> {
        fn field_errors(&self) -> Result<(), validator::ValidationErrors> {
            self.0.field_errors()
        }
    }
}

/// A document read with its field rules only, not the rules between fields:
/// for tenant-kit's own test that the Rust types and the JSON Schemas agree
/// (a schema can say only field rules). Not part of the API.
#[doc(hidden)]
#[derive(Debug, serde::Deserialize)]
#[serde(transparent)]
#[serde(bound = "D: Document")]
pub struct FieldRulesOnly<D>(pub D);

impl<D: Document> Document for FieldRulesOnly<D> {
    const KIND: &'static str = D::KIND;

    fn check_rules(&self, _: &mut Vec<Problem>) {}

    fn secrets(&self) -> Vec<(String, &Secret)> {
        self.0.secrets()
    }
}

/// A document read with every rule but never by the direct JSON reading
/// ([`parse_clean_json`]): for tenant-kit's own test that the direct reading
/// takes exactly what the full reading takes. Not part of the API.
#[doc(hidden)]
#[derive(Debug, serde::Deserialize)]
#[serde(transparent)]
#[serde(bound = "D: Document")]
pub struct FullReadingOnly<D>(pub D);

impl<D: Document> Document for FullReadingOnly<D> {
    const KIND: &'static str = D::KIND;

    fn check_rules(&self, problems: &mut Vec<Problem>) {
        self.0.check_rules(problems);
    }

    fn secrets(&self) -> Vec<(String, &Secret)> {
        self.0.secrets()
    }
}

/// Checks a document built or changed in code with every rule a parse runs
/// after reading the fields: the field rules (lengths, ranges, formats) and
/// the rules between fields (references, uniqueness, cycles, modes).
///
/// Problems carry the JSON pointer of their field (no line or column: there
/// is no text), in pointer order, made safe to show as [`parse`]'s are.
///
/// ```
/// use tenant_model::{Format, Tenant, parse, validate};
///
/// let text = r#"
/// schema_version: 1
/// id: 0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11
/// slug: acme-music
/// display_name: Acme Music
/// tier: professional
/// status: active
/// locale: fr-FR
/// time_zone: Europe/Paris
/// data_residency: { region: eu-west-1 }
/// contacts:
///   - { name: Claire Martin, email: claire@acme.example, role: owner }
/// isolation:
///   mode: schema
///   database: { name: music, schema: tenant_acme_music, role: acme_music_app }
///   cache: { key_prefix: "acme-music:", acl_user: acme-music }
/// access_control:
///   roles: [{ name: viewer, permissions: ["track:read"] }]
///   bindings: [{ subject: { kind: user, id: claire }, role: viewer }]
/// "#;
/// let mut tenant: Tenant = parse(text, Format::Yaml)?;
/// validate(&tenant)?;
///
/// // A binding to a role the tenant does not define: a rule between fields.
/// let mut binding = tenant.access_control.bindings[0].clone();
/// binding.role = "no-such-role".parse()?;
/// tenant.access_control.bindings.push(binding);
/// let problems = validate(&tenant).unwrap_err();
/// let last = tenant.access_control.bindings.len() - 1;
/// assert!(problems.iter().any(|p| p.pointer() == format!("/access_control/bindings/{last}/role")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate<D: Document>(document: &D) -> Result<(), Problems> {
    let (problems, _too_long) = later_problems(document);
    if problems.is_empty() {
        return Ok(());
    }
    Err(finish_with(problems, secret_positions(D::KIND), None))
}

/// What [`write()`] does with a secret written inline in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InlineSecrets {
    /// Refuse to write the document, naming the secret's pointer: the text
    /// would otherwise hold a placeholder that does not parse again.
    Refuse,
    /// Write the secret's value itself into the text. Only for text that is
    /// kept as carefully as the secret (a file with mode 0600, a secret
    /// store), never for text that goes into git or a log.
    Keep,
}

/// Writes a document so that [`parse`] reads it back equal: secret
/// references (`{ env: NAME }`, `{ file: PATH }`) are written as references,
/// and inline secrets are refused or kept as `inline` says.
///
/// ```
/// use tenant_model::{Format, InlineSecrets, Secret, Tenant, parse, write};
///
/// let text = include_str!("doc/acme-music.yaml");
/// let mut tenant: Tenant = parse(text, Format::Yaml)?;
/// let again: Tenant = parse(&write(&tenant, Format::Toml, InlineSecrets::Refuse)?, Format::Toml)?;
/// assert_eq!(again, tenant);
///
/// tenant.isolation.cache.password = Some(Secret::inline("hunter2-but-longer"));
/// let refused = write(&tenant, Format::Yaml, InlineSecrets::Refuse).unwrap_err();
/// assert_eq!(refused.pointer(), "/isolation/cache/password");
/// assert!(!refused.to_string().contains("hunter2"));
/// let kept = write(&tenant, Format::Yaml, InlineSecrets::Keep)?;
/// assert_eq!(parse::<Tenant>(&kept, Format::Yaml)?, tenant);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write<D: Document + serde::Serialize>(
    document: &D,
    format: Format,
    inline: InlineSecrets,
) -> Result<String, Problem> {
    let inline_secrets: Vec<(String, &Secret)> = document
        .secrets()
        .into_iter()
        .filter(|(_, secret)| secret.is_inline())
        .collect();
    if inline_secrets.is_empty() {
        return to_text(document, format);
    }
    if let Some((pointer, secret)) = inline_secrets
        .iter()
        .find(|(_, secret)| inline == InlineSecrets::Refuse || secret.is_redacted_placeholder())
    {
        let why = if secret.is_redacted_placeholder() {
            "the secret is the redaction placeholder, not a value; set the secret again"
        } else {
            "an inline secret is not written unless asked for with `InlineSecrets::Keep`; use `{ env: NAME }` or `{ file: PATH }` in documents that are shared"
        };
        return Err(Problem::new(
            pointer.as_str(),
            format!("cannot write the document: {why}"),
        ));
    }
    let mut value = serde_json::to_value(document)
        .map_err(|e| Problem::new("", format!("cannot write the document: {e}")))?;
    for (pointer, secret) in inline_secrets {
        if let (Some(slot), Some(text)) = (value.pointer_mut(&pointer), secret.expose_inline()) {
            *slot = Value::String(text.to_owned());
        }
    }
    to_text(&value, format)
}

/// Parses, migrates and checks a document.
///
/// On failure, every problem found is returned, in document order, each with
/// the JSON pointer of its field and, where the format gives them, line and
/// column.
///
/// ```
/// use tenant_model::{Format, Tenant, parse};
///
/// let text = include_str!("doc/acme-music.yaml");
/// let tenant: Tenant = parse(text, Format::Yaml)?;
/// assert_eq!(tenant.slug.as_str(), "acme-music");
///
/// let problems = parse::<Tenant>(&text.replace("slug: acme-music\n", "slug: Acme Music\n"), Format::Yaml).unwrap_err();
/// let first = problems.iter().next().unwrap();
/// assert_eq!(first.pointer(), "/slug");
/// assert!(first.line().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse<D: Document>(text: &str, format: Format) -> Result<D, Problems> {
    if format == Format::Json
        && let Some(document) = parse_clean_json(text)
    {
        return Ok(document);
    }
    let mut problems = Vec::new();
    let document = parse_value(text, format)
        .and_then(|value| version::migrate(D::KIND, value))
        .map_err(|p| vec![p])
        .map(|value| typed::<D>(value, text.len(), &mut problems));
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
    Err(finish(problems, secret_positions(D::KIND), text, format))
}

/// Reads a JSON document that has no problem by the quickest way: straight
/// from the text into the type, with no JSON value in between and no
/// positions. `Some` is exactly what [`parse`] returns (it tries this
/// first); `None` says only that the document needs the full reading:
/// it has a problem, or it is of an older schema version, or it writes a
/// whole number with a fraction (`100.0`), which the full reading accepts.
/// Call [`parse`] then for the document or its problems.
///
/// Everything the full reading refuses is refused here too: keys written
/// twice, a list where a mapping is expected, numbers that are not finite,
/// text after the document, documents over [`MAX_DOCUMENT_BYTES`], and
/// every field and document rule.
///
/// ```
/// use tenant_model::{Format, Tenant, parse, parse_clean_json};
///
/// let text = include_str!("../../examples/tenants/json/acme-music.json");
/// let tenant: Tenant = parse_clean_json(text).expect("the example has no problem");
/// assert_eq!(tenant, parse::<Tenant>(text, Format::Json)?);
///
/// // The slug twice: refused here, and `parse` says why and where.
/// let twice = text.replacen("\"slug\":", "\"slug\": \"other\", \"slug\":", 1);
/// assert!(parse_clean_json::<Tenant>(&twice).is_none());
/// let problems = parse::<Tenant>(&twice, Format::Json).unwrap_err();
/// assert!(problems.iter().any(|p| p.message().starts_with("duplicate key `slug`")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_clean_json<D: Document>(text: &str) -> Option<D> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return None;
    }
    let document: D = crate::direct::read_json(text)?;
    // The full reading migrates an older version (and refuses an unknown
    // one): only the current version is taken as it is.
    if document.schema_version()? != version::CURRENT_SCHEMA_VERSION {
        return None;
    }
    let (problems, too_long) = later_problems(&document);
    (problems.is_empty() && too_long.is_empty()).then_some(document)
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
        #[cfg(feature = "yaml")]
        Format::Yaml => {
            let mut options = serde_saphyr::SerializerOptions::default();
            options.prefer_block_scalars = false;
            serde_saphyr::to_string_with_options(document, options).map_err(|e| failed(&e))
        }
        #[cfg(feature = "toml")]
        Format::Toml => toml::to_string(document).map_err(|e| failed(&e)),
        #[cfg(not(all(feature = "yaml", feature = "toml")))]
        other => Err(format_not_built(other)),
    }
}

/// Where a tenant document holds secrets (`*` stands for any list index).
/// A test keeps this list equal to the places the published schema gives
/// the `Secret` type.
pub(crate) const TENANT_SECRETS: &[&str] = &[
    "/isolation/database/password",
    "/isolation/cache/password",
    "/slack/receivers/*/webhook_url",
];

/// What a problem at a secret's position says, whatever went wrong there:
/// nothing of what was written is repeated, not even a key.
pub(crate) const SECRET_PROBLEM: &str =
    "invalid secret: expected the secret as text, `{ env: NAME }` or `{ file: PATH }`";

/// The secret positions of a kind of document.
pub(crate) fn secret_positions(kind: &str) -> &'static [&'static str] {
    match kind {
        "tenant_base" => TENANT_SECRETS,
        _ => &[],
    }
}

/// The secret position `pointer` is at or under, if any: the pointer cut to
/// that position.
fn secret_position_of<'p>(pointer: &'p str, secrets: &[&str]) -> Option<&'p str> {
    secrets.iter().find_map(|pattern| {
        let mut end = 0usize;
        let mut rest = pointer;
        for expected in pattern.split('/').skip(1) {
            let segment_text = rest.strip_prefix('/')?;
            let len = segment_text.find('/').unwrap_or(segment_text.len());
            let segment = segment_text.get(..len)?;
            if expected != "*" && expected != segment {
                return None;
            }
            end += 1 + len;
            rest = segment_text.get(len..)?;
        }
        pointer.get(..end)
    })
}

/// Places problems at their line and column, makes them safe to show,
/// orders and bounds them.
pub(crate) fn finish(
    problems: Vec<Problem>,
    secrets: &[&str],
    text: &str,
    format: Format,
) -> Problems {
    let map = SourceMap::build(text, format);
    finish_with(problems, secrets, Some(&map))
}

/// [`finish`] with the source map, if there is text to place problems in.
fn finish_with(problems: Vec<Problem>, secrets: &[&str], map: Option<&SourceMap>) -> Problems {
    let mut problems: Vec<Problem> = problems
        .into_iter()
        .map(|p| {
            let position = match (p.line(), p.column(), map) {
                (Some(line), Some(column), _) => Some((line, column)),
                (_, _, Some(map)) => Some(map.position(p.pointer())),
                (_, _, None) => None,
            };
            // Nothing at a secret's position is shown: the problem is cut to
            // the secret's own pointer (a key under it may be the secret
            // itself) and says only what a secret may be.
            let problem = match secret_position_of(p.pointer(), secrets) {
                // At the secret itself, the messages are the secret type's
                // and the rules' own, which say why and repeat nothing.
                Some(at) if at == p.pointer() => Problem::raw(at, p.message()),
                Some(at) => Problem::raw(at, SECRET_PROBLEM),
                None => Problem::raw(p.pointer(), p.message()),
            };
            let problem = problem.shown_safely();
            match position {
                Some((line, column)) => problem.at(line, column),
                None => problem,
            }
        })
        .collect();
    problems.sort();
    problems.dedup();
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem::new(
            "",
            format!("{more} more problems are not shown; only the first {MAX_PROBLEMS} are"),
        ));
    }
    Problems::new(problems)
}

/// Parses text into a JSON value; a syntax error is one problem with a
/// position. The value is read strictly (see [`crate::value`]): a key
/// written twice, or a number that is not finite, is a problem too.
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
    let reading = Reading::default();
    // A problem of the strict reader carries its own pointer and message;
    // the parser's error gives the position.
    let strict = |line: usize, column: usize, fallback: String| {
        let problem = match reading.take_problem() {
            Some((pointer, message)) => Problem::raw(pointer, message),
            None => Problem::raw("", fallback),
        };
        problem.shown_safely().at(line.max(1), column.max(1))
    };
    match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            StrictValue(&reading)
                .deserialize(&mut de)
                .and_then(|value| de.end().map(|()| value))
                .map_err(|e| {
                    let message = strip_position(&e.to_string());
                    // serde_json counts lines at `\n` only.
                    let offset = offset_of_json_position(text, e.line(), e.column());
                    let (line, column) = line_column(text, offset);
                    strict(line, column, format!("invalid JSON: {message}"))
                })
        }
        #[cfg(feature = "yaml")]
        Format::Yaml => {
            let mut options = serde_saphyr::Options::default();
            options.with_snippet = false;
            // YAML 1.2 booleans only: `no` (Norwegian) and `on` are text.
            options.strict_booleans = true;
            options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
            let read = serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
                StrictValue(&reading).deserialize(de)
            });
            match read {
                Ok(Value::Null) if text.trim().is_empty() => {
                    Err(Problem::new("", "document is empty").at(1, 1))
                }
                Ok(value) => Ok(value),
                Err(e) => {
                    let (line, column) = e
                        .location()
                        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
                    let message = yaml_wording(&strip_position(&e.to_string()));
                    Err(strict(line, column, format!("invalid YAML: {message}")))
                }
            }
        }
        #[cfg(feature = "toml")]
        Format::Toml => match toml::from_str::<toml::Table>(text) {
            Ok(table) => {
                let mut pointer = String::new();
                toml_to_json(toml::Value::Table(table), &mut pointer).map_err(|pointer| {
                    let (line, column) = SourceMap::build(text, Format::Toml).position(&pointer);
                    Problem::raw(
                        pointer,
                        "expected a finite number, found `nan` or an infinity",
                    )
                    .shown_safely()
                    .at(line, column)
                })
            }
            Err(e) => {
                let (line, column) = e
                    .span()
                    .map_or((1, 1), |span| line_column(text, span.start));
                let message = e.message().trim().to_owned();
                Err(Problem::new("", format!("invalid TOML: {message}")).at(line, column))
            }
        },
        #[cfg(not(all(feature = "yaml", feature = "toml")))]
        other => Err(format_not_built(other).at(1, 1)),
    }
}

/// The problem for a format this build of tenant-kit cannot read or write:
/// the Cargo feature that adds it is off.
#[cfg(not(all(feature = "yaml", feature = "toml")))]
fn format_not_built(format: Format) -> Problem {
    let (name, feature) = match format {
        Format::Json => ("JSON", "default"),
        Format::Yaml => ("YAML", "yaml"),
        Format::Toml => ("TOML", "toml"),
    };
    Problem::new(
        "",
        format!(
            "{name} documents are not supported by this build: enable the `{feature}` feature of tenant-model"
        ),
    )
}

/// The YAML parser's wording in the user's words: no option names, values
/// quoted safely.
#[cfg(feature = "yaml")]
fn yaml_wording(message: &str) -> String {
    if let Some(key) = between(
        message,
        "duplicate mapping key: ",
        ", set DuplicateKeyPolicy",
    ) {
        return format!("duplicate key {}: each key is written once", quote(&key));
    }
    if let Some(found) = between(message, "non-finite float `", "` rejected") {
        return format!("expected a finite number, found {}", quote(&found));
    }
    message.to_owned()
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

/// TOML as a JSON value; a float that is not finite (`nan`, `inf`) has no
/// JSON form and is an error with its pointer (it used to become null, that
/// is "use the default").
#[cfg(feature = "toml")]
fn toml_to_json(value: toml::Value, pointer: &mut String) -> Result<Value, String> {
    Ok(match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => match serde_json::Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => return Err(pointer.clone()),
        },
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                out.push(toml_to_json(item, pointer)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        toml::Value::Table(table) => {
            let mut out = serde_json::Map::new();
            for (key, item) in table {
                let len = pointer.len();
                push_segment(pointer, &key);
                let item = toml_to_json(item, pointer)?;
                pointer.truncate(len);
                out.insert(key, item);
            }
            Value::Object(out)
        }
    })
}

/// How much text the retry loop of [`typed`] may deserialize in all, in
/// bytes: every retry reads the whole document again, so a large document
/// gets fewer retries and the work stays linear in its size.
const RETRY_BUDGET_BYTES: usize = 256 * 1024 * 1024;

/// Deserializes `value` into `D`, collecting problems as described in the
/// module docs; then runs field and cross-field rules. `size` is the
/// document's size in bytes, which bounds the retries.
fn typed<D: Document>(mut value: Value, size: usize, problems: &mut Vec<Problem>) -> Option<D> {
    let max_attempts = (RETRY_BUDGET_BYTES / size.max(1)).clamp(2, MAX_PROBLEMS + 1);
    // Pointers whose value was replaced or removed; problems under them are
    // consequences and are dropped.
    let mut replaced: Vec<String> = Vec::new();
    let mut attempts = 0usize;
    let document = loop {
        attempts += 1;
        if attempts > max_attempts {
            if max_attempts <= MAX_PROBLEMS {
                problems.push(Problem::raw(
                    "",
                    format!(
                        "checking stopped after {} problems: the document is too large to check further in one run",
                        problems.len()
                    ),
                ));
            }
            break None;
        }
        // The first attempt goes without `serde_path_to_error`, which
        // allocates a path segment per field: most documents have no
        // problem. Only a failure is read again with the path kept.
        if attempts == 1
            && let Ok(document) = D::deserialize(Strict(&value))
        {
            break Some(document);
        }
        let error = match serde_path_to_error::deserialize::<_, D>(Strict(&value)) {
            Ok(document) => break Some(document),
            Err(error) => error,
        };
        let pointer = path_to_pointer(error.path());
        let message = error.inner().to_string();
        if message.starts_with("invalid secret") {
            // The secret's own messages repeat nothing of what was written.
            if !replaced.contains(&pointer) {
                problems.push(Problem::raw(&pointer, message));
            }
            match value_at_mut(&mut value, &pointer) {
                Some(slot) if !replaced.contains(&pointer) => {
                    *slot = Value::String("placeholder".to_owned());
                    replaced.push(pointer);
                }
                _ => break None,
            }
        } else if message.starts_with("unknown field `") {
            // The path ends at the unknown key; the key is taken from the
            // path, not from the message, where a backtick in it would cut
            // it short.
            let field = last_segment(&pointer);
            problems.push(Problem::raw(
                &pointer,
                format!("unknown field {}{}", quote(&field), expected_tail(&message)),
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
                problems.push(Problem::raw(&pointer, message));
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
                problems.push(Problem::raw(
                    member,
                    format!("missing required field `{field}`"),
                ));
            }
            break None;
        } else {
            let message = with_found_value(&message, value.pointer(&pointer));
            problems.push(Problem::raw(&pointer, humanize(&message)));
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
    let (mut later, too_long) = later_problems(&document);
    if !too_long.is_empty() {
        // A list over its maximum: `validator` reports its length and
        // nothing inside it. Check again with each such list cut to its
        // maximum, so the problems of the items that count are found too
        // (and the rules never work through an unbounded list).
        for (pointer, max) in &too_long {
            if let Some(items) = value.pointer_mut(pointer).and_then(Value::as_array_mut) {
                items.truncate(*max);
            }
        }
        if let Ok(cut) = D::deserialize(Strict(&value)) {
            let (inner, _) = later_problems(&cut);
            later.extend(inner.into_iter().filter(|p| {
                too_long.iter().any(|(list, _)| {
                    is_under_any(p.pointer(), std::slice::from_ref(list)) && p.pointer() != list
                })
            }));
        }
    }
    problems.extend(
        later
            .into_iter()
            .filter(|p| !is_under_any(p.pointer(), &replaced)),
    );
    Some(document)
}

/// The field rules' and the document rules' problems, and the lists found
/// over their maximum length (pointer, maximum).
fn later_problems<D: Document>(document: &D) -> (Vec<Problem>, Vec<(String, usize)>) {
    let mut later = Vec::new();
    let mut too_long = Vec::new();
    if let Err(errors) = document.field_errors() {
        validation_problems(&errors, "", &mut later, &mut too_long);
    }
    document.check_rules(&mut later);
    (later, too_long)
}

/// The `, expected ...` end of a serde message. It is taken from the last
/// occurrence, since the quoted value before it may hold the same words.
fn expected_tail(message: &str) -> String {
    if let Some((_, expected)) = message.rsplit_once(", expected ") {
        format!(", expected {expected}")
    } else if message.ends_with(", there are no fields") {
        ", there are no fields".to_owned()
    } else {
        String::new()
    }
}

/// A serde message about a value (invalid type or value, unknown variant)
/// with the value described from the document itself: bounded, escaped and
/// never a credential, where serde would repeat it whole.
fn with_found_value(message: &str, found: Option<&Value>) -> String {
    let Some(found) = found else {
        return message.to_owned();
    };
    let described = match found {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number `{n}`"),
        Value::String(s) => format!("string {}", quote(s)),
        Value::Array(_) => "list".to_owned(),
        Value::Object(_) => "mapping".to_owned(),
    };
    let tail = expected_tail(message);
    if message.starts_with("invalid type: ") {
        format!("invalid type: {described}{tail}")
    } else if message.starts_with("invalid value: ") {
        format!("invalid value: {described}{tail}")
    } else if message.starts_with("unknown variant ") {
        match found {
            Value::String(s) => format!("unknown variant {}{tail}", quote(s)),
            _ => format!("unknown variant{tail}"),
        }
    } else {
        message.to_owned()
    }
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

/// Turns `validator` errors into problems, with pointers built from field
/// names; notes the lists found over their maximum length in `too_long`.
fn validation_problems(
    errors: &ValidationErrors,
    pointer: &str,
    out: &mut Vec<Problem>,
    too_long: &mut Vec<(String, usize)>,
) {
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
                        let max = error
                            .params
                            .get("max")
                            .and_then(Value::as_u64)
                            .and_then(|max| usize::try_from(max).ok());
                        if let (Value::Array(items), Some(max)) = (found, max)
                            && items.len() > max
                        {
                            message.push_str(&format!("; the first {max} are checked"));
                            too_long.push((here.clone(), max));
                        }
                    }
                    out.push(Problem::raw(&here, message));
                }
            }
            ValidationErrorsKind::Struct(inner) => validation_problems(inner, &here, out, too_long),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    validation_problems(inner, &format!("{here}/{index}"), out, too_long);
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
        use crate::show::{NOT_SHOWN, redact_credentials};
        assert_eq!(
            redact_credentials(
                "unknown field `https://hooks.slack.com/services/T/B/x`, expected `a`"
            ),
            format!("unknown field `{NOT_SHOWN}`, expected `a`")
        );
        assert_eq!(
            redact_credentials("invalid type: string \"http://u:p@h/x\" and ftp://y z"),
            format!("invalid type: string \"{NOT_SHOWN}\" and {NOT_SHOWN} z")
        );
        assert_eq!(redact_credentials("no url here"), "no url here");
        assert_eq!(
            redact_credentials("must be an `https://` URL"),
            "must be an `https://` URL"
        );
    }

    #[test]
    fn secret_positions_match_patterns() {
        assert_eq!(
            secret_position_of("/slack/receivers/3/webhook_url/s3cr3t", TENANT_SECRETS),
            Some("/slack/receivers/3/webhook_url")
        );
        assert_eq!(
            secret_position_of("/isolation/cache/password", TENANT_SECRETS),
            Some("/isolation/cache/password")
        );
        assert_eq!(secret_position_of("/isolation/cache", TENANT_SECRETS), None);
        assert_eq!(
            secret_position_of("/slack/receivers/3/channel", TENANT_SECRETS),
            None
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
