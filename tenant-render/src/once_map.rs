//! A map of values computed once each, shared by the targets of a render.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Values by key, each computed once, by the first caller that asks for
/// it: a caller asking for the same key meanwhile waits for that value
/// instead of computing it too, and different keys are computed in
/// parallel (no lock is held while computing).
///
/// The targets that share a memo (the rule groups, each tenant's alerting)
/// run at the same time and walk the tenants in the same order, so with a
/// plain check-then-insert map two of them computed the same tenant's
/// value side by side.
pub(crate) struct OnceMap<V> {
    cells: Mutex<HashMap<String, Arc<OnceLock<V>>>>,
}

impl<V> Default for OnceMap<V> {
    fn default() -> Self {
        OnceMap {
            cells: Mutex::default(),
        }
    }
}

impl<V: Clone> OnceMap<V> {
    /// The value of `key`, computed by `make` if nobody has.
    pub(crate) fn get_or(&self, key: &str, make: impl FnOnce() -> V) -> V {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            match cells.get(key) {
                Some(cell) => Arc::clone(cell),
                None => {
                    let cell = Arc::new(OnceLock::new());
                    cells.insert(key.to_owned(), Arc::clone(&cell));
                    cell
                }
            }
        };
        cell.get_or_init(make).clone()
    }

    /// Every value computed so far, leaving the map empty.
    pub(crate) fn take(&self) -> Vec<V> {
        let cells = std::mem::take(&mut *self.cells.lock().unwrap_or_else(PoisonError::into_inner));
        cells
            .into_values()
            .filter_map(|cell| Arc::try_unwrap(cell).ok().and_then(OnceLock::into_inner))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Eight threads asking for the same keys at once: each value is
    /// computed once, and everyone gets it.
    #[test]
    fn each_value_is_computed_once_however_many_ask() {
        let map = OnceMap::default();
        let made = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for k in 0..200 {
                        let v = map.get_or(&format!("k{k}"), || {
                            made.fetch_add(1, Ordering::Relaxed);
                            std::thread::yield_now();
                            k * 2
                        });
                        assert_eq!(v, k * 2);
                    }
                });
            }
        });
        assert_eq!(made.load(Ordering::Relaxed), 200);
        let mut all = map.take();
        all.sort_unstable();
        assert_eq!(all, (0..200).map(|k| k * 2).collect::<Vec<_>>());
        assert!(map.take().is_empty());
    }
}
