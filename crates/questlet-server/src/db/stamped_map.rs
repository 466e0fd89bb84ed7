//! A map of rows this process read, kept where it sees every write that could change them
//! (SQLite, see `changes.rs`), and dropped by those writes.
//!
//! Every commit that may change remembered rows calls [`StampedMap::forget`] (or
//! [`StampedMap::forget_all`]) for them, after the commit. A reader that missed takes a
//! [`stamp`] before it queries and stores what it read only if nothing was forgotten since
//! ([`StampedMap::insert_if_unchanged`]), so a row read before a commit can never outlive
//! it. The map is bounded: when full it starts over.
//!
//! [`stamp`]: StampedMap::stamp

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Mutex;

/// Most entries remembered.
const CAPACITY: usize = 100_000;

#[derive(Debug)]
struct Inner<K, V> {
    /// Raised by every forget.
    stamp: u64,
    entries: HashMap<K, V>,
}

/// See the module docs.
#[derive(Debug)]
pub(crate) struct StampedMap<K, V>(Mutex<Inner<K, V>>);

impl<K, V> Default for StampedMap<K, V> {
    fn default() -> Self {
        Self(Mutex::new(Inner {
            stamp: 0,
            entries: HashMap::new(),
        }))
    }
}

impl<K: Eq + Hash, V: Clone> StampedMap<K, V> {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Taken before reading the database on a miss.
    pub(crate) fn stamp(&self) -> u64 {
        self.inner().stamp
    }

    /// The remembered value of `key`.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        self.inner().entries.get(key).cloned()
    }

    /// Remembers what was read since `stamp`, unless a commit has forgotten anything since.
    pub(crate) fn insert_if_unchanged(&self, stamp: u64, key: K, value: V) {
        let mut inner = self.inner();
        if inner.stamp != stamp {
            return;
        }
        if inner.entries.len() >= CAPACITY {
            inner.entries.clear();
        }
        inner.entries.insert(key, value);
    }

    /// Drops what a commit changed (call it after the commit).
    pub(crate) fn forget(&self, changed: impl IntoIterator<Item = K>) {
        let mut inner = self.inner();
        inner.stamp += 1;
        for key in changed {
            inner.entries.remove(&key);
        }
    }

    /// Drops everything (after a commit that may have changed any entry).
    pub(crate) fn forget_all(&self) {
        let mut inner = self.inner();
        inner.stamp += 1;
        inner.entries.clear();
    }
}

/// `key`'s value from `map` (when there is a map to trust) or else from `read`; a value
/// read is remembered when `keep` says so and nothing was forgotten while it was read.
pub(crate) async fn remembered_or_read<K: Eq + Hash, V: Clone, E>(
    map: Option<&StampedMap<K, V>>,
    key: K,
    read: impl Future<Output = Result<Option<V>, E>>,
    keep: impl FnOnce(&V) -> bool,
) -> Result<Option<V>, E> {
    if let Some(hit) = map.and_then(|map| map.get(&key)) {
        return Ok(Some(hit));
    }
    let stamp = map.map(StampedMap::stamp);
    let value = read.await?;
    if let (Some(map), Some(stamp), Some(value)) = (map, stamp, &value) {
        if keep(value) {
            map.insert_if_unchanged(stamp, key, value.clone());
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_raced_a_commit_is_not_remembered() {
        let map = StampedMap::<&str, u8>::default();
        let stamp = map.stamp();
        map.forget(["a"]);
        map.insert_if_unchanged(stamp, "a", 1);
        assert_eq!(map.get(&"a"), None);
        let stamp = map.stamp();
        map.forget_all();
        map.insert_if_unchanged(stamp, "a", 1);
        assert_eq!(map.get(&"a"), None);
    }

    #[test]
    fn a_commit_forgets_only_what_it_changed() {
        let map = StampedMap::<&str, u8>::default();
        let stamp = map.stamp();
        map.insert_if_unchanged(stamp, "a", 1);
        map.insert_if_unchanged(stamp, "b", 2);
        map.forget(["a"]);
        assert_eq!(map.get(&"a"), None);
        assert_eq!(map.get(&"b"), Some(2));
        map.forget_all();
        assert_eq!(map.get(&"b"), None);
    }
}
