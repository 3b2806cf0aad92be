//! `GET /api/v1/lieux?q=` (suggest while typing) and `GET /api/v1/lieux/resolution?q=` (what a
//! typed place means), from the bundled reference data.

use annuaire_geo::{Place, Places};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::params::Params;
use crate::state::AppState;

#[derive(Serialize)]
struct Lieux {
    lieux: Vec<Place>,
}

fn read(raw: Option<&str>) -> ApiResult<(String, usize)> {
    let p = Params::parse(raw);
    p.only(&["q", "limite"])?;
    let q = p.text("q")?.ok_or_else(|| ApiError::bad_request("le paramètre « q » est requis"))?;
    let limite = p.integer("limite", 1, 20)?.unwrap_or(8);
    Ok((q, limite))
}

pub async fn suggestion(State(_): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let (q, limite) = read(raw.as_deref())?;
    Ok(super::json(&Lieux { lieux: Places::get().suggest(&q, limite) }))
}

pub async fn resolution(State(_): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let (q, limite) = read(raw.as_deref())?;
    Ok(super::json(&Lieux { lieux: Places::get().resolve(&q, limite) }))
}
