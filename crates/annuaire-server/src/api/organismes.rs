//! `GET /api/v1/organismes/{nda}` and `GET /api/v1/organismes?siret=…|siren=…`: providers with
//! their history.

use annuaire_core::ids;
use annuaire_store::{ChangeQuery, Store};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde::Serialize;

use crate::errors::{ApiError, ApiResult};
use crate::generation::{Generation, Provenance};
use crate::params::{Params, clip};
use crate::state::AppState;
use crate::views::{ChangementView, OrganismeView};

/// Most history entries answered per provider (a provider changes a few times a year).
const HISTORY: i64 = 1000;

#[derive(Serialize)]
pub struct Fiche {
    #[serde(flatten)]
    pub organisme: OrganismeView,
    /// Every change seen, newest first.
    pub historique: Vec<ChangementView>,
}

#[derive(Serialize)]
struct FicheReponse {
    #[serde(flatten)]
    fiche: Fiche,
    source: Provenance,
}

#[derive(Serialize)]
struct ListeReponse {
    total: usize,
    organismes: Vec<Fiche>,
    source: Provenance,
}

/// The history of `nda` up to the generation's snapshot.
pub async fn historique(state: &AppState, g: &Generation, nda: &str) -> ApiResult<Vec<ChangementView>> {
    let q = ChangeQuery {
        nda: Some(nda.to_string()),
        max_snapshot_id: Some(g.snapshot_id().unwrap_or(0)),
        limit: HISTORY,
        ..ChangeQuery::default()
    };
    Ok(state.store.changes(&q).await?.into_iter().map(|c| ChangementView::new(c, g)).collect())
}

/// The page of one provider, by NDA.
pub async fn fiche(state: &AppState, g: &Generation, nda: &str) -> ApiResult<Option<Fiche>> {
    let Some(r) = g.organisme(nda) else { return Ok(None) };
    Ok(Some(Fiche { organisme: OrganismeView::new(r, g), historique: historique(state, g, nda).await? }))
}

fn clean(id: &str) -> String {
    id.chars().filter(|c| !c.is_whitespace()).collect()
}

pub async fn par_nda(
    State(state): State<AppState>,
    nda: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    // A segment that does not decode (`%FF`) would otherwise get axum's plain-text 400.
    let Path(nda) = nda.map_err(|_| {
        ApiError::bad_request(
            "le NDA de l'adresse n'est pas un texte lisible (UTF-8) : un NDA est fait de 11 chiffres",
        )
    })?;
    let nda = clean(&nda);
    if !ids::nda_ok(&nda) {
        let hint = if ids::is_digits(&nda, 14) || ids::is_digits(&nda, 9) {
            " ; pour un SIRET ou un SIREN, utilisez /api/v1/organismes?siret=… ou ?siren=…"
        } else {
            ""
        };
        return Err(ApiError::bad_request(format!(
            "« {} » n'est pas un numéro de déclaration d'activité (NDA : 11 chiffres){hint}",
            clip(&nda)
        )));
    }
    let g = state.current()?;
    let fiche = fiche(&state, &g, &nda)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("aucun organisme connu avec le NDA {nda}")))?;
    Ok(super::json(&FicheReponse { fiche, source: g.provenance() }))
}

/// A SIRET or SIREN from a query, checked (length and check digit).
pub fn siret_or_siren(p: &Params) -> ApiResult<String> {
    let (siret, siren) = (p.one("siret")?, p.one("siren")?);
    match (siret, siren) {
        (Some(s), None) => {
            let s = clean(s);
            if !ids::siret_ok(&s) {
                return Err(ApiError::bad_request(format!(
                    "SIRET invalide « {} » : 14 chiffres avec une clé de contrôle valide",
                    clip(&s)
                )));
            }
            Ok(s)
        }
        (None, Some(s)) => {
            let s = clean(s);
            if !ids::siren_ok(&s) {
                return Err(ApiError::bad_request(format!(
                    "SIREN invalide « {} » : 9 chiffres avec une clé de contrôle valide",
                    clip(&s)
                )));
            }
            Ok(s)
        }
        _ => Err(ApiError::bad_request("donnez soit « siret », soit « siren » (un seul des deux)")),
    }
}

pub async fn par_siret_ou_siren(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref());
    p.only(&["siret", "siren"])?;
    let id = siret_or_siren(&p)?;
    let g = state.current()?;
    let mut organismes = Vec::new();
    for r in g.by_siret_or_siren(&id) {
        let historique = historique(&state, &g, &r.org.nda).await?;
        organismes.push(Fiche { organisme: OrganismeView::new(r, &g), historique });
    }
    Ok(super::json(&ListeReponse { total: organismes.len(), organismes, source: g.provenance() }))
}
