//! The name index: every folded place name once, sorted, with what it designates. Exact lookups
//! are binary searches, prefixes are ranges, and the one-typo scan only reads names of nearby
//! length through a compact array of letter masks.

use crate::{Commune, Departement, Region, distance_within};
use std::ops::Range;

/// What a name designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Commune(u32),
    /// Another name of a commune: former name, La Poste spelling, name without its article.
    Alias(u32),
    Departement(u32),
    Region(u32),
}

#[derive(Debug)]
struct Entry {
    key: Range<u32>,
    targets: Range<u32>,
    /// Exact names before other names, areas before communes, then size.
    resolve_weight: u64,
    /// While typing, size is what matters.
    suggest_weight: u64,
}

#[derive(Debug)]
pub(crate) struct Names {
    /// All keys, concatenated in sorted order: one allocation instead of 50,000.
    text: String,
    entries: Vec<Entry>,
    targets: Vec<Target>,
    /// Entry indexes grouped by key length, each with the key's letter mask.
    by_len: Vec<Vec<(u64, u32)>>,
}

/// Which byte values occur, folded onto 64 bits: one edit changes at most two bits, so names
/// whose masks differ by more cannot be one typo away.
fn letters_mask(s: &[u8]) -> u64 {
    s.iter().fold(0u64, |m, b| m | 1 << (b % 64))
}

/// Rank when resolving: exact names before other names, areas before communes (a department is
/// named after its main river or feature, rarely after a village), then size.
pub(crate) fn resolve_weight(t: Target, communes: &[Commune], departements: &[Departement]) -> u64 {
    match t {
        Target::Region(i) => u64::MAX - 1 - u64::from(i),
        Target::Departement(i) => u64::MAX / 2 + departements[i as usize].population,
        Target::Commune(i) => u64::MAX / 4 + u64::from(communes[i as usize].population),
        Target::Alias(i) => u64::from(communes[i as usize].population),
    }
}

/// Rank while typing: size. A city is what people mostly look for, so it counts double against
/// the department or region sharing its prefix; other names of a commune count for a quarter.
pub(crate) fn suggest_weight(
    t: Target,
    communes: &[Commune],
    departements: &[Departement],
    regions: &[Region],
) -> u64 {
    match t {
        Target::Region(i) => regions[i as usize].population,
        Target::Departement(i) => departements[i as usize].population,
        Target::Commune(i) => 2 * u64::from(communes[i as usize].population),
        Target::Alias(i) => u64::from(communes[i as usize].population) / 4,
    }
}

impl Names {
    pub(crate) fn build(
        mut entries: Vec<(String, Target)>,
        communes: &[Commune],
        departements: &[Departement],
        regions: &[Region],
    ) -> Names {
        let rank = |t: &Target| resolve_weight(*t, communes, departements);
        let typing = |t: &Target| suggest_weight(*t, communes, departements, regions);
        entries.retain(|(k, _)| !k.is_empty());
        entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| rank(&b.1).cmp(&rank(&a.1))));

        let mut names =
            Names { text: String::new(), entries: Vec::new(), targets: Vec::new(), by_len: Vec::new() };
        let mut i = 0;
        while i < entries.len() {
            let key = entries[i].0.as_str();
            let start = names.targets.len() as u32;
            let mut j = i;
            while j < entries.len() && entries[j].0 == key {
                let t = entries[j].1;
                // A commune named and aliased alike (or two equal aliases) is one target.
                let same = |u: &Target| match (u, t) {
                    (Target::Commune(a) | Target::Alias(a), Target::Commune(b) | Target::Alias(b)) => *a == b,
                    (u, t) => *u == t,
                };
                if !names.targets[start as usize..].iter().any(same) {
                    names.targets.push(t);
                }
                j += 1;
            }
            let targets = start..names.targets.len() as u32;
            let ts = &names.targets[start as usize..];
            let k0 = names.text.len() as u32;
            names.text.push_str(key);
            names.entries.push(Entry {
                key: k0..names.text.len() as u32,
                resolve_weight: ts.iter().map(rank).max().unwrap_or(0),
                suggest_weight: ts.iter().map(typing).max().unwrap_or(0),
                targets,
            });
            i = j;
        }
        let mut by_len: Vec<Vec<(u64, u32)>> = Vec::new();
        for (e, entry) in names.entries.iter().enumerate() {
            let key = names.key(entry).as_bytes();
            if by_len.len() <= key.len() {
                by_len.resize_with(key.len() + 1, Vec::new);
            }
            by_len[key.len()].push((letters_mask(key), e as u32));
        }
        names.by_len = by_len;
        names.text.shrink_to_fit();
        names.targets.shrink_to_fit();
        names
    }

    fn key(&self, e: &Entry) -> &str {
        &self.text[e.key.start as usize..e.key.end as usize]
    }

    fn targets_of(&self, e: &Entry) -> &[Target] {
        &self.targets[e.targets.start as usize..e.targets.end as usize]
    }

    /// Places named exactly `key`, best first.
    pub(crate) fn exact(&self, key: &str) -> &[Target] {
        match self.entries.binary_search_by(|e| self.key(e).cmp(key)) {
            Ok(i) => self.targets_of(&self.entries[i]),
            Err(_) => &[],
        }
    }

    /// Places whose name is one edit (insertion, deletion, substitution, transposition) away from
    /// `key`, best first.
    pub(crate) fn one_typo(&self, key: &str) -> Vec<Target> {
        let kb = key.as_bytes();
        let mask = letters_mask(kb);
        let mut hits: Vec<&Entry> = Vec::new();
        for len in kb.len().saturating_sub(1)..=kb.len() + 1 {
            for &(m, e) in self.by_len.get(len).map(Vec::as_slice).unwrap_or(&[]) {
                if (m ^ mask).count_ones() > 2 {
                    continue;
                }
                let entry = &self.entries[e as usize];
                if distance_within(key, self.key(entry), 1) <= 1 {
                    hits.push(entry);
                }
            }
        }
        hits.sort_by_key(|e| std::cmp::Reverse(e.resolve_weight));
        hits.iter().flat_map(|e| self.targets_of(e).iter().copied()).collect()
    }

    /// Names starting with `prefix`, the `n` heaviest for typing first; each with its targets.
    pub(crate) fn prefixed(&self, prefix: &str, n: usize) -> Vec<(&str, &[Target])> {
        let start = self.entries.partition_point(|e| self.key(e) < prefix);
        let end = start + self.entries[start..].partition_point(|e| self.key(e).starts_with(prefix));
        let mut found: Vec<&Entry> = self.entries[start..end].iter().collect();
        let order = |a: &&Entry, b: &&Entry| {
            b.suggest_weight.cmp(&a.suggest_weight).then(a.key.start.cmp(&b.key.start))
        };
        if found.len() > n {
            found.select_nth_unstable_by(n, order);
            found.truncate(n);
        }
        found.sort_by(order);
        found.into_iter().map(|e| (self.key(e), self.targets_of(e))).collect()
    }

    /// Whether any name is exactly `key`.
    pub(crate) fn contains(&self, key: &str) -> bool {
        !self.exact(key).is_empty()
    }
}
