//! The nesting guard: a linear pre-scan that finds Fluent sources nested too
//! deeply before fluent-syntax's recursive parser sees them.
//!
//! fluent-syntax parses placeables, select expressions and call arguments by
//! recursion, so about ten thousand `{` overflow the stack. Every source
//! tenant-i18n parses goes through [`too_deep`] first; a source that nests
//! deeper than [`MAX_NESTING`] is not parsed at all.
//!
//! The scanner knows just enough of the grammar to count the levels the
//! parser recurses into: `{` always opens one (a placeable in text, a nested
//! placeable in an expression), `(` opens one inside an expression (call
//! arguments of functions and terms), and `}` closes the innermost `{` with
//! whatever it holds. String literals inside expressions are skipped, and
//! after `->` the rest of a placeable is variants, whose text may hold `(` and
//! `"` freely. Comment lines are skipped. It overcounts rather than
//! undercounts: a broken source with unbalanced braces may be reported as
//! too deep, which is a syntax error anyway.

/// The deepest nesting of placeables, select expressions and call arguments
/// accepted. The shipped catalogs nest three levels at most.
pub(crate) const MAX_NESTING: usize = 32;

/// The problem, in a sentence, for a source [`too_deep`] finds.
pub(crate) fn too_deep_message() -> String {
    format!(
        "placeables, select expressions and call arguments nest more than {MAX_NESTING} levels deep; the source is not parsed further"
    )
}

/// What an open bracket is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Level {
    /// `{`; `variants` once `->` was seen in it.
    Brace { variants: bool },
    /// `(` of call arguments.
    Paren,
}

/// The byte offset of the first bracket that opens a level deeper than
/// [`MAX_NESTING`], if there is one. Linear in the source, with memory
/// bounded by [`MAX_NESTING`].
pub(crate) fn too_deep(source: &str) -> Option<usize> {
    let mut stack: Vec<Level> = Vec::with_capacity(MAX_NESTING + 1);
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut line_start = true;
    let mut previous = 0u8;
    for (offset, byte) in source.bytes().enumerate() {
        let at_line_start = line_start;
        line_start = byte == b'\n';
        if in_comment {
            in_comment = byte != b'\n';
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' || byte == b'\n' {
                in_string = false;
            }
            previous = byte;
            continue;
        }
        if at_line_start && byte == b'#' && stack.is_empty() {
            in_comment = true;
            continue;
        }
        let in_expression = matches!(
            stack.last(),
            Some(Level::Paren | Level::Brace { variants: false })
        );
        match byte {
            b'{' => stack.push(Level::Brace { variants: false }),
            b'(' if in_expression => stack.push(Level::Paren),
            b'}' => {
                while let Some(level) = stack.pop() {
                    if matches!(level, Level::Brace { .. }) {
                        break;
                    }
                }
            }
            b')' if stack.last() == Some(&Level::Paren) => {
                stack.pop();
            }
            b'"' if in_expression => in_string = true,
            b'>' if in_expression && previous == b'-' => {
                if let Some(Level::Brace { variants }) = stack.last_mut() {
                    *variants = true;
                }
            }
            _ => {}
        }
        if stack.len() > MAX_NESTING {
            return Some(offset);
        }
        previous = byte;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, inner: &str, close: &str, levels: usize) -> String {
        format!(
            "x = {}{inner}{}\n",
            open.repeat(levels),
            close.repeat(levels)
        )
    }

    #[test]
    fn shallow_sources_pass() {
        assert_eq!(too_deep(&nested("{ ", "$a", " }", MAX_NESTING)), None);
        assert_eq!(
            too_deep(&format!(
                "x = {{ {}$a{} }}\n",
                "NUMBER(".repeat(MAX_NESTING - 1),
                ")".repeat(MAX_NESTING - 1)
            )),
            None
        );
        // Brackets in text, strings, variants and comments are not levels.
        let text = format!(
            "# {}\nx = {} {{ \"{}\" }} {{ $n ->\n   *[other] {} {}\n}}\n",
            "{".repeat(100),
            "(".repeat(100),
            "{(".repeat(100),
            "(".repeat(100),
            "\"{\"".repeat(5)
        );
        assert_eq!(too_deep(&text), None);
    }

    /// A valid Fluent message nested exactly `layers.len()` levels deep:
    /// each layer is a placeable, a select expression (whose variant holds
    /// the rest), a function call or a term call, where the grammar allows
    /// it; the filler hides brackets in strings and text.
    fn nested_message(layers: &[u8], filler: &str) -> String {
        #[derive(Clone, Copy, PartialEq)]
        enum Context {
            Pattern,
            Expression,
        }
        let mut open = String::new();
        let mut close: Vec<&str> = Vec::new();
        let mut context = Context::Pattern;
        for &layer in layers {
            match (context, layer % 4) {
                (Context::Pattern, 0 | 2) | (Context::Expression, 0) => {
                    open.push_str("{ ");
                    close.push(" }");
                    context = Context::Expression;
                }
                (Context::Pattern, _) => {
                    open.push_str("{ NUMBER($n) ->\n    [one] (\"\n   *[other] ");
                    close.push("\n}");
                }
                (Context::Expression, _) if layer % 8 < 4 => {
                    open.push_str("NUMBER(");
                    close.push(")");
                }
                (Context::Expression, _) => {
                    open.push_str("-t(");
                    close.push(")");
                }
            }
        }
        let inner = match context {
            // Braces in text would open placeables; everything else is text.
            Context::Pattern => format!("text ( {} ) \" -> [", filler.replace(['{', '}'], "")),
            Context::Expression => format!("\"{filler}\""),
        };
        close.reverse();
        format!("-t = t\nm = {open}{inner}{}\n", close.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The scan counts exactly the levels of a valid message, and what it
        /// lets through parses on a small stack (64 KiB, which holds about
        /// 48 levels of the parser in a debug build).
        #[test]
        fn the_scan_counts_the_levels_the_parser_recurses_into(
            layers in proptest::collection::vec(proptest::num::u8::ANY, 0..80),
            filler in "[(){}\\[\\]*> a-]{0,12}",
        ) {
            let source = nested_message(&layers, &filler);
            proptest::prop_assert_eq!(
                too_deep(&source).is_some(),
                layers.len() > MAX_NESTING,
                "{}",
                source
            );
            if too_deep(&source).is_none() {
                let parsed = std::thread::Builder::new()
                    .stack_size(64 * 1024)
                    .spawn(move || fluent_syntax::parser::parse(source.as_str()).is_ok())
                    .map(|handle| handle.join().ok());
                // Parsed without error, and without overflowing the stack.
                proptest::prop_assert_eq!(parsed.ok(), Some(Some(true)));
            }
        }
    }

    #[test]
    fn deep_shapes_are_found_at_the_first_level_too_many() {
        let deep = nested("{ ", "$a", " }", MAX_NESTING + 1);
        assert_eq!(too_deep(&deep), Some(4 + 2 * MAX_NESTING));
        assert_eq!(too_deep(&"{".repeat(10_000)), Some(MAX_NESTING));
        let calls = format!("x = {{ {}$a }}\n", "NUMBER(".repeat(10_000));
        assert_eq!(too_deep(&calls), Some(6 + 7 * MAX_NESTING - 1));
        let selects = format!("x = {}z\n", "{ $a ->\n *[o] ".repeat(10_000));
        assert!(too_deep(&selects).is_some());
        let terms = format!("x = {{ {}\"a\" }}\n", "-t(x: ".repeat(10_000));
        assert!(too_deep(&terms).is_some());
        let placeable_arguments = format!("x = {{ {}$a }}\n", "NUMBER({ ".repeat(10_000));
        assert!(too_deep(&placeable_arguments).is_some());
    }
}
