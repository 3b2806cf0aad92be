//! A generation: everything the server answers from, read from the store at one snapshot.
//!
//! The search index, the current record of every provider, their latest change and the counts
//! all come from the same snapshot, so an answer can never mix two lists. The change log is
//! append-only, so history queries stay consistent by asking the store only for changes up to
//! the generation's snapshot. A sync builds the next generation beside this one and the server
//! swaps the pointer: requests in flight finish on the generation they started with.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use annuaire_search::{IndexSource, SearchIndex};
use annuaire_store::{LastChange, OrganismeRecord, SnapshotInfo, SqliteStore, Stats, Store};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("reading the store: {0}")]
    Store(#[from] annuaire_store::StoreError),
    #[error("search index: {0}")]
    Index(#[from] annuaire_search::SearchError),
    #[error("the store changed {0} times while being read; is another process syncing in a loop?")]
    Unstable(u32),
    #[error("loading task failed: {0}")]
    Join(String),
}

/// Where the answers come from, attached to every JSON answer and shown on every page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// Date of the official list the answer comes from.
    pub liste_du: Option<NaiveDate>,
    /// When annuaire imported it.
    pub importee_le: Option<String>,
    /// The data comes from annuaire's generator, not from the official list.
    pub synthetique: bool,
    /// The warning to show with synthetic data; null for the official list.
    pub avertissement: Option<&'static str>,
}

pub const SYNTHETIC_WARNING: &str =
    "Données SYNTHÉTIQUES générées pour démonstration : aucun de ces organismes n'existe.";

/// Data answered from, at one snapshot of the store.
pub struct Generation {
    pub index: SearchIndex,
    /// Every provider ever listed, present or not, sorted by NDA.
    records: Vec<OrganismeRecord>,
    by_siret: HashMap<String, Vec<u32>>,
    by_siren: HashMap<String, Vec<u32>>,
    last_change: HashMap<String, LastChange>,
    pub snapshot: Option<SnapshotInfo>,
    pub stats: Stats,
    pub loaded_at: DateTime<Utc>,
    /// Size of the index files on disk.
    pub index_bytes: u64,
    /// Changes with every generation: a seed for ETags.
    pub tag: String,
}

impl std::fmt::Debug for Generation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generation")
            .field("snapshot", &self.snapshot.as_ref().map(|s| s.id))
            .field("records", &self.records.len())
            .finish_non_exhaustive()
    }
}

impl Generation {
    /// Read the store at its latest snapshot and open (or rebuild, if it is not from that
    /// snapshot) the search index under `data_dir`.
    pub async fn load(store: &SqliteStore, data_dir: &Path) -> Result<Generation, LoadError> {
        // A single statement is a consistent read, but the records, the latest changes and the
        // counts are several: read the snapshot before and after, and start again if a sync (from
        // another process) committed in between.
        let mut attempts = 0;
        let (snapshot, records, last_change, stats) = loop {
            attempts += 1;
            let before = store.latest_snapshot().await?;
            let mut records = Vec::with_capacity(180_000);
            store
                .for_each_organisme(true, |r| {
                    records.push(r);
                    Ok(())
                })
                .await?;
            let last_change = store.last_changes(before.as_ref().map(|s| s.id)).await?;
            let stats = store.stats().await?;
            let after = store.latest_snapshot().await?;
            if before.as_ref().map(|s| s.id) == after.as_ref().map(|s| s.id) {
                break (after, records, last_change, stats);
            }
            if attempts >= 5 {
                return Err(LoadError::Unstable(attempts));
            }
        };
        let dir = annuaire_sync::index_dir(data_dir);
        let source = annuaire_sync::index_source(snapshot.as_ref());
        let (index, records) = tokio::task::spawn_blocking(move || open_index(&dir, &source, records))
            .await
            .map_err(|e| LoadError::Join(e.to_string()))??;
        Ok(Self::assemble(index, records, last_change, snapshot, stats, data_dir))
    }

    fn assemble(
        index: SearchIndex,
        mut records: Vec<OrganismeRecord>,
        last_change: HashMap<String, LastChange>,
        snapshot: Option<SnapshotInfo>,
        stats: Stats,
        data_dir: &Path,
    ) -> Generation {
        records.sort_by(|a, b| a.org.nda.cmp(&b.org.nda));
        let mut by_siret: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_siren: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            if let Some(s) = &r.org.siret {
                by_siret.entry(s.clone()).or_default().push(i as u32);
            }
            if let Some(s) = &r.org.siren {
                by_siren.entry(s.clone()).or_default().push(i as u32);
            }
        }
        let index_bytes = dir_size(&annuaire_sync::index_dir(data_dir));
        let loaded_at = Utc::now();
        let tag = format!(
            "{}-{}",
            snapshot.as_ref().map_or(0, |s| s.id),
            loaded_at.timestamp_nanos_opt().unwrap_or_default()
        );
        Generation {
            index,
            records,
            by_siret,
            by_siren,
            last_change,
            snapshot,
            stats,
            loaded_at,
            index_bytes,
            tag,
        }
    }

    /// The provider with this NDA, listed or not.
    pub fn organisme(&self, nda: &str) -> Option<&OrganismeRecord> {
        self.records.binary_search_by(|r| r.org.nda.as_str().cmp(nda)).ok().map(|i| &self.records[i])
    }

    /// Providers whose SIRET is `id` (14 digits) or whose SIREN is `id` (9 digits), by NDA.
    pub fn by_siret_or_siren(&self, id: &str) -> Vec<&OrganismeRecord> {
        let map = if id.len() == 14 { &self.by_siret } else { &self.by_siren };
        map.get(id).map(|v| v.iter().map(|&i| &self.records[i as usize]).collect()).unwrap_or_default()
    }

    pub fn last_change(&self, nda: &str) -> Option<&LastChange> {
        self.last_change.get(nda)
    }

    /// Every provider, sorted by NDA.
    pub fn records(&self) -> &[OrganismeRecord] {
        &self.records
    }

    pub fn snapshot_id(&self) -> Option<i64> {
        self.snapshot.as_ref().map(|s| s.id)
    }

    pub fn synthetic(&self) -> bool {
        self.snapshot.as_ref().is_some_and(|s| s.synthetique)
    }

    pub fn provenance(&self) -> Provenance {
        let synthetique = self.synthetic();
        Provenance {
            liste_du: self.snapshot.as_ref().map(|s| s.date),
            importee_le: self.snapshot.as_ref().map(|s| s.imported_at.clone()),
            synthetique,
            avertissement: synthetique.then_some(SYNTHETIC_WARNING),
        }
    }
}

/// Open the index if it was built from `source`, else rebuild it from `records` first.
fn open_index(
    dir: &Path,
    source: &IndexSource,
    records: Vec<OrganismeRecord>,
) -> Result<(SearchIndex, Vec<OrganismeRecord>), LoadError> {
    let current = SearchIndex::source_at(dir).ok();
    if current.as_ref() != Some(source) {
        tracing::info!(
            found = ?current.and_then(|s| s.snapshot_id),
            wanted = ?source.snapshot_id,
            "search index is not from the store's latest snapshot: rebuilding it"
        );
        let docs = records.iter().filter(|r| r.present).map(annuaire_sync::search_doc);
        SearchIndex::build_from(dir, docs, source)?;
    }
    Ok((SearchIndex::open(dir)?, records))
}

fn dir_size(dir: &Path) -> u64 {
    let real: PathBuf = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    std::fs::read_dir(real)
        .map(|rd| {
            rd.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}
