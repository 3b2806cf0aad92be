//! `POST /api/v1/verification`: the status of up to 10,000 SIRET, SIREN or NDA at once, for
//! funders and HR departments that check providers in bulk. Input as JSON
//! (`{"identifiants": [...]}`), as a CSV or text upload (first column), or as a form upload; output
//! as JSON or CSV. A malformed identifier is a row of the answer, not an error: one typo must not
//! void a 5,000-line file.

use annuaire_core::{Categorie, ids};
use annuaire_store::LastChange;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::errors::{ApiError, ApiResult};
use crate::generation::{Generation, Provenance};
use crate::params::{Params, clip};
use crate::state::AppState;
use crate::views::organisme_path;

pub const MAX_IDS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeIdentifiant {
    Nda,
    Siret,
    Siren,
    Invalide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statut {
    /// Listed and holding at least one scope.
    Certifie,
    /// Listed, without any scope.
    NonCertifie,
    /// Known to annuaire but absent from the latest list (not necessarily decertified).
    AbsentDeLaListe,
    /// Never seen in the list.
    Inconnu,
    IdentifiantInvalide,
}

impl Statut {
    pub fn as_str(self) -> &'static str {
        match self {
            Statut::Certifie => "certifie",
            Statut::NonCertifie => "non_certifie",
            Statut::AbsentDeLaListe => "absent_de_la_liste",
            Statut::Inconnu => "inconnu",
            Statut::IdentifiantInvalide => "identifiant_invalide",
        }
    }

    /// French label for people.
    pub fn libelle(self) -> &'static str {
        match self {
            Statut::Certifie => "certifié Qualiopi",
            Statut::NonCertifie => "dans la liste, non certifié",
            Statut::AbsentDeLaListe => "absent de la dernière liste",
            Statut::Inconnu => "inconnu de la liste",
            Statut::IdentifiantInvalide => "identifiant invalide",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganismeVerifie {
    pub nda: String,
    pub siret: Option<String>,
    pub denomination: String,
    pub certifie: bool,
    pub categories: Vec<Categorie>,
    pub present_dans_la_liste: bool,
    /// First list in which annuaire saw it.
    pub premiere_apparition: NaiveDate,
    /// Last list in which annuaire saw it.
    pub derniere_apparition: NaiveDate,
    pub certifie_depuis: Option<NaiveDate>,
    pub derniere_modification: Option<LastChange>,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ligne {
    /// As sent, spaces removed.
    pub identifiant: String,
    pub type_identifiant: TypeIdentifiant,
    pub statut: Statut,
    /// What the status means, in French.
    pub message: String,
    pub organismes: Vec<OrganismeVerifie>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Resume {
    pub certifie: usize,
    pub non_certifie: usize,
    pub absent_de_la_liste: usize,
    pub inconnu: usize,
    pub identifiant_invalide: usize,
}

#[derive(Debug, Serialize)]
pub struct Verification {
    pub total: usize,
    pub resume: Resume,
    pub resultats: Vec<Ligne>,
    pub source: Provenance,
}

/// Identifier as people paste it: "123 456 789 00012", "11.75.12345.75".
fn normalise(raw: &str) -> String {
    raw.trim().trim_matches('"').chars().filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-')).collect()
}

fn kind_of(id: &str) -> TypeIdentifiant {
    if ids::nda_ok(id) {
        TypeIdentifiant::Nda
    } else if ids::siret_ok(id) {
        TypeIdentifiant::Siret
    } else if ids::siren_ok(id) {
        TypeIdentifiant::Siren
    } else {
        TypeIdentifiant::Invalide
    }
}

fn invalid_message(id: &str) -> String {
    if id.is_empty() {
        "identifiant vide".into()
    } else if ids::is_digits(id, 14) {
        "SIRET invalide : la clé de contrôle ne correspond pas".into()
    } else if ids::is_digits(id, 9) {
        "SIREN invalide : la clé de contrôle ne correspond pas".into()
    } else {
        format!(
            "« {} » n'est ni un NDA (11 chiffres), ni un SIRET (14 chiffres), ni un SIREN (9 chiffres)",
            clip(id)
        )
    }
}

/// Check identifiers against one generation.
pub fn verify(g: &Generation, raw_ids: &[String]) -> Verification {
    let mut resume = Resume::default();
    let resultats: Vec<Ligne> = raw_ids
        .iter()
        .map(|raw| {
            let id = normalise(raw);
            let kind = kind_of(&id);
            let records = match kind {
                TypeIdentifiant::Nda => g.organisme(&id).into_iter().collect(),
                TypeIdentifiant::Siret | TypeIdentifiant::Siren => g.by_siret_or_siren(&id),
                TypeIdentifiant::Invalide => Vec::new(),
            };
            let organismes: Vec<OrganismeVerifie> = records
                .iter()
                .map(|r| OrganismeVerifie {
                    nda: r.org.nda.clone(),
                    siret: r.org.siret.clone(),
                    denomination: r.org.nom_affichage.clone(),
                    certifie: r.present && r.org.certifications.any(),
                    categories: if r.present { r.org.certifications.list() } else { Vec::new() },
                    present_dans_la_liste: r.present,
                    premiere_apparition: r.first_seen,
                    derniere_apparition: r.last_seen,
                    certifie_depuis: if r.present { r.certified_since } else { None },
                    derniere_modification: g.last_change(&r.org.nda).cloned(),
                    url: organisme_path(&r.org.nda, &r.org.nom_affichage),
                })
                .collect();
            let statut = if kind == TypeIdentifiant::Invalide {
                Statut::IdentifiantInvalide
            } else if organismes.iter().any(|o| o.certifie) {
                Statut::Certifie
            } else if organismes.iter().any(|o| o.present_dans_la_liste) {
                Statut::NonCertifie
            } else if !organismes.is_empty() {
                Statut::AbsentDeLaListe
            } else {
                Statut::Inconnu
            };
            let message = match statut {
                Statut::IdentifiantInvalide => invalid_message(&id),
                Statut::Certifie => {
                    let o = organismes.iter().find(|o| o.certifie).map(|o| {
                        o.categories.iter().map(|c| c.libelle()).collect::<Vec<_>>().join(", ")
                    });
                    format!("certifié Qualiopi ({})", o.unwrap_or_default())
                }
                Statut::NonCertifie => "dans la liste officielle, sans certification Qualiopi".into(),
                Statut::AbsentDeLaListe => {
                    let last = organismes.iter().map(|o| o.derniere_apparition).max();
                    format!(
                        "absent de la dernière liste (vu pour la dernière fois le {}) ; une absence n'est pas \
                         forcément un retrait de certification",
                        last.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
                    )
                }
                Statut::Inconnu => "jamais vu dans la liste officielle".into(),
            };
            match statut {
                Statut::Certifie => resume.certifie += 1,
                Statut::NonCertifie => resume.non_certifie += 1,
                Statut::AbsentDeLaListe => resume.absent_de_la_liste += 1,
                Statut::Inconnu => resume.inconnu += 1,
                Statut::IdentifiantInvalide => resume.identifiant_invalide += 1,
            }
            Ligne { identifiant: id, type_identifiant: kind, statut, message, organismes }
        })
        .collect();
    Verification { total: resultats.len(), resume, resultats, source: g.provenance() }
}

/// The verification as CSV: one row per (identifier, provider), one row for an identifier
/// matching nothing.
pub fn to_csv(v: &Verification) -> ApiResult<Vec<u8>> {
    let mut w = super::csv_writer();
    let io = |e: csv::Error| ApiError::internal(e);
    w.write_record([
        "identifiant",
        "type_identifiant",
        "statut",
        "message",
        "nda",
        "siret",
        "denomination",
        "certifie",
        "categories",
        "present_dans_la_liste",
        "premiere_apparition",
        "derniere_apparition",
        "certifie_depuis",
        "derniere_modification",
        "type_derniere_modification",
    ])
    .map_err(io)?;
    let kind = |k: TypeIdentifiant| match k {
        TypeIdentifiant::Nda => "nda",
        TypeIdentifiant::Siret => "siret",
        TypeIdentifiant::Siren => "siren",
        TypeIdentifiant::Invalide => "invalide",
    };
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for l in &v.resultats {
        let head = [
            super::cell(&l.identifiant).into_owned(),
            kind(l.type_identifiant).into(),
            l.statut.as_str().into(),
            l.message.clone(),
        ];
        if l.organismes.is_empty() {
            let mut row: Vec<String> = head.to_vec();
            row.extend(std::iter::repeat_n(String::new(), 11));
            w.write_record(&row).map_err(io)?;
        }
        for o in &l.organismes {
            let cats: Vec<&str> = o.categories.iter().map(|c| c.slug()).collect();
            let mut row: Vec<String> = head.to_vec();
            row.extend([
                o.nda.clone(),
                o.siret.clone().unwrap_or_default(),
                super::cell(&o.denomination).into_owned(),
                if o.certifie { "oui" } else { "non" }.into(),
                cats.join("|"),
                if o.present_dans_la_liste { "oui" } else { "non" }.into(),
                o.premiere_apparition.to_string(),
                o.derniere_apparition.to_string(),
                date(o.certifie_depuis),
                date(o.derniere_modification.as_ref().map(|c| c.date)),
                o.derniere_modification.as_ref().map(|c| c.kind.as_str().to_string()).unwrap_or_default(),
            ]);
            w.write_record(&row).map_err(io)?;
        }
    }
    super::csv_bytes(w)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonBody {
    identifiants: Vec<serde_json::Value>,
}

/// Identifiers from the first column of a CSV or text file. A first line without any digit is a
/// header and is skipped.
pub fn ids_from_text(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let first = line.split([';', ',', '\t']).next().unwrap_or("").trim().trim_matches('"').trim();
        if first.is_empty() {
            continue;
        }
        if i == 0 && !first.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        out.push(first.to_string());
    }
    out
}

fn ids_from_json(bytes: &[u8]) -> ApiResult<Vec<String>> {
    let body: JsonBody = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ApiError::bad_request(format!("corps JSON illisible : {e}"))
        } else {
            ApiError::unprocessable(format!("le corps JSON doit être {{\"identifiants\": [\"…\", …]}} : {e}"))
        }
    })?;
    body.identifiants
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            other => Err(ApiError::unprocessable(format!(
                "chaque identifiant doit être une chaîne de caractères (les zéros en tête comptent) ; reçu {}",
                clip(&other.to_string())
            ))),
        })
        .collect()
}

/// Map a body-reading failure: over the size limit is 413, anything else 400.
fn body_error(status: StatusCode, text: String, max: usize) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large(format!("corps de requête trop volumineux (au plus {} Mo)", max / (1024 * 1024)))
    } else {
        ApiError::bad_request(format!("corps de requête illisible : {}", clip(&text)))
    }
}

/// The lower-cased media type of a request (empty when absent).
pub fn content_type(req: &Request) -> String {
    req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase()
}

/// The `fichier` and `identifiants` parts of a multipart body, in order, as (name, text). A
/// failure is (status, reason), for the caller to word for its readers.
pub async fn multipart_parts(
    state: &AppState,
    req: Request,
) -> Result<Vec<(String, String)>, (StatusCode, String)> {
    let mut mp = Multipart::from_request(req, state).await.map_err(|e| (e.status(), e.body_text()))?;
    let mut parts = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(|e| (e.status(), e.body_text()))? {
        let name = field.name().unwrap_or("").to_string();
        if name == "fichier" || name == "identifiants" {
            let bytes = field.bytes().await.map_err(|e| (e.status(), e.body_text()))?;
            parts.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok(parts)
}

/// Refuse an empty list, or a longer one than a check takes.
pub fn check_count(ids: &[String]) -> ApiResult<()> {
    if ids.is_empty() {
        return Err(ApiError::unprocessable(
            "Aucun identifiant reçu : collez des SIRET, SIREN ou NDA, ou choisissez un fichier.",
        ));
    }
    if ids.len() > MAX_IDS {
        return Err(ApiError::too_large(format!(
            "{} identifiants reçus : au plus {MAX_IDS} par vérification.",
            ids.len()
        )));
    }
    Ok(())
}

/// Read the identifiers of a request in any of the accepted forms.
pub async fn read_ids(state: &AppState, req: Request) -> ApiResult<Vec<String>> {
    let max = state.config.max_body_bytes;
    let ctype = content_type(&req);
    let ids = if ctype.starts_with("multipart/form-data") {
        let parts =
            multipart_parts(state, req).await.map_err(|(status, text)| body_error(status, text, max))?;
        parts.iter().flat_map(|(_, text)| ids_from_text(text)).collect()
    } else {
        let bytes =
            Bytes::from_request(req, state).await.map_err(|e| body_error(e.status(), e.body_text(), max))?;
        if ctype.starts_with("application/json") {
            ids_from_json(&bytes)?
        } else if ctype.starts_with("text/csv") || ctype.starts_with("text/plain") {
            ids_from_text(&String::from_utf8_lossy(&bytes))
        } else {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "type_de_contenu_non_pris_en_charge",
                "envoyez application/json ({\"identifiants\": [...]}), text/csv, text/plain ou multipart/form-data",
            ));
        }
    };
    check_count(&ids)?;
    Ok(ids)
}

/// Whether the client asked for CSV (`?format=csv` or `Accept: text/csv`).
pub fn wants_csv(p: &Params, headers: &HeaderMap) -> ApiResult<bool> {
    match p.one("format")? {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!(
            "format inconnu « {} » ; valeurs possibles : json, csv",
            clip(other)
        ))),
        None => Ok(headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/csv") && !a.contains("application/json"))),
    }
}

pub async fn verification(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    req: Request,
) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref());
    p.only(&["format"])?;
    let csv = wants_csv(&p, req.headers())?;
    let ids = read_ids(&state, req).await?;
    let g = state.current()?;
    let v = verify(&g, &ids);
    let mut res = if csv { super::csv(to_csv(&v)?, "annuaire-verification.csv") } else { super::json(&v) };
    res.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_input() {
        assert_eq!(
            ids_from_text("siret;nom\n12345678900012;A\n\n98765432100013;B"),
            vec!["12345678900012", "98765432100013"]
        );
        assert_eq!(
            ids_from_text("\u{feff}11750000001\r\n11750000002\r\n"),
            vec!["11750000001", "11750000002"]
        );
        assert_eq!(ids_from_text("\"123 456 789\",x"), vec!["123 456 789"]);
        assert!(ids_from_text("identifiant\n").is_empty());
    }

    #[test]
    fn identifiers_are_normalised_and_typed() {
        assert_eq!(normalise(" 732 829 320 00074 "), "73282932000074");
        assert_eq!(normalise("11.75.12345.75"), "11751234575");
        assert_eq!(kind_of("11751234575"), TypeIdentifiant::Nda);
        assert_eq!(kind_of("73282932000074"), TypeIdentifiant::Siret);
        assert_eq!(kind_of("732829320"), TypeIdentifiant::Siren);
        assert_eq!(kind_of("732829321"), TypeIdentifiant::Invalide);
        assert_eq!(kind_of("abc"), TypeIdentifiant::Invalide);
        assert!(invalid_message("732829321").contains("clé de contrôle"));
        assert!(invalid_message("12").contains("ni un NDA"));
    }

    #[test]
    fn json_input() {
        assert_eq!(ids_from_json(br#"{"identifiants": ["1", "2"]}"#).unwrap(), vec!["1", "2"]);
        assert_eq!(ids_from_json(b"{").unwrap_err().status, StatusCode::BAD_REQUEST);
        assert_eq!(
            ids_from_json(br#"{"identifiants": [1]}"#).unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(ids_from_json(br#"{"ids": []}"#).unwrap_err().status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(ids_from_json(br#"[]"#).unwrap_err().status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
