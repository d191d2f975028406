//! Where a field is in the source text: maps JSON pointers to line and column
//! for JSON, YAML and TOML, so problems found on the parsed value can point
//! at the text the user wrote.
//!
//! A member of a mapping is placed at its key (that is where an unknown or
//! misspelled field is), an element of a list at the element. A pointer that
//! does not exist in the source (a missing field) falls back to its nearest
//! ancestor that does.

use std::collections::HashMap;

use crate::error::push_segment;
use crate::parse::Format;

/// Pointer → byte offset of the field in one source text.
pub(crate) struct SourceMap<'a> {
    text: &'a str,
    offsets: HashMap<String, usize>,
}

impl<'a> SourceMap<'a> {
    /// Maps every field of `text`. Text that does not parse maps nothing.
    pub(crate) fn build(text: &'a str, format: Format) -> Self {
        let mut offsets = HashMap::new();
        match format {
            Format::Json => {
                let mut scanner = JsonScanner {
                    bytes: text.as_bytes(),
                    at: 0,
                    offsets: &mut offsets,
                };
                scanner.skip_ws();
                scanner.value(String::new(), 0);
            }
            Format::Yaml => map_yaml(text, &mut offsets),
            Format::Toml => map_toml(text, &mut offsets),
        }
        offsets.entry(String::new()).or_insert(0);
        SourceMap { text, offsets }
    }

    /// Line and column (1-based, columns in characters) of `pointer`, or of
    /// its nearest ancestor in the source.
    /// Every pointer mapped.
    pub(crate) fn pointers(&self) -> impl Iterator<Item = &str> {
        self.offsets.keys().map(String::as_str)
    }

    pub(crate) fn position(&self, pointer: &str) -> (usize, usize) {
        let mut current = pointer;
        loop {
            if let Some(&offset) = self.offsets.get(current) {
                return line_column(self.text, offset);
            }
            match current.rfind('/') {
                Some(cut) => current = current.get(..cut).unwrap_or(""),
                None => return (1, 1),
            }
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
/// Lines end at `\n`, `\r\n` or a lone `\r`, as YAML and TOML say (old
/// Mac files have only `\r`).
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let bytes = before.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let breaks = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if breaks {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// The byte offset of a position counted the way serde_json counts it
/// (lines end at `\n` only; `column` in bytes), so that it can be placed
/// again with [`line_column`].
pub(crate) fn offset_of_json_position(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(at) => start += at + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// The parsers bound nesting far below this; it only guards the scanner.
const MAX_DEPTH: usize = 512;

struct JsonScanner<'t, 'm> {
    bytes: &'t [u8],
    at: usize,
    offsets: &'m mut HashMap<String, usize>,
}

impl JsonScanner<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Scans one value starting at `self.at`; records children.
    fn value(&mut self, pointer: String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b'"') => {
                            let key_at = self.at;
                            let Some(key) = self.string() else { return };
                            let mut child = pointer.clone();
                            push_segment(&mut child, &key);
                            self.offsets.insert(child.clone(), key_at);
                            self.skip_ws();
                            if self.peek() != Some(b':') {
                                return;
                            }
                            self.at += 1;
                            self.skip_ws();
                            self.value(child, depth + 1);
                            self.skip_ws();
                            if self.peek() == Some(b',') {
                                self.at += 1;
                            }
                        }
                        Some(b'}') => {
                            self.at += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut index = 0usize;
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b']') => {
                            self.at += 1;
                            return;
                        }
                        None => return,
                        Some(_) => {
                            let child = format!("{pointer}/{index}");
                            self.offsets.insert(child.clone(), self.at);
                            let before = self.at;
                            self.value(child, depth + 1);
                            if self.at == before {
                                return;
                            }
                            index += 1;
                            self.skip_ws();
                            if self.peek() == Some(b',') {
                                self.at += 1;
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.at += 1;
                }
            }
            None => {}
        }
    }

    /// Scans a string starting at its opening quote and returns its content.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    let raw = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
                    return serde_json::from_str(raw).ok();
                }
                _ => self.at += 1,
            }
        }
        None
    }
}

/// Without the `yaml` feature no YAML text is read, so none is mapped.
#[cfg(not(feature = "yaml"))]
fn map_yaml(_: &str, _: &mut HashMap<String, usize>) {}

#[cfg(feature = "yaml")]
fn map_yaml(text: &str, offsets: &mut HashMap<String, usize>) {
    use serde_saphyr::granit_parser::{Event, Parser};

    enum Frame {
        Map {
            pointer: String,
            key: Option<String>,
        },
        Seq {
            pointer: String,
            index: usize,
        },
        /// A collection used as a mapping key: not addressable by a pointer.
        Opaque,
    }

    // The pointer a new node gets, recording its offset; advances the parent.
    fn enter(
        stack: &mut [Frame],
        offsets: &mut HashMap<String, usize>,
        at: usize,
        scalar: Option<&str>,
    ) -> Option<String> {
        match stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { pointer, key }) => match key.take() {
                None => {
                    // This node is a key.
                    if let Some(name) = scalar {
                        let mut child = pointer.clone();
                        push_segment(&mut child, name);
                        offsets.entry(child).or_insert(at);
                        *key = Some(name.to_owned());
                    } else {
                        *key = Some(String::new());
                    }
                    None
                }
                Some(name) => {
                    let mut child = pointer.clone();
                    push_segment(&mut child, &name);
                    Some(child)
                }
            },
            Some(Frame::Seq { pointer, index }) => {
                let child = format!("{pointer}/{index}");
                *index += 1;
                offsets.entry(child.clone()).or_insert(at);
                Some(child)
            }
            Some(Frame::Opaque) => None,
        }
    }

    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0usize;
    while let Some(Ok((event, span))) = parser.next_event() {
        let at = span.start.byte_offset().unwrap_or_else(|| {
            text.char_indices()
                .nth(span.start.index())
                .map_or(text.len(), |(i, _)| i)
        });
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    break;
                }
            }
            Event::Scalar(value, ..) => {
                let is_key_position = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                if is_key_position {
                    enter(&mut stack, offsets, at, Some(&value));
                } else {
                    enter(&mut stack, offsets, at, None);
                }
            }
            Event::Alias(_) => {
                enter(&mut stack, offsets, at, None);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(event, Event::MappingStart(..));
                let frame = match enter(&mut stack, offsets, at, None) {
                    Some(pointer) if is_map => Frame::Map { pointer, key: None },
                    Some(pointer) => Frame::Seq { pointer, index: 0 },
                    None => Frame::Opaque,
                };
                if stack.len() > MAX_DEPTH {
                    break;
                }
                stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
}

/// Without the `toml` feature no TOML text is read, so none is mapped.
#[cfg(not(feature = "toml"))]
fn map_toml(_: &str, _: &mut HashMap<String, usize>) {}

#[cfg(feature = "toml")]
fn map_toml(text: &str, offsets: &mut HashMap<String, usize>) {
    use toml::de::{DeTable, DeValue};

    fn walk(
        value: &DeValue<'_>,
        pointer: &str,
        offsets: &mut HashMap<String, usize>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            DeValue::Table(table) => {
                for (key, child) in table {
                    let mut p = pointer.to_owned();
                    push_segment(&mut p, key.get_ref());
                    offsets.entry(p.clone()).or_insert(key.span().start);
                    walk(child.get_ref(), &p, offsets, depth + 1);
                }
            }
            DeValue::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let p = format!("{pointer}/{index}");
                    offsets.entry(p.clone()).or_insert(child.span().start);
                    walk(child.get_ref(), &p, offsets, depth + 1);
                }
            }
            _ => {}
        }
    }

    if let Ok(root) = DeTable::parse(text) {
        for (key, child) in root.get_ref() {
            let mut p = String::new();
            push_segment(&mut p, key.get_ref());
            offsets.entry(p.clone()).or_insert(key.span().start);
            walk(child.get_ref(), &p, offsets, 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(format: Format, text: &str, pointer: &str, expect: (usize, usize)) {
        let map = SourceMap::build(text, format);
        assert_eq!(map.position(pointer), expect, "{pointer} in {format:?}");
    }

    #[test]
    fn json_positions() {
        let text = "{\n  \"a\": {\"b/c\": [1, {\"d\": 2}]},\n  \"é\": \"x\"\n}";
        check(Format::Json, text, "/a", (2, 3));
        check(Format::Json, text, "/a/b~1c", (2, 9));
        check(Format::Json, text, "/a/b~1c/1", (2, 20));
        check(Format::Json, text, "/a/b~1c/1/d", (2, 21));
        check(Format::Json, text, "/é", (3, 3));
        check(Format::Json, text, "/a/missing", (2, 3));
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_positions() {
        let text = "a:\n  b:\n    - 1\n    - d: 2\n      e: [x, y]\nf: z\n";
        check(Format::Yaml, text, "/a", (1, 1));
        check(Format::Yaml, text, "/a/b", (2, 3));
        check(Format::Yaml, text, "/a/b/0", (3, 7));
        check(Format::Yaml, text, "/a/b/1/d", (4, 7));
        check(Format::Yaml, text, "/a/b/1/e", (5, 7));
        check(Format::Yaml, text, "/a/b/1/e/1", (5, 14));
        check(Format::Yaml, text, "/f", (6, 1));
    }

    #[test]
    fn every_line_break_counts() {
        assert_eq!(line_column("a\rb\rc", 4), (3, 1));
        assert_eq!(line_column("a\r\nb\nc", 5), (3, 1));
        assert_eq!(line_column("a\r\nb", 3), (2, 1));
        assert_eq!(line_column("é\rxé", 4), (2, 2));
        let text = "{\r\"a\":\r 1,\n\"b\": x}";
        let offset = offset_of_json_position(text, 2, 6);
        assert_eq!(text.get(offset..offset + 1), Some("x"));
        assert_eq!(line_column(text, offset), (4, 6));
    }

    #[cfg(feature = "toml")]
    #[test]
    fn toml_positions() {
        let text = "a = 1\n[b]\nc = \"x\"\n[[d]]\ne = 2\n[[d]]\ne = 3\n";
        check(Format::Toml, text, "/a", (1, 1));
        check(Format::Toml, text, "/b/c", (3, 1));
        check(Format::Toml, text, "/d/1/e", (7, 1));
    }
}
