//! Go RE2 regular expressions, the syntax of Alertmanager's `=~` and `!~`
//! matchers (which it anchors: `^(?:...)$`): text that must match only
//! itself, and character classes.
//!
//! The renderers build regexes from slugs, which are `[a-z0-9-]` only, so
//! no metacharacter reaches these functions today; they escape anyway, so
//! that a regex is right by construction whatever text it is made from.

/// `text` as a regex that matches exactly `text`: every RE2 metacharacter
/// (the set Go's `regexp.QuoteMeta` escapes) gets a backslash.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_meta(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
    )
}

/// A regex that matches exactly one of `chars` (one character): the
/// character itself when there is one, else a class `[...]` in which runs
/// of three or more consecutive characters are written as ranges (`0-9`)
/// and `\`, `]`, `[`, `^` and `-` are escaped. `chars` must be sorted and
/// without duplicates; an empty list gives a class that matches nothing
/// (`[^\x00-\x{10FFFF}]`).
pub fn one_of(chars: &[char]) -> String {
    match chars {
        [] => "[^\\x00-\\x{10FFFF}]".to_owned(),
        [c] => literal(&c.to_string()),
        _ => {
            let mut out = String::from("[");
            let mut i = 0;
            while let Some(&start) = chars.get(i) {
                // The run of consecutive code points that starts here.
                let mut end = i;
                while let (Some(&a), Some(&b)) = (chars.get(end), chars.get(end + 1)) {
                    if u32::from(b) != u32::from(a) + 1 {
                        break;
                    }
                    end += 1;
                }
                let last = chars.get(end).copied().unwrap_or(start);
                if end - i >= 2 {
                    push_class_char(&mut out, start);
                    out.push('-');
                    push_class_char(&mut out, last);
                    i = end + 1;
                } else {
                    push_class_char(&mut out, start);
                    i += 1;
                }
            }
            out.push(']');
            out
        }
    }
}

fn push_class_char(out: &mut String, c: char) {
    if matches!(c, '\\' | ']' | '[' | '^' | '-') {
        out.push('\\');
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    /// Anchored the way Alertmanager anchors a matcher's regex.
    fn anchored(re: &str) -> regex::Regex {
        regex::Regex::new(&format!("^(?:{re})$")).unwrap()
    }

    #[test]
    fn literals_match_exactly_themselves() {
        for text in ["acme-music", "a.b", "x*y+z?", "(a|b)", "[x]{2}", "^$\\", ""] {
            let re = anchored(&literal(text));
            assert!(re.is_match(text), "{text}");
            assert!(!re.is_match(&format!("{text}x")), "{text}");
            if text.len() > 1 {
                assert!(!re.is_match(&text[1..]), "{text}");
            }
        }
        assert_eq!(literal("t000-acme"), "t000-acme");
    }

    #[test]
    fn classes_match_exactly_their_characters() {
        assert_eq!(one_of(&['a']), "a");
        assert_eq!(one_of(&['a', 'b']), "[ab]");
        assert_eq!(one_of(&['-', '0', '1', '2', '3', 'x']), "[\\-0-3x]");
        assert_eq!(one_of(&['a', 'b', 'c', 'e']), "[a-ce]");
        let sets: [&[char]; 6] = [
            &[],
            &['-'],
            &['-', 'a'],
            &['0', '1', '2', '9', 'a', 'b', 'c', 'd', 'z'],
            &['[', '\\', ']', '^'],
            &['.', '|'],
        ];
        for set in sets {
            let re = anchored(&one_of(set));
            for c in (0u8..128).map(char::from) {
                assert_eq!(
                    re.is_match(&c.to_string()),
                    set.contains(&c),
                    "{set:?} {c:?}"
                );
            }
            assert!(!re.is_match(""), "{set:?}");
            assert!(!re.is_match("ab"), "{set:?}");
        }
    }
}
