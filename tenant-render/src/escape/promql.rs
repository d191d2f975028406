//! PromQL: the tenant lock (from `tenant_model::promql`, which validation
//! shares) and string literals and matchers built by the renderers.

pub use tenant_model::promql::{LockError, lock, lock_sli};

/// A PromQL double-quoted string literal holding `text` exactly: `\` and
/// `"` escaped, and every control character as a `\x..` or `\u....` escape
/// that Prometheus' Go unquoting reads back.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The exact matcher `label="value"`.
pub fn matcher(label: &str, value: &str) -> String {
    format!("{label}={}", string(value))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn string_literals_round_trip_through_the_parser() {
        for text in [
            "plain",
            "q\"uote",
            "back\\slash",
            "new\nline",
            "\u{1}\u{7f}",
            "\u{202e}x\u{200b}",
            "{{ $labels }}",
            "",
        ] {
            let expr = format!("x{{a={}}}", string(text));
            let tree = promql_check(&expr);
            assert_eq!(tree, text, "{expr}");
        }
    }

    /// The value of the `a` matcher, read back by the locking parser.
    fn promql_check(expr: &str) -> String {
        let locked = lock(expr, "tenant", "t").unwrap();
        let start = locked.find("a=\"").unwrap() + 2;
        // Re-lock the printed text: it must parse again.
        lock(&locked, "tenant", "t").unwrap();
        unescape(&locked[start..])
    }

    fn unescape(quoted: &str) -> String {
        let mut out = String::new();
        let mut chars = quoted.chars().skip(1);
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                    }
                    Some(other) => out.push(other),
                    None => {}
                },
                c => out.push(c),
            }
        }
        out
    }
}
