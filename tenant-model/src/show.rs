//! How text from a document is shown in a message: escaped so that it stays
//! on one line and cannot drive a terminal, bounded in length, and never
//! shown at all when it looks like a credential.
//!
//! Every message and pointer of a [`Problem`](crate::Problem) goes through
//! [`escape_controls`] and [`redact_credentials`] when it is built; values
//! quoted in a message go through [`quote`] first, so that a quoted value is
//! one unambiguous span (its backticks are escaped) that redaction replaces
//! whole.

use std::fmt::Write as _;

/// What a message shows instead of text that looks like a credential.
pub(crate) const NOT_SHOWN: &str = "<not shown: looks like a credential>";

/// Longest quoted value, in characters; longer ones are cut with `...`.
const MAX_QUOTED_CHARS: usize = 80;

/// Whether `c` must not reach a terminal or a one-line diagnostic raw: C0
/// and C1 controls, DEL, the bidirectional controls that reorder text
/// (Trojan Source), line and paragraph separators, and the byte order mark.
pub(crate) fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// `text` with every dangerous character written as `\u{...}` (and `\n`,
/// `\r`, `\t` as such), so it prints as one inert line. Text without such
/// characters is returned unchanged.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(is_dangerous) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Pushes `c`, or its escape when it is dangerous.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_dangerous(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// Whether `text` looks like a credential: a URL (webhook URLs carry their
/// token in the path), a Slack webhook path even without its scheme, a
/// Slack token (`xoxb-`, `xoxp-`, `xapp-`, ...), user information before a
/// host (`user:password@host`), a private key, or a well-known token prefix.
pub fn looks_like_credential(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    // A URL names a place: `://` followed by something. A bare scheme such
    // as `https://` in a rule's wording names none.
    let url = lower.match_indices("://").any(|(at, _)| {
        lower
            .get(at + 3..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| !c.is_whitespace() && c != '`' && c != '"' && c != '\'')
    });
    // An AWS access key id: `AKIA` and 16 upper-case letters or digits.
    let aws = text.match_indices("AKIA").any(|(at, _)| {
        text.get(at + 4..).is_some_and(|rest| {
            rest.len() >= 16
                && rest
                    .bytes()
                    .take(16)
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
    });
    if url
        || aws
        || lower.contains("hooks.slack.com")
        || lower.contains("services/t") && lower.contains("/b") && lower.matches('/').count() >= 3
        || lower.contains("-----begin")
        || lower.contains("ghp_")
        || lower.contains("github_pat_")
        || lower.contains("glpat-")
        || lower.contains("sk_live_")
    {
        return true;
    }
    // Slack tokens: `xox` + one letter + `-`, and app-level `xapp-`.
    let bytes = lower.as_bytes();
    if bytes.windows(5).any(|w| {
        w.starts_with(b"xox")
            && w.get(3).is_some_and(u8::is_ascii_alphabetic)
            && w.get(4) == Some(&b'-')
    }) || lower.contains("xapp-")
    {
        return true;
    }
    // `user:password@host`: a `:` then an `@` with no white space between.
    lower.split(char::is_whitespace).any(|word| {
        word.find(':')
            .is_some_and(|colon| word.get(colon + 1..).is_some_and(|rest| rest.contains('@')))
    })
}

/// `value` as a message quotes it, between backticks: bounded, escaped
/// (backticks and backslashes too, so the span is unambiguous), or
/// [`NOT_SHOWN`] when it looks like a credential.
pub(crate) fn quote(value: &str) -> String {
    if looks_like_credential(value) {
        return format!("`{NOT_SHOWN}`");
    }
    let mut out = String::with_capacity(value.len().min(MAX_QUOTED_CHARS * 2) + 2);
    out.push('`');
    for (count, c) in value.chars().enumerate() {
        if count == MAX_QUOTED_CHARS - 3 && value.chars().nth(MAX_QUOTED_CHARS).is_some() {
            out.push_str("...");
            break;
        }
        match c {
            '`' => out.push_str("\\`"),
            '\\' => out.push_str("\\\\"),
            c => push_escaped(&mut out, c),
        }
    }
    out.push('`');
    out
}

/// `message` with every quoted span (between backticks, or a Rust-style
/// `"..."` string) and every bare word that looks like a credential
/// replaced by `<not shown: looks like a credential>`. A span is replaced
/// whole, whatever spaces or escaped quotes it holds.
pub fn redact_credentials(message: &str) -> String {
    if !looks_like_credential(message) {
        return message.to_owned();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        if c == '`' || c == '"' {
            // A quoted span: up to the next unescaped closing quote.
            let body = rest.get(1..).unwrap_or("");
            let mut end = None;
            let mut escaped = false;
            for (i, b) in body.char_indices() {
                if escaped {
                    escaped = false;
                } else if b == '\\' {
                    escaped = true;
                } else if b == c {
                    end = Some(i);
                    break;
                }
            }
            let (inner, after) = match end {
                Some(i) => (body.get(..i).unwrap_or(""), body.get(i + 1..).unwrap_or("")),
                None => (body, ""),
            };
            out.push(c);
            if looks_like_credential(inner) {
                out.push_str(NOT_SHOWN);
            } else {
                out.push_str(inner);
            }
            if end.is_some() {
                out.push(c);
            }
            rest = after;
        } else {
            let end = rest
                .find(|ch: char| ch.is_whitespace() || ch == '`' || ch == '"')
                .unwrap_or(rest.len());
            let end = if end == 0 { c.len_utf8() } else { end };
            let word = rest.get(..end).unwrap_or("");
            if looks_like_credential(word) {
                out.push_str(NOT_SHOWN);
            } else {
                out.push_str(word);
            }
            rest = rest.get(end..).unwrap_or("");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_recognised_in_many_spellings() {
        for text in [
            "https://hooks.slack.com/services/T000/B000/XXXX",
            "HTTPS://HOOKS.SLACK.COM/services/T0/B0/x",
            "hooks.slack.com/services/T000/B000/XXXX",
            "services/T0123/B0456/abcdef",
            "xoxb-1234-5678-abcd",
            "XOXP-1-2-3",
            "xapp-1-A0-123",
            "u:pw@db.example.com",
            "postgres://u:p@h/db",
            "-----BEGIN PRIVATE KEY-----",
            "ghp_abcdefghijklmnop",
            "AKIAIOSFODNN7EXAMPLE",
        ] {
            assert!(looks_like_credential(text), "{text}");
        }
        for text in [
            "maya@lofi-labs.example",
            "Europe/Paris",
            "track:read",
            "#acme-alerts",
            "xox",
            "must be an email address",
        ] {
            assert!(!looks_like_credential(text), "{text}");
        }
    }

    #[test]
    fn quoted_values_are_one_inert_span() {
        assert_eq!(quote("a`b\nc\u{1b}[31m"), "`a\\`b\\nc\\u{1b}[31m`");
        assert_eq!(quote("rtl\u{202e}x"), "`rtl\\u{202e}x`");
        assert_eq!(quote("https://x.example/a b`c"), format!("`{NOT_SHOWN}`"));
        let long = quote(&"x".repeat(10_000));
        assert_eq!(long.chars().count(), MAX_QUOTED_CHARS + 2);
        assert!(long.ends_with("...`"));
        assert_eq!(quote(&"y".repeat(80)), format!("`{}`", "y".repeat(80)));
    }

    #[test]
    fn redaction_covers_whole_spans() {
        assert_eq!(
            redact_credentials("unknown field `https://hooks.slack.com/a b\\`c d`, expected x"),
            format!("unknown field `{NOT_SHOWN}`, expected x")
        );
        assert_eq!(
            redact_credentials("invalid type: string \"xoxb-1 2 \\\" 3\", expected y"),
            format!("invalid type: string \"{NOT_SHOWN}\", expected y")
        );
        assert_eq!(
            redact_credentials("found u:secret@host here"),
            format!("found {NOT_SHOWN} here")
        );
        assert_eq!(redact_credentials("nothing `here`"), "nothing `here`");
        assert_eq!(
            redact_credentials("must be an `https://` URL"),
            "must be an `https://` URL"
        );
    }

    #[test]
    fn controls_are_escaped() {
        assert_eq!(
            escape_controls("a\nb\r\u{1b}c\u{85}\u{2028}"),
            "a\\nb\\r\\u{1b}c\\u{85}\\u{2028}"
        );
        assert_eq!(escape_controls("plain é"), "plain é");
    }
}
