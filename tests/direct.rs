//! The direct reading of JSON (`parse_clean_json`, which `parse` tries
//! first) against the full reading through a JSON value: random edits of
//! real documents, also edits no JSON value can hold (a key written twice,
//! a whole number written with a fraction), a list for a mapping, a wrong
//! `schema_version`. Whatever the direct reading takes, the full reading
//! takes as the same document; whatever the full reading takes, the direct
//! reading takes too, except a whole number written with a fraction, which
//! it leaves to the full reading.

use proptest::prelude::*;
use serde_json::Value;
use tenant_kit::model::{self, Format, Tenant};

use crate::agreement::{apply, edit, examples, pointers};

/// A tenant read only the full way: it does not tell its schema version,
/// so `parse` never reads it directly.
type FullReading = model::FullReadingOnly<Tenant>;

/// Stands for a value that is written by hand into the text.
const MARK: &str = "\u{1}written-here\u{1}";

/// An edit of the text that a JSON value cannot express.
#[derive(Debug, Clone)]
enum TextEdit {
    /// A member of the mapping at the pointer, written again (same value or
    /// the next member's) right after it.
    Twice(usize, usize),
    /// An integer written with a fraction: `730.0`.
    Fraction(usize),
    /// A mapping written as the list of its values (`audit: [true, 730]`).
    ListForMapping(usize),
    /// `schema_version` set to a value.
    Version(usize),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| TextEdit::Twice(a, b)),
        2 => any::<usize>().prop_map(TextEdit::Fraction),
        2 => any::<usize>().prop_map(TextEdit::ListForMapping),
        1 => any::<usize>().prop_map(TextEdit::Version),
    ]
}

/// The document as text with the edit made; `None` when the edit does not
/// apply (no such mapping or number).
fn written(document: &Value, edit: &TextEdit) -> Option<String> {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    all.push(String::new());
    let of_kind = |test: fn(&Value) -> bool| -> Vec<String> {
        all.iter()
            .filter(|p| document.pointer(p).is_some_and(test))
            .cloned()
            .collect()
    };
    let pick = |list: &[String], i: usize| list.get(i % list.len().max(1)).cloned();
    let mut out = document.clone();
    let by_hand = match edit {
        TextEdit::Twice(at, which) => {
            let at = pick(
                &of_kind(|v| v.as_object().is_some_and(|m| !m.is_empty())),
                *at,
            )?;
            let map = document.pointer(&at)?.as_object()?;
            let members: Vec<(String, String)> = map
                .iter()
                .map(|(k, v)| (serde_json::to_string(k).unwrap(), v.to_string()))
                .collect();
            let i = which % members.len();
            let (key, _) = &members[i];
            // The key again, with its own value or another member's.
            let value = &members[(i + which / members.len()) % members.len()].1;
            let mut parts: Vec<String> = members.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            parts.insert(i + 1, format!("{key}: {value}"));
            *out.pointer_mut(&at)? = Value::from(MARK);
            format!("{{{}}}", parts.join(", "))
        }
        TextEdit::Fraction(at) => {
            let at = pick(&of_kind(|v| v.is_u64() || v.is_i64()), *at)?;
            let number = document.pointer(&at)?.to_string();
            *out.pointer_mut(&at)? = Value::from(MARK);
            format!("{number}.0")
        }
        TextEdit::ListForMapping(at) => {
            let at = pick(&of_kind(Value::is_object), *at)?;
            let values = document
                .pointer(&at)?
                .as_object()?
                .values()
                .cloned()
                .collect();
            *out.pointer_mut(&at)? = Value::Array(values);
            return Some(serde_json::to_string_pretty(&out).unwrap());
        }
        TextEdit::Version(which) => {
            let versions = ["0", "1", "2", "1.0", "-1", "\"1\"", "null", "4294967297"];
            *out.pointer_mut("/schema_version")? = Value::from(MARK);
            versions[which % versions.len()].to_owned()
        }
    };
    let text = serde_json::to_string_pretty(&out).unwrap();
    Some(text.replacen(&serde_json::to_string(MARK).unwrap(), &by_hand, 1))
}

/// Whether `text` writes a whole number with a fraction (`730.0`), which
/// only the full reading takes for an integer.
fn has_whole_fraction(text: &str) -> bool {
    fn walk(value: &Value) -> bool {
        match value {
            Value::Number(n) => n.is_f64() && n.as_f64().is_some_and(|f| f.fract() == 0.0),
            Value::Array(items) => items.iter().any(walk),
            Value::Object(map) => map.values().any(walk),
            _ => false,
        }
    }
    serde_json::from_str::<Value>(text).is_ok_and(|value| walk(&value))
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let direct = model::parse_clean_json::<Tenant>(text);
    let full = model::parse::<FullReading>(text, Format::Json);
    // `parse` itself must answer as the full reading does.
    let parsed = model::parse::<Tenant>(text, Format::Json);
    match (&parsed, &full) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, &b.0),
        (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
        _ => prop_assert!(false, "parse and the full reading disagree:\n{text}"),
    }
    match (direct, &full) {
        (Some(direct), Ok(full)) => prop_assert_eq!(&direct, &full.0),
        (Some(_), Err(problems)) => {
            prop_assert!(
                false,
                "read directly, refused by the full reading: {problems:#}\n{text}"
            )
        }
        (None, Ok(_)) => prop_assert!(
            has_whole_fraction(text),
            "the full reading takes it, the direct reading does not:\n{text}"
        ),
        (None, Err(_)) => {}
    }
    Ok(())
}

#[test]
fn the_examples_are_read_directly() {
    for document in examples() {
        let text = serde_json::to_string_pretty(&document).unwrap();
        assert!(model::parse_clean_json::<Tenant>(&text).is_some());
        check(&text).unwrap();
    }
}

#[test]
fn what_no_value_can_hold_is_refused() {
    let text = serde_json::to_string_pretty(&examples().swap_remove(0)).unwrap();
    let cases = [
        // A key twice at the top, deep down, and inside a secret reference.
        text.replacen("\"slug\":", "\"slug\": \"acme-music\",\n  \"slug\":", 1),
        text.replacen("\"mode\":", "\"mode\": \"schema\", \"mode\":", 1),
        text.replacen("{\n        \"env\":", "{\"env\": \"A\", \"env\":", 1),
        text.replacen("\"schema_version\": 1", "\"schema_version\": 1.0", 1),
        text.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1),
        format!("{text} {{}}"),
    ];
    for case in cases {
        assert_ne!(case, text, "the edit applies");
        assert!(model::parse_clean_json::<Tenant>(&case).is_none(), "{case}");
        assert!(
            model::parse::<Tenant>(&case, Format::Json).is_err(),
            "{case}"
        );
        check(&case).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_direct_and_the_full_reading_agree(
        which in 0usize..3,
        edits in proptest::collection::vec(edit(), 0..3),
        by_hand in proptest::option::of(text_edit()),
    ) {
        let mut document = examples().swap_remove(which);
        for edit in &edits {
            if let Some(edited) = apply(&document, edit) {
                document = edited;
            }
        }
        let text = match &by_hand {
            Some(edit) => match written(&document, edit) {
                Some(text) => text,
                None => serde_json::to_string_pretty(&document).unwrap(),
            },
            None => serde_json::to_string_pretty(&document).unwrap(),
        };
        check(&text)?;
    }
}
