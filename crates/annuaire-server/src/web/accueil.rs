//! `/`: one search form ("Quelle formation ? Où ?"), popular topics and cities, and how fresh
//! the data is.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use maud::html;

use super::layout::{self, Head};
use super::recherche::{Saisie, formulaire, grandes_villes};
use super::{Ctx, format};
use crate::state::AppState;

/// Topics offered as links on the home page, in this order.
const THEMES_POPULAIRES: &[&str] = &[
    "informatique",
    "langues",
    "management",
    "comptabilite-gestion",
    "bureautique",
    "securite",
    "sante",
    "commerce-vente",
    "ressources-humaines",
    "transport-logistique",
];

/// `GET /`.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let g = state.generation();
    let ctx = Ctx::new(&state, &headers, g.as_deref());
    let certifies = g.as_ref().map(|g| g.stats.certifies.max(0) as u64);
    let themes: Vec<&annuaire_search::Thematique> = THEMES_POPULAIRES
        .iter()
        .filter_map(|s| annuaire_search::thematiques().iter().find(|t| t.slug == *s))
        .collect();
    let head = Head::new(
        "Trouver un organisme de formation certifié Qualiopi",
        "Cherchez un organisme de formation certifié Qualiopi par thème et par lieu, et vérifiez la certification \
         d'un organisme par son SIRET, son SIREN ou son numéro de déclaration d'activité, d'après la liste officielle.",
        "/",
    );
    let body = html! {
        div.accueil {
            h1 { "Trouver un organisme de formation certifié Qualiopi" }
            p.chapo {
                @if let Some(n) = certifies {
                    (format::int(n)) " organismes certifiés"
                } @else {
                    "Les organismes certifiés"
                }
                ", d'après la liste officielle des organismes de formation"
                @if let Some(f) = layout::freshness(&ctx) { " (" (f) ")" }
                "."
            }
            (formulaire(&Saisie::default(), false))
        }
        section aria-labelledby="themes-titre" {
            h2 #themes-titre { "Thèmes recherchés" }
            ul.liens-themes {
                @for t in &themes {
                    li { a href=(format!("/recherche?thematique={}", t.slug)) { (t.libelle) } }
                }
            }
        }
        section aria-labelledby="villes-titre" {
            h2 #villes-titre { "Grandes villes" }
            ul.liens-themes {
                @for c in grandes_villes(10) {
                    li {
                        a href=(format!("/recherche?lieu={}", form_urlencoded::byte_serialize(c.nom.as_bytes()).collect::<String>())) {
                            (c.nom)
                        }
                    }
                }
            }
        }
        section.encarts aria-label="Autres services" {
            div.encart {
                h2 { a href="/verifier" { "Vérifier des organismes" } }
                p { "Collez une liste de SIRET, SIREN ou numéros de déclaration d'activité : leur statut Qualiopi en un tableau et un CSV." }
            }
            div.encart {
                h2 { a href="/qualiopi" { "Qualiopi, c'est quoi ?" } }
                p { "Qui doit être certifié, les quatre catégories, les audits, et ce que la liste officielle dit ou ne dit pas." }
            }
            div.encart {
                h2 { a href="/changements" { "Changements récents" } }
                p { "Nouveaux organismes, certifications obtenues ou perdues, d'une liste officielle à la suivante." }
            }
        }
    };
    super::html(layout::page(&ctx, &head, body))
}
