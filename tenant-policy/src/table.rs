//! An immutable hash table from short strings to small integers, with the
//! keys stored inline in 32-byte slots, so that a lookup usually touches a
//! single cache line.
//!
//! With thousands of tenants the compiled set no longer fits in the CPU
//! caches, and a decision's cost is its cache misses. A standard `HashMap`
//! keyed by `Box<str>` costs up to three misses per lookup (control bytes,
//! bucket, key text); this table costs one. One table per tenant holds all of
//! its names (resource kinds, actions, subjects), told apart by a namespace.

use std::hash::Hasher;

use crate::compile::{KeyHasher, Map};

/// Longest key stored inline; longer keys live in a side map.
const INLINE: usize = 22;

/// What kind of name a key is; the same text in two namespaces is two keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Space {
    Tenant = 0,
    Resource = 1,
    Action = 2,
    User = 3,
    ServiceAccount = 4,
    Group = 5,
}

const SPACES: usize = 6;

#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    /// Upper hash bits, never 0 in a used slot.
    tag: u32,
    value: u32,
    space: u8,
    len: u8,
    key: [u8; INLINE],
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    slots: Box<[Slot]>,
    mask: usize,
    long: Vec<Map<u32>>,
}

fn hash(space: Space, key: &str) -> u64 {
    let mut h = KeyHasher::default();
    h.write_u8(space as u8);
    h.write(key.as_bytes());
    h.finish()
}

fn tag(h: u64) -> u32 {
    // The high half, made non-zero; the low half picks the slot.
    ((h >> 32) as u32) | 1
}

impl Table {
    /// Builds a table; a later duplicate key replaces an earlier one.
    pub(crate) fn build<'k>(entries: impl IntoIterator<Item = (Space, &'k str, u32)>) -> Self {
        let entries: Vec<(Space, &str, u32)> = entries.into_iter().collect();
        // At most half full, so that probe sequences stay short.
        let capacity = (entries.len() * 2).max(8).next_power_of_two();
        let mut table = Table {
            slots: vec![Slot::default(); capacity].into_boxed_slice(),
            mask: capacity - 1,
            long: vec![Map::default(); SPACES],
        };
        for (space, key, value) in entries {
            table.insert(space, key, value);
        }
        table
    }

    fn insert(&mut self, space: Space, key: &str, value: u32) {
        if key.len() > INLINE {
            if let Some(map) = self.long.get_mut(space as usize) {
                map.insert(key.into(), value);
            }
            return;
        }
        let h = hash(space, key);
        let t = tag(h);
        let mut i = h as usize & self.mask;
        loop {
            let Some(slot) = self.slots.get_mut(i) else {
                return;
            };
            let same = slot.tag == t && slot.space == space as u8 && slot.text() == key.as_bytes();
            if slot.tag == 0 || same {
                let mut text = [0u8; INLINE];
                if let Some(prefix) = text.get_mut(..key.len()) {
                    prefix.copy_from_slice(key.as_bytes());
                }
                *slot = Slot {
                    tag: t,
                    value,
                    space: space as u8,
                    // `key.len() <= INLINE`, so it fits in a byte.
                    len: key.len() as u8,
                    key: text,
                };
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The value of `key` in `space`.
    pub(crate) fn get(&self, space: Space, key: &str) -> Option<u32> {
        if key.len() > INLINE {
            return self.long.get(space as usize)?.get(key).copied();
        }
        let h = hash(space, key);
        let t = tag(h);
        let mut i = h as usize & self.mask;
        loop {
            let slot = self.slots.get(i)?;
            if slot.tag == 0 {
                return None;
            }
            if slot.tag == t && slot.space == space as u8 && slot.text() == key.as_bytes() {
                return Some(slot.value);
            }
            i = (i + 1) & self.mask;
        }
    }
}

impl Slot {
    fn text(&self) -> &[u8] {
        self.key.get(..usize::from(self.len)).unwrap_or_default()
    }
}
