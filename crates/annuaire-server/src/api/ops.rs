//! Operations: liveness, readiness and Prometheus metrics.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::state::AppState;

fn no_store(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Alive: the process answers.
pub async fn healthz() -> Response {
    no_store((StatusCode::OK, "ok\n").into_response())
}

#[derive(Serialize)]
struct Pret {
    pret: bool,
    snapshot: Option<i64>,
    documents: usize,
}

/// Ready: the store and the index are loaded.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let res = match state.generation() {
        Some(g) => super::json(&Pret { pret: true, snapshot: g.snapshot_id(), documents: g.index.len() }),
        None => {
            let mut r = super::json(&Pret { pret: false, snapshot: None, documents: 0 });
            *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            r
        }
    };
    no_store(res)
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let body = state.metrics.render(state.sync_status().en_cours);
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    no_store(res)
}
