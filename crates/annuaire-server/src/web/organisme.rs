//! `/organismes/{nda}-{slug}`: everything the official list says about one provider, where it
//! is and how precisely, its certification and what that means, its history, and the sources.

use annuaire_core::{Categorie, ChangeType, ids};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::Value;

use super::layout::{self, Head};
use super::{Ctx, format};
use crate::api::organismes::{Fiche, fiche};
use crate::errors::{ApiError, ApiResult};
use crate::params::clip;
use crate::state::AppState;
use crate::views::{AdresseView, ChangementView, OrganismeView, organisme_path};

/// `GET /organismes/{nda}-{slug}` (and `/organismes/{nda}`, redirected to its slug).
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = path else { return super::bad_path(&state, &headers) };
    let r = render(&state, &headers, &id).await;
    super::respond(&state, &headers, r)
}

async fn render(state: &AppState, headers: &HeaderMap, id: &str) -> ApiResult<Response> {
    let nda = id.split('-').next().unwrap_or("");
    if !ids::nda_ok(nda) {
        return Err(ApiError::not_found(format!(
            "Aucun organisme à cette adresse : « {} » ne commence pas par un numéro de déclaration d'activité (NDA, 11 chiffres).",
            clip(id)
        )));
    }
    let g = state.current()?;
    let Some(f) = fiche(state, &g, nda).await? else {
        return Err(ApiError::not_found(format!(
            "Aucun organisme connu avec le numéro de déclaration d'activité {nda} dans les listes officielles importées."
        )));
    };
    let canonical = f.organisme.url.clone();
    if format!("/organismes/{id}") != canonical {
        return Ok(super::moved(&canonical));
    }
    let ctx = Ctx::new(state, headers, Some(&g));
    let head = Head::new(f.organisme.nom_affichage.clone(), description(&f.organisme), canonical);
    Ok(super::html(layout::page(&ctx, &head, body(&ctx, &f))))
}

fn description(o: &OrganismeView) -> String {
    let ou = o.adresse.commune.as_deref().or(o.adresse.ville.as_deref()).or(o.adresse.region.as_deref());
    let mut s = format!("{}, organisme de formation", o.nom_affichage);
    if let Some(ou) = ou {
        s.push_str(&format!(" ({ou})"));
    }
    if o.certifie {
        let l: Vec<&str> = o.categories.iter().map(|c| c.libelle()).collect();
        s.push_str(&format!(" certifié Qualiopi : {}.", format::and_list(&l)));
    } else if o.present_dans_la_liste {
        s.push_str(" sans certification Qualiopi.");
    } else {
        s.push_str(", absent de la dernière liste officielle.");
    }
    s.push_str(&format!(" NDA {}", o.nda));
    if let Some(siret) = &o.siret {
        s.push_str(&format!(", SIRET {siret}"));
    }
    s.push_str(". Historique des changements et sources.");
    s
}

/// "Localisé à la commune", "connu seulement à la région"…: how precisely the provider is placed.
pub fn localisation(a: &AdresseView) -> String {
    let dept = match (&a.departement_nom, &a.departement) {
        (Some(n), Some(c)) => format!("{n} ({c})"),
        (None, Some(c)) => c.clone(),
        _ => String::new(),
    };
    match a.precision_geo.as_str() {
        "commune" => match &a.commune {
            Some(c) if !dept.is_empty() => format!("Localisé à la commune : {c}, {dept}."),
            Some(c) => format!("Localisé à la commune : {c}."),
            None => "Localisé à la commune.".into(),
        },
        "code_postal" => format!(
            "Localisé par son code postal{}{} (commune exacte incertaine).",
            a.code_postal.as_deref().map(|c| format!(" {c}")).unwrap_or_default(),
            a.commune.as_deref().map(|c| format!(", autour de {c}")).unwrap_or_default()
        ),
        "departement" => {
            format!("Connu seulement au département : {}.", if dept.is_empty() { "?" } else { &dept })
        }
        "region" => format!(
            "Connu seulement à la région : {}. La liste officielle ne donne pas son adresse.",
            a.region.as_deref().unwrap_or("région non précisée")
        ),
        _ => "Aucune localisation : la liste officielle ne donne pas d'adresse exploitable.".into(),
    }
}

fn categories_of(v: Option<&Value>) -> Vec<&'static str> {
    let one = |x: &Value| x.as_str().and_then(|s| s.parse::<Categorie>().ok()).map(Categorie::libelle);
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(x) => one(x).into_iter().collect(),
        None => Vec::new(),
    }
}

fn text_of<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a str> {
    v.and_then(|v| if key.is_empty() { v.as_str() } else { v.get(key).and_then(Value::as_str) })
}

fn adresse_of(v: Option<&Value>) -> String {
    let parts: Vec<&str> = ["voie", "code_postal", "ville"]
        .iter()
        .filter_map(|k| text_of(v, k))
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() { "adresse non publiée".into() } else { parts.join(" ") }
}

/// What changed, in a few words, from the change's before and after values.
pub fn detail(c: &ChangementView) -> Option<String> {
    let (avant, apres) = (c.avant.as_ref(), c.apres.as_ref());
    match c.kind {
        ChangeType::Nouveau => {
            let cats = categories_of(apres.and_then(|v| v.get("categories")));
            Some(if cats.is_empty() {
                "sans certification Qualiopi".into()
            } else {
                format!("certifié : {}", format::and_list(&cats))
            })
        }
        ChangeType::Reapparu => avant
            .and_then(|v| v.get("derniere_apparition"))
            .and_then(Value::as_str)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| format!("absent depuis la liste du {}", format::date(d))),
        ChangeType::Certifie => {
            let cats = categories_of(apres);
            (!cats.is_empty()).then(|| format::and_list(&cats))
        }
        ChangeType::Decertifie => {
            let cats = categories_of(avant);
            (!cats.is_empty()).then(|| format!("auparavant : {}", format::and_list(&cats)))
        }
        ChangeType::CategorieAjoutee => categories_of(apres).first().map(|c| c.to_string()),
        ChangeType::CategorieRetiree => categories_of(avant).first().map(|c| c.to_string()),
        ChangeType::Renomme => match (text_of(avant, ""), text_of(apres, "")) {
            (Some(a), Some(b)) => Some(format!("« {a} » devient « {b} »")),
            _ => None,
        },
        ChangeType::AdresseModifiee => Some(format!("{} → {}", adresse_of(avant), adresse_of(apres))),
        ChangeType::Transfere => c.nda_lie.as_ref().map(|n| format!("ancien NDA {n}")),
        ChangeType::Disparu => None,
    }
}

/// The history timeline: one `<li>` per change, newest first (selectors used by the e2e tests).
pub fn historique(changes: &[ChangementView]) -> Markup {
    html! {
        ol #historique {
            @for c in changes {
                li data-type=(c.kind.as_str()) {
                    (format::time(c.date)) " — " strong { (format::capitalise(c.libelle)) }
                    @if let Some(d) = detail(c) { " : " (d) }
                    @if let Some(n) = c.nda_lie.as_deref().filter(|_| c.kind == ChangeType::Transfere) {
                        " (" a href=(organisme_path(n, "")) { "voir l'ancien NDA" } ")"
                    }
                }
            }
        }
    }
}

fn opt_int(n: Option<u32>) -> String {
    n.map_or_else(|| "non déclaré".to_string(), format::int)
}

fn body(ctx: &Ctx, f: &Fiche) -> Markup {
    let o = &f.organisme;
    let a = &o.adresse;
    let liste = ctx.liste_du.map(format::date).unwrap_or_else(|| "?".into());
    let labels: Vec<&str> = o.categories.iter().map(|c| c.libelle()).collect();
    html! {
        p.fil { a href="/" { "Accueil" } " › Organisme" }
        h1 { (o.nom_affichage) }
        p.statut-organisme data-certifie=(o.certifie) {
            @if o.certifie {
                strong { "Certifié Qualiopi" } " — " (format::and_list(&labels)) " — vu dans la liste officielle du " (liste) "."
            } @else if o.present_dans_la_liste {
                strong { "Non certifié Qualiopi" } " — présent dans la liste officielle du " (liste) " sans certification."
            } @else {
                strong { "Absent de la dernière liste officielle" } " — vu pour la dernière fois dans la liste du "
                (format::date(o.derniere_apparition)) "."
            }
        }
        p.localisation { (localisation(a)) }

        section aria-labelledby="identite-titre" {
            h2 #identite-titre { "Identité" }
            dl #identite {
                dt { "Numéro de déclaration d'activité (NDA)" } dd { (o.nda) }
                dt { "SIREN" } dd { (o.siren.as_deref().unwrap_or("non renseigné")) }
                dt { "SIRET" } dd { (o.siret.as_deref().unwrap_or("non renseigné")) }
                dt { "Dénomination officielle" } dd { (o.denomination) }
                dt { "Forme juridique" } dd { (o.forme_juridique.as_deref().unwrap_or("non précisée")) }
                dt { "Adresse déclarée" }
                dd {
                    @if a.voie.is_none() && a.code_postal.is_none() && a.ville.is_none() {
                        "non publiée dans la liste"
                    } @else {
                        @if let Some(v) = &a.voie { (v) br; }
                        (a.code_postal.as_deref().unwrap_or("")) " " (a.ville.as_deref().unwrap_or(""))
                    }
                }
                @if let Some(r) = &a.region { dt { "Région" } dd { (r) } }
                @if let Some(e) = &o.organisme_etranger {
                    dt { "Organisme étranger représenté" }
                    dd {
                        (e.denomination.as_deref().unwrap_or("")) " "
                        (e.ville.as_deref().unwrap_or("")) " "
                        (e.pays.as_deref().unwrap_or(""))
                    }
                }
                @if !o.ndas_precedents.is_empty() {
                    dt { "NDA précédents déclarés" } dd { (o.ndas_precedents.join(", ")) }
                }
                @if let Some(p) = &o.nda_predecesseur {
                    dt { "Succède au NDA" } dd { a href=(organisme_path(p, "")) { (p) } }
                }
                @if let Some(s) = &o.nda_successeur {
                    dt { "Remplacé par le NDA" } dd { a href=(organisme_path(s, "")) { (s) } }
                }
            }
        }

        section #certification aria-labelledby="certification-titre" {
            h2 #certification-titre { "Certification Qualiopi" }
            table.categories {
                caption { "Catégories de certification dans la liste officielle du " (liste) }
                thead { tr { th scope="col" { "Catégorie" } th scope="col" { "Statut" } } }
                tbody {
                    @for c in Categorie::ALL {
                        tr {
                            th scope="row" { (format::capitalise(c.libelle())) }
                            @if o.categories.contains(&c) {
                                td.oui { "✓ Certifié" }
                            } @else {
                                td.non { "— Non certifié" }
                            }
                        }
                    }
                }
            }
            dl.dates {
                dt { "Dans la liste depuis" }
                dd { (format::time(o.premiere_apparition)) " (première liste importée où il figure)" }
                @if let Some(d) = o.certifie_depuis {
                    dt { "Vu certifié depuis" } dd { (format::time(d)) }
                }
                dt { "Vu pour la dernière fois" } dd { "dans la liste du " (format::time(o.derniere_apparition)) }
                @if let Some(m) = &o.derniere_modification {
                    dt { "Dernière modification" } dd { (format::capitalise(m.kind.libelle())) ", liste du " (format::time(m.date)) }
                }
            }
            div.explication {
                p {
                    "La liste officielle dit seulement, pour chaque catégorie, si l'organisme est certifié à sa date. "
                    "Les dates du certificat, le certificateur et les résultats d'audit ne sont pas publics : "
                    "« vu certifié depuis » est la première liste où cet annuaire l'a vu certifié, pas la date du certificat."
                }
                p {
                    "Une absence de la liste n'est pas forcément un retrait de certification : la déclaration d'activité "
                    "peut avoir pris fin, ou la ligne avoir été mal publiée. "
                    a href="/qualiopi" { "Ce que signifie la certification Qualiopi" } "."
                }
            }
        }

        section aria-labelledby="activite-titre" {
            h2 #activite-titre { "Activité déclarée" }
            dl #activite {
                dt { "Spécialités de formation (NSF)" }
                dd {
                    @if o.specialites.is_empty() {
                        "aucune déclarée"
                    } @else {
                        ul {
                            @for s in &o.specialites { li { (s.code) " — " (s.libelle) } }
                        }
                    }
                }
                @if !o.thematiques.is_empty() {
                    dt { "Thèmes" }
                    dd {
                        ul.liens-themes {
                            @for t in &o.thematiques {
                                li {
                                    a href=(format!("/recherche?thematique={t}")) {
                                        (annuaire_search::thematiques().iter().find(|x| x.slug == *t).map_or(*t, |x| x.libelle))
                                    }
                                }
                            }
                        }
                    }
                }
                dt { "Stagiaires (dernier bilan)" } dd { (opt_int(o.nb_stagiaires)) }
                dt { "Stagiaires confiés à un autre organisme" } dd { (opt_int(o.nb_stagiaires_confies)) }
                dt { "Formateurs" } dd { (opt_int(o.effectif_formateurs)) }
                dt { "Dernière déclaration (bilan pédagogique et financier)" }
                dd { (o.date_derniere_declaration.map(format::time).unwrap_or_else(|| html! { "non renseignée" })) }
                @if let (Some(d), Some(fin)) = (o.debut_exercice, o.fin_exercice) {
                    dt { "Exercice déclaré" } dd { "du " (format::time(d)) " au " (format::time(fin)) }
                }
            }
        }

        section aria-labelledby="historique-titre" {
            h2 #historique-titre { "Historique" }
            @if f.historique.is_empty() {
                p { "Aucun changement enregistré." }
            } @else {
                p.aide { "Changements vus d'une liste officielle à la suivante, du plus récent au plus ancien." }
                (historique(&f.historique))
            }
        }

        section aria-labelledby="sources-titre" {
            h2 #sources-titre { "Sources" }
            ul {
                li {
                    "Liste publique des organismes de formation (ministère du Travail, DGEFP), "
                    @if let Some(fr) = layout::freshness(ctx) { (fr) } @else { "date inconnue" }
                    ", Licence Ouverte."
                }
                li { "Localisation : référentiels des communes (INSEE, 2024) et des codes postaux (La Poste, 2022)." }
                li { "Thèmes : déduits des spécialités NSF déclarées, par la table de correspondance de cet annuaire." }
                li { a href=(format!("/api/v1/organismes/{}", o.nda)) { "Ces données au format JSON" } " · " a href="/donnees" { "toutes les sources" } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(kind: ChangeType, avant: Option<Value>, apres: Option<Value>) -> ChangementView {
        ChangementView {
            id: 1,
            nda: "11000000001".into(),
            denomination: None,
            kind,
            libelle: kind.libelle(),
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap(),
            avant,
            apres,
            nda_lie: None,
        }
    }

    #[test]
    fn details() {
        let check =
            |c: ChangementView, want: Option<&str>| assert_eq!(detail(&c).as_deref(), want, "{:?}", c.kind);
        check(
            change(ChangeType::Nouveau, None, Some(json!({"categories": ["actions_formation", "vae"]}))),
            Some("certifié : actions de formation et VAE"),
        );
        check(
            change(ChangeType::Nouveau, None, Some(json!({"categories": []}))),
            Some("sans certification Qualiopi"),
        );
        check(change(ChangeType::CategorieAjoutee, None, Some(json!("vae"))), Some("VAE"));
        check(
            change(ChangeType::CategorieRetiree, Some(json!("apprentissage")), None),
            Some("apprentissage"),
        );
        check(change(ChangeType::Renomme, Some(json!("A")), Some(json!("B"))), Some("« A » devient « B »"));
        check(
            change(ChangeType::Reapparu, Some(json!({"derniere_apparition": "2024-12-30"})), None),
            Some("absent depuis la liste du 30/12/2024"),
        );
        check(
            change(
                ChangeType::AdresseModifiee,
                Some(json!({"voie": null, "code_postal": "69001", "ville": "LYON"})),
                Some(json!({"voie": "1 rue X", "code_postal": null, "ville": null})),
            ),
            Some("69001 LYON → 1 rue X"),
        );
        check(change(ChangeType::Disparu, None, None), None);
        // Unexpected shapes give no detail rather than a wrong one.
        check(change(ChangeType::Renomme, Some(json!(1)), None), None);
        check(change(ChangeType::Certifie, None, Some(json!({"x": 1}))), None);
    }
}
