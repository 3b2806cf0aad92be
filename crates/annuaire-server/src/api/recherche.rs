//! `GET /api/v1/recherche`: the search engine's parameters and answer, as JSON or CSV.

use annuaire_search::{Facettes, Hit, Interpretation, SearchResults};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Serialize;

use crate::errors::ApiResult;
use crate::generation::Provenance;
use crate::params::{self, Format, Params};
use crate::state::AppState;

#[derive(Serialize)]
pub struct RechercheReponse<'a> {
    pub total: usize,
    pub page: usize,
    pub par_page: usize,
    pub pages: usize,
    pub interpretation: &'a Interpretation,
    pub facettes: &'a Facettes,
    pub resultats: &'a [Hit],
    pub source: Provenance,
}

pub fn pages(total: usize, par_page: usize) -> usize {
    total.div_ceil(par_page.max(1))
}

pub async fn recherche(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref());
    p.only(params::SEARCH_KEYS)?;
    let (q, format) = params::search_query(&p)?;
    let g = state.current()?;
    let r: SearchResults = g.index.search(&q)?;
    Ok(match format {
        Format::Json => super::json(&RechercheReponse {
            total: r.total,
            page: q.page,
            par_page: q.par_page,
            pages: pages(r.total, q.par_page),
            interpretation: &r.interpretation,
            facettes: &r.facettes,
            resultats: &r.resultats,
            source: g.provenance(),
        }),
        Format::Csv => super::csv(hits_csv(&r.resultats)?, "annuaire-recherche.csv"),
    })
}

/// Results as CSV rows; lists inside a cell are `|`-separated.
pub fn hits_csv(hits: &[Hit]) -> ApiResult<Vec<u8>> {
    let mut w = super::csv_writer();
    let header = [
        "nda",
        "siret",
        "denomination",
        "commune",
        "code_postal",
        "distance_km",
        "categories",
        "thematiques",
    ];
    let io = |e: csv::Error| crate::errors::ApiError::internal(e);
    w.write_record(header).map_err(io)?;
    for h in hits {
        let cats: Vec<&str> = h.categories.iter().map(|c| c.slug()).collect();
        w.write_record([
            h.nda.as_str(),
            h.siret.as_deref().unwrap_or(""),
            &super::cell(&h.denomination),
            &super::cell(h.commune.as_deref().unwrap_or("")),
            h.code_postal.as_deref().unwrap_or(""),
            &h.distance_km.map(|d| format!("{d:.2}")).unwrap_or_default(),
            &cats.join("|"),
            &h.thematiques.join("|"),
        ])
        .map_err(io)?;
    }
    super::csv_bytes(w)
}
