//! Tenant overrides: messages a tenant rewrites or adds in Fluent syntax, the
//! checks they must pass, and the validated set a localizer applies.
//!
//! # What an override may do
//!
//! - Rewrite a catalog message. It may use the variables the renderers give
//!   that message, which are the variables of the same part (value or
//!   attribute) of the `en` catalog's message; an attribute the catalog does
//!   not have may use any variable of the catalog's message. It must keep the
//!   value and every attribute the catalog's message has, because the
//!   renderers ask for them.
//! - Add a message. No renderer passes arguments to a message it does not
//!   know, so we chose the simplest contract that is still useful: a new
//!   message may use any variable that some catalog message uses (`$tenant`,
//!   `$alert`, `$count`, ...), and gets it when it is referenced from a
//!   message that has it.
//! - Reference messages and terms of the catalog or of the overrides, and
//!   call `NUMBER` and `DATETIME`. A reference passes the referencing
//!   message's arguments on, so every variable the referenced message needs,
//!   directly or through its own references, must be one the referencing
//!   message gets.
//!
//! # What is rejected as hostile
//!
//! - Sources over [`OVERRIDE_SIZE_LIMIT`] (64 KiB): the shipped catalogs are
//!   about 12 KiB for everything a person sees, so a tenant needs far less.
//! - Terms the catalog defines (`-brand`, `-slack`, `-grafana`): they are
//!   product names, shared by every message, and a tenant must not rename
//!   the product in messages it did not override.
//! - Reference cycles and messages that may expand to more than 100
//!   placeables (Fluent's own limit when formatting, counted here as an
//!   upper bound over all variants), so that errors show up at validation
//!   time rather than in a page at night.
//! - Control characters other than tab and line breaks, and Unicode
//!   bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
//!   U+2066–U+2069), which can make text read differently from what it is.
//! - Slack's special sequences `<!...>` and `<@...>` and the words
//!   `@channel`, `@here` and `@everyone`: a template must not ping a whole
//!   channel. The Slack renderer escapes text as well; this check gives the
//!   tenant a clear error instead of a silently escaped message.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use unic_langid::LanguageIdentifier;

use crate::analysis::{EntryFacts, PatternFacts, SourceFacts};
use crate::catalog::{SUPPORTED_LOCALE_TAGS, english_source, shipped_facts, shipped_source};
use crate::conventions::FUNCTIONS;
use crate::error::Error;
use crate::source_map::{SourceMap, TokenKind};

/// The largest override source accepted for one locale, in bytes.
pub const OVERRIDE_SIZE_LIMIT: usize = 64 * 1024;

/// Fluent stops formatting a message after this many placeables.
const MAX_PLACEABLES: usize = 100;

/// What kind of problem an override has.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The source is not valid Fluent syntax.
    Syntax,
    /// The source is larger than [`OVERRIDE_SIZE_LIMIT`].
    TooLarge,
    /// There is no catalog for the locale.
    UnsupportedLocale,
    /// Control or bidirectional characters, or Slack mentions of a whole
    /// channel.
    ForbiddenContent,
    /// A term that the catalog defines is redefined.
    ShadowsCatalogTerm,
    /// The same message or term is defined twice.
    Duplicate,
    /// A reference to a message, term or attribute that exists neither in
    /// the catalog nor in the overrides.
    UnknownReference,
    /// A variable that the renderers do not give the message.
    UnknownVariable,
    /// A function other than `NUMBER` and `DATETIME`.
    UnknownFunction,
    /// The value or an attribute that the catalog's message has, and the
    /// renderers use, is missing.
    MissingPart,
    /// A message refers back to itself.
    Cyclic,
    /// A message may expand to more placeables than Fluent formats.
    TooComplex,
}

/// One problem of a tenant's override source, at a 1-based line and column
/// (counted in characters).
///
/// ```
/// use tenant_i18n::check_overrides;
///
/// let problems = check_overrides(&"en".parse()?, "slack-button-silence = Mute { $who }\n");
/// assert_eq!(
///     problems[0].to_string(),
///     "1:31: variable `$who` is not given to message `slack-button-silence`, which gets no variables"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct OverrideProblem {
    line: usize,
    column: usize,
    kind: ProblemKind,
    message: String,
}

impl OverrideProblem {
    /// The 1-based line of the problem.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column of the problem, in characters.
    pub fn column(&self) -> usize {
        self.column
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    /// The problem in a sentence, without its position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for OverrideProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Checks a tenant's override source for one locale; an empty list means the
/// overrides are safe to apply. Problems are sorted by position.
pub fn check_overrides(locale: &LanguageIdentifier, source: &str) -> Vec<OverrideProblem> {
    let map = SourceMap::new(source);
    let mut problems = Problems {
        map: &map,
        found: Vec::new(),
    };
    let Some(catalog_source) = shipped_source(locale) else {
        let supported: Vec<String> = SUPPORTED_LOCALE_TAGS
            .iter()
            .map(|t| format!("`{t}`"))
            .collect();
        problems.push(
            0,
            ProblemKind::UnsupportedLocale,
            format!(
                "locale `{locale}` has no catalog; overrides can be given for {}",
                supported.join(", ")
            ),
        );
        return problems.found;
    };
    if source.len() > OVERRIDE_SIZE_LIMIT {
        problems.push(
            0,
            ProblemKind::TooLarge,
            format!(
                "overrides are {} bytes, more than the limit of {OVERRIDE_SIZE_LIMIT} bytes",
                source.len()
            ),
        );
        return problems.found;
    }
    check_characters(source, &mut problems);

    let overrides = SourceFacts::parse(source);
    for error in &overrides.errors {
        let text = error.kind.to_string().replace('"', "`");
        let mut chars = text.chars();
        let text = match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => text,
        };
        problems.push(
            error.pos.start,
            ProblemKind::Syntax,
            format!("syntax error: {text}"),
        );
    }

    let (parsed_catalog, parsed_english);
    let catalog = match shipped_facts(catalog_source) {
        Some(facts) => facts,
        None => {
            parsed_catalog = SourceFacts::parse(catalog_source);
            &parsed_catalog
        }
    };
    let english = match shipped_facts(english_source()) {
        Some(facts) => facts,
        None => {
            parsed_english = SourceFacts::parse(english_source());
            &parsed_english
        }
    };
    let scope = Scope {
        overrides: &overrides,
        catalog,
        english,
        catalog_variables: english.all_message_variables(),
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &overrides.entries {
        let key = if entry.is_term {
            format!("-{}", entry.id)
        } else {
            entry.id.clone()
        };
        let nth = seen.entry(key.clone()).or_insert(0);
        let span = map.entry(&key, *nth).unwrap_or(0..0);
        *nth += 1;
        let kind_name = if entry.is_term { "term" } else { "message" };
        if *nth > 1 {
            problems.push(
                span.start,
                ProblemKind::Duplicate,
                format!("{kind_name} `{key}` is defined more than once"),
            );
            continue;
        }
        scope.check_entry(entry, &span, &mut problems);
    }
    problems.found.sort_by_key(|p| (p.line, p.column));
    problems.found
}

/// The problems found so far, with the map that positions them.
struct Problems<'m, 's> {
    map: &'m SourceMap<'s>,
    found: Vec<OverrideProblem>,
}

impl Problems<'_, '_> {
    fn push(&mut self, offset: usize, kind: ProblemKind, message: String) {
        let (line, column) = self.map.line_column(offset);
        self.found.push(OverrideProblem {
            line,
            column,
            kind,
            message,
        });
    }
}

fn check_characters(source: &str, problems: &mut Problems<'_, '_>) {
    for (offset, c) in source.char_indices() {
        let bidi = matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if bidi || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            let what = if bidi {
                "bidirectional control"
            } else {
                "control"
            };
            problems.push(
                offset,
                ProblemKind::ForbiddenContent,
                format!("{what} character U+{:04X} is not allowed", u32::from(c)),
            );
        }
    }
    let lower = source.to_ascii_lowercase();
    for needle in ["<!", "<@"] {
        for (offset, _) in lower.match_indices(needle) {
            let sequence: String = source
                .get(offset..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| *c != '>' && !c.is_whitespace())
                .chain(std::iter::once('>'))
                .collect();
            problems.push(
                offset,
                ProblemKind::ForbiddenContent,
                format!("slack control sequence `{sequence}` is not allowed in templates"),
            );
        }
    }
    for word in ["@channel", "@here", "@everyone"] {
        for (offset, _) in lower.match_indices(word) {
            let ends_word = lower
                .get(offset + word.len()..)
                .and_then(|rest| rest.chars().next())
                .is_none_or(|c| !c.is_alphanumeric());
            if ends_word {
                problems.push(
                    offset,
                    ProblemKind::ForbiddenContent,
                    format!("slack mention `{word}` is not allowed in templates"),
                );
            }
        }
    }
}

/// Where references resolve: the overrides first, then the locale's catalog
/// (the same bundle at run time); `en` says what the renderers pass.
struct Scope<'a> {
    overrides: &'a SourceFacts,
    catalog: &'a SourceFacts,
    english: &'a SourceFacts,
    catalog_variables: BTreeSet<String>,
}

impl Scope<'_> {
    fn message(&self, id: &str) -> Option<&EntryFacts> {
        self.overrides
            .message(id)
            .or_else(|| self.catalog.message(id))
    }

    fn term(&self, id: &str) -> Option<&EntryFacts> {
        self.catalog.term(id).or_else(|| self.overrides.term(id))
    }

    fn check_entry(
        &self,
        entry: &EntryFacts,
        span: &std::ops::Range<usize>,
        problems: &mut Problems<'_, '_>,
    ) {
        if entry.is_term {
            if self.catalog.term(&entry.id).is_some() || self.english.term(&entry.id).is_some() {
                problems.push(
                    span.start,
                    ProblemKind::ShadowsCatalogTerm,
                    format!(
                        "term `-{}` is defined by the catalog and cannot be overridden",
                        entry.id
                    ),
                );
            }
        } else if let Some(reference) = self.english.message(&entry.id) {
            for (part, _) in reference.parts() {
                if entry.part(part).is_none() {
                    let message = match part {
                        None => format!(
                            "override of `{}` has no value, but the renderers use it",
                            entry.id
                        ),
                        Some(name) => format!(
                            "override of `{}` drops attribute `.{name}`, which the renderers use",
                            entry.id
                        ),
                    };
                    problems.push(span.start, ProblemKind::MissingPart, message);
                }
            }
        }

        for (part, facts) in entry.parts() {
            let part_span = problems.map.part(span.clone(), part);
            let at = |kind, name: &str| {
                problems
                    .map
                    .find_token(part_span.clone(), kind, name)
                    .unwrap_or(part_span.start)
            };
            let mut found = Vec::new();
            for function in &facts.functions {
                if !FUNCTIONS.contains(&function.as_str()) {
                    found.push((
                        at(TokenKind::Function, function),
                        ProblemKind::UnknownFunction,
                        format!("function `{function}` does not exist; use `NUMBER` or `DATETIME`"),
                    ));
                }
            }
            for (id, attribute) in &facts.terms {
                let exists = self
                    .term(id)
                    .map(|t| t.part(attribute.as_deref()).is_some());
                if exists != Some(true) {
                    found.push((
                        at(TokenKind::Term, id),
                        ProblemKind::UnknownReference,
                        unknown_reference("term", &format!("-{id}"), attribute.as_deref(), exists),
                    ));
                }
            }
            for (id, attribute) in &facts.messages {
                let exists = self
                    .message(id)
                    .map(|m| m.part(attribute.as_deref()).is_some());
                if exists != Some(true) {
                    found.push((
                        at(TokenKind::Message, id),
                        ProblemKind::UnknownReference,
                        unknown_reference("message", id, attribute.as_deref(), exists),
                    ));
                }
            }
            if !entry.is_term {
                let allowed = self.allowed_variables(entry, part);
                let given = describe_variables(&allowed);
                for variable in &facts.variables {
                    if !allowed.contains(variable) {
                        found.push((
                            at(TokenKind::Variable, variable),
                            ProblemKind::UnknownVariable,
                            format!(
                                "variable `${variable}` is not given to message `{}`, which gets {given}",
                                entry.id
                            ),
                        ));
                    }
                }
                for (id, attribute) in &facts.messages {
                    let mut needed = BTreeSet::new();
                    self.variables_through(
                        id,
                        attribute.as_deref(),
                        &mut BTreeSet::new(),
                        &mut needed,
                    );
                    for variable in needed.difference(&allowed) {
                        found.push((
                            at(TokenKind::Message, id),
                            ProblemKind::UnknownVariable,
                            format!(
                                "message `{id}` needs variable `${variable}`, which `{}` does not get",
                                entry.id
                            ),
                        ));
                    }
                }
                if let Some(through) = self.cycle_through(&entry.id, facts) {
                    found.push((
                        at(TokenKind::Message, &through),
                        ProblemKind::Cyclic,
                        format!(
                            "message `{}` refers back to itself through `{through}`",
                            entry.id
                        ),
                    ));
                } else if self.expansion(facts, &mut Vec::new()) > MAX_PLACEABLES {
                    found.push((
                        part_span.start,
                        ProblemKind::TooComplex,
                        format!(
                            "message `{}` may expand to more than {MAX_PLACEABLES} placeables",
                            entry.id
                        ),
                    ));
                }
            }
            for (offset, kind, message) in found {
                problems.push(offset, kind, message);
            }
        }
    }

    /// The variables the renderers give one part of a message.
    fn allowed_variables(&self, entry: &EntryFacts, part: Option<&str>) -> BTreeSet<String> {
        match self.english.message(&entry.id) {
            Some(reference) => match reference.part(part) {
                Some(facts) => facts.variables.clone(),
                None => reference.all_variables(),
            },
            None => self.catalog_variables.clone(),
        }
    }

    /// The variables a referenced message needs, through its own references.
    fn variables_through(
        &self,
        id: &str,
        attribute: Option<&str>,
        visiting: &mut BTreeSet<String>,
        needed: &mut BTreeSet<String>,
    ) {
        if !visiting.insert(format!("{id}.{}", attribute.unwrap_or_default())) {
            return;
        }
        let Some(facts) = self.message(id).and_then(|m| m.part(attribute)) else {
            return;
        };
        needed.extend(facts.variables.iter().cloned());
        for (next, next_attribute) in &facts.messages {
            self.variables_through(next, next_attribute.as_deref(), visiting, needed);
        }
    }

    /// The first reference of `facts` from which message `id` can be reached
    /// again, if any.
    fn cycle_through(&self, id: &str, facts: &PatternFacts) -> Option<String> {
        facts
            .messages
            .iter()
            .find(|(next, attribute)| {
                self.reaches(next, attribute.as_deref(), id, &mut BTreeSet::new())
            })
            .map(|(next, _)| next.clone())
    }

    fn reaches(
        &self,
        from: &str,
        attribute: Option<&str>,
        target: &str,
        visited: &mut BTreeSet<String>,
    ) -> bool {
        if from == target {
            return true;
        }
        if !visited.insert(format!("{from}.{}", attribute.unwrap_or_default())) {
            return false;
        }
        let Some(facts) = self.message(from).and_then(|m| m.part(attribute)) else {
            return false;
        };
        facts
            .messages
            .iter()
            .any(|(next, a)| self.reaches(next, a.as_deref(), target, visited))
    }

    /// An upper bound of the placeables formatting `facts` resolves.
    fn expansion(&self, facts: &PatternFacts, path: &mut Vec<String>) -> usize {
        let mut total = facts.placeables;
        for (id, attribute) in &facts.messages {
            if total > MAX_PLACEABLES || path.contains(id) {
                break;
            }
            if let Some(next) = self.message(id).and_then(|m| m.part(attribute.as_deref())) {
                path.push(id.clone());
                total = total.saturating_add(self.expansion(next, path));
                path.pop();
            }
        }
        total
    }
}

fn unknown_reference(
    kind: &str,
    id: &str,
    attribute: Option<&str>,
    exists: Option<bool>,
) -> String {
    match (exists, attribute) {
        (Some(false), Some(attribute)) => format!("{kind} `{id}` has no attribute `.{attribute}`"),
        (Some(false), None) => format!("{kind} `{id}` has no value"),
        _ => format!("{kind} `{id}` exists neither in the catalog nor in the overrides"),
    }
}

fn describe_variables(variables: &BTreeSet<String>) -> String {
    if variables.is_empty() {
        return "no variables".to_owned();
    }
    let names: Vec<String> = variables.iter().map(|v| format!("`${v}`")).collect();
    names.join(", ")
}

/// A tenant's overrides, one Fluent source per locale, each checked by
/// [`check_overrides`]. Once built, every source is known to be safe to apply
/// on top of the catalog.
///
/// ```
/// use tenant_i18n::TenantOverrides;
///
/// let overrides = TenantOverrides::new([(
///     "fr".parse()?,
///     "slack-button-silence = Faire taire\n",
/// )])?;
/// assert_eq!(overrides.get(&"fr".parse()?), Some("slack-button-silence = Faire taire\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TenantOverrides {
    sources: Vec<(LanguageIdentifier, String)>,
}

impl TenantOverrides {
    /// Checks and keeps overrides given as locale → Fluent source. A locale
    /// given twice keeps its last source.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOverrides`] for the first locale (in the order given)
    /// whose source has problems.
    pub fn new<I, S>(sources: I) -> Result<TenantOverrides, Error>
    where
        I: IntoIterator<Item = (LanguageIdentifier, S)>,
        S: Into<String>,
    {
        let mut checked: Vec<(LanguageIdentifier, String)> = Vec::new();
        for (locale, source) in sources {
            let source = source.into();
            let problems = check_overrides(&locale, &source);
            if !problems.is_empty() {
                return Err(Error::InvalidOverrides {
                    locale: locale.to_string(),
                    problems,
                });
            }
            checked.retain(|(l, _)| *l != locale);
            checked.push((locale, source));
        }
        Ok(TenantOverrides { sources: checked })
    }

    /// The override source for `locale`, matched exactly.
    pub fn get(&self, locale: &LanguageIdentifier) -> Option<&str> {
        self.sources
            .iter()
            .find(|(l, _)| l == locale)
            .map(|(_, s)| s.as_str())
    }

    /// Whether there are no overrides.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The locales that have overrides, in the order given.
    pub fn locales(&self) -> impl Iterator<Item = &LanguageIdentifier> {
        self.sources.iter().map(|(l, _)| l)
    }
}
