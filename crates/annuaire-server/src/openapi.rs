//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the API, written by hand next to
//! this file and compiled in. The conformance tests check that the server behaves as it says.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const DOCUMENT: &str = include_str!("../openapi.json");

pub async fn document() -> Response {
    let mut res = DOCUMENT.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    res
}
