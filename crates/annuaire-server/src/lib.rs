//! The annuaire server: one process that holds the store and the search index and serves the
//! public JSON API and the web directory.
//!
//! Requests are answered from a [`Generation`]: the index, the records and the counts read at one
//! snapshot of the store. A sync (scheduled or admin-triggered) imports the next list into the
//! store, builds the next generation beside the live one and swaps a pointer, so searches never
//! stop and never see two lists at once. The web layer never writes source data: only
//! `annuaire-sync`, called from [`AppState::sync_now`], does.

pub mod api;
pub mod demo;
pub mod errors;
pub mod feed;
pub mod generation;
mod listen;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod params;
pub mod ratelimit;
mod router;
pub mod state;
pub mod views;
pub mod web;

use std::future::Future;
use std::time::Duration;

use axum::http::HeaderMap;

pub use errors::ApiError;
pub use generation::Generation;
pub use router::router;
pub use state::{AppState, ServerConfig};

/// Serve until `shutdown` resolves, then stop accepting and let requests in flight finish.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listen::run(router(state), listener, shutdown).await
}

/// Sync every `every`, forever. A failed sync is logged and retried at the next tick; the data
/// in service stays.
pub async fn scheduler(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let _ = state.sync_now().await;
    }
}

/// Absolute base URL of the site, for links that leave it (feeds, sitemaps, canonical links):
/// the configured public URL, else what the request's `Host` says.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .unwrap_or("localhost");
    format!("http://{host}")
}
