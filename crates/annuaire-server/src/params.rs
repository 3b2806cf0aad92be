//! Query-string parameters, parsed by hand: repeatable keys (`categorie=…&categorie=…`), French
//! error messages that name the parameter, and bounds on every value. The API and the web pages
//! share the search parameters; the API refuses unknown keys (a typo would otherwise be silently
//! ignored), the pages ignore them.

use annuaire_core::Categorie;
use annuaire_search::{SearchQuery, Tri};

use crate::errors::{ApiError, ApiResult};

/// Longest accepted text parameter, in characters.
pub const MAX_TEXT: usize = 200;
/// Results per page in JSON and HTML.
pub const MAX_PAR_PAGE: usize = 100;
/// Rows of a CSV export.
pub const MAX_CSV_ROWS: usize = 10_000;
/// Highest page number (deep paging means a scraper: the CSV export serves that need).
pub const MAX_PAGE: usize = 1000;

/// The search parameters, as documented in the OpenAPI description.
pub const SEARCH_KEYS: &[&str] = &[
    "q",
    "lieu",
    "rayon_km",
    "lat",
    "lon",
    "categorie",
    "thematique",
    "departement",
    "region",
    "tri",
    "page",
    "par_page",
    "inclure_non_certifies",
    "format",
];

#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(form_urlencoded::parse(raw.unwrap_or("").as_bytes()).into_owned().collect())
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        Params(pairs)
    }

    /// Refuse keys outside `allowed`.
    pub fn only(&self, allowed: &[&str]) -> ApiResult<()> {
        match self.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((k, _)) if allowed.is_empty() => Err(ApiError::bad_request(format!(
                "paramètre inconnu « {} » ; cette adresse n'accepte aucun paramètre",
                clip(k)
            ))),
            Some((k, _)) => Err(ApiError::bad_request(format!(
                "paramètre inconnu « {} » ; paramètres acceptés : {}",
                clip(k),
                allowed.join(", ")
            ))),
            None => Ok(()),
        }
    }

    /// A single-valued parameter; empty values count as absent (an empty form field).
    pub fn one(&self, key: &str) -> ApiResult<Option<&str>> {
        let mut it = self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
        let first = it.next();
        if it.next().is_some() {
            return Err(ApiError::bad_request(format!(
                "le paramètre « {key} » ne peut être donné qu'une fois"
            )));
        }
        Ok(first)
    }

    /// Every non-empty value of a repeatable parameter.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect()
    }

    pub fn text(&self, key: &str) -> ApiResult<Option<String>> {
        match self.one(key)? {
            Some(v) if v.chars().count() > MAX_TEXT => Err(ApiError::bad_request(format!(
                "« {key} » est trop long ({} caractères, au plus {MAX_TEXT})",
                v.chars().count()
            ))),
            Some(v) if v.chars().any(|c| c.is_control()) => {
                Err(ApiError::bad_request(format!("« {key} » contient des caractères de contrôle")))
            }
            other => Ok(other.map(str::to_string)),
        }
    }

    pub fn number(&self, key: &str, min: f64, max: f64) -> ApiResult<Option<f64>> {
        let Some(v) = self.one(key)? else { return Ok(None) };
        let x: f64 = v.replace(',', ".").parse().map_err(|_| {
            ApiError::bad_request(format!("« {key} » doit être un nombre (reçu « {} »)", clip(v)))
        })?;
        if !x.is_finite() || x < min || x > max {
            return Err(ApiError::bad_request(format!(
                "« {key} » doit être compris entre {min} et {max} (reçu {x})"
            )));
        }
        Ok(Some(x))
    }

    pub fn integer(&self, key: &str, min: usize, max: usize) -> ApiResult<Option<usize>> {
        let Some(v) = self.one(key)? else { return Ok(None) };
        let x: usize = v.parse().map_err(|_| {
            ApiError::bad_request(format!("« {key} » doit être un entier (reçu « {} »)", clip(v)))
        })?;
        if x < min || x > max {
            return Err(ApiError::bad_request(format!(
                "« {key} » doit être compris entre {min} et {max} (reçu {x})"
            )));
        }
        Ok(Some(x))
    }

    pub fn boolean(&self, key: &str) -> ApiResult<bool> {
        match self.one(key)? {
            None => Ok(false),
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "oui" | "on" => Ok(true),
                "false" | "0" | "non" | "off" => Ok(false),
                _ => {
                    Err(ApiError::bad_request(format!("« {key} » vaut true ou false (reçu « {} »)", clip(v))))
                }
            },
        }
    }

    pub fn date(&self, key: &str) -> ApiResult<Option<chrono::NaiveDate>> {
        let Some(v) = self.one(key)? else { return Ok(None) };
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some).map_err(|_| {
            ApiError::bad_request(format!("« {key} » doit être une date AAAA-MM-JJ (reçu « {} »)", clip(v)))
        })
    }
}

/// A value quoted back in a message, cut so that an error never echoes a huge input.
pub fn clip(v: &str) -> String {
    if v.chars().count() <= 40 {
        v.to_string()
    } else {
        format!("{}…", v.chars().take(40).collect::<String>())
    }
}

/// Output format of the search answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// A department code the reference data knows, normalised ("1" → "01", "2a" → "2A").
pub fn departement(code: &str) -> ApiResult<String> {
    annuaire_geo::Places::get().departement(code).map(|d| d.code.clone()).ok_or_else(|| {
        ApiError::bad_request(format!(
            "département inconnu « {} » ; donnez son code (« 69 », « 2A », « 971 »)",
            clip(code)
        ))
    })
}

/// A region code the reference data knows.
pub fn region(code: &str) -> ApiResult<String> {
    annuaire_geo::Places::get().region(code).map(|r| r.code.clone()).ok_or_else(|| {
        ApiError::bad_request(format!(
            "région inconnue « {} » ; donnez son code INSEE (« 84 » pour Auvergne-Rhône-Alpes, « 11 » pour l'Île-de-France)",
            clip(code)
        ))
    })
}

/// The search request of `/api/v1/recherche` and `/recherche`.
pub fn search_query(p: &Params) -> ApiResult<(SearchQuery, Format)> {
    let format = match p.one("format")? {
        None | Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "format inconnu « {} » ; valeurs possibles : json, csv",
                clip(other)
            )));
        }
    };
    let categories = p
        .all("categorie")
        .into_iter()
        .map(|c| c.parse::<Categorie>().map_err(|e| ApiError::bad_request(format!("categorie : {e}"))))
        .collect::<ApiResult<Vec<_>>>()?;
    let topics = annuaire_search::thematiques();
    let mut thematiques = Vec::new();
    for t in p.all("thematique") {
        if !topics.iter().any(|x| x.slug == t) {
            let all: Vec<&str> = topics.iter().map(|x| x.slug).collect();
            return Err(ApiError::bad_request(format!(
                "thématique inconnue « {} » ; valeurs possibles : {}",
                clip(t),
                all.join(", ")
            )));
        }
        if !thematiques.iter().any(|x: &String| x == t) {
            thematiques.push(t.to_string());
        }
    }
    let lat = p.number("lat", -90.0, 90.0)?;
    let lon = p.number("lon", -180.0, 180.0)?;
    if lat.is_some() != lon.is_some() {
        return Err(ApiError::bad_request("« lat » et « lon » vont ensemble : donnez les deux ou aucun"));
    }
    let rayon_km = p.number("rayon_km", 0.1, 1000.0)?;
    let tri = match p.one("tri")? {
        None => Tri::Pertinence,
        Some(t) => t.parse::<Tri>().map_err(|e| ApiError::bad_request(e.to_string()))?,
    };
    let par_page = match format {
        Format::Csv => MAX_CSV_ROWS,
        Format::Json => p.integer("par_page", 1, MAX_PAR_PAGE)?.unwrap_or(20),
    };
    let page = match format {
        Format::Csv => 1,
        Format::Json => p.integer("page", 1, MAX_PAGE)?.unwrap_or(1),
    };
    if format == Format::Csv {
        // Validated even when ignored, so a bad value is never silently accepted.
        p.integer("par_page", 1, MAX_CSV_ROWS)?;
        p.integer("page", 1, MAX_PAGE)?;
    }
    let q = SearchQuery {
        text: p.text("q")?.unwrap_or_default(),
        lieu: p.text("lieu")?,
        lat,
        lon,
        rayon_km,
        categories,
        thematiques,
        departement: p.one("departement")?.map(departement).transpose()?,
        region: p.one("region")?.map(region).transpose()?,
        inclure_non_certifies: p.boolean("inclure_non_certifies")?,
        tri,
        page,
        par_page,
    };
    Ok((q, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> ApiResult<SearchQuery> {
        search_query(&Params::parse(Some(q))).map(|(q, _)| q)
    }

    fn check(q: &str, want: &str) {
        match parse(q) {
            Ok(sq) => assert_eq!(want, "ok", "{q} → {sq:?}"),
            Err(e) => assert!(e.message.contains(want), "{q} → {}", e.message),
        }
    }

    #[test]
    fn parameters() {
        check("q=excel", "ok");
        check("q=excel&categorie=vae&categorie=apprentissage", "ok");
        check("categorie=vea", "valeur inconnue « vea »");
        check("thematique=informatique&thematique=langues", "ok");
        check("thematique=info", "thématique inconnue « info »");
        check("lat=45.7", "vont ensemble");
        check("lat=45.7&lon=4.8", "ok");
        check("lat=95&lon=4.8", "« lat » doit être compris entre -90 et 90");
        check("lat=abc&lon=4.8", "« lat » doit être un nombre");
        check("lat=NaN&lon=4.8", "« lat » doit être compris");
        check("rayon_km=0", "« rayon_km » doit être compris");
        check("rayon_km=5000", "« rayon_km » doit être compris");
        check("rayon_km=12,5", "ok");
        check("par_page=101", "« par_page » doit être compris entre 1 et 100");
        check("par_page=0", "« par_page »");
        check("page=-1", "« page » doit être un entier");
        check("page=99999999999999999999999", "« page » doit être un entier");
        check("tri=prix", "tri inconnu");
        check("tri=distance", "ok");
        check("departement=69", "ok");
        check("departement=2a", "ok");
        check("departement=99", "département inconnu « 99 »");
        check("region=84", "ok");
        check("region=xx", "région inconnue");
        check("inclure_non_certifies=oui", "ok");
        check("inclure_non_certifies=peut-etre", "« inclure_non_certifies » vaut true ou false");
        check("q=a&q=b", "ne peut être donné qu'une fois");
        check("format=xml", "format inconnu");
        check("format=csv&par_page=5000", "ok");
        check("format=csv&par_page=10001", "« par_page » doit être compris entre 1 et 10000");
        check(&format!("q={}", "a".repeat(201)), "« q » est trop long (201 caractères, au plus 200)");
        check(&format!("q={}", "é".repeat(200)), "ok");
        check("q=%00", "caractères de contrôle");
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = Params::parse(Some("q=x&categories=vae")).only(SEARCH_KEYS).unwrap_err();
        assert!(e.message.contains("paramètre inconnu « categories »"), "{}", e.message);
        assert!(Params::parse(Some("q=x&categorie=vae")).only(SEARCH_KEYS).is_ok());
        let e = Params::parse(Some("x=1")).only(&[]).unwrap_err();
        assert!(e.message.contains("n'accepte aucun paramètre"), "{}", e.message);
        assert!(Params::parse(None).only(&[]).is_ok());
    }

    #[test]
    fn values_are_normalised() {
        let q =
            parse("departement=1&categorie=vae&categorie=vae&thematique=langues&thematique=langues").unwrap();
        assert_eq!(q.departement.as_deref(), Some("01"));
        assert_eq!(q.thematiques, vec!["langues".to_string()]);
        // Empty form fields are absent, not errors.
        let q = parse("q=&lieu=&rayon_km=&categorie=").unwrap();
        assert_eq!((q.text.as_str(), q.lieu, q.rayon_km, q.categories.len()), ("", None, None, 0));
    }
}
