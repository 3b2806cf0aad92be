//! `/changements`: the latest changes of the official list, filtered by type and department,
//! with the matching Atom feed.

use annuaire_core::ChangeType;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};

use super::layout::{self, Head};
use super::organisme::detail;
use super::{Ctx, format};
use crate::api::changements::{self, Filtre};
use crate::errors::ApiResult;
use crate::params::{self, Params};
use crate::state::AppState;
use crate::views::{ChangementView, organisme_path};

const PAR_PAGE: usize = 50;

/// `GET /changements`.
pub async fn page(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let r = render(&state, &headers, raw.as_deref()).await;
    super::respond(&state, &headers, r)
}

fn query(f: &Filtre, page: Option<usize>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for t in &f.types {
        s.append_pair("type", t.as_str());
    }
    if let Some(d) = &f.departement {
        s.append_pair("departement", d);
    }
    if let Some(r) = &f.region {
        s.append_pair("region", r);
    }
    if let Some(d) = f.depuis {
        s.append_pair("depuis", &d.to_string());
    }
    if let Some(p) = page.filter(|p| *p > 1) {
        s.append_pair("page", &p.to_string());
    }
    s.finish()
}

fn with_query(path: &str, q: &str) -> String {
    if q.is_empty() { path.to_string() } else { format!("{path}?{q}") }
}

fn filtres(f: &Filtre) -> Markup {
    let places = annuaire_geo::Places::get();
    html! {
        form #filtres-changements action="/changements" method="get" {
            div.champ {
                label for="c-type" { "Type de changement" }
                select #c-type name="type" {
                    option value="" { "Tous les types" }
                    @for t in ChangeType::ALL {
                        option value=(t.as_str()) selected[f.types.first() == Some(&t)] { (format::capitalise(t.libelle())) }
                    }
                }
            }
            div.champ {
                label for="c-departement" { "Département" }
                select #c-departement name="departement" {
                    option value="" { "Tous les départements" }
                    @for d in places.departements() {
                        option value=(d.code) selected[f.departement.as_deref() == Some(d.code.as_str())] {
                            (d.code) " – " (d.nom)
                        }
                    }
                }
            }
            button type="submit" { "Afficher" }
        }
    }
}

fn liste(changes: &[ChangementView]) -> Markup {
    html! {
        ol #changements.changements {
            @for c in changes {
                @let nom = c.denomination.as_deref().unwrap_or(&c.nda);
                li data-type=(c.kind.as_str()) {
                    (format::time(c.date)) " — "
                    a href=(organisme_path(&c.nda, nom)) { (nom) }
                    " : " strong { (c.libelle) }
                    @if let Some(d) = detail(c) { " (" (d) ")" }
                }
            }
        }
    }
}

async fn render(state: &AppState, headers: &HeaderMap, raw: Option<&str>) -> ApiResult<Response> {
    let p = Params::parse(raw);
    let f = changements::filtre(&p)?;
    let page_no = p.integer("page", 1, params::MAX_PAGE)?.unwrap_or(1);
    let g = state.current()?;
    let (rows, more) = changements::page(state, &g, &f, page_no, PAR_PAGE).await?;
    let ctx = Ctx::new(state, headers, Some(&g));
    let q = query(&f, None);
    let atom = with_query("/changements.atom", &q);
    let filtered = !q.is_empty();
    let head = Head::new(
        if page_no > 1 {
            format!("Changements récents — page {page_no}")
        } else {
            "Changements récents".into()
        },
        "Les derniers changements de la liste officielle des organismes de formation : nouveaux organismes, \
         certifications Qualiopi obtenues ou perdues, changements de nom et d'adresse.",
        with_query("/changements", &query(&f, Some(page_no))),
    )
    .atom(atom.clone());
    let head = if filtered { head.noindex() } else { head };
    let body = html! {
        h1 { "Changements récents" }
        p.chapo {
            "Ce qui a changé d'une liste officielle à la suivante, du plus récent au plus ancien"
            @if let Some(d) = ctx.liste_du { " (dernière liste : " (format::date(d)) ")" }
            ". Une absence de la liste n'est pas forcément un retrait de certification."
        }
        (filtres(&f))
        p.flux {
            a href=(atom) { "S'abonner à ces changements (flux Atom)" }
            " — par exemple, pour être prévenu quand un organisme d'un département perd sa certification : "
            code { "/changements.atom?type=decertifie&departement=69" }
        }
        @if rows.is_empty() {
            p #aucun-changement { "Aucun changement ne correspond." }
        } @else {
            (liste(&rows))
        }
        @if page_no > 1 || more {
            nav.pagination aria-label="Pagination" {
                ul {
                    @if page_no > 1 {
                        li { a href=(with_query("/changements", &query(&f, Some(page_no - 1)))) rel="prev" { "‹ Plus récents" } }
                    }
                    li { a href=(with_query("/changements", &query(&f, Some(page_no)))) aria-current="page" { "Page " (page_no) } }
                    @if more && page_no < params::MAX_PAGE {
                        li { a href=(with_query("/changements", &query(&f, Some(page_no + 1)))) rel="next" { "Plus anciens ›" } }
                    }
                }
            }
        }
    };
    Ok(super::html(layout::page(&ctx, &head, body)))
}
