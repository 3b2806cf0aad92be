//! `GET /api/v1/stats`: counts and the freshness of every source.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::errors::ApiResult;
use crate::generation::Provenance;
use crate::params::Params;
use crate::state::{AppState, SyncStatus};
use crate::views::SnapshotView;

#[derive(Serialize)]
pub struct RegionStat {
    pub code_region: Option<String>,
    pub region: Option<String>,
    pub organismes: i64,
    pub certifies: i64,
}

#[derive(Serialize)]
pub struct PrecisionStat {
    pub precision_geo: String,
    pub organismes: i64,
}

#[derive(Serialize)]
pub struct IndexStat {
    pub documents: usize,
    pub taille_octets: u64,
    pub charge_le: DateTime<Utc>,
}

#[derive(Serialize)]
pub struct StatsReponse {
    /// Listed in the latest list.
    pub organismes: i64,
    pub certifies: i64,
    pub par_categorie: BTreeMap<String, i64>,
    pub par_region: Vec<RegionStat>,
    pub par_precision_geo: Vec<PrecisionStat>,
    /// Every provider ever seen, listed or not.
    pub connus: i64,
    pub snapshots: i64,
    pub changements: i64,
    pub derniere_synchro: Option<SnapshotView>,
    pub synchronisation: SyncStatus,
    pub index: IndexStat,
    pub source: Provenance,
}

pub async fn stats(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    Params::parse(raw.as_deref()).only(&[])?;
    let g = state.current()?;
    let places = annuaire_geo::Places::get();
    let s = &g.stats;
    Ok(super::json(&StatsReponse {
        organismes: s.organismes,
        certifies: s.certifies,
        par_categorie: s.par_categorie.clone(),
        par_region: s
            .par_region
            .iter()
            .map(|r| RegionStat {
                code_region: r.code_region.clone(),
                region: r.code_region.as_deref().and_then(|c| places.region(c)).map(|x| x.nom.clone()),
                organismes: r.organismes,
                certifies: r.certifies,
            })
            .collect(),
        par_precision_geo: s
            .par_precision_geo
            .iter()
            .map(|(p, n)| PrecisionStat { precision_geo: p.clone(), organismes: *n })
            .collect(),
        connus: s.connus,
        snapshots: s.snapshots,
        changements: s.changements,
        derniere_synchro: g.snapshot.as_ref().map(SnapshotView::from),
        synchronisation: state.sync_status(),
        index: IndexStat { documents: g.index.len(), taille_octets: g.index_bytes, charge_le: g.loaded_at },
        source: g.provenance(),
    }))
}
