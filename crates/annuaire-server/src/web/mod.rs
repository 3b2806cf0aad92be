//! The web directory: server-rendered French pages that work without JavaScript.

use axum::Router;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}

/// Unknown paths: JSON under `/api`, a page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::not_found_error().into_response();
    }
    ApiError::not_found("Page introuvable.").into_response()
}
