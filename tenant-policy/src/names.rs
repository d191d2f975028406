//! A tenant's name table: resource kinds, actions and subjects in 16-byte
//! slots, four to a cache line, with short names stored inline and a
//! subject's first binding packed next to its name, so that a lookup
//! usually reads one cache line.
//!
//! With thousands of tenants a decision's cost is its cache misses, and
//! misses that depend on each other cost the most. A tenant's subjects are
//! their own allocation, whose address the policy set's tenant table holds,
//! so that the principal's line is the only part of the tenant a typical
//! decision reads from memory, and it reads it right after finding the
//! tenant. Resource kinds and actions are in a table of their own, shared by
//! the tenants that agree on it (see `Rules`), so it stays in the caches.

use std::hash::Hasher;

use crate::compile::KeyHasher;
use crate::table::Space;

/// Names of at most this many bytes are compared inline; longer names are
/// represented by their hash and confirmed against [`LongNames`].
const INLINE: usize = 8;

/// The length code of a long name.
const LONG: u64 = 15;

/// Marks a slot whose subject has no binding packed inline.
pub(crate) const NO_FIRST: u32 = u32::MAX;

/// Marks a subject whose binding list offset did not fit its field.
const LIST_FAR: u32 = (1 << 25) - 1;

/// One slot: a name and its value.
///
/// `meta` holds, from the low bits: the namespace plus one (3 bits, 0 for
/// an empty slot), the length code (4 bits: 0..=8, or [`LONG`]), field A
/// (25 bits) and field B (32 bits). For resource kinds and actions field B
/// is the symbol. For subjects field A is the offset of their further
/// bindings in the binding lists (0 for none) and field B their first
/// binding packed as index (16 bits), role (8 bits) and condition set
/// (8 bits), or [`NO_FIRST`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(C, align(16))]
pub(crate) struct Slot {
    key: u64,
    meta: u64,
}

/// Four slots, one cache line: a probe starts at the first slot of a line,
/// so that a name usually sits in the one line its hash picks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(C, align(64))]
pub(crate) struct Line([Slot; SLOTS_PER_LINE]);

const SLOTS_PER_LINE: usize = 4;

fn slot(lines: &[Line], i: usize) -> Option<&Slot> {
    lines.get(i / SLOTS_PER_LINE)?.0.get(i % SLOTS_PER_LINE)
}

/// A probe of the table: everything about a request string that does not
/// depend on the tenant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Probe {
    hash: u64,
    /// The expected `key` of the slot.
    key: u64,
    /// The expected low 7 bits of `meta`.
    tag: u64,
}

impl Probe {
    pub(crate) fn new(space: Space, name: &str) -> Self {
        let bytes = name.as_bytes();
        let mut h = KeyHasher::default();
        h.write_u8(space as u8);
        h.write(bytes);
        let hash = h.finish();
        let (key, len) = if bytes.len() <= INLINE {
            let mut word = [0u8; 8];
            if let Some(prefix) = word.get_mut(..bytes.len()) {
                prefix.copy_from_slice(bytes);
            }
            (u64::from_le_bytes(word), bytes.len() as u64)
        } else {
            (hash, LONG)
        };
        Probe {
            hash,
            key,
            tag: (space as u64 + 1) | len << 3,
        }
    }

    fn is_long(&self) -> bool {
        self.tag >> 3 == LONG
    }

    /// The first slot to look at in a table of `capacity` slots: the
    /// first of a line.
    fn start(&self, capacity: usize) -> usize {
        // Lemire's range reduction of the high half: any number of lines
        // works, so the table needs no power-of-two padding.
        let lines = (capacity / SLOTS_PER_LINE) as u64;
        (((self.hash >> 32) * lines) >> 32) as usize * SLOTS_PER_LINE
    }
}

/// The value found for a name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    /// Position of the slot (used to confirm long names).
    pub(crate) slot: u32,
    /// Field A: a subject's list offset.
    pub(crate) a: u32,
    /// Field B: a symbol, or a subject's packed first binding.
    pub(crate) b: u32,
}

/// Looks a probe up in `slots`; a long name must then be confirmed with
/// [`LongNames::confirm`].
pub(crate) fn lookup(lines: &[Line], probe: &Probe) -> Option<Found> {
    let count = lines.len();
    let mut l = probe.start(count * SLOTS_PER_LINE) / SLOTS_PER_LINE;
    // The table is never full, so a line with an empty slot ends every
    // probe; the bound only guards against a table built otherwise.
    for _ in 0..count {
        let line = lines.get(l)?;
        // The four slots are compared without branches: where in its line a
        // name sits is random, and a mispredicted branch per lookup would
        // cost more than the comparisons.
        let mut hits = 0u32;
        let mut empty = 0u32;
        for (k, slot) in line.0.iter().enumerate() {
            let tag = slot.meta & 0x7f;
            hits |= u32::from(tag == probe.tag && slot.key == probe.key) << k;
            empty |= u32::from(tag == 0) << k;
        }
        if hits != 0 {
            let k = hits.trailing_zeros() as usize;
            let slot = line.0.get(k)?;
            return Some(Found {
                slot: (l * SLOTS_PER_LINE + k) as u32,
                a: (slot.meta >> 7) as u32 & LIST_FAR,
                b: (slot.meta >> 32) as u32,
            });
        }
        if empty != 0 {
            return None;
        }
        l += 1;
        if l == count {
            l = 0;
        }
    }
    None
}

/// The texts of long names, by slot position, to confirm a hash match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct LongNames(Vec<(u32, Box<str>)>);

impl LongNames {
    pub(crate) fn confirm(&self, found: Found, name: &str) -> bool {
        self.0
            .binary_search_by_key(&found.slot, |(slot, _)| *slot)
            .ok()
            .and_then(|i| self.0.get(i))
            .is_some_and(|(_, text)| **text == *name)
    }
}

/// Looks a name up, confirming long names.
pub(crate) fn get(lines: &[Line], long: &LongNames, probe: &Probe, name: &str) -> Option<Found> {
    let found = lookup(lines, probe)?;
    if probe.is_long() && !long.confirm(found, name) {
        // Two long names with the same 64-bit hash: look further, slowly.
        return find_long(lines, long, probe, name, found.slot);
    }
    Some(found)
}

#[cold]
fn find_long(
    lines: &[Line],
    long: &LongNames,
    probe: &Probe,
    name: &str,
    after: u32,
) -> Option<Found> {
    let capacity = lines.len() * SLOTS_PER_LINE;
    let mut i = after as usize;
    for _ in 0..capacity {
        i += 1;
        if i == capacity {
            i = 0;
        }
        let slot = slot(lines, i)?;
        let tag = slot.meta & 0x7f;
        if tag == 0 {
            return None;
        }
        if tag == probe.tag && slot.key == probe.key {
            let found = Found {
                slot: i as u32,
                a: (slot.meta >> 7) as u32 & LIST_FAR,
                b: (slot.meta >> 32) as u32,
            };
            if long.confirm(found, name) {
                return Some(found);
            }
        }
    }
    None
}

/// A subject's further bindings that did not fit a slot's list field.
#[derive(Debug, Clone, Default)]
pub(crate) struct FarLists(Vec<(u32, u32)>);

impl FarLists {
    /// The list offset of a found subject.
    pub(crate) fn offset(&self, found: Found) -> u32 {
        if found.a != LIST_FAR {
            return found.a;
        }
        self.0
            .binary_search_by_key(&found.slot, |(slot, _)| *slot)
            .ok()
            .and_then(|i| self.0.get(i))
            .map_or(0, |(_, offset)| *offset)
    }
}

/// Packs a binding for field B, if its parts fit.
pub(crate) fn pack_first(binding: u32, role: u32, condition: u32) -> u32 {
    if binding < 0xffff && role < 0xff && condition < 0xff {
        binding << 16 | role << 8 | condition
    } else {
        NO_FIRST
    }
}

/// Unpacks field B of a subject: binding index, role, condition set.
pub(crate) fn unpack_first(b: u32) -> Option<(u32, u32, u32)> {
    (b != NO_FIRST).then_some((b >> 16, b >> 8 & 0xff, b & 0xff))
}

/// A built table: its slots and the side tables.
pub(crate) struct Built {
    pub(crate) slots: Box<[Line]>,
    pub(crate) long: LongNames,
    pub(crate) far: FarLists,
}

/// Builds a table from (namespace, name, field A, field B); names must be
/// unique within a namespace.
pub(crate) fn build(entries: &[(Space, &str, u32, u32)]) -> Built {
    // At most about 70 % full: probes stay within a line or two.
    let lines = (entries.len() * 10 / 7 / SLOTS_PER_LINE + 1).max(1);
    let capacity = lines * SLOTS_PER_LINE;
    let mut slots = vec![Line::default(); lines].into_boxed_slice();
    let mut long = Vec::new();
    let mut far = Vec::new();
    for &(space, name, a, b) in entries {
        let probe = Probe::new(space, name);
        let mut i = probe.start(capacity);
        while slot(&slots, i).is_some_and(|s| s.meta & 0x7f != 0) {
            i += 1;
            if i == capacity {
                i = 0;
            }
        }
        let field_a = if a >= LIST_FAR {
            far.push((i as u32, a));
            LIST_FAR
        } else {
            a
        };
        let place = slots
            .get_mut(i / SLOTS_PER_LINE)
            .and_then(|line| line.0.get_mut(i % SLOTS_PER_LINE));
        if let Some(place) = place {
            *place = Slot {
                key: probe.key,
                meta: probe.tag | u64::from(field_a) << 7 | u64::from(b) << 32,
            };
        }
        if probe.is_long() {
            long.push((i as u32, name.into()));
        }
    }
    long.sort_unstable_by_key(|(slot, _)| *slot);
    far.sort_unstable_by_key(|(slot, _)| *slot);
    Built {
        slots,
        long: LongNames(long),
        far: FarLists(far),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_short_and_long_names_in_their_namespace_only() {
        let long = "a-service-account-with-a-long-id";
        let entries = [
            (Space::User, "u1", 0, 7),
            (Space::Group, "u1", 3, 8),
            (Space::ServiceAccount, long, 0, 9),
            (Space::User, "exactly8", 0, 10),
        ];
        let built = build(&entries);
        let find = |space, name: &str| {
            get(&built.slots, &built.long, &Probe::new(space, name), name).map(|f| (f.a, f.b))
        };
        assert_eq!(find(Space::User, "u1"), Some((0, 7)));
        assert_eq!(find(Space::Group, "u1"), Some((3, 8)));
        assert_eq!(find(Space::ServiceAccount, long), Some((0, 9)));
        assert_eq!(find(Space::User, "exactly8"), Some((0, 10)));
        assert_eq!(find(Space::User, "u1\0"), None);
        assert_eq!(find(Space::User, long), None);
        assert_eq!(find(Space::ServiceAccount, &long[1..]), None);
        assert_eq!(find(Space::User, "exactly9!"), None);
        assert_eq!(find(Space::Resource, "u1"), None);
    }

    #[test]
    fn a_full_line_continues_in_the_next() {
        let names: Vec<String> = (0..200).map(|i| format!("user-{i}")).collect();
        let entries: Vec<(Space, &str, u32, u32)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (Space::User, n.as_str(), 0, i as u32))
            .collect();
        let built = build(&entries);
        for (i, n) in names.iter().enumerate() {
            let found = get(&built.slots, &built.long, &Probe::new(Space::User, n), n);
            assert_eq!(found.map(|f| f.b), Some(i as u32));
        }
        assert!(
            get(
                &built.slots,
                &built.long,
                &Probe::new(Space::User, "nobody"),
                "nobody"
            )
            .is_none()
        );
    }
}
