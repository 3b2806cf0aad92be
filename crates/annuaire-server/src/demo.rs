//! `serve --demo`: a directory filled with SYNTHETIC data from `annuaire-testdata`, imported as
//! weekly snapshots so that the history, the feeds and the change pages have something to show.
//! Every snapshot is flagged synthetic in the store, and every answer says so.

use std::path::Path;

use annuaire_store::{SqliteStore, Store};
use annuaire_sync::{SyncError, SyncOptions};
use annuaire_testdata::GenConfig;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("writing the synthetic files: {0}")]
    Io(#[from] std::io::Error),
    #[error("importing the synthetic files: {0}")]
    Sync(#[from] SyncError),
    #[error("reading the store: {0}")]
    Store(#[from] annuaire_store::StoreError),
}

/// Fill an empty store with `snapshots` weekly synthetic lists of about `rows` providers. A store
/// that already holds data is left alone. Returns the number of snapshots imported.
pub async fn prepare(
    store: &SqliteStore,
    data_dir: &Path,
    rows: usize,
    snapshots: usize,
    seed: u64,
) -> Result<usize, DemoError> {
    if store.latest_snapshot().await?.is_some() {
        return Ok(0);
    }
    let cfg = GenConfig { seed, rows, snapshots: snapshots.max(1), ..GenConfig::default() };
    let dir = data_dir.join("testdata");
    let files = annuaire_testdata::write_series(&dir, &cfg)?;
    let mut imported = 0;
    for path in &files {
        // `snapshot-YYYY-MM-DD.csv`; the manifest is skipped.
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some(date) = name
            .strip_prefix("snapshot-")
            .and_then(|n| n.strip_suffix(".csv"))
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            continue;
        };
        let opts = SyncOptions {
            from: Some(path.to_string_lossy().into_owned()),
            date: Some(date),
            synthetic: true,
            ..SyncOptions::default()
        };
        annuaire_sync::sync(store, data_dir, &opts).await?;
        imported += 1;
    }
    Ok(imported)
}
