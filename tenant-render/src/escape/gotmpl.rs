//! Go `text/template` (Alertmanager templates and the templated fields of
//! its `slack_configs`): tenant text becomes a string literal inside an
//! action, `{{ "..." }}`, so nothing of it is ever read as template code.
//!
//! Every field of an Alertmanager Slack config (`channel`, `username`,
//! `title`, `text`, ...) is executed as a template, so even a channel name
//! or a username goes through [`literal`].

/// `text` as a Go template action that prints it: `{{ "..." }}`.
///
/// Inside the Go string literal `\` and `"` are escaped, and so are `{`,
/// `}` (as `\x7b`, `\x7d`, so that no `{{` or `}}` appears in the file at
/// all), control characters and the Unicode line and paragraph separators.
/// An empty text is the empty string (no action).
pub fn literal(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("{{{{ {} }}}}", string(text))
}

/// `text` as a Go double-quoted string literal (see [`literal`]).
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '{' => out.push_str("\\x7b"),
            '}' => out.push_str("\\x7d"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_hold_no_template_code() {
        let hostile = "{{ .Labels }} \"q\" \\ }} {{/* */}}\n\u{1}\u{85}\u{2028}";
        let out = literal(hostile);
        assert_eq!(out.matches("{{").count(), 1);
        assert_eq!(out.matches("}}").count(), 1);
        assert!(out.starts_with("{{ \"") && out.ends_with("\" }}"));
        assert!(!out.contains('\n') && !out.contains('\u{85}'));
        assert_eq!(string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(literal(""), "");
    }
}
