//! The public JSON API under `/api/v1`. Handlers parse and validate by hand (see `params`), read
//! from one generation, and answer JSON (or CSV where asked) with the provenance of the data.

pub mod admin;
pub mod changements;
pub mod lieux;
pub mod ops;
pub mod organismes;
pub mod recherche;
pub mod stats;
pub mod verification;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::errors::ApiError;

/// JSON answer.
pub fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let mut res = body.into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            res
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// CSV answer, `;`-separated like the official list, with a UTF-8 byte-order mark so that
/// spreadsheet software opens accents correctly.
pub fn csv(body: Vec<u8>, filename: &str) -> Response {
    let mut with_bom = Vec::with_capacity(body.len() + 3);
    with_bom.extend_from_slice("\u{feff}".as_bytes());
    with_bom.extend_from_slice(&body);
    let mut res = with_bom.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A CSV writer with the project's dialect.
pub fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new())
}

/// A text cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@` or tab would make
/// it a formula (CSV injection), so such a cell gets a leading apostrophe.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Finish a CSV writer into its bytes.
pub fn csv_bytes(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ApiError> {
    w.into_inner().map_err(|e| ApiError::internal(e.to_string()))
}

pub fn not_found_error() -> ApiError {
    ApiError::not_found("Aucune ressource à cette adresse ; la documentation est à /api/v1/openapi.json.")
}

/// Fallback for unknown `/api` paths.
pub async fn not_found() -> ApiError {
    not_found_error()
}

#[derive(Serialize)]
struct Thematiques {
    thematiques: &'static [annuaire_search::Thematique],
}

/// `GET /api/v1/thematiques`: the topic taxonomy (slugs and French labels). It takes no
/// parameter and, like every API route, refuses unknown ones.
pub async fn thematiques(
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    crate::params::Params::parse(raw.as_deref()).only(&[])?;
    Ok(json(&Thematiques { thematiques: annuaire_search::thematiques() }))
}
