//! `/qualiopi`: what the certification is, who needs it, its four scopes, its validity and
//! audits, the 7 criteria and 32 indicators of the RNQ (from the reference files in
//! `data/reference/`), and what this directory can and cannot tell.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{self, Head};
use super::{Ctx, format};
use crate::state::AppState;

const RNQ_JSON: &str = include_str!("../../../../data/reference/rnq_qualiopi_criteres_indicateurs.json");
const RNQ_CSV: &str = include_str!("../../../../data/reference/rnq_qualiopi_indicateurs.csv");

#[derive(Debug, Deserialize)]
pub struct Critere {
    pub number: u32,
    pub label: String,
}

#[derive(Debug, Deserialize)]
pub struct Indicateur {
    pub number: u32,
    pub criterion: u32,
    pub label: String,
    #[serde(default)]
    pub level_expected: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Rnq {
    pub source: String,
    pub criteria: Vec<Critere>,
    pub indicators: Vec<Indicateur>,
}

/// The reference, parsed once. The file is compiled in and checked by a test; should it ever be
/// unreadable, the page says so rather than failing.
pub fn rnq() -> Option<&'static Rnq> {
    static R: OnceLock<Option<Rnq>> = OnceLock::new();
    R.get_or_init(|| match serde_json::from_str(RNQ_JSON) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::error!(error = %e, "unreadable RNQ reference file");
            None
        }
    })
    .as_ref()
}

fn referentiel() -> Markup {
    let Some(r) = rnq() else {
        return html! { p { "Le référentiel n'a pas pu être lu." } };
    };
    html! {
        @for c in &r.criteria {
            section.critere aria-labelledby=(format!("critere-{}", c.number)) {
                h3 #(format!("critere-{}", c.number)) { "Critère " (c.number) " — " (c.label) }
                ol.indicateurs {
                    @for i in r.indicators.iter().filter(|i| i.criterion == c.number) {
                        li value=(i.number) {
                            strong { "Indicateur " (i.number) " : " } (i.label)
                            @if let Some(n) = i.level_expected.as_deref().filter(|n| !n.trim().is_empty()) {
                                details {
                                    summary { "Niveau attendu" span.visuellement-cache { " (indicateur " (i.number) ")" } }
                                    p { (n) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /qualiopi`.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let ctx = Ctx::new(&state, &headers, None);
    let (nc, ni) = rnq().map_or((0, 0), |r| (r.criteria.len(), r.indicators.len()));
    let head = Head::new(
        "Qualiopi, c'est quoi ?",
        format!(
            "La certification Qualiopi expliquée : qui doit être certifié, les quatre catégories, la validité de 3 ans \
             et l'audit de surveillance, les {nc} critères et {ni} indicateurs du référentiel national qualité."
        ),
        "/qualiopi",
    );
    let body = html! {
        h1 { "Qualiopi, c'est quoi ?" }
        p.chapo {
            "Qualiopi est la marque de la certification qualité des organismes qui proposent des actions "
            "de développement des compétences. Elle atteste qu'un organisme respecte le "
            strong { "référentiel national qualité" } " (RNQ) : " (nc) " critères et " (ni) " indicateurs."
        }
        nav.sommaire aria-label="Sommaire de la page" {
            ul {
                li { a href="#qui" { "Qui doit être certifié ?" } }
                li { a href="#categories" { "Les quatre catégories" } }
                li { a href="#duree" { "Durée et audits" } }
                li { a href="#referentiel" { "Les critères et indicateurs" } }
                li { a href="#annuaire" { "Ce que cet annuaire peut et ne peut pas dire" } }
            }
        }
        section aria-labelledby="qui" {
            h2 #qui { "Qui doit être certifié ?" }
            p {
                "Depuis le 1" sup { "er" } " janvier 2022, un organisme de formation, de bilans de compétences, de validation "
                "des acquis de l'expérience ou un centre de formation d'apprentis doit être certifié Qualiopi pour que ses "
                "prestations soient financées par des fonds publics ou mutualisés : opérateurs de compétences (OPCO), État, "
                "régions, Caisse des dépôts (Mon Compte Formation), France Travail, Agefiph, associations Transitions Pro "
                "(article L. 6316-1 du Code du travail)."
            }
            p {
                "Un organisme dont les clients paient sur leurs propres fonds (entreprise, particulier) n'est pas obligé "
                "d'être certifié : son absence de certification ne dit rien de la qualité de ses formations."
            }
        }
        section aria-labelledby="categories" {
            h2 #categories { "Les quatre catégories" }
            p { "Un organisme est certifié pour une ou plusieurs catégories d'actions ; la liste officielle indique lesquelles :" }
            ul {
                li { strong { "Actions de formation" } }
                li { strong { "Bilans de compétences" } }
                li { strong { "Validation des acquis de l'expérience" } " (VAE)" }
                li { strong { "Actions de formation par apprentissage" } " (centres de formation d'apprentis)" }
            }
        }
        section aria-labelledby="duree" {
            h2 #duree { "Durée et audits" }
            p {
                "La certification est délivrée après un audit initial, par un organisme certificateur accrédité par le "
                "Cofrac ou par une instance de labellisation reconnue par France compétences. Elle est "
                strong { "valable 3 ans" } ". Un " strong { "audit de surveillance" }
                " a lieu entre le 14" sup { "e" } " et le 22" sup { "e" } " mois, et un audit de renouvellement avant "
                "la fin des 3 ans. Une non-conformité majeure non corrigée peut entraîner la suspension ou le retrait "
                "du certificat."
            }
        }
        section aria-labelledby="referentiel" {
            h2 #referentiel { "Les " (nc) " critères et " (ni) " indicateurs du référentiel" }
            p {
                "Source : référentiel national qualité — critères de l'article R. 6316-1 du Code du travail, indicateurs "
                "de l'annexe du décret n° 2019-565 du 6 juin 2019 et guide de lecture du ministère du Travail "
                "(édition 2023-2024). Certains indicateurs ne concernent que certaines catégories (apprentissage, VAE, "
                "bilans de compétences) ou les organismes nouvellement entrants. "
                a href="/qualiopi/indicateurs.csv" download="rnq_qualiopi_indicateurs.csv" { "Les " (ni) " indicateurs en CSV" } "."
            }
            (referentiel())
        }
        section aria-labelledby="annuaire" {
            h2 #annuaire { "Ce que cet annuaire peut et ne peut pas dire" }
            h3 { "Ce qu'il dit" }
            ul {
                li { "si un organisme figure dans la dernière liste officielle publiée par le ministère du Travail (DGEFP), "
                     "et pour quelles catégories il y est indiqué certifié"
                     @if let Some(d) = ctx.liste_du { " (liste du " (format::date(d)) ")" } " ;" }
                li { "depuis quelle liste importée il y figure, et depuis quand il y est vu certifié ;" }
                li { "ce qui a changé d'une liste à la suivante : apparition, certification, retrait d'une catégorie, "
                     "nouvelle adresse, nouveau numéro de déclaration." }
            }
            h3 { "Ce qu'il ne peut pas dire" }
            ul {
                li { "les dates du certificat, le nom du certificateur ou les résultats des audits : la liste ne les publie pas ;" }
                li { "la qualité d'une formation précise : la certification porte sur l'organisme et ses méthodes, pas sur chaque formation ;" }
                li { "pourquoi un organisme a quitté la liste : une absence n'est pas forcément un retrait de certification "
                     "(la déclaration d'activité a pu prendre fin, ou la ligne être mal publiée) ;" }
                li { "quoi que ce soit des prestataires absents de la liste, qui ne recense que les organismes ayant un "
                     "numéro de déclaration d'activité." }
            }
            p { "Pour une certitude, demandez à l'organisme son certificat : il doit pouvoir le présenter. "
                a href="/verifier" { "Vérifier des organismes dans la liste" } "." }
        }
    };
    super::html(layout::page(&ctx, &head, body))
}

/// `GET /qualiopi/indicateurs.csv`: the reference file as shipped.
pub async fn csv() -> Response {
    let mut res = RNQ_CSV.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"rnq_qualiopi_indicateurs.csv\""),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_has_7_criteria_and_32_indicators() {
        let r = rnq().expect("readable RNQ file");
        assert_eq!(r.criteria.len(), 7);
        assert_eq!(r.indicators.len(), 32);
        assert!(r.source.contains("2019-565"));
        // Every indicator belongs to a known criterion, numbered 1 to 32 in order.
        for (k, i) in r.indicators.iter().enumerate() {
            assert_eq!(i.number as usize, k + 1);
            assert!(r.criteria.iter().any(|c| c.number == i.criterion), "indicator {}", i.number);
        }
        // The CSV copy agrees: a header and 32 rows starting with their number.
        let rows: Vec<&str> = RNQ_CSV
            .lines()
            .skip(1)
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .collect();
        assert_eq!(rows.len(), 32);
    }
}
