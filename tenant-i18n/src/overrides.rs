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
//!   message gets. A variable that no catalog message uses is reported
//!   where it is written, not again at every message that refers to it, so
//!   that the sets carried along references stay as small as the catalog's
//!   vocabulary.
//!
//! # What is rejected as hostile
//!
//! - Sources over [`OVERRIDE_SIZE_LIMIT`] (64 KiB): the shipped catalogs are
//!   about 12 KiB for everything a person sees, so a tenant needs far less.
//! - Terms the catalog defines (`-brand`, `-slack`, `-grafana`): they are
//!   product names, shared by every message, and a tenant must not rename
//!   the product in messages it did not override.
//! - Placeables, select expressions and call arguments nested more than 32
//!   levels deep: found by a linear pre-scan before the (recursive) parser
//!   runs, so that no source can overflow the stack.
//! - Reference cycles and messages or terms that may expand to more than 100
//!   placeables (Fluent's own limit when formatting, counted here as an
//!   upper bound over all variants), so that errors show up at validation
//!   time rather than in a page at night. A cycle is one of parts: a
//!   message's value may use its own attribute. The references form a graph
//!   analysed once, without recursion, in linear time, so chains, fans and
//!   cycles of any length cost the same per reference.
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
use crate::catalog::{SUPPORTED_LOCALE_TAGS, english_source, shipped_source};
use crate::conventions::FUNCTIONS;
use crate::error::{Error, escape};
use crate::graph::{Components, Graph};
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
    /// Placeables, select expressions or call arguments nest more than 32
    /// levels deep; the source is not parsed.
    TooDeep,
    /// [`MAX_OVERRIDE_PROBLEMS`] problems were found and the check stopped.
    TooManyProblems,
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
#[non_exhaustive]
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
/// overrides are safe to apply. Problems are sorted by position; after
/// [`MAX_OVERRIDE_PROBLEMS`] problems the check stops and says so in one
/// last problem.
///
/// The work is linear in the source (n log n with the look-ups): sources
/// nested deeper than 32 levels are not parsed, references are followed
/// through a graph without recursion, and every problem is positioned from
/// an index built once.
pub fn check_overrides(locale: &LanguageIdentifier, source: &str) -> Vec<OverrideProblem> {
    let map = SourceMap::new(source);
    let mut problems = Problems {
        map: &map,
        found: Vec::new(),
        truncated: false,
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
                "locale `{}` has no catalog; overrides can be given for {}",
                escape(&locale.to_string()),
                supported.join(", ")
            ),
        );
        return problems.finish();
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
        return problems.finish();
    }
    check_source(catalog_source, source, problems)
}

/// Checks an override source of any size against a catalog.
fn check_source(
    catalog_source: &'static str,
    source: &str,
    mut problems: Problems<'_, '_>,
) -> Vec<OverrideProblem> {
    let map = problems.map;
    check_characters(source, &mut problems);

    let overrides = SourceFacts::parse(source);
    if let Some(offset) = overrides.too_deep {
        problems.push(
            offset,
            ProblemKind::TooDeep,
            crate::nesting::too_deep_message(),
        );
        return problems.finish();
    }
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

    let catalog = parsed_catalog(catalog_source);
    let english = parsed_catalog(english_source());
    let catalog_variables = &english.variables;
    let scope = Scope {
        overrides: &overrides,
        catalog: &catalog.facts,
        english: &english.facts,
        references: References::new(&overrides, &catalog.facts, catalog_variables),
        catalog_variables,
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, entry) in overrides.entries.iter().enumerate() {
        if problems.is_full() {
            problems.truncated = true;
            break;
        }
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
        scope.check_entry(index, entry, &span, &mut problems);
    }
    problems.finish()
}

/// A shipped catalog, parsed, with the variables its messages use.
#[derive(Clone)]
struct ParsedCatalog {
    source: &'static str,
    facts: SourceFacts,
    variables: BTreeSet<String>,
}

/// The shipped catalogs, parsed once per process: a set of thousands of
/// tenants checks its overrides against the same five. Any other source (a
/// test's) is parsed each time.
fn parsed_catalog(source: &'static str) -> std::borrow::Cow<'static, ParsedCatalog> {
    static SHIPPED: std::sync::OnceLock<Vec<ParsedCatalog>> = std::sync::OnceLock::new();
    let parse = |source: &'static str| {
        let facts = SourceFacts::parse(source);
        let variables = facts.all_message_variables();
        ParsedCatalog {
            source,
            facts,
            variables,
        }
    };
    let shipped = SHIPPED.get_or_init(|| {
        SUPPORTED_LOCALE_TAGS
            .iter()
            .filter_map(|t| shipped_source(&crate::catalog::tag(t)))
            .map(parse)
            .collect()
    });
    // Compared by content: the catalogs are constants, whose addresses the
    // compiler need not keep equal.
    match shipped.iter().find(|c| c.source == source) {
        Some(parsed) => std::borrow::Cow::Borrowed(parsed),
        None => std::borrow::Cow::Owned(parse(source)),
    }
}

/// The most problems one check reports; the rest of the source is not
/// looked at once this many were found.
pub const MAX_OVERRIDE_PROBLEMS: usize = 100;

/// The problems found so far, with the map that positions them.
struct Problems<'m, 's> {
    map: &'m SourceMap<'s>,
    found: Vec<OverrideProblem>,
    truncated: bool,
}

impl Problems<'_, '_> {
    /// Records a problem, its message escaped so that it stays one line;
    /// past [`MAX_OVERRIDE_PROBLEMS`] it only notes that there were more.
    fn push(&mut self, offset: usize, kind: ProblemKind, message: String) {
        if self.is_full() {
            self.truncated = true;
            return;
        }
        let (line, column) = self.map.line_column(offset);
        self.found.push(OverrideProblem {
            line,
            column,
            kind,
            message: escape(&message),
        });
    }

    fn is_full(&self) -> bool {
        self.found.len() >= MAX_OVERRIDE_PROBLEMS
    }

    /// The problems by position, and one more if some were left out.
    fn finish(mut self) -> Vec<OverrideProblem> {
        self.found.sort_by_key(|p| (p.line, p.column));
        if self.truncated {
            let (line, column) = self.map.line_column(usize::MAX);
            self.found.push(OverrideProblem {
                line,
                column,
                kind: ProblemKind::TooManyProblems,
                message: format!(
                    "the check stopped after {MAX_OVERRIDE_PROBLEMS} problems; fix these first"
                ),
            });
        }
        self.found
    }
}

pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The longest Slack control sequence quoted in a problem, in characters.
const MAX_QUOTED_SEQUENCE: usize = 40;

fn check_characters(source: &str, problems: &mut Problems<'_, '_>) {
    for (offset, c) in source.char_indices() {
        let bidi = is_bidi_control(c);
        if bidi || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            if problems.is_full() {
                problems.truncated = true;
                return;
            }
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
            if problems.is_full() {
                problems.truncated = true;
                return;
            }
            let mut sequence: String = source
                .get(offset..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| *c != '>' && !c.is_whitespace())
                .take(MAX_QUOTED_SEQUENCE + 1)
                .collect();
            if sequence.chars().count() > MAX_QUOTED_SEQUENCE {
                sequence = sequence.chars().take(MAX_QUOTED_SEQUENCE).collect();
                sequence.push('…');
            }
            sequence.push('>');
            problems.push(
                offset,
                ProblemKind::ForbiddenContent,
                format!("slack control sequence `{sequence}` is not allowed in templates"),
            );
        }
    }
    for word in ["@channel", "@here", "@everyone"] {
        for (offset, _) in lower.match_indices(word) {
            if problems.is_full() {
                problems.truncated = true;
                return;
            }
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
    references: References<'a>,
    catalog_variables: &'a BTreeSet<String>,
}

/// Which part a reference names: a message (`false`) or term (`true`), its
/// id and its attribute.
type PartKey<'a> = (bool, &'a str, Option<&'a str>);

/// The reference graph of the overrides on top of the catalog, analysed once:
/// every part (value or attribute) of the overrides' entries and every part
/// they reach is a node, and each reference an edge to the part it resolves
/// to at run time.
struct References<'a> {
    /// The node each reference of a node resolves to, `None` for one that
    /// resolves to nothing.
    resolve: BTreeMap<PartKey<'a>, Option<usize>>,
    /// The nodes of each entry of the overrides, in the order of `parts()`.
    override_nodes: Vec<Vec<usize>>,
    /// The components of the graph of every reference, to messages and
    /// terms: formatting follows them all.
    all_components: Components,
    /// An upper bound of the placeables formatting each node resolves,
    /// capped just above [`MAX_PLACEABLES`].
    expansion: Vec<usize>,
    /// The catalog variables each node needs through message references (a
    /// message passes its arguments on to messages, not to terms), as a bit
    /// set over `vocabulary`.
    needed: Vec<Vec<u64>>,
    vocabulary: Vec<&'a str>,
}

impl<'a> References<'a> {
    fn new(
        overrides: &'a SourceFacts,
        catalog: &'a SourceFacts,
        catalog_variables: &'a BTreeSet<String>,
    ) -> References<'a> {
        // The nodes: every part of every entry of the overrides, then the
        // parts their references reach, breadth first, resolved as
        // `Scope::message` and `Scope::term` resolve them (messages from the
        // overrides first, terms from the catalog first; the first entry of
        // an id, the first part of a name). Parts nothing reaches are left
        // out, so the work is that of the overrides, not of the catalog.
        let message = |id: &str| overrides.message(id).or_else(|| catalog.message(id));
        let term = |id: &str| catalog.term(id).or_else(|| overrides.term(id));
        let mut nodes: Vec<&'a PatternFacts> = Vec::new();
        let mut by_address: BTreeMap<*const PatternFacts, usize> = BTreeMap::new();
        let mut intern = |facts: &'a PatternFacts, nodes: &mut Vec<&'a PatternFacts>| {
            *by_address
                .entry(std::ptr::from_ref(facts))
                .or_insert_with(|| {
                    nodes.push(facts);
                    nodes.len() - 1
                })
        };
        let override_nodes: Vec<Vec<usize>> = overrides
            .entries
            .iter()
            .map(|entry| {
                entry
                    .parts()
                    .map(|(_, facts)| intern(facts, &mut nodes))
                    .collect()
            })
            .collect();
        let mut resolve: BTreeMap<PartKey<'a>, Option<usize>> = BTreeMap::new();
        let mut all_edges: Vec<(usize, usize)> = Vec::new();
        let mut message_edges: Vec<(usize, usize)> = Vec::new();
        let mut from = 0;
        while let Some(&facts) = nodes.get(from) {
            let references = facts
                .messages
                .iter()
                .map(|r| (false, r))
                .chain(facts.terms.iter().map(|r| (true, r)));
            for (is_term, (id, attribute)) in references {
                let key = (is_term, id.as_str(), attribute.as_deref());
                let to = match resolve.get(&key) {
                    Some(&to) => to,
                    None => {
                        let entry = if is_term { term(id) } else { message(id) };
                        let to = entry
                            .and_then(|e| e.part(attribute.as_deref()))
                            .map(|target| intern(target, &mut nodes));
                        resolve.insert(key, to);
                        to
                    }
                };
                if let Some(to) = to {
                    all_edges.push((from, to));
                    if !is_term {
                        message_edges.push((from, to));
                    }
                }
            }
            from += 1;
        }

        let mut all = Graph::new(nodes.len());
        for (from, to) in all_edges {
            all.add_edge(from, to);
        }
        let mut messages_only = Graph::new(nodes.len());
        for (from, to) in message_edges {
            messages_only.add_edge(from, to);
        }

        // Expansion, sinks first. References inside a cycle are left out:
        // the cycle is reported instead.
        let all_components = all.components();
        let cap = MAX_PLACEABLES + 1;
        let mut expansion = vec![0usize; nodes.len()];
        for &node in all_components.order() {
            let own = nodes.get(node).map_or(0, |facts| facts.placeables);
            let mut total = own.min(cap);
            for &to in all.successors(node) {
                if total >= cap {
                    break;
                }
                if !all_components.same(node, to) {
                    total = total.saturating_add(expansion.get(to).copied().unwrap_or(0));
                }
            }
            if let Some(slot) = expansion.get_mut(node) {
                *slot = total.min(cap);
            }
        }

        // Variables needed, per component of the message graph, sinks first.
        let vocabulary: Vec<&'a str> = catalog_variables.iter().map(String::as_str).collect();
        let bit_of: BTreeMap<&str, usize> = vocabulary
            .iter()
            .enumerate()
            .map(|(i, v)| (*v, i))
            .collect();
        let words = vocabulary.len().div_ceil(64);
        let message_components = messages_only.components();
        let mut needed = vec![vec![0u64; words]; nodes.len()];
        let order = message_components.order();
        let mut start = 0;
        while start < order.len() {
            // The members of one component are next to each other in `order`.
            let first = order.get(start).copied().unwrap_or(0);
            let end = order
                .iter()
                .skip(start)
                .position(|&n| !message_components.same(first, n))
                .map_or(order.len(), |len| start + len);
            let members = order.get(start..end).unwrap_or_default();
            let mut union = vec![0u64; words];
            for &node in members {
                if let Some(facts) = nodes.get(node) {
                    for variable in &facts.variables {
                        if let Some(&bit) = bit_of.get(variable.as_str())
                            && let Some(word) = union.get_mut(bit / 64)
                        {
                            *word |= 1 << (bit % 64);
                        }
                    }
                }
                for &to in messages_only.successors(node) {
                    if let Some(theirs) = needed.get(to) {
                        for (word, their) in union.iter_mut().zip(theirs) {
                            *word |= their;
                        }
                    }
                }
            }
            for &node in members {
                if let Some(slot) = needed.get_mut(node) {
                    slot.clone_from(&union);
                }
            }
            start = end;
        }

        References {
            resolve,
            override_nodes,
            all_components,
            expansion,
            needed,
            vocabulary,
        }
    }

    fn node(&self, is_term: bool, id: &str, attribute: Option<&str>) -> Option<usize> {
        self.resolve
            .get(&(is_term, id, attribute))
            .copied()
            .flatten()
    }

    /// The catalog variables a node needs, directly or through messages it
    /// refers to.
    fn needed(&self, node: usize) -> impl Iterator<Item = &'a str> + '_ {
        let bits = self.needed.get(node);
        self.vocabulary
            .iter()
            .enumerate()
            .filter(move |(i, _)| {
                bits.and_then(|b| b.get(i / 64))
                    .is_some_and(|word| word & (1 << (i % 64)) != 0)
            })
            .map(|(_, v)| *v)
    }
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
        index: usize,
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

        let kind_name = if entry.is_term { "term" } else { "message" };
        let shown_id = if entry.is_term {
            format!("-{}", entry.id)
        } else {
            entry.id.clone()
        };
        let nodes = self.references.override_nodes.get(index);
        let part_spans = problems.map.parts(span.clone());
        for (number, (part, facts)) in entry.parts().enumerate() {
            if problems.is_full() {
                problems.truncated = true;
                return;
            }
            let part_span = part_spans.part(part);
            let tokens = problems.map.tokens(part_span.clone());
            let at = |kind, name: &str| tokens.first(kind, name).unwrap_or(part_span.start);
            let node = nodes.and_then(|n| n.get(number)).copied();
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
            let mut reported: BTreeSet<PartKey<'_>> = BTreeSet::new();
            for (id, attribute) in &facts.terms {
                if !reported.insert((true, id, attribute.as_deref())) {
                    continue;
                }
                if self
                    .references
                    .node(true, id, attribute.as_deref())
                    .is_none()
                {
                    let exists = self.term(id).map(|_| false);
                    found.push((
                        at(TokenKind::Term, id),
                        ProblemKind::UnknownReference,
                        unknown_reference("term", &format!("-{id}"), attribute.as_deref(), exists),
                    ));
                }
            }
            for (id, attribute) in &facts.messages {
                if !reported.insert((false, id, attribute.as_deref())) {
                    continue;
                }
                if self
                    .references
                    .node(false, id, attribute.as_deref())
                    .is_none()
                {
                    let exists = self.message(id).map(|_| false);
                    found.push((
                        at(TokenKind::Message, id),
                        ProblemKind::UnknownReference,
                        unknown_reference("message", id, attribute.as_deref(), exists),
                    ));
                }
            }
            if !entry.is_term {
                let allowed = self.allowed_variables(entry, part);
                // Written out only when a problem needs it.
                let mut given: Option<String> = None;
                for variable in &facts.variables {
                    if !allowed.contains(variable) {
                        let given = given.get_or_insert_with(|| describe_variables(&allowed));
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
                let mut followed: BTreeSet<usize> = BTreeSet::new();
                for (id, attribute) in &facts.messages {
                    if found.len() > MAX_OVERRIDE_PROBLEMS {
                        break;
                    }
                    let Some(target) = self.references.node(false, id, attribute.as_deref()) else {
                        continue;
                    };
                    if !followed.insert(target) {
                        continue;
                    }
                    for variable in self.references.needed(target) {
                        if !allowed.contains(variable) {
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
                }
            }
            if let Some(node) = node {
                if self.references.all_components.is_cyclic(node) {
                    let through = self.first_in_cycle(node, facts);
                    let (offset, through) = match through {
                        Some((true, id)) => (at(TokenKind::Term, id), format!("-{id}")),
                        Some((false, id)) => (at(TokenKind::Message, id), id.to_owned()),
                        None => (part_span.start, shown_id.clone()),
                    };
                    found.push((
                        offset,
                        ProblemKind::Cyclic,
                        format!(
                            "{kind_name} `{shown_id}` refers back to itself through `{through}`"
                        ),
                    ));
                } else if self.references.expansion.get(node).copied().unwrap_or(0) > MAX_PLACEABLES
                {
                    found.push((
                        part_span.start,
                        ProblemKind::TooComplex,
                        format!(
                            "{kind_name} `{shown_id}` may expand to more than {MAX_PLACEABLES} placeables"
                        ),
                    ));
                }
            }
            for (offset, kind, message) in found {
                problems.push(offset, kind, message);
            }
        }
    }

    /// The first reference of a part (messages, then terms) that stays in
    /// its cycle.
    fn first_in_cycle<'f>(&self, node: usize, facts: &'f PatternFacts) -> Option<(bool, &'f str)> {
        let in_cycle = |is_term: bool, id: &str, attribute: &Option<String>| {
            self.references
                .node(is_term, id, attribute.as_deref())
                .is_some_and(|to| self.references.all_components.same(node, to))
        };
        facts
            .messages
            .iter()
            .find(|(id, a)| in_cycle(false, id, a))
            .map(|(id, _)| (false, id.as_str()))
            .or_else(|| {
                facts
                    .terms
                    .iter()
                    .find(|(id, a)| in_cycle(true, id, a))
                    .map(|(id, _)| (true, id.as_str()))
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Overrides of any size, past the size limit, against the `en` catalog.
    fn check_large(source: &str) -> Vec<OverrideProblem> {
        let map = SourceMap::new(source);
        let problems = Problems {
            map: &map,
            found: Vec::new(),
            truncated: false,
        };
        check_source(english_source(), source, problems)
    }

    #[test]
    fn chains_of_thirty_thousand_are_analysed_without_recursion() {
        let n = 30_000;
        let chain: String = (0..n)
            .map(|i| format!("acme-m{i} = {{ acme-m{} }}\n", i + 1))
            .chain(std::iter::once(format!("acme-m{n} = {{ $alert }}\n")))
            .collect();
        assert!(chain.len() > 10 * OVERRIDE_SIZE_LIMIT);
        let problems = check_large(&format!("slack-button-silence = {{ acme-m0 }}\n{chain}"));
        assert_eq!(problems.len(), MAX_OVERRIDE_PROBLEMS + 1);
        assert_eq!(
            problems[0].to_string(),
            "1:1: message `slack-button-silence` may expand to more than 100 placeables"
        );
        assert_eq!(
            problems[1].to_string(),
            "1:26: message `acme-m0` needs variable `$alert`, which `slack-button-silence` does not get"
        );
        assert!(
            problems[2..MAX_OVERRIDE_PROBLEMS]
                .iter()
                .all(|p| p.kind() == ProblemKind::TooComplex)
        );
        assert_eq!(
            problems[MAX_OVERRIDE_PROBLEMS].kind(),
            ProblemKind::TooManyProblems
        );

        // The same chain closed into a cycle, and as terms.
        let cycle: String = (0..n)
            .map(|i| format!("acme-m{i} = {{ acme-m{} }}\n", (i + 1) % n))
            .collect();
        let problems = check_large(&cycle);
        assert_eq!(problems.len(), MAX_OVERRIDE_PROBLEMS + 1);
        assert_eq!(
            problems[0].to_string(),
            "1:13: message `acme-m0` refers back to itself through `acme-m1`"
        );
        assert!(
            problems[..MAX_OVERRIDE_PROBLEMS]
                .iter()
                .all(|p| p.kind() == ProblemKind::Cyclic)
        );
        let terms: String = (0..n)
            .map(|i| format!("-acme-t{i} = {{ -acme-t{} }}\n", i + 1))
            .collect();
        let problems = check_large(&format!("{terms}-acme-t{n} = end\n"));
        assert_eq!(problems.len(), MAX_OVERRIDE_PROBLEMS + 1);
        assert!(
            problems[..MAX_OVERRIDE_PROBLEMS]
                .iter()
                .all(|p| p.kind() == ProblemKind::TooComplex)
        );
    }

    #[test]
    fn fans_of_thirty_thousand_are_linear() {
        let n = 30_000;
        let leaves: String = (0..n).map(|i| format!("l{i} = leaf\n")).collect();
        let fan: String = (0..n).map(|i| format!("{{ l{i} }}")).collect();
        let problems = check_large(&format!("acme-root = {fan}\n{leaves}"));
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["1:1: message `acme-root` may expand to more than 100 placeables"]
        );
        // Thirty thousand messages sharing one: each is small, none is cyclic.
        let many: String = (0..n).map(|i| format!("r{i} = {{ leaf }}\n")).collect();
        assert!(check_large(&format!("{many}leaf = leaf\n")).is_empty());
    }

    #[test]
    fn escape_keeps_a_problem_on_one_line() {
        assert_eq!(
            escape("a\nb\u{1b}[31m\u{202e}c\u{2028}"),
            "a\\u{000a}b\\u{001b}[31m\\u{202e}c\\u{2028}"
        );
        assert_eq!(escape("plain `text` é"), "plain `text` é");
    }
}
