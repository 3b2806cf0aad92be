//! `/verifier`: the bulk verification of the API as a page. Paste identifiers or upload a file
//! (multipart or urlencoded POST), get a table and a CSV of the same check.
//!
//! The CSV link of a POSTed check must be a plain link. A short list travels in the link itself
//! (`/verifier?identifiants=…&format=csv`, stateless, reusable); a long one would make a URL
//! too long, so its identifiers are kept in a small in-memory table under the hash of their
//! content (`/verifier/csv/{hash}`) and the CSV is recomputed on download.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use maud::{Markup, html};
use sha2::{Digest, Sha256};

use super::layout::{self, Head};
use super::{Ctx, format};
use crate::api::verification::{self, Ligne, MAX_IDS, Statut, Verification};
use crate::errors::{ApiError, ApiResult};
use crate::params::{Params, clip};
use crate::state::AppState;

/// Rows shown in the page; the CSV has them all.
const MAX_ROWS_SHOWN: usize = 1000;
/// Longest CSV link that carries the identifiers itself.
const MAX_LINK: usize = 1800;
/// Checks remembered for their CSV link, and identifiers across them (bounded memory).
const CACHE_ENTRIES: usize = 64;
const CACHE_IDS: usize = 100_000;

// ----- reading identifiers -----------------------------------------------------------------

/// Identifiers typed or pasted in the text area: one per line, or several on a line separated by
/// commas, semicolons or tabs (spaces stay inside: "123 456 789 00012" is one SIRET). A first
/// token without any digit is a pasted header and is skipped.
pub fn ids_from_textarea(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let tokens = text.trim_start_matches('\u{feff}').lines().flat_map(|l| l.split([',', ';', '\t']));
    let mut first = true;
    for token in tokens {
        let t = token.trim().trim_matches('"').trim();
        if t.is_empty() {
            continue;
        }
        let is_header = first && !t.bytes().any(|b| b.is_ascii_digit());
        first = false;
        if !is_header {
            out.push(t.to_string());
        }
    }
    out
}

fn body_error(status: StatusCode, max: usize) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large(format!("Envoi trop volumineux : au plus {} Mo.", max / (1024 * 1024)))
    } else {
        ApiError::bad_request("Envoi illisible : renvoyez le formulaire.")
    }
}

/// Identifiers of a POSTed form, multipart (text area and/or file) or urlencoded.
async fn read_form(state: &AppState, req: Request) -> ApiResult<Vec<String>> {
    let max = state.config.max_body_bytes;
    let ctype = verification::content_type(&req);
    let mut ids = Vec::new();
    if ctype.starts_with("multipart/form-data") {
        let parts =
            verification::multipart_parts(state, req).await.map_err(|(status, _)| body_error(status, max))?;
        for (name, text) in parts {
            if name == "fichier" {
                // A file is a CSV or a text list: its first column, as the API reads it.
                ids.extend(verification::ids_from_text(&text));
            } else {
                ids.extend(ids_from_textarea(&text));
            }
        }
    } else if ctype.starts_with("application/x-www-form-urlencoded") {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| body_error(e.status(), max))?;
        for (k, v) in form_urlencoded::parse(&bytes) {
            if k == "identifiants" {
                ids.extend(ids_from_textarea(&v));
            }
        }
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "type_de_contenu_non_pris_en_charge",
            "Envoyez le formulaire de la page (multipart/form-data ou application/x-www-form-urlencoded).",
        ));
    }
    verification::check_count(&ids)?;
    Ok(ids)
}

// ----- CSV links ----------------------------------------------------------------------------

type Cache = Mutex<VecDeque<(String, Arc<Vec<String>>)>>;

fn cache() -> &'static Cache {
    static C: OnceLock<Cache> = OnceLock::new();
    C.get_or_init(|| Mutex::new(VecDeque::new()))
}

fn hash_of(ids: &[String]) -> String {
    let mut h = Sha256::new();
    for id in ids {
        h.update(id.as_bytes());
        h.update(b"\n");
    }
    h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn remember(ids: &[String]) -> String {
    let key = hash_of(ids);
    let mut c = cache().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = c.iter().position(|(k, _)| *k == key) {
        let entry = c.remove(i);
        c.extend(entry);
        return key;
    }
    c.push_back((key.clone(), Arc::new(ids.to_vec())));
    let mut total: usize = c.iter().map(|(_, v)| v.len()).sum();
    while c.len() > 1 && (c.len() > CACHE_ENTRIES || total > CACHE_IDS) {
        if let Some((_, old)) = c.pop_front() {
            total -= old.len();
        }
    }
    key
}

fn recall(key: &str) -> Option<Arc<Vec<String>>> {
    let c = cache().lock().unwrap_or_else(|e| e.into_inner());
    c.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// The link to the CSV of this check.
pub fn csv_link(ids: &[String]) -> String {
    let joined = ids.join(",");
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("identifiants", &joined);
    s.append_pair("format", "csv");
    let link = format!("/verifier?{}", s.finish());
    if link.len() <= MAX_LINK { link } else { format!("/verifier/csv/{}", remember(ids)) }
}

fn csv_response(v: &Verification) -> ApiResult<Response> {
    let mut res = crate::api::csv(verification::to_csv(v)?, "annuaire-verification.csv");
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

// ----- pages --------------------------------------------------------------------------------

fn formulaire(texte: &str) -> Markup {
    html! {
        form #verifier method="post" action="/verifier" enctype="multipart/form-data" {
            div.champ {
                label for="identifiants" { "Identifiants à vérifier" }
                span #identifiants-aide .aide {
                    "SIRET (14 chiffres), SIREN (9 chiffres) ou numéro de déclaration d'activité (NDA, 11 chiffres), "
                    "un par ligne ou séparés par des virgules ; au plus " (format::int(MAX_IDS as u64)) "."
                }
                textarea #identifiants name="identifiants" rows="8" aria-describedby="identifiants-aide" { (texte) }
            }
            div.champ {
                label for="fichier" { "Ou un fichier CSV ou texte" }
                span #fichier-aide .aide { "Les identifiants sont lus dans la première colonne ; une ligne d'en-tête est ignorée." }
                input #fichier type="file" name="fichier" accept=".csv,.txt,text/csv,text/plain" aria-describedby="fichier-aide";
            }
            button type="submit" { "Vérifier" }
        }
    }
}

fn explication() -> Markup {
    html! {
        section aria-labelledby="statuts-titre" {
            h2 #statuts-titre { "Ce que disent les statuts" }
            dl {
                dt { (Statut::Certifie.libelle()) }
                dd { "L'organisme figure dans la dernière liste officielle avec au moins une catégorie de certification." }
                dt { (Statut::NonCertifie.libelle()) }
                dd { "Il figure dans la liste (il a un numéro de déclaration d'activité) sans certification Qualiopi." }
                dt { (Statut::AbsentDeLaListe.libelle()) }
                dd { "Il a figuré dans une liste précédente mais plus dans la dernière : ce n'est pas forcément un retrait de certification." }
                dt { (Statut::Inconnu.libelle()) }
                dd { "L'identifiant est valide mais n'a jamais été vu dans les listes importées." }
                dt { (Statut::IdentifiantInvalide.libelle()) }
                dd { "Ni un SIRET, ni un SIREN, ni un NDA valide (longueur ou clé de contrôle)." }
            }
        }
    }
}

fn resume(v: &Verification) -> Markup {
    let r = &v.resume;
    let items = [
        (r.certifie, Statut::Certifie),
        (r.non_certifie, Statut::NonCertifie),
        (r.absent_de_la_liste, Statut::AbsentDeLaListe),
        (r.inconnu, Statut::Inconnu),
        (r.identifiant_invalide, Statut::IdentifiantInvalide),
    ];
    html! {
        p #verification-total { (format::count(v.total, "identifiant vérifié", "identifiants vérifiés")) " :" }
        ul #verification-resume {
            @for (n, s) in items {
                li data-statut=(s.as_str()) { strong { (format::int(n as u64)) } " " (s.libelle()) }
            }
        }
    }
}

/// Column headers of the results table, with the label each cell repeats when rows are stacked
/// on a phone (`data-label`, shown by the style sheet).
const COLONNES: [&str; 7] = [
    "Identifiant",
    "Statut",
    "Organisme(s)",
    "Catégories certifiées",
    "Dans la liste depuis",
    "Vu le",
    "Dernière modification",
];

fn ligne(l: &Ligne) -> Markup {
    let one = l.organismes.len() <= 1;
    html! {
        tr data-statut=(l.statut.as_str()) role="row" {
            th scope="row" role="rowheader" { (l.identifiant) }
            td role="cell" data-label=(COLONNES[1]) {
                span.statut data-statut=(l.statut.as_str()) { (format::capitalise(l.statut.libelle())) }
                @if matches!(l.statut, Statut::IdentifiantInvalide | Statut::AbsentDeLaListe) {
                    br; span.aide { (l.message) }
                }
            }
            @if l.organismes.is_empty() {
                // Empty cells keep the grid of the table; stacked, they are left out.
                @for label in &COLONNES[2..] {
                    td.vide role="cell" data-label=(label) { "—" }
                }
            } @else {
                td role="cell" data-label=(COLONNES[2]) {
                    @if one {
                        @for o in &l.organismes { a href=(o.url) { (o.denomination) } br; span.aide { "NDA\u{a0}" (o.nda) } }
                    } @else {
                        ul.plat { @for o in &l.organismes { li { a href=(o.url) { (o.denomination) } " (NDA " (o.nda) ")" } } }
                    }
                }
                td role="cell" data-label=(COLONNES[3]) {
                    ul.plat {
                        @for o in &l.organismes {
                            li {
                                @if o.categories.is_empty() { "aucune" } @else {
                                    (o.categories.iter().map(|c| c.libelle()).collect::<Vec<_>>().join(", "))
                                }
                            }
                        }
                    }
                }
                td role="cell" data-label=(COLONNES[4]) { ul.plat { @for o in &l.organismes { li { (format::time(o.premiere_apparition)) } } } }
                td role="cell" data-label=(COLONNES[5]) { ul.plat { @for o in &l.organismes { li { (format::time(o.derniere_apparition)) } } } }
                td role="cell" data-label=(COLONNES[6]) {
                    ul.plat {
                        @for o in &l.organismes {
                            li {
                                @if let Some(m) = &o.derniere_modification {
                                    (format::capitalise(m.kind.libelle())) ", " (format::time(m.date))
                                } @else { "—" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn resultats(v: &Verification, csv: &str) -> Markup {
    html! {
        section #verification aria-labelledby="resultats-titre" {
            h2 #resultats-titre { "Résultat de la vérification" }
            (resume(v))
            p { a #verification-csv href=(csv) download="annuaire-verification.csv" { "Télécharger ce résultat (CSV)" } }
            @if v.resultats.len() > MAX_ROWS_SHOWN {
                p.aide { "Les " (format::int(MAX_ROWS_SHOWN as u64)) " premières lignes sont affichées ; le CSV les contient toutes." }
            }
            div.tableau-defilant tabindex="0" role="region" aria-labelledby="verification-legende" {
                // On a phone the rows are stacked (`tableau-empile`); the explicit roles keep the
                // table a table for screen readers, which some browsers forget once its cells
                // are no longer laid out as cells.
                table id="verification-resultats" class="tableau-empile" role="table" {
                    caption #verification-legende { "Statut de chaque identifiant dans la liste officielle" }
                    thead role="rowgroup" {
                        tr role="row" {
                            @for c in COLONNES { th scope="col" role="columnheader" { (c) } }
                        }
                    }
                    tbody role="rowgroup" {
                        @for l in v.resultats.iter().take(MAX_ROWS_SHOWN) { (ligne(l)) }
                    }
                }
            }
        }
    }
}

fn page_html(
    ctx: &Ctx,
    texte: &str,
    res: Option<(&Verification, &str)>,
    erreur: Option<&ApiError>,
) -> Markup {
    let head = Head::new(
        "Vérifier des organismes",
        "Vérifiez en une fois la certification Qualiopi de SIRET, SIREN ou numéros de déclaration d'activité \
         dans la liste officielle des organismes de formation, avec un export CSV.",
        "/verifier",
    );
    let head = if res.is_some() || erreur.is_some() { head.noindex() } else { head };
    layout::page(
        ctx,
        &head,
        html! {
            h1 { "Vérifier des organismes" }
            p.chapo {
                "Collez ou envoyez des SIRET, SIREN ou numéros de déclaration d'activité : pour chacun, son statut "
                "dans la liste officielle"
                @if let Some(d) = ctx.liste_du { " du " (format::date(d)) }
                ", ses catégories de certification et sa dernière modification."
            }
            @if let Some(e) = erreur {
                div.alerte role="alert" { p #erreur { (e.message) } }
            }
            @if let Some((v, csv)) = res { (resultats(v, csv)) }
            (formulaire(texte))
            (explication())
        },
    )
}

/// `GET /verifier`, and `GET /verifier?identifiants=…[&format=csv]` for a check in a link.
pub async fn get(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let r = render_get(&state, &headers, raw.as_deref());
    match r {
        Ok(res) => res,
        Err(e) => {
            let ctx = Ctx::new(&state, &headers, None);
            super::html_status(e.status, page_html(&ctx, "", None, Some(&e)))
        }
    }
}

fn render_get(state: &AppState, headers: &HeaderMap, raw: Option<&str>) -> ApiResult<Response> {
    let p = Params::parse(raw);
    let csv = match p.one("format")? {
        None => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "format inconnu « {} » ; valeur possible : csv",
                clip(other)
            )));
        }
    };
    let texte: Vec<String> = p.all("identifiants").iter().flat_map(|t| ids_from_textarea(t)).collect();
    let g = state.current()?;
    let ctx = Ctx::new(state, headers, Some(&g));
    if texte.is_empty() {
        if csv {
            verification::check_count(&texte)?;
        }
        return Ok(super::html(page_html(&ctx, "", None, None)));
    }
    verification::check_count(&texte)?;
    let v = verification::verify(&g, &texte);
    if csv {
        return csv_response(&v);
    }
    let link = csv_link(&texte);
    Ok(super::html(page_html(&ctx, &texte.join("\n"), Some((&v, &link)), None)))
}

/// `POST /verifier`: the form, multipart (with a file) or urlencoded.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, req: Request) -> Response {
    let ctx = Ctx::new(&state, &headers, None);
    let ids = match read_form(&state, req).await {
        Ok(ids) => ids,
        Err(e) => return super::html_status(e.status, page_html(&ctx, "", None, Some(&e))),
    };
    let g = match state.current() {
        Ok(g) => g,
        Err(e) => return super::error_page(&ctx, &e),
    };
    let v = verification::verify(&g, &ids);
    let link = csv_link(&ids);
    let mut res = super::html(page_html(&ctx, &ids.join("\n"), Some((&v, &link)), None));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /verifier/csv/{hash}`: the CSV of a long check submitted earlier.
pub async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(key)) = path else { return super::bad_path(&state, &headers) };
    let r = match recall(&key) {
        None => Err(ApiError::not_found(
            "Ce résultat n'est plus disponible (il est conservé peu de temps) : relancez la vérification.",
        )),
        Some(ids) => state.current().and_then(|g| csv_response(&verification::verify(&g, &ids))),
    };
    super::respond(&state, &headers, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textarea() {
        assert_eq!(
            ids_from_textarea("siret\n123 456 789 00012\n\n11750000001, 732829320;x"),
            vec!["123 456 789 00012", "11750000001", "732829320", "x"]
        );
        assert_eq!(ids_from_textarea("\u{feff}\"11750000001\"\r\n"), vec!["11750000001"]);
        assert!(ids_from_textarea("  \n ,, ").is_empty());
        // Only a first token can be a header: later words are kept, to be reported invalid.
        assert_eq!(ids_from_textarea("abc\ndef"), vec!["def"]);
    }

    #[test]
    fn csv_links() {
        let short = vec!["11750000001".to_string(), "732829320".to_string()];
        assert_eq!(csv_link(&short), "/verifier?identifiants=11750000001%2C732829320&format=csv");
        let long: Vec<String> = (0..200).map(|i| format!("{:014}", i)).collect();
        let link = csv_link(&long);
        let key = link.strip_prefix("/verifier/csv/").unwrap();
        assert_eq!(recall(key).unwrap().as_slice(), long.as_slice());
        assert!(recall("0000").is_none());
    }
}
