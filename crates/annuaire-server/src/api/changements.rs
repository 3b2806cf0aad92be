//! `GET /api/v1/changements`: the change log, newest first, filtered and paged.

use annuaire_core::ChangeType;
use annuaire_store::{ChangeQuery, Store};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::generation::{Generation, Provenance};
use crate::params::{self, Params, clip};
use crate::state::AppState;
use crate::views::ChangementView;

pub const KEYS: &[&str] = &["depuis", "type", "departement", "region", "page", "par_page"];

/// A change-log request, shared by the API, the page and the Atom feed.
#[derive(Debug, Clone, Default)]
pub struct Filtre {
    pub depuis: Option<chrono::NaiveDate>,
    pub types: Vec<ChangeType>,
    pub departement: Option<String>,
    pub region: Option<String>,
}

pub fn filtre(p: &Params) -> ApiResult<Filtre> {
    let types = p
        .all("type")
        .into_iter()
        .map(|t| {
            t.parse::<ChangeType>().map_err(|e| {
                ApiError::bad_request(format!(
                    "type : valeur inconnue « {} » ; valeurs possibles : {}",
                    clip(t),
                    e.allowed
                ))
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Filtre {
        depuis: p.date("depuis")?,
        types,
        departement: p.one("departement")?.map(params::departement).transpose()?,
        region: p.one("region")?.map(params::region).transpose()?,
    })
}

/// One page of changes, and whether another follows.
pub async fn page(
    state: &AppState,
    g: &Generation,
    f: &Filtre,
    page: usize,
    par_page: usize,
) -> ApiResult<(Vec<ChangementView>, bool)> {
    let q = ChangeQuery {
        since: f.depuis,
        kinds: f.types.clone(),
        nda: None,
        region: f.region.clone(),
        departement: f.departement.clone(),
        max_snapshot_id: Some(g.snapshot_id().unwrap_or(0)),
        // One more than asked tells whether there is a next page without counting.
        limit: par_page as i64 + 1,
        offset: ((page - 1) * par_page) as i64,
    };
    let mut rows = state.store.changes(&q).await?;
    let more = rows.len() > par_page;
    rows.truncate(par_page);
    Ok((rows.into_iter().map(|c| ChangementView::new(c, g)).collect(), more))
}

#[derive(Serialize)]
struct Reponse {
    page: usize,
    par_page: usize,
    page_suivante: bool,
    changements: Vec<ChangementView>,
    source: Provenance,
}

pub async fn liste(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref());
    p.only(KEYS)?;
    let f = filtre(&p)?;
    let page_no = p.integer("page", 1, params::MAX_PAGE)?.unwrap_or(1);
    let par_page = p.integer("par_page", 1, params::MAX_PAR_PAGE)?.unwrap_or(50);
    let g = state.current()?;
    let (changements, page_suivante) = page(&state, &g, &f, page_no, par_page).await?;
    Ok(super::json(&Reponse { page: page_no, par_page, page_suivante, changements, source: g.provenance() }))
}
