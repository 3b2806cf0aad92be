//! The server's shared state: the store, the live generation, and the operations that replace it.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use annuaire_store::SqliteStore;
use annuaire_sync::{SyncOptions, SyncOutcome};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::generation::{Generation, LoadError};
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;

/// Settings of a running server (the binary fills them from the command line).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Requests per second per client; 0 turns limiting off.
    pub rate_limit: u32,
    /// Requests a client may send at once before being limited.
    pub rate_burst: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Admin actions (sync, reindex) are off without a token.
    pub admin_token: Option<String>,
    pub request_timeout: Duration,
    pub max_body_bytes: usize,
    /// What a sync reads (the official list by default).
    pub sync: SyncOptions,
    /// Serving generated data: said on every answer.
    pub demo: bool,
    /// Absolute base URL for canonical links, the sitemap and the Atom feed
    /// ("https://annuaire.example.fr"); relative links when unset.
    pub public_url: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            rate_limit: 20,
            rate_burst: 60,
            trusted_proxies: Vec::new(),
            admin_token: None,
            request_timeout: Duration::from_secs(10),
            max_body_bytes: 5 * 1024 * 1024,
            sync: SyncOptions::default(),
            demo: false,
            public_url: None,
        }
    }
}

/// Outcome of the last sync the server ran, for `/api/v1/stats` and `/metrics`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncStatus {
    pub derniere_tentative: Option<DateTime<Utc>>,
    pub derniere_reussite: Option<DateTime<Utc>>,
    /// "importe", "inchange" or "erreur".
    pub resultat: Option<String>,
    pub message: Option<String>,
    pub en_cours: bool,
}

/// Cheap to clone: everything lives behind one `Arc`.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: SqliteStore,
    pub data_dir: PathBuf,
    pub config: ServerConfig,
    generation: RwLock<Option<Arc<Generation>>>,
    pub metrics: Metrics,
    pub limiter: RateLimiter,
    /// One sync or reload at a time.
    work: tokio::sync::Mutex<()>,
    sync_status: Mutex<SyncStatus>,
    pub started_at: DateTime<Utc>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("data_dir", &self.0.data_dir).finish_non_exhaustive()
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Why an admin-triggered or scheduled sync did not land.
#[derive(Debug, thiserror::Error)]
pub enum SyncFailure {
    #[error("{0}")]
    Sync(#[from] annuaire_sync::SyncError),
    #[error("chargement des nouvelles données : {0}")]
    Load(#[from] LoadError),
    #[error("{0}")]
    Reindex(#[from] annuaire_sync::ReindexError),
    #[error("tâche interrompue : {0}")]
    Join(String),
}

impl AppState {
    pub fn new(store: SqliteStore, data_dir: PathBuf, config: ServerConfig) -> AppState {
        let limiter = RateLimiter::new(config.rate_limit, config.rate_burst);
        AppState(Arc::new(Inner {
            store,
            data_dir,
            limiter,
            config,
            generation: RwLock::new(None),
            metrics: Metrics::default(),
            work: tokio::sync::Mutex::new(()),
            sync_status: Mutex::new(SyncStatus::default()),
            started_at: Utc::now(),
        }))
    }

    /// The live generation, if loaded.
    pub fn generation(&self) -> Option<Arc<Generation>> {
        self.generation.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The live generation, or 503 while the server is still loading.
    pub fn current(&self) -> ApiResult<Arc<Generation>> {
        self.generation().ok_or_else(ApiError::not_ready)
    }

    /// A sync or reload is running.
    pub fn is_busy(&self) -> bool {
        self.work.try_lock().is_err()
    }

    pub fn sync_status(&self) -> SyncStatus {
        self.sync_status.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_status(&self, f: impl FnOnce(&mut SyncStatus)) {
        f(&mut self.sync_status.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Install a generation (tests build their own).
    pub fn install(&self, generation: Generation) {
        self.metrics.generation_installed(&generation);
        *self.generation.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(generation));
    }

    /// Read the store again (rebuilding the index if it is stale) and swap the new generation in.
    /// Requests keep being answered from the old one meanwhile.
    pub async fn reload(&self) -> Result<(), LoadError> {
        let _guard = self.work.lock().await;
        self.reload_locked().await
    }

    async fn reload_locked(&self) -> Result<(), LoadError> {
        let state = self.clone();
        // Reading 160,000 records and building an index is seconds of CPU: it runs off the
        // request workers so that searches keep their latency.
        let generation = blocking(async move { Generation::load(&state.store, &state.data_dir).await })
            .await
            .map_err(LoadError::Join)??;
        tracing::info!(snapshot = ?generation.snapshot_id(), records = generation.records().len(), "generation loaded");
        self.install(generation);
        Ok(())
    }

    /// Rebuild the search index from the store and swap it in.
    pub async fn reindex(&self) -> Result<usize, SyncFailure> {
        let _guard = self.work.lock().await;
        let state = self.clone();
        let n = blocking(async move { annuaire_sync::reindex(&state.store, &state.data_dir).await })
            .await
            .map_err(SyncFailure::Join)??;
        self.reload_locked().await?;
        Ok(n)
    }

    /// Import the configured source; when something changed, load and swap the next generation.
    /// A failed sync changes nothing: the store refuses bad files and the old generation stays.
    pub async fn sync_now(&self) -> Result<SyncOutcome, SyncFailure> {
        let _guard = self.work.lock().await;
        self.set_status(|s| {
            s.en_cours = true;
            s.derniere_tentative = Some(Utc::now());
        });
        let state = self.clone();
        let result =
            blocking(
                async move { annuaire_sync::sync(&state.store, &state.data_dir, &state.config.sync).await },
            )
            .await
            .map_err(SyncFailure::Join)
            .and_then(|r| r.map_err(SyncFailure::from));
        let result = match result {
            Ok(outcome) => {
                // An unchanged source still reloads when nothing is loaded yet.
                let changed = matches!(outcome, SyncOutcome::Importe(_)) || self.generation().is_none();
                if changed {
                    self.reload_locked().await.map(|()| outcome).map_err(SyncFailure::from)
                } else {
                    Ok(outcome)
                }
            }
            Err(e) => Err(e),
        };
        self.set_status(|s| {
            s.en_cours = false;
            match &result {
                Ok(o) => {
                    s.derniere_reussite = Some(Utc::now());
                    s.resultat = Some(match o {
                        SyncOutcome::Importe(_) => "importe".into(),
                        SyncOutcome::Inchange { .. } => "inchange".into(),
                    });
                    s.message = match o {
                        SyncOutcome::Importe(r) => Some(format!("liste du {} importée", r.date)),
                        SyncOutcome::Inchange { raison, .. } => Some(raison.clone()),
                    };
                }
                Err(e) => {
                    s.resultat = Some("erreur".into());
                    s.message = Some(e.to_string());
                }
            }
        });
        self.metrics.sync_finished(result.is_ok());
        match &result {
            Ok(_) => tracing::info!(status = ?self.sync_status().resultat, "sync finished"),
            Err(e) => tracing::warn!(error = %e, "sync failed; the previous data stays in service"),
        }
        result
    }
}

/// Run an async job on a blocking thread, so its CPU-bound parts never stall request workers.
async fn blocking<T: Send + 'static>(
    fut: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, String> {
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(fut)).await.map_err(|e| e.to_string())
}
