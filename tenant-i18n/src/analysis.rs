//! Facts about Fluent sources that the lint and the override checks share:
//! which variables, references, functions and selectors each pattern uses.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;
use fluent_syntax::parser::ParserError;

/// A reference from a pattern to a message or term, with its attribute.
pub(crate) type Reference = (String, Option<String>);

/// What one pattern (a message value or an attribute) uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PatternFacts {
    /// Variables (`$name`, without the `$`) the pattern reads.
    pub(crate) variables: BTreeSet<String>,
    /// Message references, in source order, with repeats.
    pub(crate) messages: Vec<Reference>,
    /// Term references (without the `-`), in source order, with repeats.
    pub(crate) terms: Vec<Reference>,
    /// Functions called.
    pub(crate) functions: BTreeSet<String>,
    /// Select expressions.
    pub(crate) selects: Vec<SelectFacts>,
    /// The number of placeables, counting every variant of every select.
    pub(crate) placeables: usize,
    /// The text with each placeable written as `{}` and each select as its
    /// variants' texts: equal for two patterns that read the same.
    pub(crate) text: String,
    /// Only the text elements, separated by spaces: the words a person reads.
    pub(crate) prose: String,
}

/// What a select expression selects on and which variants it has.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SelectFacts {
    /// Whether the selector is a number: a variable (which the renderers pass
    /// as numbers when the variants are plural categories) or `NUMBER(...)`.
    pub(crate) numeric_selector: bool,
    /// The variant keys as written, in order.
    pub(crate) keys: Vec<String>,
    /// The key of the default (`*`) variant, if there is one.
    pub(crate) default: Option<String>,
}

impl SelectFacts {
    /// Whether this select picks a plural form: its selector is numeric and
    /// at least one key is a CLDR plural category or a number.
    pub(crate) fn is_plural(&self) -> bool {
        self.numeric_selector
            && self
                .keys
                .iter()
                .any(|k| is_plural_category(k) || k.parse::<f64>().is_ok())
    }
}

/// The six CLDR plural category names.
pub(crate) const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn is_plural_category(key: &str) -> bool {
    PLURAL_CATEGORIES.contains(&key)
}

/// A message or term of a source.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EntryFacts {
    /// The id, without the `-` of a term.
    pub(crate) id: String,
    /// Whether the entry is a term.
    pub(crate) is_term: bool,
    /// The value's facts, if it has a value.
    pub(crate) value: Option<PatternFacts>,
    /// The attributes' names and facts, in order.
    pub(crate) attributes: Vec<(String, PatternFacts)>,
}

impl EntryFacts {
    /// The facts of the value (`None`) or of an attribute.
    pub(crate) fn part(&self, attribute: Option<&str>) -> Option<&PatternFacts> {
        match attribute {
            None => self.value.as_ref(),
            Some(name) => self
                .attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, facts)| facts),
        }
    }

    /// Every pattern of the entry, the value first, with its attribute name.
    pub(crate) fn parts(&self) -> impl Iterator<Item = (Option<&str>, &PatternFacts)> {
        self.value
            .iter()
            .map(|v| (None, v))
            .chain(self.attributes.iter().map(|(n, f)| (Some(n.as_str()), f)))
    }

    /// The union of the variables of all parts.
    pub(crate) fn all_variables(&self) -> BTreeSet<String> {
        self.parts()
            .flat_map(|(_, facts)| facts.variables.iter().cloned())
            .collect()
    }
}

/// A parsed source: its entries and its syntax errors.
#[derive(Clone, Debug, Default)]
pub(crate) struct SourceFacts {
    pub(crate) entries: Vec<EntryFacts>,
    pub(crate) errors: Vec<ParserError>,
    /// The byte offset of the bracket that nests deeper than
    /// [`MAX_NESTING`](crate::nesting::MAX_NESTING), if one does; such a
    /// source is not parsed, so it has no entries and no `errors`.
    pub(crate) too_deep: Option<usize>,
    /// The index in `entries` of the first message with each id.
    messages: BTreeMap<String, usize>,
    /// The index in `entries` of the first term with each id.
    terms: BTreeMap<String, usize>,
}

impl SourceFacts {
    /// Parses a source; entries that do not parse are left out and reported
    /// in `errors`. A source nested too deeply for the recursive parser is
    /// not parsed (see [`too_deep`](crate::nesting::too_deep)).
    pub(crate) fn parse(source: &str) -> SourceFacts {
        if let Some(offset) = crate::nesting::too_deep(source) {
            return SourceFacts {
                too_deep: Some(offset),
                ..SourceFacts::default()
            };
        }
        let (resource, errors) = match fluent_syntax::parser::parse(source) {
            Ok(resource) => (resource, Vec::new()),
            Err((resource, errors)) => (resource, errors),
        };
        let entries: Vec<EntryFacts> = resource.body.iter().filter_map(entry_facts).collect();
        let mut messages = BTreeMap::new();
        let mut terms = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            let ids = if entry.is_term {
                &mut terms
            } else {
                &mut messages
            };
            ids.entry(entry.id.clone()).or_insert(index);
        }
        SourceFacts {
            entries,
            errors,
            too_deep: None,
            messages,
            terms,
        }
    }

    /// The first message with this id.
    pub(crate) fn message(&self, id: &str) -> Option<&EntryFacts> {
        self.messages.get(id).and_then(|&i| self.entries.get(i))
    }

    /// The first term with this id (without the `-`).
    pub(crate) fn term(&self, id: &str) -> Option<&EntryFacts> {
        self.terms.get(id).and_then(|&i| self.entries.get(i))
    }

    /// Every message, in source order.
    pub(crate) fn messages(&self) -> impl Iterator<Item = &EntryFacts> {
        self.entries.iter().filter(|e| !e.is_term)
    }

    /// The variables used anywhere in the messages of this source.
    pub(crate) fn all_message_variables(&self) -> BTreeSet<String> {
        self.messages()
            .flat_map(EntryFacts::all_variables)
            .collect()
    }
}

fn entry_facts(entry: &ast::Entry<&str>) -> Option<EntryFacts> {
    let attributes = |attrs: &[ast::Attribute<&str>]| {
        attrs
            .iter()
            .map(|a| (a.id.name.to_owned(), pattern_facts(&a.value)))
            .collect()
    };
    match entry {
        ast::Entry::Message(message) => Some(EntryFacts {
            id: message.id.name.to_owned(),
            is_term: false,
            value: message.value.as_ref().map(pattern_facts),
            attributes: attributes(&message.attributes),
        }),
        ast::Entry::Term(term) => Some(EntryFacts {
            id: term.id.name.to_owned(),
            is_term: true,
            value: Some(pattern_facts(&term.value)),
            attributes: attributes(&term.attributes),
        }),
        _ => None,
    }
}

fn pattern_facts(pattern: &ast::Pattern<&str>) -> PatternFacts {
    let mut facts = PatternFacts::default();
    walk_pattern(pattern, &mut facts);
    facts
}

fn walk_pattern(pattern: &ast::Pattern<&str>, facts: &mut PatternFacts) {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => {
                facts.text.push_str(value);
                facts.prose.push_str(value);
                facts.prose.push(' ');
            }
            ast::PatternElement::Placeable { expression } => {
                facts.placeables += 1;
                walk_expression(expression, facts);
            }
        }
    }
}

fn walk_expression(expression: &ast::Expression<&str>, facts: &mut PatternFacts) {
    match expression {
        ast::Expression::Inline(inline) => {
            facts.text.push_str("{}");
            walk_inline(inline, facts);
        }
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, facts);
            let numeric_selector = matches!(
                selector,
                ast::InlineExpression::VariableReference { .. }
                    | ast::InlineExpression::NumberLiteral { .. }
            ) || matches!(
                selector,
                ast::InlineExpression::FunctionReference { id, .. } if id.name == "NUMBER"
            );
            let mut select = SelectFacts {
                numeric_selector,
                keys: Vec::new(),
                default: None,
            };
            facts.text.push('{');
            for variant in variants {
                let key = match &variant.key {
                    ast::VariantKey::Identifier { name } => (*name).to_owned(),
                    ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                };
                if variant.default {
                    select.default = Some(key.clone());
                }
                facts.text.push('[');
                facts.text.push_str(&key);
                facts.text.push(']');
                select.keys.push(key);
                walk_pattern(&variant.value, facts);
            }
            facts.text.push('}');
            facts.selects.push(select);
        }
    }
}

fn walk_inline(inline: &ast::InlineExpression<&str>, facts: &mut PatternFacts) {
    match inline {
        ast::InlineExpression::StringLiteral { .. }
        | ast::InlineExpression::NumberLiteral { .. } => {}
        ast::InlineExpression::FunctionReference { id, arguments } => {
            facts.functions.insert(id.name.to_owned());
            walk_arguments(arguments, facts);
        }
        ast::InlineExpression::MessageReference { id, attribute } => facts.messages.push((
            id.name.to_owned(),
            attribute.as_ref().map(|a| a.name.to_owned()),
        )),
        ast::InlineExpression::TermReference {
            id,
            attribute,
            arguments,
        } => {
            facts.terms.push((
                id.name.to_owned(),
                attribute.as_ref().map(|a| a.name.to_owned()),
            ));
            if let Some(arguments) = arguments {
                walk_arguments(arguments, facts);
            }
        }
        ast::InlineExpression::VariableReference { id } => {
            facts.variables.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => {
            facts.placeables += 1;
            walk_expression(expression, facts);
        }
    }
}

fn walk_arguments(arguments: &ast::CallArguments<&str>, facts: &mut PatternFacts) {
    for positional in &arguments.positional {
        walk_inline(positional, facts);
    }
    for named in &arguments.named {
        walk_inline(&named.value, facts);
    }
}

/// The words of a text: runs of letters and digits.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_a_message_with_a_plural_and_an_attribute() {
        let facts = SourceFacts::parse(
            "-brand = Kit\n\
             hello = { -brand } says { $count ->\n    [one] one { other }\n   *[other] { NUMBER($count) } { other.attr }\n}\n    .title = Hi { $name }\n",
        );
        assert!(facts.errors.is_empty());
        let hello = facts.message("hello").unwrap();
        let value = hello.value.as_ref().unwrap();
        assert_eq!(value.variables, BTreeSet::from(["count".to_owned()]));
        assert_eq!(
            value.messages,
            [
                ("other".to_owned(), None),
                ("other".to_owned(), Some("attr".to_owned()))
            ]
        );
        assert_eq!(value.terms, [("brand".to_owned(), None)]);
        assert_eq!(value.functions, BTreeSet::from(["NUMBER".to_owned()]));
        assert_eq!(value.selects.len(), 1);
        assert!(value.selects[0].is_plural());
        assert_eq!(value.selects[0].default.as_deref(), Some("other"));
        assert_eq!(value.text, "{} says {[one]one {}[other]{} {}}");
        assert_eq!(
            hello.all_variables(),
            BTreeSet::from(["count".to_owned(), "name".to_owned()])
        );
        assert!(facts.term("brand").is_some());
    }
}
