//! Shared plumbing of the commands: where data lives, opening the store, printing.

use annuaire_store::SqliteStore;
use anyhow::Context;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The data directory: `--data-dir`/`ANNUAIRE_DATA_DIR`, else the platform's per-user data dir.
pub fn data_dir(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = if cfg!(target_os = "windows") {
        env("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    };
    base.map(|b| b.join("annuaire")).context("no data directory: set --data-dir or ANNUAIRE_DATA_DIR")
}

pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

/// Open the store, creating the data directory on first use.
pub async fn open_store(dir: &Path) -> anyhow::Result<SqliteStore> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = dir.join("annuaire.sqlite");
    SqliteStore::open(&db).await.with_context(|| format!("opening {}", db.display()))
}

pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// French thousands separator (narrow no-break space), as people read counts.
pub fn n(v: impl Into<i128>) -> String {
    let v: i128 = v.into();
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

pub fn fr_date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
