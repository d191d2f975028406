//! The block-YAML writer behind [`super::to_string`]: the same bytes as
//! serde-saphyr writes with the options `to_string` sets, for the shapes the
//! renderers serialize (structs, maps with scalar keys, sequences, strings,
//! integers, booleans, options and unit variants), several times faster.
//!
//! Anything else (floats, bytes, enum variants with data, non-scalar keys,
//! keys longer than a simple key may be, serde-saphyr's wrapper types, an
//! error from a value's `Serialize`) makes the writer give up with
//! [`Unsupported`], and `to_string` writes the value with serde-saphyr
//! instead, so the output never depends on which of the two wrote it.
//!
//! The layout is serde-saphyr's with `indent_step` 2 and compact lists: a
//! mapping's entries are indented two columns past the key that holds it,
//! a sequence that is a mapping's value starts its dashes at that key's own
//! column, a mapping or sequence inside a sequence starts on the dash's line,
//! and an empty one is written `{}` or `[]`.
//!
//! Strings are written plain when serde-saphyr would (block context, YAML
//! 1.1 resolution), single-quoted for `.`, `#` and `-`, and double-quoted
//! with its escapes otherwise. The one part of that decision not repeated
//! here in full is whether a string reads as a number or a date (`0x1f`,
//! `1:30`, `2024-01-01`, `.NaN`, ...): a string that could (it starts with
//! a digit, sign, dot or underscore and holds nothing but what numbers and
//! dates are made of) is written by serde-saphyr itself, alone, and its
//! text used. Those are a few short strings a file (durations such as `30s`
//! are not among them: `s` is in no number).

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// The writer cannot write this value; the caller writes it with
/// serde-saphyr.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a shape the YAML writer leaves to serde-saphyr")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

type Result<T = ()> = std::result::Result<T, Unsupported>;

/// Appends `value` to `out` as a YAML document (ending in a newline).
pub(crate) fn write<T: Serialize + ?Sized>(out: &mut String, value: &T) -> Result {
    value.serialize(Node { out, at: At::Root })
}

/// Where a node starts.
#[derive(Clone, Copy)]
enum At {
    /// The document itself, at the start of a line.
    Root,
    /// A mapping's value, just after `key:`; the key is at this column.
    Value(usize),
    /// A sequence item, just after `- `; the dash is at this column.
    Item(usize),
}

impl At {
    /// A scalar here is preceded by this.
    fn gap(self) -> &'static str {
        match self {
            At::Value(_) => " ",
            At::Root | At::Item(_) => "",
        }
    }
}

const SPACES: &str = "                                                                ";

fn indent(out: &mut String, mut n: usize) {
    while n > 0 {
        let step = n.min(SPACES.len());
        out.push_str(SPACES.get(..step).unwrap_or_default());
        n -= step;
    }
}

/// What a YAML 1.1 reader would make of a string written plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Plain,
    Quoted,
    /// It may read as a null, boolean, number or timestamp: serde-saphyr
    /// decides.
    Ask,
}

/// The words a YAML 1.1 or 1.2 reader takes for a boolean, a null or a
/// float.
const WORDS: [&str; 11] = [
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf",
];

/// Whether `s` may be one of the strings a YAML reader resolves to another
/// type. A superset: every string that does is among these.
fn may_resolve(s: &str) -> bool {
    let bytes = s.as_bytes();
    match bytes.first() {
        None => true,
        // Starting with a letter, only these words resolve, in any case.
        Some(b) if b.is_ascii_alphabetic() => WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)),
        // Numbers (decimal, `0x`, `0o`, `0b`, exponents, underscores),
        // base-60 (`1:30`), `.inf`, `.nan` and timestamps are made of these.
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'_') => bytes.iter().all(|&b| {
            b.is_ascii_hexdigit()
                || matches!(
                    b,
                    b'+' | b'-'
                        | b'.'
                        | b'_'
                        | b':'
                        | b','
                        | b' '
                        | b'\t'
                        | b'x'
                        | b'X'
                        | b'o'
                        | b'O'
                        | b't'
                        | b'T'
                        | b'Z'
                        | b'i'
                        | b'I'
                        | b'n'
                        | b'N'
                )
        }),
        // `~`, `<<`, `=`.
        Some(_) => bytes.len() <= 2,
    }
}

/// The checks a plain key and a plain value share (after [`may_resolve`]):
/// not a document marker, no white space at either end, no indicator first.
fn plain_start(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if (s.starts_with("---") || s.starts_with("..."))
        && bytes.get(3).is_none_or(u8::is_ascii_whitespace)
    {
        return false;
    }
    if first.is_ascii_whitespace() || last.is_ascii_whitespace() {
        return false;
    }
    match first {
        b'-' | b'?' => bytes.get(1).is_some_and(|b| !b.is_ascii_whitespace()),
        b',' | b':' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>'
        | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
        _ => true,
    }
}

/// A character that cannot appear in a plain or single-quoted scalar: a
/// control character, the byte order mark, the line and paragraph
/// separators, U+FFFE and U+FFFF.
fn must_escape(ch: char) -> bool {
    ch.is_control()
        || matches!(
            ch,
            '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// Whether `s`, past [`plain_start`], can stay plain: no character to
/// escape and no `#` after a space (where a comment would begin); for a
/// value no `: ` and no `:` at the end, for a key (which may be read in flow
/// context too) none of `:,[]{}`. Values, which can be long (queries,
/// summaries), are scanned eight bytes at a time past the bytes that need
/// no closer look.
fn plain_body(s: &str, key: bool) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !key
            && let Some(word) = bytes
                .get(i..i + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && quiet(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        let Some(&b) = bytes.get(i) else { break };
        match b {
            0x80.. => return plain_body_chars(s, key),
            0..0x20 | 0x7f => return false,
            b'#' if i > 0 && bytes.get(i - 1) == Some(&b' ') => return false,
            b':' if key || matches!(bytes.get(i + 1), None | Some(&b' ')) => return false,
            b',' | b'[' | b']' | b'{' | b'}' if key => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `v` is zero.
fn zero_byte(v: u64) -> bool {
    v.wrapping_sub(ONES) & !v & HIGHS != 0
}

/// Whether none of the eight bytes of `x` is one [`plain_body`] looks at
/// in a value: non-ASCII, a control character, `#` or `:`.
fn quiet(x: u64) -> bool {
    x & HIGHS == 0
        // A byte below 0x20 (with no high bit set, exact).
        && x.wrapping_sub(ONES * 0x20) & !x & HIGHS == 0
        && !zero_byte(x ^ (ONES * 0x7f))
        && !zero_byte(x ^ (ONES * u64::from(b'#')))
        && !zero_byte(x ^ (ONES * u64::from(b':')))
}

/// [`plain_body`] for text that is not all ASCII.
fn plain_body_chars(s: &str, key: bool) -> bool {
    if !key && (s.contains(": ") || s.trim_end().ends_with(':')) {
        return false;
    }
    let mut after_space = false;
    for ch in s.chars() {
        if must_escape(ch)
            || (key && matches!(ch, ':' | ',' | '[' | ']' | '{' | '}'))
            || (ch == '#' && after_space)
        {
            return false;
        }
        after_space = ch.is_whitespace();
    }
    true
}

fn value_verdict(s: &str) -> Verdict {
    if may_resolve(s) {
        Verdict::Ask
    } else if plain_start(s) && plain_body(s, false) {
        Verdict::Plain
    } else {
        Verdict::Quoted
    }
}

fn key_verdict(s: &str) -> Verdict {
    if may_resolve(s) {
        Verdict::Ask
    } else if plain_start(s) && plain_body(s, true) {
        Verdict::Plain
    } else {
        Verdict::Quoted
    }
}

/// `s` double-quoted, with YAML's escapes.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Most bytes need nothing: skip them eight at a time, or one at a
        // time without the full match.
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && unescaped(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        if !matches!(b, 0..0x20 | b'"' | b'\\' | 0x7f | 0xc2 | 0xe2 | 0xef) {
            i += 1;
            continue;
        }
        let (len, escape) = special(bytes, i, b);
        if let Some(escape) = escape {
            out.push_str(s.get(start..i).unwrap_or_default());
            escape.write(out);
            start = i + len;
        }
        i += len;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// Whether none of the eight bytes of `x` may need an escape: all ASCII,
/// no control character, no `"` and no `\\`.
fn unescaped(x: u64) -> bool {
    x & HIGHS == 0
        && x.wrapping_sub(ONES * 0x20) & !x & HIGHS == 0
        && !zero_byte(x ^ (ONES * 0x7f))
        && !zero_byte(x ^ (ONES * u64::from(b'"')))
        && !zero_byte(x ^ (ONES * u64::from(b'\\')))
}

/// How a character is escaped inside double quotes.
enum Escape {
    Named(&'static str),
    /// `\xHH`.
    Byte(u8),
}

impl Escape {
    fn write(self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        match self {
            Escape::Named(text) => out.push_str(text),
            Escape::Byte(b) => {
                out.push_str("\\x");
                out.push(char::from(
                    HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
                ));
                out.push(char::from(
                    HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
}

/// The UTF-8 length of the character starting at `bytes[i]` (`b`) as far as
/// escaping goes (continuation bytes step one at a time), and its escape if
/// it has one.
fn special(bytes: &[u8], i: usize, b: u8) -> (usize, Option<Escape>) {
    let next = |k: usize| bytes.get(i + k).copied();
    let named = |len, text| (len, Some(Escape::Named(text)));
    match b {
        b'\\' => named(1, "\\\\"),
        b'"' => named(1, "\\\""),
        0 => named(1, "\\0"),
        7 => named(1, "\\a"),
        8 => named(1, "\\b"),
        b'\t' => named(1, "\\t"),
        b'\n' => named(1, "\\n"),
        11 => named(1, "\\v"),
        12 => named(1, "\\f"),
        b'\r' => named(1, "\\r"),
        0x1b => named(1, "\\e"),
        0..0x20 | 0x7f => (1, Some(Escape::Byte(b))),
        // U+0080..U+009F.
        0xc2 => match next(1) {
            Some(0x85) => named(2, "\\N"),
            Some(c @ 0x80..=0x9f) => (2, Some(Escape::Byte(c))),
            _ => (1, None),
        },
        0xe2 => match (next(1), next(2)) {
            (Some(0x80), Some(0xa8)) => named(3, "\\L"),
            (Some(0x80), Some(0xa9)) => named(3, "\\P"),
            _ => (1, None),
        },
        0xef => match (next(1), next(2)) {
            (Some(0xbb), Some(0xbf)) => named(3, "\\uFEFF"),
            (Some(0xbf), Some(0xbe)) => named(3, "\\uFFFE"),
            (Some(0xbf), Some(0xbf)) => named(3, "\\uFFFF"),
            _ => (1, None),
        },
        _ => (1, None),
    }
}

/// serde-saphyr's own text for `s` alone as a value.
fn ask_value(out: &mut String, s: &str) -> Result {
    let text = saphyr(&s)?;
    out.push_str(text.strip_suffix('\n').ok_or(Unsupported)?);
    Ok(())
}

/// serde-saphyr's own text for `s` alone as a key.
fn ask_key(out: &mut String, s: &str) -> Result {
    let text = saphyr(
        &[(s, ())]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    )?;
    out.push_str(text.strip_suffix(": null\n").ok_or(Unsupported)?);
    Ok(())
}

fn saphyr<T: Serialize>(value: &T) -> Result<String> {
    let mut text = String::new();
    let options = serde_saphyr::ser_options! {
        prefer_block_scalars: false,
    };
    serde_saphyr::to_fmt_writer_with_options(&mut text, value, options).map_err(|_| Unsupported)?;
    // One line: a scalar, or a key and its null.
    if text.find('\n').map(|i| i + 1) == Some(text.len()) {
        Ok(text)
    } else {
        Err(Unsupported)
    }
}

fn write_str(out: &mut String, s: &str) -> Result {
    if let [b @ (b'.' | b'#' | b'-')] = s.as_bytes() {
        out.push('\'');
        out.push(char::from(*b));
        out.push('\'');
        return Ok(());
    }
    match value_verdict(s) {
        Verdict::Plain => out.push_str(s),
        Verdict::Quoted => quote(out, s),
        Verdict::Ask => ask_value(out, s)?,
    }
    Ok(())
}

/// A simple key is at most 1 024 characters; serde-saphyr writes a longer
/// one in the explicit `? key` form, which this writer leaves to it.
const SIMPLE_KEY_MAX: usize = 1024;

fn write_key_str(out: &mut String, s: &str) -> Result {
    let start = out.len();
    match key_verdict(s) {
        Verdict::Plain => out.push_str(s),
        Verdict::Quoted => quote(out, s),
        Verdict::Ask => ask_key(out, s)?,
    }
    let text = out.get(start..).unwrap_or_default();
    if text.len() > SIMPLE_KEY_MAX && text.chars().count() > SIMPLE_KEY_MAX {
        return Err(Unsupported);
    }
    Ok(())
}

/// The number methods of a serializer with a `number` method: integers
/// as written by `Display` (as serde-saphyr writes them), floats left to
/// serde-saphyr.
macro_rules! numbers {
    () => {
        numbers!(@int serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_i128 i128, serialize_u8 u8,
            serialize_u16 u16, serialize_u32 u32, serialize_u64 u64,
            serialize_u128 u128);
        fn serialize_f32(self, _: f32) -> Result {
            Err(Unsupported)
        }
        fn serialize_f64(self, _: f64) -> Result {
            Err(Unsupported)
        }
    };
    (@int $($method:ident $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result {
            self.number(v)
        })*
    };
}

/// A node of the document, written where [`At`] says.
struct Node<'a> {
    out: &'a mut String,
    at: At,
}

impl<'a> Node<'a> {
    /// A scalar written as `text` as it is.
    fn raw(self, text: &str) -> Result {
        self.out.push_str(self.at.gap());
        self.out.push_str(text);
        self.out.push('\n');
        Ok(())
    }

    fn number(self, n: impl fmt::Display) -> Result {
        use std::fmt::Write as _;
        self.out.push_str(self.at.gap());
        write!(self.out, "{n}").map_err(|_| Unsupported)?;
        self.out.push('\n');
        Ok(())
    }

    fn collection(self, kind: Kind, declared: Option<usize>) -> Collection<'a> {
        let column = match (kind, self.at) {
            (_, At::Root) => 0,
            (Kind::Map, At::Value(key)) => key + 2,
            // Compact lists: the dashes at the key's own column.
            (Kind::Seq, At::Value(key)) => key,
            (_, At::Item(dash)) => dash + 2,
        };
        Collection {
            out: self.out,
            at: self.at,
            kind,
            column,
            declared,
            entries: 0,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
}

/// A mapping or a sequence being written.
struct Collection<'a> {
    out: &'a mut String,
    at: At,
    kind: Kind,
    /// The column of its keys or dashes.
    column: usize,
    /// The length a mapping said it would have.
    declared: Option<usize>,
    entries: usize,
}

impl Collection<'_> {
    /// Starts an entry's line.
    fn line(&mut self) {
        match (self.entries, self.at) {
            // After `- `: the first entry on the dash's line.
            (0, At::Item(_)) => {}
            // After `key:`: the first entry on the next line.
            (0, At::Value(_)) => {
                self.out.push('\n');
                indent(self.out, self.column);
            }
            _ => indent(self.out, self.column),
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.line();
        self.out.push_str("- ");
        self.entries += 1;
        value.serialize(Node {
            out: self.out,
            at: At::Item(self.column),
        })
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.line();
        key.serialize(Key { out: self.out })?;
        self.out.push(':');
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.entries += 1;
        value.serialize(Node {
            out: self.out,
            at: At::Value(self.column),
        })
    }

    fn end(self) -> Result {
        // A mapping that announced entries and wrote none is laid out
        // differently by serde-saphyr (`key:` and `{}` on the next line);
        // no derived `Serialize` does that, so it is left to serde-saphyr.
        if self.entries == 0 && self.declared.is_some_and(|n| n > 0) {
            return Err(Unsupported);
        }
        if self.entries == 0 {
            self.out.push_str(self.at.gap());
            self.out.push_str(match self.kind {
                Kind::Map => "{}\n",
                Kind::Seq => "[]\n",
            });
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Collection<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(self) -> Result {
        Collection::end(self)
    }
}

impl ser::SerializeTuple for Collection<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(self) -> Result {
        Collection::end(self)
    }
}

impl ser::SerializeTupleStruct for Collection<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(self) -> Result {
        Collection::end(self)
    }
}

impl ser::SerializeMap for Collection<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.value(value)
    }
    fn end(self) -> Result {
        Collection::end(self)
    }
}

impl ser::SerializeStruct for Collection<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key)?;
        self.value(value)
    }
    fn end(self) -> Result {
        Collection::end(self)
    }
}

/// serde-saphyr's wrapper types (anchors, tags, comments, flow and block
/// styles, quoting) are newtype or tuple structs with these names.
fn saphyr_wrapper(name: &str) -> bool {
    name.starts_with("__yaml_") || name.starts_with("__serde_saphyr")
}

impl<'a> ser::Serializer for Node<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Collection<'a>;
    type SerializeTuple = Collection<'a>;
    type SerializeTupleStruct = Collection<'a>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Collection<'a>;
    type SerializeStruct = Collection<'a>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result {
        self.raw(if v { "true" } else { "false" })
    }
    numbers!();
    fn serialize_char(self, v: char) -> Result {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result {
        self.out.push_str(self.at.gap());
        write_str(self.out, v)?;
        self.out.push('\n');
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        self.raw("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.raw("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.raw("null")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result {
        if saphyr_wrapper(name) {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Collection<'a>> {
        Ok(self.collection(Kind::Seq, None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Collection<'a>> {
        Ok(self.collection(Kind::Seq, None))
    }
    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Collection<'a>> {
        if saphyr_wrapper(name) {
            return Err(Unsupported);
        }
        Ok(self.collection(Kind::Seq, None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Collection<'a>> {
        Ok(self.collection(Kind::Map, len))
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Collection<'a>> {
        if saphyr_wrapper(name) {
            return Err(Unsupported);
        }
        Ok(self.collection(Kind::Map, Some(len)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

/// A mapping key: a string, a character, an integer, a boolean or a unit
/// variant (as serde-saphyr writes them); anything else is left to it.
struct Key<'a> {
    out: &'a mut String,
}

impl Key<'_> {
    fn number(self, n: impl fmt::Display) -> Result {
        use std::fmt::Write as _;
        write!(self.out, "{n}").map_err(|_| Unsupported)
    }
}

impl ser::Serializer for Key<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    numbers!();
    fn serialize_char(self, v: char) -> Result {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result {
        write_key_str(self.out, v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result {
        if saphyr_wrapper(name) {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

    use proptest::prelude::*;
    use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct, Serializer};

    use super::*;

    /// serde-saphyr's document for `value` with `to_string`'s options: the
    /// oracle.
    fn oracle<T: Serialize>(value: &T) -> String {
        let mut out = String::new();
        let options = serde_saphyr::ser_options! {
            prefer_block_scalars: false,
        };
        serde_saphyr::to_fmt_writer_with_options(&mut out, value, options).unwrap();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    fn ours<T: Serialize + ?Sized>(value: &T) -> Option<String> {
        let mut out = String::new();
        write(&mut out, value).ok().map(|()| out)
    }

    /// Any document the renderers could write: every shape the writer
    /// takes, and some it leaves to serde-saphyr.
    #[derive(Debug, Clone)]
    enum Tree {
        Str(String),
        Int(i64),
        Bool(bool),
        Null,
        Float(f64),
        Seq(Vec<Tree>),
        Map(Vec<(Key, Tree)>),
        /// A struct whose fields are named from [`FIELDS`].
        Struct(Vec<(usize, Tree)>),
    }

    #[derive(Debug, Clone)]
    enum Key {
        Str(String),
        Int(i64),
        Bool(bool),
    }

    const FIELDS: [&str; 6] = ["name", "rules", "labels", "for", "y", "on"];

    impl Serialize for Key {
        fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            match self {
                Key::Str(v) => s.serialize_str(v),
                Key::Int(v) => s.serialize_i64(*v),
                Key::Bool(v) => s.serialize_bool(*v),
            }
        }
    }

    impl Serialize for Tree {
        fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            match self {
                Tree::Str(v) => s.serialize_str(v),
                Tree::Int(v) => s.serialize_i64(*v),
                Tree::Bool(v) => s.serialize_bool(*v),
                Tree::Null => s.serialize_none(),
                Tree::Float(v) => s.serialize_f64(*v),
                Tree::Seq(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(item)?;
                    }
                    seq.end()
                }
                Tree::Map(entries) => {
                    let mut map = s.serialize_map(Some(entries.len()))?;
                    for (k, v) in entries {
                        map.serialize_entry(k, v)?;
                    }
                    map.end()
                }
                Tree::Struct(fields) => {
                    let mut st = s.serialize_struct("S", fields.len())?;
                    for (k, v) in fields {
                        st.serialize_field(FIELDS[k % FIELDS.len()], v)?;
                    }
                    st.end()
                }
            }
        }
    }

    /// Strings where quoting decisions are made.
    pub(in crate::escape) const TRICKY: &[&str] = &[
        "",
        " ",
        "~",
        "<<",
        "=",
        "-",
        "?",
        ".",
        "#",
        "--",
        "---",
        "...",
        "--- a",
        "---a",
        "- a",
        "-a",
        "? a",
        "?a",
        ":",
        "a:",
        "a: b",
        "a:b",
        "a :",
        "a #b",
        "a#b",
        "#a",
        "a\u{a0}#b",
        "a\u{3000}#b",
        "a:\u{a0}",
        "y",
        "Y",
        "n",
        "yes",
        "Yes",
        "YES",
        "yEs",
        "no",
        "NO",
        "on",
        "On",
        "off",
        "OFF",
        "true",
        "True",
        "tRUE",
        "false",
        "null",
        "Null",
        "NULL",
        "nUll",
        "nan",
        "NaN",
        ".nan",
        ".NaN",
        "inf",
        "-inf",
        "+inf",
        ".inf",
        "-.inf",
        "+.Inf",
        "0",
        "01",
        "-1",
        "+1",
        "1_0",
        "_1",
        "1_",
        "0x1f",
        "0X1F",
        "0o17",
        "0b101",
        "0b",
        "0x",
        "1e3",
        "1E+3",
        "1.5",
        ".5",
        "5.",
        "1.2.3",
        "1:30",
        "1:30:00",
        "190:20:30.15",
        "0:30",
        "2024-01-01",
        "2024-1-1",
        "2024-01-01T12:00:00Z",
        "2024-01-01 12:00:00 +01:00",
        "2024-01-01t1:2:3.5",
        "12:30",
        "30s",
        "10m",
        "5..",
        "4..",
        "1h",
        "99.9",
        "0.05",
        "1,000",
        "1 000",
        "a b",
        " lead",
        "trail ",
        "tab\t",
        "\ttab",
        "line\nbreak",
        "cr\rlf",
        "\u{0}",
        "\u{7}",
        "\u{1b}",
        "\u{7f}",
        "\u{80}",
        "\u{85}",
        "\u{9f}",
        "\u{a0}",
        "\u{feff}",
        "\u{feff}bom",
        "\u{2028}",
        "\u{2029}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{202e}rtl",
        "é",
        "Taux d'erreur",
        "\"q\"",
        "'s'",
        "back\\slash",
        "{{ .Labels }}",
        "${HOME}",
        "[1, 2]",
        "{a: 1}",
        "a,b",
        "a[b]",
        "&a",
        "*a",
        "!tag",
        "|",
        ">",
        "%",
        "@",
        "`",
        "\u{1F600}",
        "t00000-acme",
        "severity",
        "(sum(x)) > 0.5",
        "- item",
        "key: value",
        "# comment",
        "&anchor",
        "*alias",
        "'single'",
        "\"double\"",
        "tab\there",
        "\u{1}\u{7f}\u{85}",
        "\u{202e}rtl\u{200b}",
    ];

    fn string() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(TRICKY).prop_map(str::to_owned),
            "[a-z0-9 :#.,?'\"\\\\\t\n~<=_+&*!|>%@`\\[\\]{}-]{0,8}",
            "[0-9:.+_eExXoObBtTZinf, -]{1,12}",
            // Long enough for the eight-byte scan, with a byte it must see.
            "[a-z #:]{0,20}[:# \t\u{7f}\u{80}\u{a0}\u{2028}\\\"][a-z #:]{0,20}",
            "[a-z(){}=~\"., ]{8,40}",
            "[a-zA-Z]{1,6}",
            proptest::collection::vec(
                proptest::sample::select(
                    &[
                        'a', ' ', '#', ':', '-', '\u{85}', '\u{a0}', '\u{2028}', '\u{feff}',
                        '\u{fffe}', '\u{3000}', 'é', '\u{7f}', '\u{9f}', '\u{1b}', '\0', '\\', '"',
                        '\'',
                    ][..]
                ),
                0..6
            )
            .prop_map(|chars| chars.into_iter().collect()),
            any::<String>(),
        ]
    }

    fn key() -> impl Strategy<Value = Key> {
        prop_oneof![
            8 => string().prop_map(Key::Str),
            1 => any::<i64>().prop_map(Key::Int),
            1 => any::<bool>().prop_map(Key::Bool),
        ]
    }

    fn tree() -> impl Strategy<Value = Tree> {
        let leaf = prop_oneof![
            8 => string().prop_map(Tree::Str),
            1 => any::<i64>().prop_map(Tree::Int),
            1 => any::<bool>().prop_map(Tree::Bool),
            1 => Just(Tree::Null),
            1 => Just(Tree::Float(1.5)),
        ];
        leaf.prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
                proptest::collection::vec((key(), inner.clone()), 0..5).prop_map(Tree::Map),
                proptest::collection::vec((0..FIELDS.len(), inner), 0..5).prop_map(Tree::Struct),
            ]
        })
    }

    fn has_float(tree: &Tree) -> bool {
        match tree {
            Tree::Float(_) => true,
            Tree::Seq(items) => items.iter().any(has_float),
            Tree::Map(entries) => entries.iter().any(|(_, v)| has_float(v)),
            Tree::Struct(fields) => fields.iter().any(|(_, v)| has_float(v)),
            _ => false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// The writer writes serde-saphyr's bytes, or gives the value back.
        #[test]
        fn writes_what_serde_saphyr_writes(tree in tree()) {
            let expected = oracle(&tree);
            match ours(&tree) {
                Some(text) => prop_assert_eq!(text, expected),
                None => prop_assert!(has_float(&tree), "gave back {:?}", tree),
            }
        }

        /// And the whole of `to_string` is serde-saphyr's, floats included.
        #[test]
        fn to_string_is_serde_saphyrs(tree in tree()) {
            let text = super::super::to_string(&tree).unwrap();
            prop_assert_eq!(text.strip_prefix(super::super::HEADER).unwrap(), oracle(&tree));
        }
    }

    #[test]
    fn every_tricky_string_in_every_place() {
        for s in TRICKY {
            let s = Tree::Str((*s).to_owned());
            let k = Key::Str(s_text(&s));
            let shapes = [
                s.clone(),
                Tree::Seq(vec![s.clone(), s.clone()]),
                Tree::Map(vec![(k.clone(), s.clone())]),
                Tree::Map(vec![(Key::Str("a".into()), Tree::Seq(vec![s.clone()]))]),
                Tree::Seq(vec![Tree::Map(vec![
                    (k.clone(), s.clone()),
                    (k.clone(), s.clone()),
                ])]),
                Tree::Seq(vec![Tree::Seq(vec![
                    s.clone(),
                    Tree::Map(vec![(k.clone(), s.clone())]),
                ])]),
            ];
            for shape in &shapes {
                assert_eq!(ours(shape).as_deref(), Some(&*oracle(shape)), "{shape:?}");
            }
        }
    }

    fn s_text(tree: &Tree) -> String {
        match tree {
            Tree::Str(s) => s.clone(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn empty_collections_in_every_place() {
        for empty in [Tree::Seq(vec![]), Tree::Map(vec![]), Tree::Struct(vec![])] {
            let shapes = [
                empty.clone(),
                Tree::Seq(vec![empty.clone(), empty.clone()]),
                Tree::Map(vec![
                    (Key::Str("a".into()), empty.clone()),
                    (Key::Int(1), empty.clone()),
                ]),
                Tree::Seq(vec![Tree::Map(vec![(Key::Str("a".into()), empty.clone())])]),
                Tree::Seq(vec![Tree::Seq(vec![empty.clone()])]),
            ];
            for shape in &shapes {
                assert_eq!(ours(shape).as_deref(), Some(&*oracle(shape)), "{shape:?}");
            }
        }
    }

    /// A mapping that announces entries and writes none (no derive does)
    /// is written by serde-saphyr, whose layout for it differs.
    #[test]
    fn a_mapping_that_breaks_its_announced_length() {
        struct Liar;
        impl Serialize for Liar {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_struct("L", 2)?.end()
            }
        }
        let doc: std::collections::BTreeMap<&str, Liar> = [("a", Liar)].into();
        assert!(ours(&doc).is_none());
        assert_eq!(
            super::super::to_string(&doc)
                .unwrap()
                .strip_prefix(super::super::HEADER)
                .unwrap(),
            oracle(&doc)
        );
    }

    /// What the writer leaves to serde-saphyr, `to_string` still writes,
    /// as serde-saphyr does.
    #[test]
    fn shapes_left_to_serde_saphyr() {
        #[derive(Serialize)]
        enum E {
            New(u8),
            Fields { a: u8 },
        }
        let long_key: std::collections::BTreeMap<String, u8> = [("k".repeat(1100), 1)].into();
        assert!(ours(&1.5_f64).is_none());
        assert!(ours(&E::New(1)).is_none());
        assert!(ours(&E::Fields { a: 1 }).is_none());
        assert!(ours(&long_key).is_none());
        assert!(ours(&serde_saphyr::FlowSeq(vec![1, 2])).is_none());
        let head = super::super::HEADER;
        for text in [
            super::super::to_string(&1.5_f64).unwrap(),
            super::super::to_string(&E::New(1)).unwrap(),
            super::super::to_string(&E::Fields { a: 1 }).unwrap(),
            super::super::to_string(&long_key).unwrap(),
        ] {
            assert!(text.starts_with(head), "{text}");
        }
        assert_eq!(
            super::super::to_string(&long_key)
                .unwrap()
                .strip_prefix(head)
                .unwrap(),
            oracle(&long_key)
        );
        assert_eq!(
            super::super::to_string(&E::Fields { a: 1 })
                .unwrap()
                .strip_prefix(head)
                .unwrap(),
            oracle(&E::Fields { a: 1 })
        );
    }
}
