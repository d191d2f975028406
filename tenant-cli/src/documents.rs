//! Loading documents for the commands: every file parsed, tenants checked as
//! a set and against the platform (with the seed's environment variables),
//! and every problem turned into a diagnostic with file, line and column.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde::Serialize;
use serde::de::IgnoredAny;
use tenant_model::{
    ComplianceRules, DocumentKind, Format, PlatformConfig, Problem, QueryVerdicts, Tenant,
    check_against_platform, check_tenant_set, parse, place,
};

use crate::files::{Fatal, collect, escape, print_line, read, shown};

/// One problem in one file, as printed.
#[derive(Debug, Serialize)]
pub(crate) struct Diagnostic {
    pub(crate) file: String,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) pointer: String,
    pub(crate) message: String,
}

impl Diagnostic {
    pub(crate) fn new(file: &Path, problem: &Problem) -> Self {
        Diagnostic {
            file: file.display().to_string(),
            line: problem.line(),
            column: problem.column(),
            pointer: problem.pointer().to_owned(),
            message: problem.message().to_owned(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The model escapes its pointers and messages; the file name is ours.
        write!(f, "{}:", escape(&self.file))?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "{line}:{column}:")?;
        }
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, " {pointer}: {}", self.message)
    }
}

/// A document's file and text.
pub(crate) struct Source {
    pub(crate) path: PathBuf,
    pub(crate) format: Format,
    pub(crate) text: String,
}

/// Every document given, parsed, with the problems found.
pub(crate) struct Loaded {
    pub(crate) tenants: Vec<(Source, Tenant)>,
    pub(crate) platform: Option<(Source, PlatformConfig)>,
    pub(crate) rules: Vec<(Source, ComplianceRules)>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// The tenants, each once: the same tenant written twice in identical
    /// form (say, YAML and JSON copies) counts once.
    pub(crate) fn distinct_tenants(&self) -> Vec<&Tenant> {
        distinct(&self.tenants)
            .into_iter()
            .filter_map(|i| self.tenants.get(i).map(|(_, t)| t))
            .collect()
    }

    /// [`Loaded::distinct_tenants`] with the source each was read from.
    pub(crate) fn distinct_sources(&self) -> Vec<(&Source, &Tenant)> {
        distinct(&self.tenants)
            .into_iter()
            .filter_map(|i| self.tenants.get(i).map(|(s, t)| (s, t)))
            .collect()
    }
}

/// Indices of the first of each group of identical tenants. Identical
/// tenants share their id, so only tenants of the same id are compared:
/// linear for any set of distinct ids, however large.
fn distinct(tenants: &[(Source, Tenant)]) -> Vec<usize> {
    let mut by_id: BTreeMap<uuid::Uuid, Vec<usize>> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, (_, tenant)) in tenants.iter().enumerate() {
        let kept = by_id.entry(tenant.id.uuid()).or_default();
        let seen = kept
            .iter()
            .any(|&k| tenants.get(k).is_some_and(|(_, earlier)| earlier == tenant));
        if !seen {
            kept.push(i);
            out.push(i);
        }
    }
    out
}

/// The kind of a document, as [`DocumentKind::detect`] says.
///
/// For JSON, the top-level keys are read without building the document's
/// value (the parser then builds it once, not twice); anything the quick
/// look cannot read (a syntax error, a document that is not an object) goes
/// to `DocumentKind::detect`, so the answer and its problems are the same.
fn detect(text: &str, format: Format) -> Result<DocumentKind, Problem> {
    if format == Format::Json
        && text.len() <= tenant_model::MAX_DOCUMENT_BYTES
        && let Ok(TopKeys(keys)) = serde_json::from_str::<TopKeys>(text)
        && !has_duplicates(&keys)
    {
        return Ok(DocumentKind::from_top_level_keys(|key| {
            keys.iter().any(|k| k == key)
        }));
    }
    DocumentKind::detect(text, format)
}

/// The top-level keys of a JSON object, values skipped.
struct TopKeys(Vec<String>);

impl<'de> serde::Deserialize<'de> for TopKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = TopKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TopKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key.into_owned());
                }
                Ok(TopKeys(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

/// Whether a key is written twice (the model refuses that; the quick look
/// then leaves the answer to it).
fn has_duplicates(keys: &[String]) -> bool {
    let mut sorted: Vec<&String> = keys.iter().collect();
    sorted.sort();
    sorted.windows(2).any(|pair| pair.first() == pair.get(1))
}

/// One file, read and parsed: what [`read_one`] found.
enum Read {
    /// A tenant, its override problems, and its query problems with the
    /// built-in tenant label.
    Tenant(Source, Box<Tenant>, Vec<Problem>, Vec<Problem>),
    Platform(Source, Box<PlatformConfig>),
    Rules(Source, ComplianceRules),
    Problems(Vec<Diagnostic>),
}

/// Reads, parses and checks one document on its own: everything that does
/// not need the other documents (for a tenant, its Fluent overrides too, and
/// its queries locked with the built-in tenant label, which nearly every
/// platform keeps: they are checked again only for a platform that changes it).
fn read_one(
    path: &Path,
    format: Format,
    verdicts: &QueryVerdicts,
    fluent: &OverrideVerdicts,
) -> Result<Read, Fatal> {
    let text = read(path)?;
    // A JSON tenant with no problem (nearly every document of a run) is
    // read straight into its type: that it reads as a tenant says its kind
    // (it has `slug`), so the look at its keys is skipped too. Any other
    // document is looked at and read the full way.
    let clean = if format == Format::Json {
        tenant_model::parse_clean_json::<Tenant>(&text)
    } else {
        None
    };
    let kind = match clean {
        Some(_) => DocumentKind::Tenant,
        None => match detect(&text, format) {
            Ok(kind) => kind,
            Err(problem) => return Ok(Read::Problems(vec![Diagnostic::new(path, &problem)])),
        },
    };
    let source = Source {
        path: path.to_owned(),
        format,
        text,
    };
    let problems = match kind {
        DocumentKind::Tenant => match clean
            .map_or_else(|| parse::<Tenant>(&source.text, format), Ok)
        {
            Ok(tenant) => {
                let overrides = override_problems(&tenant, fluent);
                let queries =
                    tenant_model::check_queries_with(&tenant, default_label().as_str(), verdicts);
                return Ok(Read::Tenant(source, Box::new(tenant), overrides, queries));
            }
            Err(p) => p,
        },
        DocumentKind::Platform => match parse::<PlatformConfig>(&source.text, format) {
            Ok(platform) => return Ok(Read::Platform(source, Box::new(platform))),
            Err(p) => p,
        },
        DocumentKind::ComplianceRules => match parse::<ComplianceRules>(&source.text, format) {
            Ok(r) => return Ok(Read::Rules(source, r)),
            Err(p) => p,
        },
        // A kind of document newer than this tenantctl: refused, not guessed.
        _ => {
            return Err(Fatal(format!(
                "{}: this kind of document is not supported by this tenantctl",
                shown(&source.path)
            )));
        }
    };
    Ok(Read::Problems(
        problems
            .iter()
            .map(|p| Diagnostic::new(&source.path, p))
            .collect(),
    ))
}

/// Stack of each worker of [`read_all`]: as much as the main thread's
/// usual 8 MiB and more, so that no document is refused on a worker that
/// the main thread would have read (the pages are only reserved).
const WORKER_STACK_BYTES: usize = 32 * 1024 * 1024;

/// Reads and parses `files` on every core, in the files' order.
///
/// Documents are independent until the set checks, so each worker takes
/// the next file not yet taken; the results are put back in the files'
/// order, so the output does not depend on the scheduling. On an error that
/// stops the command, no new file is taken, and the error of the first
/// such file in order is returned, as a reading one by one would.
fn read_all(files: &[(PathBuf, Format)]) -> Result<Vec<Read>, Fatal> {
    // Tenants often share query text: each distinct one is parsed once.
    let verdicts = QueryVerdicts::default();
    let fluent = OverrideVerdicts::default();
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(files.len());
    if workers <= 1 {
        return files
            .iter()
            .map(|(path, format)| read_one(path, *format, &verdicts, &fluent))
            .collect();
    }
    let count = files.len();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let work = || {
        let mut done = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((path, format)) = files.get(i) else {
                break;
            };
            let read = read_one(path, *format, &verdicts, &fluent);
            if read.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            done.push((i, read));
        }
        done
    };
    let mut results: Vec<(usize, Result<Read, Fatal>)> = Vec::with_capacity(count);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK_BYTES)
                    .spawn_scoped(scope, work)
            })
            .collect();
        results.extend(work());
        // A worker that could not start took no file; one that panicked
        // (its panic was reported) leaves a gap, found below.
        for handle in handles.into_iter().flatten() {
            match handle.join() {
                Ok(done) => results.extend(done),
                Err(_) => stop.store(true, Ordering::Relaxed),
            }
        }
    });
    results.sort_by_key(|(i, _)| *i);
    // Every file up to the first error was taken and read (files are taken
    // in order), so the first error in order is the one a reading one by
    // one meets first.
    let mut out = Vec::with_capacity(count);
    for (expected, (i, read)) in results.into_iter().enumerate() {
        if i != expected {
            return Err(Fatal("a document could not be read".to_owned()));
        }
        out.push(read?);
    }
    if out.len() != count {
        return Err(Fatal("a document could not be read".to_owned()));
    }
    Ok(out)
}

/// Reads and checks every document under `paths`.
pub(crate) fn load(paths: &[PathBuf]) -> Result<Loaded, Fatal> {
    let files = collect(paths)?;
    if files.is_empty() {
        return Err(Fatal(
            "no .json, .yaml, .yml or .toml files found".to_owned(),
        ));
    }
    let mut diagnostics = Vec::new();
    let mut tenants: Vec<(Source, Tenant)> = Vec::new();
    let mut overrides: Vec<Vec<Problem>> = Vec::new();
    let mut queries: Vec<Vec<Problem>> = Vec::new();
    let mut platforms: Vec<(Source, PlatformConfig)> = Vec::new();
    let mut rules = Vec::new();
    for read in read_all(&files)? {
        match read {
            Read::Tenant(source, tenant, found, locked) => {
                tenants.push((source, *tenant));
                overrides.push(found);
                queries.push(locked);
            }
            Read::Platform(source, platform) => platforms.push((source, *platform)),
            Read::Rules(source, r) => rules.push((source, r)),
            Read::Problems(found) => diagnostics.extend(found),
        }
    }

    if platforms.len() > 1 {
        let names: Vec<String> = platforms.iter().map(|(s, _)| shown(&s.path)).collect();
        return Err(Fatal(format!(
            "more than one platform document given: {}",
            names.join(", ")
        )));
    }
    let mut platform = platforms.pop();
    // The seed's environment variables override the platform's switches.
    if let Some((source, config)) = &mut platform {
        let environment: BTreeMap<String, String> = tenant_model::ENVIRONMENT_VARIABLES
            .iter()
            .filter_map(|name| std::env::var(name).ok().map(|v| ((*name).to_owned(), v)))
            .collect();
        match config.switches.with_environment(&environment) {
            Ok(switches) => config.switches = switches,
            Err(problems) => {
                diagnostics.extend(problems.iter().map(|p| Diagnostic::new(&source.path, p)))
            }
        }
    }

    // Rules across the set of tenants. The same tenant written twice in
    // identical form (say, YAML and JSON copies) is one member of the set.
    let members = distinct(&tenants);
    let set: Vec<&Tenant> = members
        .iter()
        .filter_map(|&i| tenants.get(i).map(|(_, t)| t))
        .collect();
    let mut per_tenant: BTreeMap<usize, Vec<Problem>> = BTreeMap::new();
    for mut found in check_tenant_set(&set) {
        found.tenant = members.get(found.tenant).copied().unwrap_or(found.tenant);
        found.other = members.get(found.other).copied().unwrap_or(found.other);
        let mut problem = found.problem;
        if found.other != found.tenant
            && let Some((other, _)) = tenants.get(found.other)
        {
            problem = Problem::new(
                problem.pointer(),
                format!("{} (see `{}`)", problem.message(), shown(&other.path)),
            );
        }
        per_tenant.entry(found.tenant).or_default().push(problem);
    }
    // Tenants' Fluent overrides, checked against the shipped catalogs
    // (while reading, in parallel).
    for (i, found) in overrides.into_iter().enumerate() {
        per_tenant.entry(i).or_default().extend(found);
    }
    if let Some((_, config)) = &platform {
        for (i, (_, tenant)) in tenants.iter().enumerate() {
            per_tenant
                .entry(i)
                .or_default()
                .extend(check_against_platform(tenant, config));
        }
    }
    // Compliance rules name the platform's jurisdictions and regions only.
    if let Some((_, config)) = &platform {
        for (source, rules) in &rules {
            let found = tenant_model::check_rules_against_platform(rules, config);
            if !found.is_empty() {
                let placed = place(found, &source.text, source.format);
                diagnostics.extend(placed.iter().map(|p| Diagnostic::new(&source.path, p)));
            }
        }
    }
    // Every query locked to its tenant as the renderers will lock it, with
    // the platform's tenant label (checked while reading with the built-in
    // one; again here only if the platform chose another).
    let default = default_label();
    let label = platform
        .as_ref()
        .map_or(&default, |(_, p)| &p.monitoring.tenant_label);
    let verdicts = QueryVerdicts::default();
    for (i, ((_, tenant), locked)) in tenants.iter().zip(queries).enumerate() {
        let found = if *label == default {
            locked
        } else {
            tenant_model::check_queries_with(tenant, label.as_str(), &verdicts)
        };
        if !found.is_empty() {
            per_tenant.entry(i).or_default().extend(found);
        }
    }
    for (i, problems) in per_tenant {
        // Placing builds a map of every position in the text: only for
        // tenants with problems (most have none).
        if problems.is_empty() {
            continue;
        }
        if let Some((source, _)) = tenants.get(i) {
            let placed = place(problems, &source.text, source.format);
            diagnostics.extend(placed.iter().map(|p| Diagnostic::new(&source.path, p)));
        }
    }
    Ok(Loaded {
        tenants,
        platform,
        rules,
        diagnostics,
    })
}

/// The tenant label of the built-in platform.
fn default_label() -> tenant_model::LabelName {
    tenant_model::PlatformMonitoring::default().tenant_label
}

/// Problems in a tenant's Slack template overrides, placed at the template's
/// message for that locale; the message names the line and column inside
/// the Fluent source.
///
/// Checking stops once more problems were found than a document lists
/// (`MAX_PROBLEMS`), so that no problem is built only to be dropped.
fn override_problems(tenant: &Tenant, fluent: &OverrideVerdicts) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, template) in tenant.slack.templates.iter().enumerate() {
        for (locale, source) in &template.messages {
            if out.len() > tenant_model::MAX_PROBLEMS {
                return out;
            }
            for problem in fluent.check(locale, source) {
                out.push(Problem::new(
                    format!("/slack/templates/{i}/messages/{locale}"),
                    format!(
                        "Fluent line {}, column {}: {}",
                        problem.line(),
                        problem.column(),
                        problem.message()
                    ),
                ));
            }
        }
    }
    out
}

/// The problems of `tenant_i18n::check_overrides` shared by the documents
/// of one run. They depend on the locale and the Fluent source only, and
/// tenants often carry the same override text (copied from a common base),
/// so each distinct pair is checked once; a memo hit costs a hash of the
/// source, against a Fluent parse and the reference checks (~10 % of
/// validating the generated documents of `bench/validate`, which all share
/// their overrides). The memo holds each distinct source once: at most
/// what the documents hold.
#[derive(Default)]
struct OverrideVerdicts {
    /// Locale as written → source → problems.
    seen: Mutex<HashMap<String, HashMap<String, Vec<tenant_i18n::OverrideProblem>>>>,
}

impl OverrideVerdicts {
    fn check(
        &self,
        locale: &tenant_model::Locale,
        source: &str,
    ) -> Vec<tenant_i18n::OverrideProblem> {
        let known = |seen: &HashMap<String, HashMap<String, Vec<_>>>| {
            seen.get(locale.as_str())
                .and_then(|sources| sources.get(source))
                .cloned()
        };
        if let Some(found) = known(&self.lock()) {
            return found;
        }
        // Checked without holding the lock, so that threads check in
        // parallel; two may check the same text once each, alike.
        let found = tenant_i18n::check_overrides(locale.langid(), source);
        self.lock()
            .entry(locale.as_str().to_owned())
            .or_default()
            .insert(source.to_owned(), found.clone());
        found
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<
        '_,
        HashMap<String, HashMap<String, Vec<tenant_i18n::OverrideProblem>>>,
    > {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Prints diagnostics in the chosen format, in one write.
pub(crate) fn print_diagnostics(
    diagnostics: &[Diagnostic],
    format: crate::OutputFormat,
) -> Result<(), Fatal> {
    match format {
        crate::OutputFormat::Text => {
            if diagnostics.is_empty() {
                return Ok(());
            }
            let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            print_line(lines.join("\n"))
        }
        crate::OutputFormat::Json => {
            let json = serde_json::to_string_pretty(diagnostics)
                .map_err(|e| Fatal(format!("cannot encode the diagnostics: {e}")))?;
            print_line(json)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick look at a JSON document's keys answers as the full parse does,
    /// problems included.
    #[test]
    fn detect_agrees_with_the_model() {
        let texts = [
            r#"{"slug": "a", "rules": []}"#,
            r#"{"slug": null}"#,
            r#"{"\u0073lug": 1}"#,
            r#"{"rules": [], "tiers": {}}"#,
            r#"{"regions": []}"#,
            r#"{"switches": 1}"#,
            r#"{"tiers": {}, "tiers": []}"#,
            r#"{"other": {"slug": 1}}"#,
            "{}",
            "[1, 2]",
            "\"text\"",
            r#"{"slug": 1} trailing"#,
            r#"{"slug": "#,
            "",
            "nul",
        ];
        for text in texts {
            assert_eq!(
                detect(text, Format::Json),
                DocumentKind::detect(text, Format::Json),
                "{text}"
            );
        }
    }
}
