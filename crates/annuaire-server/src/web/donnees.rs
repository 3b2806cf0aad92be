//! `/donnees`: every source with its licence and date: the official list being served (its date,
//! when it was synchronised, its checksum and counts) and the reference files listed in
//! `data/SOURCES.md`, read from that file so the page and the repository never disagree.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};

use super::layout::{self, Head};
use super::{Ctx, format};
use crate::generation::Generation;
use crate::state::AppState;

const SOURCES_MD: &str = include_str!("../../../../data/SOURCES.md");

/// Column headers of the table of sources, repeated by each cell when rows are stacked.
const COLONNES: [&str; 5] = ["Fichier", "Contenu", "Éditeur", "Licence", "Date des données"];

/// One row of the table of `data/SOURCES.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub fichiers: String,
    pub contenu: String,
    pub editeur: String,
    pub licence: String,
    pub date: String,
}

/// The reference sources: the rows of the Markdown table whose first cell names a file.
pub fn sources() -> &'static [Source] {
    static S: OnceLock<Vec<Source>> = OnceLock::new();
    S.get_or_init(|| {
        SOURCES_MD
            .lines()
            .filter(|l| l.trim_start().starts_with("| `"))
            .filter_map(|l| {
                let cells: Vec<String> = l
                    .trim()
                    .trim_matches('|')
                    .split(" | ")
                    .map(|c| c.replace('`', "").trim().to_string())
                    .collect();
                match cells.as_slice() {
                    [f, c, e, li, d] => Some(Source {
                        fichiers: f.clone(),
                        contenu: c.clone(),
                        editeur: e.clone(),
                        licence: li.clone(),
                        date: d.clone(),
                    }),
                    _ => None,
                }
            })
            .collect()
    })
}

fn liste_officielle(ctx: &Ctx, g: Option<&Generation>) -> Markup {
    let snap = g.and_then(|g| g.snapshot.as_ref());
    html! {
        section aria-labelledby="liste-titre" {
            h2 #liste-titre { "La liste officielle des organismes de formation" }
            p {
                "Liste publique des organismes de formation (article L. 6351-7-1 du Code du travail), publiée par le "
                "ministère du Travail (DGEFP) sur data.gouv.fr sous " strong { "Licence Ouverte" } ". "
                "Elle est téléchargée chaque jour ; un fichier identique au précédent n'est pas réimporté."
            }
            @if ctx.synthetic {
                p.alerte { strong { "Ce site sert des données synthétiques : " }
                    "la liste ci-dessous a été générée pour la démonstration et ne vient pas du ministère." }
            }
            @match snap {
                None => p { "Aucune liste n'est encore chargée." },
                Some(s) => {
                    dl #liste-officielle {
                        dt { "Date de la liste servie" } dd { (format::time(s.date)) }
                        dt { "Synchronisée le" } dd { (format::timestamp(&s.imported_at)) }
                        dt { "Source" }
                        dd {
                            // A local file's path says nothing useful and tells about the server.
                            @if s.source.starts_with("https://") || s.source.starts_with("http://") {
                                code.url { (s.source) }
                            } @else {
                                "fichier local"
                            }
                        }
                        dt { "Empreinte SHA-256 du fichier" } dd { code.url { (s.sha256) } }
                        dt { "Lignes lues" } dd { (format::int(s.lignes.max(0) as u64)) }
                        dt { "Lignes valides" } dd { (format::int(s.valides.max(0) as u64)) }
                        dt { "Lignes rejetées (conservées telles quelles)" } dd { (format::int(s.rejetees.max(0) as u64)) }
                        dt { "Organismes certifiés" } dd { (format::int(s.certifies.max(0) as u64)) }
                        dt { "Changements par rapport à la liste précédente" } dd { (format::int(s.changements.max(0) as u64)) }
                        @if let Some(g) = g {
                            dt { "Listes importées depuis le début" } dd { (format::int(g.stats.snapshots.max(0) as u64)) }
                            dt { "Organismes connus (présents ou non)" } dd { (format::int(g.stats.connus.max(0) as u64)) }
                        }
                    }
                }
            }
            @if let Some(g) = g.filter(|g| !g.stats.par_precision_geo.is_empty()) {
                table #precision {
                    caption { "Précision de la localisation des organismes de la liste" }
                    thead { tr { th scope="col" { "Localisés…" } th scope="col" { "Organismes" } } }
                    tbody {
                        @for (p, n) in &g.stats.par_precision_geo {
                            tr {
                                th scope="row" { (precision(p)) }
                                td { (format::int((*n).max(0) as u64)) }
                            }
                        }
                    }
                }
                p.aide {
                    "Une adresse absente ou inexploitable n'est jamais complétée par une position inventée : "
                    "ces organismes ne sont pas trouvés par une recherche autour d'un lieu, mais par département ou région."
                }
            }
        }
    }
}

fn precision(p: &str) -> &str {
    match p {
        "commune" => "à la commune",
        "code_postal" => "au code postal",
        "departement" => "au département seulement",
        "region" => "à la région seulement",
        "aucune" => "nulle part (aucune adresse)",
        other => other,
    }
}

/// `GET /donnees`.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let g = state.generation();
    let ctx = Ctx::new(&state, &headers, g.as_deref());
    let head = Head::new(
        "Données et sources",
        "Les sources de l'annuaire, leur licence et leur date : liste officielle des organismes de formation, \
         communes, codes postaux, spécialités NSF, référentiel Qualiopi.",
        "/donnees",
    );
    let body = html! {
        h1 { "Données et sources" }
        p.chapo {
            "Tout ce que montre cet annuaire vient de données publiques. Les voici, avec leur licence et leur date."
        }
        (liste_officielle(&ctx, g.as_deref()))
        section aria-labelledby="references-titre" {
            h2 #references-titre { "Données de référence" }
            p { "Fichiers publics copiés sans modification dans le dépôt du projet, tels que les décrit " code { "data/SOURCES.md" } " (en anglais)." }
            div.tableau-defilant tabindex="0" role="region" aria-labelledby="references-legende" {
                // Stacked on a phone, like the verification table (see `verifier.rs`).
                table id="sources" class="tableau-empile" role="table" {
                    caption #references-legende { "Sources de référence, éditeurs, licences et dates" }
                    thead role="rowgroup" {
                        tr role="row" {
                            @for c in COLONNES { th scope="col" role="columnheader" { (c) } }
                        }
                    }
                    tbody role="rowgroup" {
                        @for s in sources() {
                            // The repository's table is written in English.
                            tr role="row" {
                                th scope="row" role="rowheader" { code.url { (s.fichiers) } }
                                td lang="en" role="cell" data-label=(COLONNES[1]) { (s.contenu) }
                                td lang="en" role="cell" data-label=(COLONNES[2]) { (s.editeur) }
                                td lang="en" role="cell" data-label=(COLONNES[3]) { (s.licence) }
                                td lang="en" role="cell" data-label=(COLONNES[4]) { (s.date) }
                            }
                        }
                    }
                }
            }
            ul {
                li { strong { "SIREN et SIRET" } " : tels que déclarés dans la liste officielle ; leur clé de contrôle est "
                     "vérifiée, mais ils ne sont pas rapprochés du répertoire SIRENE de l'INSEE. Les formes juridiques "
                     "viennent des catégories juridiques de l'INSEE." }
                li { strong { "Thèmes" } " : déduits des spécialités NSF déclarées par une table de correspondance propre "
                     "à cet annuaire (" code { "data/search/" } ")." }
                li { strong { "Historique" } " : calculé par l'annuaire en comparant chaque liste à la précédente ; "
                     "il commence à la première liste importée." }
            }
        }
        section aria-labelledby="acces-titre" {
            h2 #acces-titre { "Réutiliser ces données" }
            ul {
                li { a href="/api/v1/openapi.json" { "API JSON ouverte" } " (description OpenAPI) : recherche, fiches, vérification en masse, changements, statistiques." }
                li { a href="/changements.atom" { "Flux Atom des changements" } ", filtrable par type et département." }
                li { "Export CSV de toute recherche et de toute vérification." }
            }
        }
    };
    super::html(layout::page(&ctx, &head, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_come_from_the_repository_table() {
        let s = sources();
        assert!(s.len() >= 7, "{s:?}");
        let all = |f: &str| s.iter().any(|x| x.fichiers.contains(f));
        for f in ["laposte", "communes_france", "nsf_groupes", "rnq_qualiopi", "categories_juridiques"] {
            assert!(all(f), "{f} missing");
        }
        assert!(s.iter().all(|x| !x.licence.is_empty() && !x.date.is_empty() && !x.fichiers.contains('`')));
    }
}
