//! The document as a JSON value, read strictly: a key written twice and a
//! number that is not finite are problems (serde_json's own value keeps the
//! last key and turns `.nan` into null), and a list never stands for a
//! mapping when the value becomes a typed document.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::{Map, Value};

use crate::error::push_segment;
use crate::show::quote;

/// One step of the path to the value being read.
enum Step {
    Key(String),
    Index(usize),
}

/// What the reader has seen: where it is, and the first problem.
#[derive(Default)]
pub(crate) struct Reading {
    path: RefCell<Vec<Step>>,
    problem: RefCell<Option<(String, String)>>,
}

impl Reading {
    /// The pointer and message of the problem that stopped reading, if it
    /// was one of this module's (a duplicate key, a number that is not finite).
    pub(crate) fn take_problem(&self) -> Option<(String, String)> {
        self.problem.borrow_mut().take()
    }

    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for step in self.path.borrow().iter() {
            match step {
                Step::Key(key) => push_segment(&mut pointer, key),
                Step::Index(index) => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
            }
        }
        pointer
    }

    fn fail<E: de::Error>(&self, pointer: String, message: String) -> E {
        let error = E::custom(&message);
        *self.problem.borrow_mut() = Some((pointer, message));
        error
    }
}

/// Reads one value strictly; see the module docs.
pub(crate) struct StrictValue<'r>(pub(crate) &'r Reading);

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => u64::try_from(v).map(Value::from).map_err(|_| {
                self.0
                    .fail(self.0.pointer(), "number is out of range".to_owned())
            }),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        u64::try_from(v).map(Value::from).map_err(|_| {
            self.0
                .fail(self.0.pointer(), "number is out of range".to_owned())
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| {
                self.0.fail(
                    self.0.pointer(),
                    "expected a finite number, found `nan` or an infinity".to_owned(),
                )
            })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            self.0.path.borrow_mut().push(Step::Index(items.len()));
            let item = seq.next_element_seed(StrictValue(self.0))?;
            self.0.path.borrow_mut().pop();
            match item {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                let mut pointer = self.0.pointer();
                push_segment(&mut pointer, &key);
                return Err(self.0.fail(
                    pointer,
                    format!("duplicate key {}: each key is written once", quote(&key)),
                ));
            }
            self.0.path.borrow_mut().push(Step::Key(key));
            let value = access.next_value_seed(StrictValue(self.0))?;
            let key = match self.0.path.borrow_mut().pop() {
                Some(Step::Key(key)) => key,
                // The path is this visitor's own stack: what it pushed is on top.
                _ => {
                    return Err(de::Error::custom(
                        "internal error: the reading path is broken",
                    ));
                }
            };
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// A typed document read from a JSON value, refusing what serde's own value
/// deserializer lets pass: a list where a mapping (a struct) is expected.
#[derive(Clone, Copy)]
pub(crate) struct Strict<'v>(pub(crate) &'v Value);

impl<'de> Deserializer<'de> for Strict<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = StrictSeq(items.iter());
                let value = visitor.visit_seq(&mut seq)?;
                if seq.0.len() == 0 {
                    Ok(value)
                } else {
                    Err(de::Error::invalid_length(
                        items.len(),
                        &"fewer elements in the list",
                    ))
                }
            }
            Value::Object(map) => {
                let mut access = StrictMap {
                    entries: map.iter(),
                    value: None,
                };
                let value = visitor.visit_map(&mut access)?;
                if access.entries.len() == 0 {
                    Ok(value)
                } else {
                    Err(de::Error::invalid_length(
                        map.len(),
                        &"fewer members in the mapping",
                    ))
                }
            }
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(_) => Err(de::Error::invalid_type(Unexpected::Seq, &visitor)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // The model's enums hold at most a string, so serde_json's own enum
        // access is strict enough.
        self.0.deserialize_enum(name, variants, visitor)
    }

    // A whole number written with a fraction (`100.0`) is an integer to
    // JSON Schema, so it is one here too.
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.integer(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

impl<'de> Strict<'de> {
    /// An integer, from a number with no fraction however it is written.
    fn integer<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        if let Value::Number(n) = self.0
            && let Some(f) = n.as_f64().filter(|_| n.is_f64())
            && f.fract() == 0.0
        {
            // Exactly representable whole numbers only; `as` saturates,
            // and the round trip proves nothing was cut.
            #[expect(clippy::cast_possible_truncation, reason = "checked by the round trip")]
            let whole = f as i64;
            #[expect(clippy::cast_precision_loss, reason = "checked by the round trip")]
            if whole as f64 == f && whole.unsigned_abs() < (1u64 << 53) {
                return if whole >= 0 {
                    visitor.visit_u64(whole.unsigned_abs())
                } else {
                    visitor.visit_i64(whole)
                };
            }
        }
        self.deserialize_any(visitor)
    }
}

struct StrictSeq<'v>(std::slice::Iter<'v, Value>);

impl<'de> SeqAccess<'de> for StrictSeq<'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|item| seed.deserialize(Strict(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct StrictMap<'v> {
    entries: serde_json::map::Iter<'v>,
    value: Option<&'v Value>,
}

impl<'de> MapAccess<'de> for StrictMap<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(
                    de::value::BorrowedStrDeserializer::<serde_json::Error>::new(key.as_str()),
                )
                .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Strict(value)),
            None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn read_json(text: &str) -> Result<Value, (String, String)> {
        let reading = Reading::default();
        let mut de = serde_json::Deserializer::from_str(text);
        StrictValue(&reading).deserialize(&mut de).map_err(|e| {
            reading
                .take_problem()
                .unwrap_or_else(|| (String::new(), e.to_string()))
        })
    }

    #[test]
    fn duplicate_keys_are_problems_with_their_pointer() {
        assert_eq!(
            read_json(r#"{"a": {"b": [1, {"c": 1, "c": 2}]}}"#),
            Err((
                "/a/b/1/c".to_owned(),
                "duplicate key `c`: each key is written once".to_owned()
            ))
        );
        assert!(read_json(r#"{"a": 1, "b": {"a": 2}}"#).is_ok());
    }

    #[test]
    fn a_list_is_not_a_mapping() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only the shape matters")]
        struct Audit {
            enabled: bool,
            days: u32,
        }
        let value = serde_json::json!([true, 730]);
        assert!(serde_json::from_value::<Audit>(value.clone()).is_ok());
        let error = Audit::deserialize(Strict(&value)).unwrap_err().to_string();
        assert!(error.starts_with("invalid type: sequence"), "{error}");
        let value = serde_json::json!({"enabled": true, "days": 730});
        assert!(Audit::deserialize(Strict(&value)).is_ok());
    }
}
