//! Admin actions: trigger a sync, rebuild the index. Off unless a token is configured (the routes
//! then answer 404 as if they did not exist), and each call needs `Authorization: Bearer <token>`.
//! They start the work in the background and answer 202: a download can outlast any request.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::params::Params;
use crate::state::AppState;

/// Compare without an early exit, so the time taken says nothing about the token.
fn same(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

fn authorize(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    let Some(token) = state.config.admin_token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(super::not_found_error());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if same(given.trim().as_bytes(), token.as_bytes()) { Ok(()) } else { Err(ApiError::unauthorized()) }
}

#[derive(Serialize)]
struct Lance {
    statut: &'static str,
    message: &'static str,
}

fn accepted(message: &'static str) -> Response {
    let mut res = super::json(&Lance { statut: "lance", message });
    *res.status_mut() = StatusCode::ACCEPTED;
    res
}

fn busy() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "deja_en_cours",
        "Une synchronisation ou une réindexation est déjà en cours.",
    )
}

/// Check the token and that nothing runs, then start `job` in the background.
fn launch<F>(
    state: &AppState,
    raw: Option<&str>,
    headers: &HeaderMap,
    job: impl FnOnce(AppState) -> F,
    message: &'static str,
) -> ApiResult<Response>
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    authorize(state, headers)?;
    Params::parse(raw).only(&[])?;
    if state.is_busy() {
        return Err(busy());
    }
    tokio::spawn(job(state.clone()));
    Ok(accepted(message))
}

pub async fn synchronisation(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    // A failure is logged and kept in the sync status by `sync_now` itself.
    let job = |s: AppState| async move {
        let _ = s.sync_now().await;
    };
    launch(
        &state,
        raw.as_deref(),
        &headers,
        job,
        "Synchronisation lancée ; suivez-la dans /api/v1/stats (synchronisation).",
    )
}

pub async fn reindexation(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let job = |s: AppState| async move {
        if let Err(e) = s.reindex().await {
            tracing::warn!(error = %e, "reindex failed; the previous index stays in service");
        }
    };
    launch(&state, raw.as_deref(), &headers, job, "Réindexation lancée.")
}

#[cfg(test)]
mod tests {
    #[test]
    fn constant_time_compare() {
        assert!(super::same(b"secret", b"secret"));
        assert!(!super::same(b"secret", b"secreT"));
        assert!(!super::same(b"secret", b"secret!"));
        assert!(!super::same(b"", b"x"));
        assert!(super::same(b"", b""));
    }
}
