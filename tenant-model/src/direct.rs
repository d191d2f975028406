//! The direct reading: JSON text deserialized straight into a typed
//! document, with no JSON value in between, for documents that have no
//! problem (nearly all of them, in CI and in a validation run).
//!
//! It refuses at least everything the strict reading of [`crate::value`]
//! refuses: a key written twice (anywhere, also inside a value nobody
//! reads), a list where a mapping (a struct) is expected, a number that is
//! not finite. It reports nothing: a refusal only means that the document
//! goes the full way (value, migration, retries, positions), which finds
//! and words every problem. So it may refuse more than the strict reading
//! — it does for a whole number written with a fraction (`100.0`), which
//! the full way accepts where an integer is expected, but not as
//! `schema_version` — and it never accepts what the strict reading refuses.
//! A property test in `tests/direct.rs` holds the two together.
//!
//! Measured on 10 000 generated tenant documents (bench/README.md, table
//! 5): the value tree, its keys and strings, and the typed pass over it were
//! the largest share of validation; straight from the text they are one
//! pass that allocates only what the document keeps.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// A deserializer that refuses what the strict reading refuses; see the
/// module docs. The refusal's message is never shown.
pub(crate) struct Direct<D>(pub(crate) D);

/// Why the direct reading gave up (never shown: the document is then read
/// the full way, which says what is wrong).
const REFUSED: &str = "not read directly";

fn refused<E: de::Error>() -> E {
    E::custom(REFUSED)
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Direct<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(Checked::new(visitor))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_option(Checked::new(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // serde's derive reads a struct from a list too; the schema says
        // mapping.
        self.0
            .deserialize_struct(name, fields, Checked::mapping(visitor, fields))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0
            .deserialize_newtype_struct(name, Checked::new(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0
            .deserialize_enum(name, variants, Checked::new(visitor))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // A value nobody reads is still read strictly: the strict reading
        // builds the whole document first, so a key written twice in it
        // is refused there too.
        self.0.deserialize_any(Checked::new(Skip))?;
        visitor.visit_unit()
    }

    // As the strict reading's typed pass does (`value::Strict`), integers
    // are read from whatever number is written; a fraction is refused here
    // (see the module docs).
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

    // Everything else goes to `deserialize_any`, as in the strict
    // reading's typed pass: the visitor sees the value as written.
    serde::forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

impl<'de, D: Deserializer<'de>> Direct<D> {
    fn integer<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Checked {
            visitor,
            mapping_only: false,
            fields: &[],
            integer: true,
        })
    }
}

/// A visitor that checks what it is given before its inner visitor sees it,
/// and hands on every nested deserializer, sequence and mapping wrapped so
/// that the checks reach every depth.
struct Checked<V> {
    visitor: V,
    /// A struct is being read: a list is refused.
    mapping_only: bool,
    /// The struct's fields, if a struct is being read.
    fields: &'static [&'static str],
    /// An integer is being read: a number with a fraction is refused.
    integer: bool,
}

impl<V> Checked<V> {
    fn new(visitor: V) -> Self {
        Checked {
            visitor,
            mapping_only: false,
            fields: &[],
            integer: false,
        }
    }

    fn mapping(visitor: V, fields: &'static [&'static str]) -> Self {
        Checked {
            visitor,
            mapping_only: true,
            fields,
            integer: false,
        }
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Checked<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.visitor.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.visitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_u64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.visitor.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.visitor.visit_u128(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        if self.integer || !v.is_finite() {
            return Err(refused());
        }
        self.visitor.visit_f64(v)
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        self.visitor.visit_char(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.visitor.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visitor.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.visitor.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.visitor.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Direct(deserializer))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Direct(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if self.mapping_only {
            return Err(refused());
        }
        self.visitor.visit_seq(CheckedSeq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(CheckedMap {
            map,
            fields: self.fields,
            seen_fields: 0,
            keys: Keys::default(),
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(CheckedEnum(data))
    }
}

/// A seed whose deserializer is wrapped in [`Direct`].
struct DirectSeed<T>(T);

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for DirectSeed<T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T::Value, D::Error> {
        self.0.deserialize(Direct(deserializer))
    }
}

struct CheckedSeq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for CheckedSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(DirectSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// The keys of one mapping read so far (a struct's own fields aside). A
/// mapping is usually small, so a list is searched; past [`Keys::FEW`] keys
/// a hash set takes over, so a mapping with a million keys is still read in
/// linear time.
#[derive(Default)]
enum Keys<'de> {
    #[default]
    None,
    Few(Vec<Cow<'de, str>>),
    Many(HashSet<Cow<'de, str>>),
}

impl<'de> Keys<'de> {
    const FEW: usize = 16;

    fn contains(&self, key: &str) -> bool {
        match self {
            Keys::None => false,
            Keys::Few(keys) => keys.iter().any(|k| k == key),
            Keys::Many(keys) => keys.contains(key),
        }
    }

    fn insert(&mut self, key: Cow<'de, str>) {
        match self {
            Keys::None => *self = Keys::Few(vec![key]),
            Keys::Few(keys) if keys.len() < Self::FEW => keys.push(key),
            Keys::Few(keys) => {
                let mut set: HashSet<Cow<'de, str>> = keys.drain(..).collect();
                set.insert(key);
                *self = Keys::Many(set);
            }
            Keys::Many(keys) => {
                keys.insert(key);
            }
        }
    }
}

struct CheckedMap<'de, A> {
    map: A,
    /// A struct's fields: a key that is one of them (the first 64) is
    /// noted in `seen_fields` by its position, with no allocation.
    fields: &'static [&'static str],
    seen_fields: u64,
    /// Every other key.
    keys: Keys<'de>,
}

impl<A> CheckedMap<'_, A> {
    /// Notes `key`; whether it was seen before in this mapping.
    fn seen_before(&mut self, key: &str) -> Option<bool> {
        let field = self.fields.iter().take(64).position(|f| *f == key)?;
        let bit = 1u64 << field;
        let before = self.seen_fields & bit != 0;
        self.seen_fields |= bit;
        Some(before)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CheckedMap<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(Key(key)) = self.map.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        let field = match self.seen_before(&key) {
            Some(true) => return Err(refused()),
            Some(false) => true,
            None if self.keys.contains(&key) => return Err(refused()),
            None => false,
        };
        // The key is handed on as text, as the strict reading's typed pass
        // hands on the keys of its value.
        let read = match &key {
            Cow::Borrowed(text) => {
                seed.deserialize(de::value::BorrowedStrDeserializer::<A::Error>::new(text))
            }
            Cow::Owned(text) => seed.deserialize(de::value::StrDeserializer::<A::Error>::new(text)),
        }?;
        if !field {
            self.keys.insert(key);
        }
        Ok(Some(read))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(DirectSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A mapping's key as written, borrowed from the text where it has no
/// escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct CheckedEnum<A>(A);

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for CheckedEnum<A> {
    type Error = A::Error;
    type Variant = CheckedVariant<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(seed)
            .map(|(value, variant)| (value, CheckedVariant(variant)))
    }
}

struct CheckedVariant<A>(A);

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for CheckedVariant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(DirectSeed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Checked::new(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0
            .struct_variant(fields, Checked::mapping(visitor, fields))
    }
}

/// Reads a value nobody keeps, checking it as any other (through
/// [`Checked`]: keys written twice, numbers that are not finite).
struct Skip;

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        Ok(())
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Skip)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(SkipSeed)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(SkipSeed)?.is_some() {
            map.next_value_seed(SkipSeed)?;
        }
        Ok(())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        data.variant_seed(SkipSeed)?
            .1
            .newtype_variant_seed(SkipSeed)
    }
}

/// [`Skip`] as a seed. The deserializers it is given are already wrapped
/// (it is only reached through a [`Checked`] sequence or mapping).
struct SkipSeed;

impl<'de> DeserializeSeed<'de> for SkipSeed {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Skip)
    }
}

/// Reads `text` as JSON straight into `T`: `None` for anything the strict
/// reading would refuse and for anything this reading does not take (see
/// the module docs), and for text after the document.
pub(crate) fn read_json<T: de::DeserializeOwned>(text: &str) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Direct(&mut de)).ok()?;
    de.end().ok()?;
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Audit {
        enabled: bool,
        days: u32,
        #[serde(default)]
        labels: std::collections::BTreeMap<String, String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Loose {
        kept: u32,
    }

    #[test]
    fn a_clean_document_is_read() {
        assert_eq!(
            read_json::<Audit>(r#"{"days": 730, "enabled": true, "labels": {"a\u0062": "x"}}"#),
            Some(Audit {
                enabled: true,
                days: 730,
                labels: [("ab".to_owned(), "x".to_owned())].into(),
            })
        );
    }

    #[test]
    fn what_the_strict_reading_refuses_is_refused() {
        for text in [
            // A list for a mapping.
            "[true, 730]",
            r#"{"enabled": true, "days": 730, "labels": [["a", "b"]]}"#,
            // Keys written twice, also when written differently.
            r#"{"enabled": true, "days": 730, "days": 731}"#,
            r#"{"enabled": true, "days": 730, "labels": {"a": "x", "a": "y"}}"#,
            r#"{"enabled": true, "days": 730, "labels": {"a": "x", "\u0061": "y"}}"#,
            // A fraction where an integer is expected (the full way decides).
            r#"{"enabled": true, "days": 730.0}"#,
            // Numbers out of range, text after the document.
            r#"{"enabled": true, "days": 1e400}"#,
            r#"{"enabled": true, "days": 730} {}"#,
        ] {
            assert_eq!(read_json::<Audit>(text), None, "{text}");
        }
    }

    #[test]
    fn a_value_nobody_reads_is_still_checked() {
        assert_eq!(
            read_json::<Loose>(r#"{"kept": 1, "other": {"a": [{"b": 1}]}}"#),
            Some(Loose { kept: 1 })
        );
        assert_eq!(
            read_json::<Loose>(r#"{"kept": 1, "other": {"a": [{"b": 1, "b": 2}]}}"#),
            None
        );
    }

    #[test]
    fn large_mappings_find_their_duplicates() {
        let members: Vec<String> = (0..1000).map(|i| format!("\"k{i}\": \"v\"")).collect();
        let clean = format!(
            r#"{{"enabled": true, "days": 1, "labels": {{{}}}}}"#,
            members.join(", ")
        );
        assert_eq!(
            read_json::<Audit>(&clean).map(|a| a.labels.len()),
            Some(1000)
        );
        let twice = format!(
            r#"{{"enabled": true, "days": 1, "labels": {{{}, "k500": "w"}}}}"#,
            members.join(", ")
        );
        assert_eq!(read_json::<Audit>(&twice), None);
    }
}
