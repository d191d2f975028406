//! PostgreSQL identifiers and literals: the one way text reaches a rendered
//! `.sql` file.
//!
//! - [`ident`] always double-quotes, doubling `"`, so reserved words
//!   (`user`, `select`), upper case and any punctuation stay one identifier
//!   with exactly the given spelling (quoted identifiers are not folded to
//!   lower case).
//! - [`literal`] writes an escape string constant `E'...'`: its meaning does
//!   not depend on `standard_conforming_strings`, `\` and `'` are escaped,
//!   control and invisible formatting characters are written as `\xHH` /
//!   `\uXXXX` escapes (so a script shows no bidirectional overrides or bare
//!   line breaks), and `$` is written as `\x24`, so a literal can never end a
//!   dollar-quoted block it sits in.
//! - [`dollar_quoted`] wraps a PL/pgSQL body in `$tag$ ... $tag$` and
//!   refuses a body that contains the closing tag.
//!
//! PostgreSQL text cannot hold NUL; [`ident`] and [`literal`] refuse it, as
//! they refuse identifiers over 63 bytes (PostgreSQL would silently truncate
//! them, and two long names could then meet).

use std::fmt::Write as _;

/// Why a text cannot be written as SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError(pub String);

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SqlError {}

/// The longest identifier PostgreSQL keeps (`NAMEDATALEN - 1` bytes).
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// `name` as a quoted identifier: `"name"` with `"` doubled.
pub fn ident(name: &str) -> Result<String, SqlError> {
    if name.is_empty() {
        return Err(SqlError("an SQL identifier cannot be empty".to_owned()));
    }
    if name.len() > MAX_IDENTIFIER_BYTES {
        return Err(SqlError(format!(
            "an SQL identifier is at most {MAX_IDENTIFIER_BYTES} bytes long, found {}",
            name.len()
        )));
    }
    if name.contains('\0') {
        return Err(SqlError(
            "an SQL identifier cannot contain a NUL character".to_owned(),
        ));
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    Ok(out)
}

/// `text` as an escape string constant, `E'...'`.
pub fn literal(text: &str) -> Result<String, SqlError> {
    if text.contains('\0') {
        return Err(SqlError(
            "an SQL string cannot contain a NUL character".to_owned(),
        ));
    }
    let mut out = String::with_capacity(text.len() + 3);
    out.push_str("E'");
    for c in text.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\x24"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if c.is_control() || is_invisible(c) => {
                // `\u` escapes need a UTF-8 server encoding; PostgreSQL
                // refuses the script otherwise rather than misreading it.
                let code = u32::from(c);
                if code > 0xFFFF {
                    let _ = write!(out, "\\U{code:08x}");
                } else {
                    let _ = write!(out, "\\u{code:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

/// Formatting characters that change how text looks without being seen:
/// zero-width characters, bidirectional controls, the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// `body` as a dollar-quoted string with `tag` (`$tag$body$tag$`), or an
/// error when the body contains the closing `$tag$` (it would end early).
pub fn dollar_quoted(tag: &str, body: &str) -> Result<String, SqlError> {
    if !tag.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return Err(SqlError(format!(
            "a dollar-quote tag is lowercase letters and `_`, found `{}`",
            tag.escape_debug()
        )));
    }
    let delimiter = format!("${tag}$");
    if body.contains(&delimiter) {
        return Err(SqlError(format!(
            "the block contains its own closing tag `{delimiter}`"
        )));
    }
    Ok(format!("{delimiter}{body}{delimiter}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn identifiers_are_always_quoted() {
        assert_eq!(ident("tenant_a").unwrap(), "\"tenant_a\"");
        assert_eq!(ident("user").unwrap(), "\"user\"");
        assert_eq!(ident("Acme").unwrap(), "\"Acme\"");
        assert_eq!(ident("a\"b").unwrap(), "\"a\"\"b\"");
        assert!(ident("").is_err());
        assert!(ident("a\0b").is_err());
        assert!(ident(&"a".repeat(64)).is_err());
        assert!(ident(&"a".repeat(63)).is_ok());
    }

    #[test]
    fn literals_escape_quotes_backslashes_dollars_and_controls() {
        assert_eq!(literal("it's").unwrap(), "E'it''s'");
        assert_eq!(literal("a\\b").unwrap(), "E'a\\\\b'");
        assert_eq!(literal("$x$").unwrap(), "E'\\x24x\\x24'");
        assert_eq!(literal("a\nb").unwrap(), "E'a\\x0ab'");
        assert_eq!(literal("\u{202e}").unwrap(), "E'\\u202e'");
        assert_eq!(literal("\u{85}").unwrap(), "E'\\u0085'");
        assert_eq!(literal("é 日本").unwrap(), "E'é 日本'");
        assert!(literal("\0").is_err());
    }

    #[test]
    fn a_dollar_quoted_body_cannot_close_itself() {
        assert_eq!(dollar_quoted("tk", "x").unwrap(), "$tk$x$tk$");
        assert!(dollar_quoted("tk", "a $tk$ b").is_err());
        assert!(dollar_quoted("t$", "x").is_err());
        // A literal inside a block never holds a `$`.
        let lit = literal("$tk$; DROP TABLE x; --").unwrap();
        assert!(dollar_quoted("tk", &format!("PERFORM {lit};")).is_ok());
    }
}
