//! Hostile documents: deep nesting, huge sizes, alias bombs and floods of
//! problems fail cleanly (an error, never a panic, a stack overflow or a hang).

use tenant_kit::model::{self, Format, MAX_DOCUMENT_BYTES, MAX_PROBLEMS, Tenant};

use crate::root;

fn parse(text: &str, format: Format) -> Result<Tenant, model::Problems> {
    model::parse::<Tenant>(text, format)
}

#[test]
fn deep_nesting_is_an_error() {
    let depth = 100_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let yaml_flow = format!("a: {}{}", "[".repeat(depth), "]".repeat(depth));
    let yaml_block: String = (0..5_000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    let toml = format!("a = {}{}", "[".repeat(depth), "]".repeat(depth));
    for (format, text) in [
        (Format::Json, json),
        (Format::Yaml, yaml_flow),
        (Format::Yaml, yaml_block),
        (Format::Toml, toml),
    ] {
        let problems = parse(&text, format).unwrap_err();
        let first = problems.iter().next().unwrap();
        assert_eq!(problems.len(), 1, "{format:?}: {problems}");
        assert!(first.line().is_some(), "{format:?}: {first}");
    }
}

#[test]
fn a_ten_megabyte_document_fails_cleanly() {
    let base = std::fs::read_to_string(root().join("examples/tenants/lofi-labs.yaml")).unwrap();
    let huge = "x".repeat(10 * 1024 * 1024);
    let text = base.replace(
        "display_name: \"Lo-Fi Labs, Inc. <beats & chill>\"",
        &format!("display_name: \"{huge}\""),
    );
    assert!(text.len() > 10 * 1024 * 1024);
    let problems = parse(&text, Format::Yaml).unwrap_err();
    let messages: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.pointer(), p.message()))
        .collect();
    assert_eq!(
        messages,
        ["/display_name: must be 1 to 200 characters long, found 10485760"]
    );
    // The quoted value is not echoed back.
    assert!(problems.to_string().len() < 500);

    let too_big = "#".repeat(MAX_DOCUMENT_BYTES + 1);
    let problems = parse(&too_big, Format::Yaml).unwrap_err();
    assert!(problems.to_string().contains("the limit is"), "{problems}");
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
    }
    let problems = parse(&text, Format::Yaml).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems}");
    assert!(problems.to_string().contains("invalid YAML"), "{problems}");
}

#[test]
fn floods_of_problems_are_bounded() {
    let base = std::fs::read_to_string(root().join("examples/tenants/lofi-labs.yaml")).unwrap();
    let mut text = base;
    for i in 0..5_000 {
        text.push_str(&format!("unknown_{i}: 1\n"));
    }
    let problems = parse(&text, Format::Yaml).unwrap_err();
    assert_eq!(problems.len(), MAX_PROBLEMS + 1);
    assert!(
        problems
            .iter()
            .last()
            .unwrap()
            .message()
            .contains("only the first")
    );
}

#[test]
fn not_a_mapping_and_empty_documents() {
    for (format, text) in [
        (Format::Yaml, ""),
        (Format::Yaml, "- a\n- b\n"),
        (Format::Json, "42"),
        (Format::Json, ""),
        (Format::Toml, ""),
    ] {
        let problems = parse(text, format).unwrap_err();
        assert_eq!(problems.len(), 1, "{format:?} {text:?}: {problems}");
    }
}

/// YAML is read as YAML 1.2: `no`, `yes`, `on` and `off` are text (a
/// Norwegian tenant writes `locale: no`), only `true` and `false` are
/// booleans; a stand-in for a bad value is never reported as a second problem.
#[test]
fn yaml_1_2_scalars() {
    let base = std::fs::read_to_string(root().join("examples/tenants/lofi-labs.yaml")).unwrap();
    let norwegian = base.replace("locale: en-US", "locale: no").replace(
        "display_name: \"Lo-Fi Labs, Inc. <beats & chill>\"",
        "display_name: yes",
    );
    let tenant = parse(&norwegian, Format::Yaml).unwrap();
    assert_eq!(tenant.locale.as_str(), "no");
    assert_eq!(tenant.display_name, "yes");

    let not_a_bool = base.replace("  enabled: true", "  enabled: on");
    let problems = parse(&not_a_bool, Format::Yaml).unwrap_err();
    let messages: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.pointer(), p.message()))
        .collect();
    assert_eq!(
        messages,
        ["/audit/enabled: invalid type: string `on`, expected a boolean"]
    );

    let number = base.replace("locale: en-US", "locale: 42");
    let problems = parse(&number, Format::Yaml).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems}");
}

/// Random edits of real documents never panic the parser, and every failure
/// names at least one problem, each with a line and a column.
mod mutations {
    use proptest::prelude::*;
    use tenant_kit::model::{self, Format, Tenant};

    use crate::root;

    fn sources() -> Vec<(Format, String)> {
        [
            "acme-music.yaml",
            "json/acme-music.json",
            "beatforge.yaml",
            "json/lofi-labs.json",
        ]
        .iter()
        .map(|name| {
            let path = root().join("examples/tenants").join(name);
            (
                Format::from_path(&path).unwrap(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .chain(std::iter::once((
            Format::Toml,
            std::fs::read_to_string(root().join("examples/invalid/bad-time-zone-and-cidr.toml"))
                .unwrap(),
        )))
        .collect()
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Delete(usize, usize),
        Insert(usize, String),
        Duplicate(usize, usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let snippet = prop::sample::select(vec![
            "\n",
            " ",
            ":",
            "- ",
            "{",
            "}",
            "[",
            "]",
            "\"",
            "'",
            ",",
            "#",
            "&a",
            "*a",
            "!!",
            "~",
            "null",
            "0",
            "-1",
            "1e999",
            "\t",
            "\u{feff}",
            "é",
            "=",
            "[[x]]",
            "schema_version: 2\n",
        ]);
        prop_oneof![
            (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete(at, len)),
            (any::<usize>(), snippet).prop_map(|(at, s)| Edit::Insert(at, s.to_owned())),
            (any::<usize>(), 1usize..200).prop_map(|(at, len)| Edit::Duplicate(at, len)),
        ]
    }

    fn apply(text: &str, edit: &Edit) -> String {
        let chars: Vec<char> = text.chars().collect();
        let clamp = |i: usize| i % (chars.len() + 1);
        let mut out = chars.clone();
        match edit {
            Edit::Delete(at, len) => {
                let start = clamp(*at);
                let end = (start + len).min(chars.len());
                out.drain(start..end);
            }
            Edit::Insert(at, s) => {
                let at = clamp(*at);
                out.splice(at..at, s.chars());
            }
            Edit::Duplicate(at, len) => {
                let start = clamp(*at);
                let end = (start + len).min(chars.len());
                let copy: Vec<char> = chars[start..end].to_vec();
                out.splice(end..end, copy);
            }
        }
        out.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn edited_documents_fail_cleanly(which in 0usize..5, edits in prop::collection::vec(edit(), 1..4)) {
            let (format, original) = sources().swap_remove(which);
            let text = edits.iter().fold(original, |t, e| apply(&t, e));
            if let Err(problems) = model::parse::<Tenant>(&text, format) {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    prop_assert!(p.line().is_some_and(|l| l >= 1) && p.column().is_some_and(|c| c >= 1), "{p}");
                    prop_assert!(!p.message().is_empty());
                    prop_assert!(!p.message().contains("aCmEoNcAlLsEcReTtOkEn01"), "{p}");
                }
            }
        }
    }
}
