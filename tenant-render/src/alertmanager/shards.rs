//! The sharded layout of the shared routing tree: the tenants, sorted by
//! slug, cut into shards of consecutive slugs that one anchored regex on
//! the slug's first characters selects, so that an alert walks a few
//! dozen regex routes and one shard's equality routes instead of every
//! tenant's route.
//!
//! A shard is a prefix `p` and a set of next characters: its regex is
//! `p[cs].*` (`p` followed by one of `cs`, then anything), with
//! `p(?:[cs].*)?` when the slug `p` itself belongs to it too, or just `p`.
//! The shards come from a trie walk: the slugs sharing a prefix are split
//! by their next character only when there are more of them than fit in
//! a shard, and consecutive siblings are merged while they fit, so the
//! shards are disjoint, cover every slug, and hold at most `capacity`
//! tenants each (a single slug is always a shard of one). Which shard a
//! slug falls in depends on the slug and on which other slugs share its
//! prefix: adding tenants can move a tenant to a new outer route, never
//! change what its own route says.

use crate::escape::regex;

/// One outer route of the sharded tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shard {
    /// The RE2 regex (unanchored text; Alertmanager anchors it) that
    /// matches the slugs of this shard and no other shard's.
    pub(crate) pattern: String,
    /// The range of the sorted slugs this shard holds.
    pub(crate) range: std::ops::Range<usize>,
}

/// The number of tenants a shard holds at most for `tenants` tenants:
/// the square root, rounded up. It balances the two walks an alert
/// makes (the outer regex routes, then one shard's tenant routes).
pub(crate) fn capacity(tenants: usize) -> usize {
    let mut root = 1;
    while root * root < tenants {
        root += 1;
    }
    root
}

/// The shards of `slugs`, which must be sorted and distinct (non-empty
/// strings); each shard holds at most `capacity` (at least 1) of them.
pub(crate) fn shards(slugs: &[&str], capacity: usize) -> Vec<Shard> {
    let mut out = Vec::new();
    split(slugs, 0, "", capacity.max(1), &mut out);
    out
}

/// A group of slugs below a prefix: the slug equal to the prefix (`next`
/// `None`), or those whose next character is `next`.
struct Group {
    next: Option<char>,
    range: std::ops::Range<usize>,
}

/// Shards the slugs `slugs[offset..offset + part.len()]` (= `part`),
/// which all start with `prefix`. The recursion is at most as deep as the
/// longest slug (63 bytes).
fn split(part: &[&str], offset: usize, prefix: &str, capacity: usize, out: &mut Vec<Shard>) {
    let mut groups: Vec<Group> = Vec::new();
    for (i, slug) in part.iter().enumerate() {
        let next = slug
            .get(prefix.len()..)
            .and_then(|rest| rest.chars().next());
        match groups.last_mut() {
            Some(group) if group.next == next => group.range.end = offset + i + 1,
            _ => groups.push(Group {
                next,
                range: offset + i..offset + i + 1,
            }),
        }
    }
    let mut pending: Vec<Group> = Vec::new();
    let mut pending_len = 0;
    for group in groups {
        let len = group.range.len();
        match group.next {
            // A group too large for one shard is split by the character
            // after it (the sorted order keeps each group contiguous).
            Some(c) if len > capacity => {
                flush(prefix, &mut pending, &mut pending_len, out);
                let mut longer = String::with_capacity(prefix.len() + c.len_utf8());
                longer.push_str(prefix);
                longer.push(c);
                let inner = part
                    .get(group.range.start - offset..group.range.end - offset)
                    .unwrap_or_default();
                split(inner, group.range.start, &longer, capacity, out);
            }
            _ => {
                if pending_len + len > capacity {
                    flush(prefix, &mut pending, &mut pending_len, out);
                }
                pending_len += len;
                pending.push(group);
            }
        }
    }
    flush(prefix, &mut pending, &mut pending_len, out);
}

/// Emits the merged groups `pending` (consecutive siblings below `prefix`)
/// as one shard.
fn flush(prefix: &str, pending: &mut Vec<Group>, pending_len: &mut usize, out: &mut Vec<Shard>) {
    let (Some(first), Some(last)) = (pending.first(), pending.last()) else {
        return;
    };
    let range = first.range.start..last.range.end;
    let exact = pending.iter().any(|g| g.next.is_none());
    let next: Vec<char> = pending.iter().filter_map(|g| g.next).collect();
    let mut pattern = regex::literal(prefix);
    match (exact, next.is_empty()) {
        (_, true) => {}
        (false, false) => {
            pattern.push_str(&regex::one_of(&next));
            pattern.push_str(".*");
        }
        (true, false) => {
            pattern.push_str("(?:");
            pattern.push_str(&regex::one_of(&next));
            pattern.push_str(".*)?");
        }
    }
    out.push(Shard { pattern, range });
    pending.clear();
    *pending_len = 0;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    #![allow(clippy::indexing_slicing, reason = "test code")]

    use proptest::prelude::*;

    use super::*;

    fn anchored(pattern: &str) -> ::regex::Regex {
        ::regex::Regex::new(&format!("^(?:{pattern})$")).unwrap()
    }

    /// Every slug is matched by its own shard's regex and by no other;
    /// the shards cover the slugs in order; none holds more than
    /// `capacity`; no regex matches the empty string (an alert without a
    /// tenant label) or the extra strings.
    fn check(slugs: &[&str], capacity: usize, others: &[&str]) -> Vec<Shard> {
        let shards = shards(slugs, capacity);
        let regexes: Vec<_> = shards.iter().map(|s| anchored(&s.pattern)).collect();
        let mut next = 0;
        for shard in &shards {
            assert_eq!(shard.range.start, next, "{shards:?}");
            assert!(!shard.range.is_empty(), "{shards:?}");
            assert!(shard.range.len() <= capacity.max(1), "{shards:?}");
            next = shard.range.end;
        }
        assert_eq!(next, slugs.len(), "{shards:?}");
        for (i, slug) in slugs.iter().enumerate() {
            for (shard, re) in shards.iter().zip(&regexes) {
                assert_eq!(
                    re.is_match(slug),
                    shard.range.contains(&i),
                    "{slug} against {shard:?}"
                );
            }
        }
        for other in std::iter::once(&"").chain(others) {
            let hits = regexes.iter().filter(|re| re.is_match(other)).count();
            assert!(hits <= 1, "{other:?} matches {hits} shards");
        }
        assert!(regexes.iter().all(|re| !re.is_match("")));
        shards
    }

    fn patterns(shards: &[Shard]) -> Vec<&str> {
        shards.iter().map(|s| s.pattern.as_str()).collect()
    }

    #[test]
    fn small_sets_are_cut_on_the_first_character() {
        let slugs = ["acme-music", "beatforge", "lofi-labs"];
        assert_eq!(patterns(&check(&slugs, 3, &[])), ["[abl].*"]);
        assert_eq!(patterns(&check(&slugs, 2, &[])), ["[ab].*", "l.*"]);
        assert_eq!(patterns(&check(&slugs, 1, &[])), ["a.*", "b.*", "l.*"]);
    }

    #[test]
    fn a_shared_prefix_is_split_further() {
        // The bench's slugs: every one starts with `t0`.
        let owned: Vec<String> = (0..1000).map(|i| format!("t{i:05}-acme")).collect();
        let slugs: Vec<&str> = owned.iter().map(String::as_str).collect();
        let shards = check(&slugs, capacity(slugs.len()), &["t00000-acm", "t1", "t"]);
        assert_eq!(capacity(1000), 32);
        assert_eq!(shards[0].pattern, "t000[0-2].*");
        assert_eq!(shards[3].pattern, "t0009.*");
        assert_eq!(shards.len(), 40);
    }

    #[test]
    fn a_slug_that_prefixes_others_is_held_exactly() {
        let slugs = ["abc", "abc-a", "abc-b", "abcd", "abd"];
        let shards = check(&slugs, 2, &["ab", "abcx", "abc-"]);
        assert_eq!(patterns(&shards), ["abc", "abc-.*", "abcd.*", "abd.*"]);
        let shards = check(&slugs, 1, &["ab", "abc-"]);
        assert_eq!(
            patterns(&shards),
            ["abc", "abc-a.*", "abc-b.*", "abcd.*", "abd.*"]
        );
        let slugs = ["abc", "abcd", "abce", "abcf", "abd"];
        let shards = check(&slugs, 3, &["ab", "abcx", "abcdx", "abce-"]);
        assert_eq!(patterns(&shards), ["abc(?:[de].*)?", "abcf.*", "abd.*"]);
    }

    #[test]
    fn capacity_is_the_rounded_up_square_root() {
        assert_eq!(
            [0, 1, 2, 4, 5, 100, 101, 10_000].map(capacity),
            [1, 1, 2, 2, 3, 10, 11, 100]
        );
    }

    proptest! {
        #[test]
        fn shards_partition_any_slug_set(
            set in proptest::collection::btree_set("[a-c][a-c0-1-]{0,5}", 1..60),
            capacity in 1usize..10,
            others in proptest::collection::vec("[a-c0-1-]{0,6}", 0..20),
        ) {
            let slugs: Vec<&str> = set.iter().map(String::as_str).collect();
            let others: Vec<&str> = others.iter().map(String::as_str).collect();
            check(&slugs, capacity, &others);
        }
    }
}
