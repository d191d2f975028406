//! Positions in a Fluent source: byte offsets to 1-based lines and columns,
//! and where an entry, an attribute or a reference is written.
//!
//! fluent-syntax's AST carries no positions, only its parser errors do. The
//! override checks find the rest with a small scanner that knows just enough
//! of the grammar: entries start at column 0, attributes are indented lines
//! starting with `.`, and references only occur inside placeables, outside
//! string literals, variant keys and variant text.

use std::collections::BTreeMap;
use std::ops::Range;

/// What a token inside a placeable refers to.
#[derive(Clone, Copy, Debug, Eq, Ord, PartialEq, PartialOrd)]
pub(crate) enum TokenKind {
    /// `$name`
    Variable,
    /// `name` or `name.attr`
    Message,
    /// `-name` or `-name.attr`
    Term,
    /// `NAME(`
    Function,
}

/// A source with its line starts, for position look-ups.
#[derive(Debug)]
pub(crate) struct SourceMap<'s> {
    source: &'s str,
    line_starts: Vec<usize>,
    /// The spans of the entries of each id, in source order.
    entries: BTreeMap<String, Vec<Range<usize>>>,
}

/// The spans of the value and the attributes of one entry.
#[derive(Debug)]
pub(crate) struct PartSpans {
    entry: Range<usize>,
    /// Where the value ends: at the first attribute line.
    value_end: usize,
    /// Each attribute's first span, by name.
    attributes: BTreeMap<String, Range<usize>>,
}

impl PartSpans {
    /// The span of the value (`None`) or of an attribute; the whole entry
    /// for an attribute not found.
    pub(crate) fn part(&self, attribute: Option<&str>) -> Range<usize> {
        match attribute {
            None => self.entry.start..self.value_end,
            Some(name) => self
                .attributes
                .get(name)
                .cloned()
                .unwrap_or_else(|| self.entry.clone()),
        }
    }
}

/// The references inside the placeables of a span: the first offset of
/// each kind and name.
#[derive(Debug)]
pub(crate) struct Tokens {
    first: BTreeMap<(TokenKind, String), usize>,
}

impl Tokens {
    /// The offset of the first token of this kind and name.
    pub(crate) fn first(&self, kind: TokenKind, name: &str) -> Option<usize> {
        self.first.get(&(kind, name.to_owned())).copied()
    }
}

/// Where an entry is written.
#[derive(Clone, Debug)]
struct EntrySpan {
    /// The id, with the `-` of a term.
    id: String,
    span: Range<usize>,
}

impl<'s> SourceMap<'s> {
    pub(crate) fn new(source: &'s str) -> SourceMap<'s> {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        let mut entries: BTreeMap<String, Vec<Range<usize>>> = BTreeMap::new();
        for entry in entry_spans(source, &line_starts) {
            entries.entry(entry.id).or_default().push(entry.span);
        }
        SourceMap {
            source,
            line_starts,
            entries,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = line
            .checked_sub(1)
            .and_then(|i| self.line_starts.get(i))
            .copied()
            .unwrap_or(0);
        let column = self
            .source
            .get(start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (line.max(1), column + 1)
    }

    /// The span of the `nth` (0-based) entry with this id (`-name` for a
    /// term).
    pub(crate) fn entry(&self, id: &str, nth: usize) -> Option<Range<usize>> {
        self.entries
            .get(id)
            .and_then(|spans| spans.get(nth))
            .cloned()
    }

    /// Within an entry's span, the spans of its value and of its attributes.
    pub(crate) fn parts(&self, entry: Range<usize>) -> PartSpans {
        let lines = self.attribute_lines(entry.clone());
        let value_end = lines.first().map_or(entry.end, |(start, _)| *start);
        let mut attributes = BTreeMap::new();
        let ends = lines
            .iter()
            .skip(1)
            .map(|(start, _)| *start)
            .chain(std::iter::once(entry.end));
        for ((start, name), end) in lines.iter().zip(ends) {
            attributes.entry(name.clone()).or_insert(*start..end);
        }
        PartSpans {
            entry,
            value_end,
            attributes,
        }
    }

    /// Within an entry's span, the span of its value (`None`) or of one of
    /// its attributes.
    #[cfg(test)]
    pub(crate) fn part(&self, entry: Range<usize>, attribute: Option<&str>) -> Range<usize> {
        self.parts(entry).part(attribute)
    }

    /// The start of each attribute line of an entry, with the attribute name.
    fn attribute_lines(&self, entry: Range<usize>) -> Vec<(usize, String)> {
        let mut found = Vec::new();
        // Only the lines inside the entry, found by binary search.
        let first = self
            .line_starts
            .partition_point(|&start| start <= entry.start);
        let last = self.line_starts.partition_point(|&start| start < entry.end);
        for &start in self.line_starts.get(first..last).unwrap_or_default() {
            let Some(line) = self.source.get(start..entry.end) else {
                continue;
            };
            let trimmed = line.trim_start_matches([' ', '\t']);
            if trimmed.len() == line.len() {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('.') {
                let name: String = rest
                    .chars()
                    .take_while(|c| is_identifier_char(*c))
                    .collect();
                let after = rest.get(name.len()..).unwrap_or_default().trim_start();
                if !name.is_empty() && after.starts_with('=') {
                    found.push((start, name));
                }
            }
        }
        found
    }

    /// The references inside the placeables of `span`, scanned once.
    pub(crate) fn tokens(&self, span: Range<usize>) -> Tokens {
        let mut first = BTreeMap::new();
        if let Some(text) = self.source.get(span.clone()) {
            for (kind, name, offset) in tokens(text) {
                first.entry((kind, name)).or_insert(span.start + offset);
            }
        }
        Tokens { first }
    }

    /// The offset of the first token of this kind and name inside a
    /// placeable of `span`, skipping the entry's own id.
    #[cfg(test)]
    pub(crate) fn find_token(
        &self,
        span: Range<usize>,
        kind: TokenKind,
        name: &str,
    ) -> Option<usize> {
        self.tokens(span).first(kind, name)
    }
}

fn is_identifier_start(c: char) -> bool {
    c.is_ascii_alphabetic()
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Entries start at column 0 with an identifier (or `-identifier` for a
/// term) followed by `=`; an entry ends where the next line at column 0 that
/// is not part of a pattern starts (an entry, a comment or junk).
fn entry_spans(source: &str, line_starts: &[usize]) -> Vec<EntrySpan> {
    let mut spans: Vec<EntrySpan> = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for &start in line_starts {
        let Some(line) = source.get(start..) else {
            continue;
        };
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '}' | '[' | '*' | '.') {
            continue;
        }
        if let Some((id, entry_start)) = open.take() {
            spans.push(EntrySpan {
                id,
                span: entry_start..start,
            });
        }
        let (dash, rest) = match line.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", line),
        };
        if !rest.starts_with(is_identifier_start) {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| is_identifier_char(*c))
            .collect();
        let after = rest
            .get(name.len()..)
            .unwrap_or_default()
            .trim_start_matches([' ', '\t']);
        if after.starts_with('=') {
            open = Some((format!("{dash}{name}"), start));
        }
    }
    if let Some((id, entry_start)) = open {
        spans.push(EntrySpan {
            id,
            span: entry_start..source.len(),
        });
    }
    spans
}

/// Where the scanner is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Frame {
    /// Inside `{ ... }`; `variants` once `->` was seen.
    Expression { variants: bool },
    /// The text of a variant of a select expression.
    VariantText,
}

/// The references inside placeables of a piece of source, with their byte
/// offsets.
fn tokens(text: &str) -> Vec<(TokenKind, String, usize)> {
    let mut found = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match stack.last().copied() {
            None => {
                if c == '{' {
                    stack.push(Frame::Expression { variants: false });
                }
            }
            Some(Frame::VariantText) => match c {
                '{' => stack.push(Frame::Expression { variants: false }),
                '}' => {
                    // Closes the select expression around this variant.
                    stack.pop();
                    stack.pop();
                }
                '\n' => {
                    // A new variant starts on a line whose first non-blank
                    // character is `[` or `*`.
                    let rest = text
                        .get(i + 1..)
                        .unwrap_or_default()
                        .trim_start_matches([' ', '\t']);
                    if rest.starts_with('[') || rest.starts_with('*') {
                        stack.pop();
                    }
                }
                _ => {}
            },
            Some(Frame::Expression { variants }) => {
                match c {
                    '"' => {
                        // Skip a string literal and its escapes.
                        while let Some((_, s)) = chars.next() {
                            match s {
                                '\\' => {
                                    chars.next();
                                }
                                '"' | '\n' => break,
                                _ => {}
                            }
                        }
                    }
                    '{' => stack.push(Frame::Expression { variants: false }),
                    '}' => {
                        stack.pop();
                    }
                    '-' if chars.peek().is_some_and(|(_, n)| *n == '>') => {
                        chars.next();
                        if let Some(Frame::Expression { variants }) = stack.last_mut() {
                            *variants = true;
                        }
                    }
                    '[' if variants => {
                        // Skip the key, then read the variant's text.
                        for (_, k) in chars.by_ref() {
                            if k == ']' {
                                break;
                            }
                        }
                        stack.push(Frame::VariantText);
                    }
                    '$' | '-' => {
                        let name = take_identifier(&mut chars);
                        if !name.is_empty() {
                            let kind = if c == '$' {
                                TokenKind::Variable
                            } else {
                                TokenKind::Term
                            };
                            found.push((kind, name, i));
                            skip_attribute(&mut chars);
                        }
                    }
                    c if is_identifier_start(c) => {
                        // The rest of the identifier may start with a digit
                        // (`m1`), unlike a whole one.
                        let mut name = String::from(c);
                        while let Some((_, c)) = chars.next_if(|(_, c)| is_identifier_char(*c)) {
                            name.push(c);
                        }
                        skip_attribute(&mut chars);
                        // Look past blanks for `(` (a call) or `:` (a named
                        // argument's name).
                        let rest = text
                            .get(i + name.len()..)
                            .unwrap_or_default()
                            .trim_start_matches([' ', '\t', '\n', '\r']);
                        if rest.starts_with('(') {
                            found.push((TokenKind::Function, name, i));
                        } else if !rest.starts_with(':') {
                            found.push((TokenKind::Message, name, i));
                        }
                    }
                    c if c.is_ascii_digit() => {
                        while chars
                            .next_if(|(_, d)| d.is_ascii_digit() || *d == '.')
                            .is_some()
                        {}
                    }
                    _ => {}
                }
            }
        }
    }
    found
}

fn take_identifier(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> String {
    let mut name = String::new();
    if chars.peek().is_some_and(|(_, c)| is_identifier_start(*c)) {
        while let Some((_, c)) = chars.next_if(|(_, c)| is_identifier_char(*c)) {
            name.push(c);
        }
    }
    name
}

fn skip_attribute(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    if chars.next_if(|(_, c)| *c == '.').is_some() {
        take_identifier(chars);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let map = SourceMap::new("ab\nçd = x\n");
        assert_eq!(map.line_column(0), (1, 1));
        assert_eq!(map.line_column(3), (2, 1));
        assert_eq!(map.line_column(5), (2, 2)); // after the two-byte `ç`
        assert_eq!(map.line_column(100), (3, 1));
    }

    #[test]
    fn entries_attributes_and_tokens_are_found() {
        let source = "# comment\n-brand = Kit\nhello = Hi { $name ->\n    [one] word { $x }\n   *[other] other { other-msg.attr }\n}\n    .title = { NUMBER($n, style: \"percent\") } { -brand }\n\nbye = Bye\n";
        let map = SourceMap::new(source);
        let hello = map.entry("hello", 0).unwrap();
        assert!(source[hello.clone()].starts_with("hello ="));
        assert!(source[hello.clone()].ends_with("{ -brand }\n\n"));
        assert!(map.entry("-brand", 0).is_some());
        assert!(map.entry("bye", 1).is_none());

        let value = map.part(hello.clone(), None);
        let title = map.part(hello.clone(), Some("title"));
        assert!(source[title.clone()].trim_start().starts_with(".title"));
        assert_eq!(value.end, title.start);

        let at = |span: Range<usize>, kind, name| {
            map.find_token(span, kind, name).map(|o| map.line_column(o))
        };
        assert_eq!(
            at(value.clone(), TokenKind::Variable, "name"),
            Some((3, 14))
        );
        assert_eq!(at(value.clone(), TokenKind::Variable, "x"), Some((4, 18)));
        assert_eq!(
            at(value.clone(), TokenKind::Message, "other-msg"),
            Some((5, 21))
        );
        // Variant text and keys are not references.
        assert_eq!(at(value.clone(), TokenKind::Message, "word"), None);
        assert_eq!(at(value.clone(), TokenKind::Message, "other"), None);
        assert_eq!(
            at(title.clone(), TokenKind::Function, "NUMBER"),
            Some((7, 16))
        );
        assert_eq!(at(title.clone(), TokenKind::Message, "style"), None);
        assert_eq!(at(title.clone(), TokenKind::Message, "percent"), None);
        assert_eq!(at(title, TokenKind::Term, "brand"), Some((7, 49)));
    }
}
