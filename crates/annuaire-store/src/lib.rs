//! Persistent state of annuaire: current record per NDA, snapshots, rejected rows and the
//! append-only change log.
//!
//! Everything goes through the [`Store`] trait so that a PostgreSQL backend can be added beside
//! SQLite; each backend has its own folder under `migrations/`. A snapshot is applied by one call,
//! [`Store::apply`], in one transaction: either the whole snapshot lands or nothing does, which is
//! what makes a `kill -9` at any moment harmless. What changed is decided in
//! `annuaire_core::history`, not here, so every backend records the same history.

mod sqlite;

pub use sqlite::SqliteStore;

use annuaire_core::history::{Diff, Known, Previous};
use annuaire_core::{ChangeType, Organisme};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;

/// Errors of the storage layer.
///
/// Policy: storage errors are not the user's fault and carry no French message; the binary adds
/// context ("while applying snapshot …") and exits non-zero. Nothing is retried here: SQLite
/// already waits on locks (busy timeout), and a failed transaction leaves the previous state.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("corrupt stored record for {nda}: {source}")]
    Corrupt { nda: String, source: serde_json::Error },
    #[error("snapshot date {new} is before the last imported snapshot ({last})")]
    DateOrder { new: NaiveDate, last: NaiveDate },
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("injected failure ({0}) for testing")]
    Injected(&'static str),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Location and precision of a provider, computed by the geocoder at sync time.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GeoColumns {
    pub code_commune: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub precision_geo: Option<String>,
    pub departement: Option<String>,
}

/// Metadata of one imported snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotInfo {
    pub id: i64,
    pub date: NaiveDate,
    pub source: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
    pub raw_path: Option<String>,
    pub lignes: i64,
    pub valides: i64,
    pub rejetees: i64,
    pub corrections: i64,
    pub certifies: i64,
    pub changements: i64,
    pub synthetique: bool,
    pub imported_at: String,
}

/// What the caller knows about a snapshot before it is stored.
#[derive(Debug, Clone)]
pub struct NewSnapshot {
    pub date: NaiveDate,
    pub source: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
    pub raw_path: Option<String>,
    pub lignes: i64,
    pub valides: i64,
    pub synthetique: bool,
}

/// A rejected row or a correction, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowIssue {
    pub ligne: i64,
    pub nda: Option<String>,
    /// Reject motif, or the corrected field.
    pub motif: String,
    /// Reject message, or the value before correction.
    pub message: String,
    /// Raw row, or the value after correction.
    pub brut: Option<String>,
}

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeRecord {
    pub id: i64,
    pub nda: String,
    #[serde(rename = "type")]
    pub kind: ChangeType,
    pub date: NaiveDate,
    pub avant: Option<Value>,
    pub apres: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nda_lie: Option<String>,
    /// Display name of the provider now, for feeds.
    pub nom: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    pub since: Option<NaiveDate>,
    pub kinds: Vec<ChangeType>,
    pub nda: Option<String>,
    pub region: Option<String>,
    pub departement: Option<String>,
    /// Only changes recorded by this snapshot or earlier: a server answers from the snapshot its
    /// index was built from, while a sync may already have appended the next one.
    pub max_snapshot_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// The latest change of one provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastChange {
    #[serde(rename = "type")]
    pub kind: ChangeType,
    pub date: NaiveDate,
}

/// The stored state of one provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganismeRecord {
    #[serde(flatten)]
    pub org: Organisme,
    /// Listed in the latest snapshot.
    pub present: bool,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
    pub certified_since: Option<NaiveDate>,
    pub nda_predecesseur: Option<String>,
    pub nda_successeur: Option<String>,
    #[serde(flatten)]
    pub geo: GeoColumns,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Listed in the latest snapshot.
    pub organismes: i64,
    pub certifies: i64,
    pub par_categorie: std::collections::BTreeMap<String, i64>,
    /// Region code → (listed, certified).
    pub par_region: Vec<RegionCount>,
    /// Geocoding precision → listed providers.
    pub par_precision_geo: Vec<(String, i64)>,
    pub connus: i64,
    pub derniere_synchro: Option<SnapshotInfo>,
    pub snapshots: i64,
    pub changements: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionCount {
    pub code_region: Option<String>,
    pub organismes: i64,
    pub certifies: i64,
}

/// Point at which a test asks [`Store::apply`] to fail, after its writes and before its commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    None,
    BeforeCommit,
}

/// Storage backend.
///
/// Methods return `impl Future + Send` rather than `async fn` so that callers in a multi-threaded
/// server can hold the futures across threads.
pub trait Store: Send + Sync {
    fn latest_snapshot(&self) -> impl Future<Output = Result<Option<SnapshotInfo>>> + Send;
    fn snapshots(&self) -> impl Future<Output = Result<Vec<SnapshotInfo>>> + Send;
    /// Fingerprint and presence of every NDA ever seen.
    fn known(&self) -> impl Future<Output = Result<HashMap<String, Known>>> + Send;
    /// Full previous records of the given NDAs.
    fn previous(&self, ndas: &[String]) -> impl Future<Output = Result<HashMap<String, Previous>>> + Send;
    /// Apply one snapshot atomically and return its id.
    fn apply<'a>(
        &'a self,
        snapshot: &'a NewSnapshot,
        diff: &'a Diff,
        geo: &'a HashMap<String, GeoColumns>,
        rejets: &'a [RowIssue],
        corrections: &'a [RowIssue],
    ) -> impl Future<Output = Result<i64>> + Send + 'a;
    fn stats(&self) -> impl Future<Output = Result<Stats>> + Send;
    fn changes(&self, q: &ChangeQuery) -> impl Future<Output = Result<Vec<ChangeRecord>>> + Send;
    fn organisme(&self, nda: &str) -> impl Future<Output = Result<Option<OrganismeRecord>>> + Send;
    /// Providers whose SIRET is, or whose SIREN is, `id`.
    fn by_siren_or_siret(&self, id: &str) -> impl Future<Output = Result<Vec<OrganismeRecord>>> + Send;
    /// Every provider in NDA order, streamed to `f` so exports do not hold the list in memory.
    fn for_each_organisme<F>(&self, include_absent: bool, f: F) -> impl Future<Output = Result<u64>> + Send
    where
        F: FnMut(OrganismeRecord) -> std::io::Result<()> + Send;
    /// The latest change of every provider that has one, up to `max_snapshot_id` if given.
    fn last_changes(
        &self,
        max_snapshot_id: Option<i64>,
    ) -> impl Future<Output = Result<HashMap<String, LastChange>>> + Send;
    fn rejets(&self, snapshot_id: i64) -> impl Future<Output = Result<Vec<RowIssue>>> + Send;
    /// Test hook: make the next [`Store::apply`] fail at `point`. Backends without one ignore it.
    fn inject_fault(&self, _point: FaultPoint) {}
}
