//! Shared fixture of the server's integration tests: a data directory filled with SYNTHETIC
//! snapshots (the demo generator), loaded once per test binary, and helpers that drive the router
//! in process with `tower::ServiceExt::oneshot`.

#![allow(dead_code)]

use std::sync::OnceLock;

use annuaire_server::{AppState, ServerConfig};
use annuaire_store::SqliteStore;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Providers in the fixture's first snapshot.
pub const ROWS: usize = 3000;

pub struct Fixture {
    pub state: AppState,
    /// Keeps the data directory alive for the whole test binary.
    _dir: tempfile::TempDir,
}

/// A runtime that outlives every test, so the fixture's store (and its pool) stays usable.
pub fn rt() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
    })
}

/// State over three weekly synthetic snapshots, with rate limiting off.
pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        rt().block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let state =
                new_state(dir.path(), ServerConfig { rate_limit: 0, ..ServerConfig::default() }).await;
            Fixture { state, _dir: dir }
        })
    })
}

/// A state over its own data directory, filled with the synthetic snapshots and loaded.
pub async fn new_state(dir: &std::path::Path, config: ServerConfig) -> AppState {
    let store = SqliteStore::open(&dir.join("annuaire.sqlite")).await.unwrap();
    annuaire_server::demo::prepare(&store, dir, ROWS, 3, 42).await.unwrap();
    let state = AppState::new(store, dir.to_path_buf(), config);
    state.reload().await.unwrap();
    state
}

/// Send one request through the whole router (every layer included).
pub async fn send(state: &AppState, req: Request<Body>) -> Response<Body> {
    annuaire_server::router(state.clone()).oneshot(req).await.unwrap()
}

pub async fn get(state: &AppState, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = send(state, Request::get(uri).body(Body::empty()).unwrap()).await;
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, String::from_utf8_lossy(&bytes).into_owned())
}

/// Run a test body on the shared runtime against the shared fixture (loaded first, outside the
/// runtime).
pub fn with<T, Fut: std::future::Future<Output = T>>(f: impl FnOnce(&'static AppState) -> Fut) -> T {
    let state = &fixture().state;
    rt().block_on(f(state))
}
