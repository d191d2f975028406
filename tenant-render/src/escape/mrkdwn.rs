//! Slack mrkdwn: `&`, `<` and `>` become entities, which also neutralises
//! Slack's control sequences (`<!channel>`, `<!here>`, `<!everyone>`,
//! `<@U…>`, `<!subteam^…>`, `<url|label>` links), and the bare words
//! `@channel`, `@here` and `@everyone` get a word joiner after the `@`, so
//! a workspace that parses names in messages does not ping anyone either.

/// `text` safe to put in a Slack `mrkdwn` or `plain_text` object.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => {
                out.push('@');
                let after = rest.get(1..).unwrap_or_default();
                if ["channel", "here", "everyone"].iter().any(|w| {
                    after
                        .get(..w.len())
                        .is_some_and(|a| a.eq_ignore_ascii_case(w))
                }) {
                    out.push('\u{2060}');
                }
            }
            c => out.push(c),
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

/// Whether `text` still holds something Slack reads as a mention or a
/// control sequence (`<!…>`, `<@…>`, `<#…>`, a bare `@here`, `@channel` or
/// `@everyone`). Escaped text never does; tests use this.
pub fn has_mention(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("<!")
        || lower.contains("<@")
        || lower.contains("<#")
        || ["@channel", "@here", "@everyone"]
            .iter()
            .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_and_links_are_neutralised() {
        let hostile =
            "<!channel> <!here> <!everyone> <@U123> <!subteam^S1> <http://x|y> & @here @Channel";
        let out = escape(hostile);
        assert!(!has_mention(&out), "{out}");
        assert!(!out.contains('<') && !out.contains('>'));
        assert!(out.contains("&amp;"));
        assert!(has_mention(hostile));
        assert_eq!(escape("Ünï 日本 🎵"), "Ünï 日本 🎵");
    }
}
