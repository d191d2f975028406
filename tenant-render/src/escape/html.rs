//! HTML and Markdown shown by Grafana: tenant text that a browser renders
//! (a text panel's content) becomes text, never markup.
//!
//! [`text`] escapes the five characters HTML gives meaning to. [`markdown`]
//! is for a Grafana text panel in `markdown` mode: on top of [`text`], it
//! writes `[` and `]` as character references, so neither raw HTML, nor an
//! autolink (`<javascript:…>`), nor a link or image (`[x](javascript:…)`,
//! `![](https://tracker/…)`) can be formed. CommonMark decodes character
//! references to the literal character but never lets them build structure,
//! so the reader sees exactly the characters the tenant wrote. Headings,
//! emphasis and lists still work: they are formatting, not active content.
//! (Inside a code span a reference is shown as written, e.g. `&lt;`: the
//! price of not relying on Grafana's own sanitizer.)
//!
//! Control characters other than tab and newline, which HTML forbids in
//! text, become U+FFFD.

/// `text` with `&`, `<`, `>`, `"` and `'` as character references, and
/// control characters (except `\t`, `\n`) as U+FFFD; safe in HTML text and
/// in quoted attribute values.
pub fn text(text: &str) -> String {
    escape(text, false)
}

/// `text` for a Markdown renderer: [`text`], plus `[` and `]` as character
/// references so no link or image can be formed. `\r\n` becomes `\n`.
pub fn markdown(text: &str) -> String {
    escape(&text.replace("\r\n", "\n"), true)
}

fn escape(text: &str, brackets: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '[' if brackets => out.push_str("&#91;"),
            ']' if brackets => out.push_str("&#93;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            text("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(
            markdown("[a](javascript:alert(1)) ![i](https://t/x) <b>"),
            "&#91;a&#93;(javascript:alert(1)) !&#91;i&#93;(https://t/x) &lt;b&gt;"
        );
        assert_eq!(markdown("# Title\r\n\n*bold*"), "# Title\n\n*bold*");
        assert_eq!(
            text("a\u{1}\u{1b}[31m\u{7f}b"),
            "a\u{fffd}\u{fffd}[31m\u{fffd}b"
        );
    }

    /// Decodes the references [`markdown`] writes.
    fn decode(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#91;", "[")
            .replace("&#93;", "]")
            .replace("&amp;", "&")
    }

    proptest::proptest! {
        #[test]
        fn markdown_keeps_the_text_and_drops_the_markup(s in "\\PC*|[<>&\"'\\[\\]()!a-z:\r\n\t\u{0}-\u{1f}\u{7f}-\u{9f}]*") {
            let out = markdown(&s);
            proptest::prop_assert!(!out.contains(['<', '>', '"', '\'', '[', ']']));
            proptest::prop_assert!(!out.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            let expected: String = s
                .replace("\r\n", "\n")
                .chars()
                .map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{fffd}' } else { c })
                .collect();
            proptest::prop_assert_eq!(decode(&out), expected);
        }
    }

    #[test]
    fn no_markup_character_survives() {
        for s in [
            "<>&\"'[]",
            "<img src=x onerror=alert(1)>",
            "&amp;",
            "\u{85}",
        ] {
            let out = markdown(s);
            assert!(
                !out.contains(['<', '>', '"', '\'', '[', ']']) && !out.contains('\u{85}'),
                "{out}"
            );
        }
    }
}
