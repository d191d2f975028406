//! Pretty JSON, byte for byte as `serde_json::to_string_pretty` writes it
//! (two spaces a level), through a formatter that writes each line break
//! and its indentation in one piece: serde_json's writes the indentation
//! two bytes at a time, and at Grafana dashboards' depth those small copies
//! were a third of the target's time.

use std::io;

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::Formatter;

/// `value` as pretty JSON; `capacity` is a guess of its length.
pub(crate) fn to_string_pretty<T: Serialize + ?Sized>(
    value: &T,
    capacity: usize,
) -> serde_json::Result<String> {
    let mut buf = Vec::with_capacity(capacity);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut buf,
        Pretty::default(),
    ))?;
    // serde_json writes UTF-8 only; checked rather than assumed.
    String::from_utf8(buf).map_err(serde::ser::Error::custom)
}

/// `serialize_with` for a [`serde_json::Value`] written to a file: every
/// object's keys in sorted order, whatever the build. `serde_json::Map`
/// keeps insertion order when any crate of the build turns on serde_json's
/// `preserve_order` feature and sorts its keys otherwise, so a file written
/// from a `Value` as it is would depend on a library user's other
/// dependencies (cedar-policy, for one, turns it on).
pub(crate) fn sorted<S: serde::Serializer>(value: &Value, s: S) -> Result<S::Ok, S::Error> {
    Sorted(value).serialize(s)
}

struct Sorted<'a>(&'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                let mut out = s.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    out.serialize_entry(key, &Sorted(value))?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&Sorted(item))?;
                }
                out.end()
            }
            other => other.serialize(s),
        }
    }
}

/// A line break and the indentation of 64 levels.
const BREAK: &[u8] = b"\n                                                                                                                                ";

#[derive(Default)]
struct Pretty {
    depth: usize,
    /// Whether the array or object being written has an element yet.
    has_value: bool,
}

impl Pretty {
    fn newline<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        match BREAK.get(..1 + 2 * self.depth) {
            Some(text) => w.write_all(text),
            None => {
                w.write_all(b"\n")?;
                for _ in 0..self.depth {
                    w.write_all(b"  ")?;
                }
                Ok(())
            }
        }
    }

    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }

    fn element<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use proptest::prelude::*;

    use super::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z\"\\\\]{0,4}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn writes_what_serde_json_writes(v in value()) {
            prop_assert_eq!(to_string_pretty(&v, 0).unwrap(), serde_json::to_string_pretty(&v).unwrap());
        }
    }

    /// Sorted at every depth, whichever order the map keeps (insertion
    /// order with serde_json's `preserve_order`, which `.ci/run` also tests
    /// the renderers' snapshots with).
    #[test]
    fn sorted_keys_at_every_depth() {
        let mut inner = serde_json::Map::new();
        inner.insert("z".into(), Value::from(1));
        inner.insert("a".into(), Value::from(2));
        let mut outer = serde_json::Map::new();
        outer.insert("y".into(), Value::Array(vec![Value::Object(inner.clone())]));
        outer.insert("b".into(), Value::Object(inner));
        #[derive(Serialize)]
        struct File {
            #[serde(serialize_with = "sorted")]
            spec: Value,
        }
        let text = serde_json::to_string(&File {
            spec: Value::Object(outer),
        })
        .unwrap();
        assert_eq!(text, r#"{"spec":{"b":{"a":2,"z":1},"y":[{"a":2,"z":1}]}}"#);
    }

    /// Deeper than the line-break table.
    #[test]
    fn deep_values_too() {
        let wide = serde_json::json!([1, {"a": [], "b": {}, "c": [[], {}, [1, [2]]]}]);
        let mut deep = serde_json::json!("x");
        for _ in 0..100 {
            deep = serde_json::json!([{ "k": deep }]);
        }
        for v in [wide, deep] {
            assert_eq!(
                to_string_pretty(&v, 0).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
    }
}
