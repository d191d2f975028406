//! A tenant's name table: resource kinds, actions and subjects in 16-byte
//! slots, four to a cache line, with short names stored inline and a
//! subject's first binding packed next to its name, so that a lookup
//! usually reads one cache line; the texts of long names follow the slots
//! in the same allocation, each addressed from its slot, so that confirming
//! a long name reads one more line.
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
/// represented by the high half of their hash and the position of their
/// text (the low half of `key`), and confirmed against that text.
const INLINE: usize = 8;

/// The part of a long name's `key` that is its hash.
const HASH_PART: u64 = 0xffff_ffff_0000_0000;

/// Words of a line: a long name's text is a length word, then its bytes,
/// eight to a word, zero-padded.
const WORDS_PER_LINE: usize = 2 * SLOTS_PER_LINE;

/// Words of a slot's place in a strided text region: a length word and up
/// to [`STRIDE_TEXT`] bytes; four slots' places are three lines.
const STRIDE_WORDS: usize = 6;

/// The longest name whose text has a fixed place per slot.
const STRIDE_TEXT: usize = (STRIDE_WORDS - 1) * 8;

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
    /// The expected `key` of the slot, in the bits of `mask`.
    key: u64,
    mask: u64,
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
        let (key, mask, len) = if bytes.len() <= INLINE {
            (pack(bytes), u64::MAX, bytes.len() as u64)
        } else {
            (hash & HASH_PART, HASH_PART, LONG)
        };
        Probe {
            hash,
            key,
            mask,
            tag: (space as u64 + 1) | len << 3,
        }
    }

    fn is_long(&self) -> bool {
        self.tag >> 3 == LONG
    }

    fn matches(&self, slot: &Slot) -> bool {
        slot.meta & 0x7f == self.tag && slot.key & self.mask == self.key
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

/// Up to eight bytes as a little-endian word, zero-padded.
fn pack(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let n = bytes.len().min(8);
    if let (Some(to), Some(from)) = (word.get_mut(..n), bytes.get(..n)) {
        to.copy_from_slice(from);
    }
    u64::from_le_bytes(word)
}

/// Word `w` of `lines`, counting two per slot.
fn word(lines: &[Line], w: usize) -> Option<u64> {
    let slot = slot(lines, w / 2)?;
    Some(if w.is_multiple_of(2) {
        slot.key
    } else {
        slot.meta
    })
}

/// The value found for a name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    /// Position of the slot.
    pub(crate) slot: u32,
    /// The slot's `key` (a long name's text position in its low half).
    key: u64,
    /// Field A: a subject's list offset.
    pub(crate) a: u32,
    /// Field B: a symbol, or a subject's packed first binding.
    pub(crate) b: u32,
}

/// Looks a probe up in `lines`, the slots of a table; a long name must then
/// be confirmed with [`confirm`].
fn lookup(lines: &[Line], probe: &Probe) -> Option<Found> {
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
            hits |= u32::from(probe.matches(slot)) << k;
            empty |= u32::from(slot.meta & 0x7f == 0) << k;
        }
        if hits != 0 {
            let k = hits.trailing_zeros() as usize;
            let slot = line.0.get(k)?;
            return Some(found(l * SLOTS_PER_LINE + k, slot));
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

fn found(i: usize, slot: &Slot) -> Found {
    Found {
        slot: i as u32,
        key: slot.key,
        a: (slot.meta >> 7) as u32 & LIST_FAR,
        b: (slot.meta >> 32) as u32,
    }
}

/// Whether the long name found is `name`: its text, at the position the
/// slot's key gives in `texts`, is compared word by word.
fn confirm(texts: &[Line], found: Found, name: &str) -> bool {
    let start = (found.key & !HASH_PART) as usize;
    let bytes = name.as_bytes();
    word(texts, start) == Some(bytes.len() as u64)
        && bytes
            .chunks(8)
            .enumerate()
            .all(|(i, chunk)| word(texts, start + 1 + i) == Some(pack(chunk)))
}

/// Looks a name up in a table whose first `slot_lines` lines are its slots
/// (the rest the texts of long names), confirming long names.
pub(crate) fn get(lines: &[Line], slot_lines: u32, probe: &Probe, name: &str) -> Option<Found> {
    // A table that does not split as its owner says is broken: nothing is
    // found in it.
    let (slots, texts) = lines.split_at_checked(slot_lines as usize)?;
    let found = lookup(slots, probe)?;
    if probe.is_long() && !confirm(texts, found, name) {
        // Two long names with the same 32-bit hash half: look further, slowly.
        return find_long(slots, texts, probe, name, found.slot);
    }
    Some(found)
}

#[cold]
fn find_long(
    slots: &[Line],
    texts: &[Line],
    probe: &Probe,
    name: &str,
    after: u32,
) -> Option<Found> {
    let capacity = slots.len() * SLOTS_PER_LINE;
    let mut i = after as usize;
    for _ in 0..capacity {
        i += 1;
        if i == capacity {
            i = 0;
        }
        let slot = slot(slots, i)?;
        if slot.meta & 0x7f == 0 {
            return None;
        }
        if probe.matches(slot) {
            let found = found(i, slot);
            if confirm(texts, found, name) {
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

/// Reads the lines a lookup of `probe` in the table will most likely read
/// (its home line of slots and, for a long name in a table whose texts are
/// strided, the places of that line's texts) without waiting for them:
/// called before other work, it lets those cache misses overlap the misses
/// of that work instead of following them. Only a hint: what it reads is
/// not used, and a table built otherwise is read the same way.
#[inline]
pub(crate) fn touch(lines: &[Line], slot_lines: u32, probe: &Probe) {
    let slot_lines = slot_lines as usize;
    let line = probe.start(slot_lines * SLOTS_PER_LINE) / SLOTS_PER_LINE;
    let mut sum = lines.get(line).map_or(0, |l| l.0[0].meta);
    if probe.is_long() {
        // The three lines of texts of the home line's four slots.
        let first = slot_lines + line * STRIDE_WORDS * SLOTS_PER_LINE / WORDS_PER_LINE;
        for k in 0..3 {
            sum ^= lines.get(first + k).map_or(0, |l| l.0[0].key);
        }
    }
    std::hint::black_box(sum);
}

/// A built table: its slots followed by the texts of long names, how many
/// lines the slots take, and the side table of far lists.
pub(crate) struct Built {
    pub(crate) lines: Box<[Line]>,
    pub(crate) slot_lines: u32,
    pub(crate) far: FarLists,
}

/// Builds a table from (namespace, name, field A, field B); names must be
/// unique within a namespace.
pub(crate) fn build(entries: &[(Space, &str, u32, u32)]) -> Built {
    // At most about 70 % full: probes stay within a line or two.
    let lines = (entries.len() * 10 / 7 / SLOTS_PER_LINE + 1).max(1);
    let capacity = lines * SLOTS_PER_LINE;
    let mut slots = vec![Line::default(); lines].into_boxed_slice();
    // The texts of long names, as words; one that fits a line does not
    // straddle two.
    //
    // When long names are common, the texts of those up to
    // [`STRIDE_TEXT`] bytes sit at a fixed place per slot (slot `i` at word
    // `i * STRIDE_WORDS`), so that where a name's text is follows from its
    // hash like its slot does, and both can be read at once (see
    // [`touch`]); longer names follow that region.
    let long = entries
        .iter()
        .filter(|(_, name, _, _)| name.len() > INLINE)
        .count();
    let strided = long * 4 >= entries.len() && long > 0;
    let mut texts: Vec<u64> = if strided {
        vec![0; capacity * STRIDE_WORDS]
    } else {
        Vec::new()
    };
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
        let key = if probe.is_long() && strided && name.len() <= STRIDE_TEXT {
            let start = i * STRIDE_WORDS;
            if let Some(place) = texts.get_mut(start..start + STRIDE_WORDS) {
                let mut words =
                    std::iter::once(name.len() as u64).chain(name.as_bytes().chunks(8).map(pack));
                for word in place.iter_mut() {
                    *word = words.next().unwrap_or(0);
                }
            }
            probe.key | u64::from(u32::try_from(start).unwrap_or(u32::MAX))
        } else if probe.is_long() {
            let words = 1 + name.len().div_ceil(8);
            let used = texts.len() % WORDS_PER_LINE;
            if words <= WORDS_PER_LINE && used + words > WORDS_PER_LINE {
                texts.resize(texts.len() + WORDS_PER_LINE - used, 0);
            }
            // A position that does not fit (texts of 32 GiB) is never
            // confirmed: the name is not found.
            let start = u32::try_from(texts.len()).unwrap_or(u32::MAX);
            texts.push(name.len() as u64);
            texts.extend(name.as_bytes().chunks(8).map(pack));
            probe.key | u64::from(start)
        } else {
            probe.key
        };
        if let Some(place) = place {
            *place = Slot {
                key,
                meta: probe.tag | u64::from(field_a) << 7 | u64::from(b) << 32,
            };
        }
    }
    far.sort_unstable_by_key(|(slot, _)| *slot);
    let text_lines = texts.chunks(WORDS_PER_LINE).map(|words| {
        let w = |k: usize| words.get(k).copied().unwrap_or(0);
        Line([0, 1, 2, 3].map(|s| Slot {
            key: w(2 * s),
            meta: w(2 * s + 1),
        }))
    });
    let slot_lines = u32::try_from(slots.len()).unwrap_or(u32::MAX);
    Built {
        lines: slots.iter().copied().chain(text_lines).collect(),
        slot_lines,
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
            get(
                &built.lines,
                built.slot_lines,
                &Probe::new(space, name),
                name,
            )
            .map(|f| (f.a, f.b))
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
    fn long_names_whose_hash_halves_collide_are_told_apart_by_their_text() {
        // Find two long ids whose hashes share the high half kept in a slot.
        let mut seen = std::collections::HashMap::new();
        let mut pair = None;
        for i in 0u32..400_000 {
            let name = format!("user-{i:08}@collide.example");
            let half = Probe::new(Space::User, &name).hash & HASH_PART;
            if let Some(other) = seen.insert(half, name.clone()) {
                pair = Some((other, name));
                break;
            }
        }
        let (a, b) = pair.unwrap();
        let find = |built: &Built, name: &str| {
            get(
                &built.lines,
                built.slot_lines,
                &Probe::new(Space::User, name),
                name,
            )
            .map(|f| f.b)
        };
        let both = build(&[(Space::User, &a, 0, 1), (Space::User, &b, 0, 2)]);
        assert_eq!(find(&both, &a), Some(1));
        assert_eq!(find(&both, &b), Some(2));
        let one = build(&[(Space::User, &a, 0, 1)]);
        assert_eq!(find(&one, &a), Some(1));
        assert_eq!(find(&one, &b), None);
    }

    #[test]
    fn a_table_that_does_not_split_as_said_finds_nothing() {
        let name = "a-service-account-with-a-long-id";
        let built = build(&[(Space::ServiceAccount, name, 0, 9)]);
        let probe = Probe::new(Space::ServiceAccount, name);
        assert!(get(&built.lines, built.slot_lines, &probe, name).is_some());
        let too_many = u32::try_from(built.lines.len()).unwrap() + 1;
        assert!(get(&built.lines, too_many, &probe, name).is_none());
        // Without its texts a long name is not confirmed.
        let slots = built.lines.get(..built.slot_lines as usize).unwrap();
        assert!(get(slots, built.slot_lines, &probe, name).is_none());
    }

    #[test]
    fn long_names_are_found_with_strided_and_appended_texts() {
        // Mostly long names (the texts get a place per slot), of every
        // length from 9 to 70 bytes (past the strided place: appended), with
        // short names among them, in two namespaces.
        let names: Vec<String> = (0..600)
            .map(|i| {
                let len = 9 + i % 62;
                let base = format!("{i:04}-{}", "x".repeat(len));
                base.get(..len).unwrap_or(&base).to_string()
            })
            .chain((0..100).map(|i| format!("s{i}")))
            .collect();
        let entries: Vec<(Space, &str, u32, u32)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let space = if i % 3 == 0 {
                    Space::ServiceAccount
                } else {
                    Space::User
                };
                (space, n.as_str(), 0, i as u32)
            })
            .collect();
        let built = build(&entries);
        let capacity = built.slot_lines as usize * SLOTS_PER_LINE;
        assert!(
            built.lines.len() - built.slot_lines as usize
                >= capacity * STRIDE_WORDS / WORDS_PER_LINE,
            "the texts are strided"
        );
        let find = |space, name: &str| {
            get(
                &built.lines,
                built.slot_lines,
                &Probe::new(space, name),
                name,
            )
        };
        for &(space, name, _, b) in &entries {
            touch(&built.lines, built.slot_lines, &Probe::new(space, name));
            assert_eq!(find(space, name).map(|f| f.b), Some(b), "{name}");
            let other = if space == Space::User {
                Space::ServiceAccount
            } else {
                Space::User
            };
            assert!(find(other, name).is_none());
            // One byte more or less is another name.
            assert!(find(space, &format!("{name}x")).is_none());
            let shorter = name.get(..name.len() - 1).unwrap_or("");
            if !names.iter().any(|n| n == shorter) {
                assert!(find(space, shorter).is_none());
            }
        }
        // Touching any probe of any table reads within it or nothing.
        for table in [build(&[]), build(&entries[..1]), build(&entries[650..])] {
            for name in ["", "short", "a-long-name-of-more-than-eight"] {
                touch(
                    &table.lines,
                    table.slot_lines,
                    &Probe::new(Space::User, name),
                );
                touch(&table.lines, u32::MAX, &Probe::new(Space::User, name));
            }
        }
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
            let found = get(
                &built.lines,
                built.slot_lines,
                &Probe::new(Space::User, n),
                n,
            );
            assert_eq!(found.map(|f| f.b), Some(i as u32));
        }
        assert!(
            get(
                &built.lines,
                built.slot_lines,
                &Probe::new(Space::User, "nobody"),
                "nobody"
            )
            .is_none()
        );
    }
}
