//! `/sitemap.xml` (split into a sitemap index over 50,000 URLs) and `/robots.txt`.
//!
//! The sitemap lists the static pages, the topic × department and topic × big-city landing pages
//! that have results, and the pages of certified providers. It is computed once per generation
//! and kept until the next one.

use std::collections::HashSet;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

use annuaire_search::SearchQuery;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::recherche::{grandes_villes, landing_path, lieu_landing};
use crate::errors::{ApiError, ApiResult};
use crate::feed::xml;
use crate::generation::Generation;
use crate::state::AppState;
use crate::views::{organisme_path, slug};

/// Most URLs in one sitemap file (the protocol's limit).
pub const MAX_URLS: usize = 50_000;
/// Big cities that get landing pages besides departments.
const VILLES: usize = 50;
/// Pages always listed.
const STATIQUES: &[&str] = &["/", "/verifier", "/qualiopi", "/changements", "/donnees"];

/// Every URL of the sitemap, as (path, last modification).
#[derive(Debug, Default)]
pub struct Plan {
    pub pages: Vec<(String, Option<NaiveDate>)>,
    pub organismes: Vec<(String, Option<NaiveDate>)>,
}

impl Plan {
    pub fn total(&self) -> usize {
        self.pages.len() + self.organismes.len()
    }

    /// Files of provider URLs when the whole does not fit one sitemap.
    pub fn organisme_files(&self, max: usize) -> usize {
        self.organismes.len().div_ceil(max.max(1))
    }
}

/// Build the plan of one generation.
pub fn plan(g: &Generation) -> Plan {
    let mut pages: Vec<(String, Option<NaiveDate>)> = Vec::new();
    let date = g.snapshot.as_ref().map(|s| s.date);
    for p in STATIQUES {
        pages.push((p.to_string(), date));
    }
    let mut seen: HashSet<String> = HashSet::new();
    let villes = grandes_villes(VILLES);
    for t in annuaire_search::thematiques() {
        // One search per topic: its department facet says where it has results.
        let q = SearchQuery { thematiques: vec![t.slug.to_string()], par_page: 1, ..SearchQuery::default() };
        let Ok(r) = g.index.search(&q) else { continue };
        let depts: HashSet<&str> =
            r.facettes.departements.iter().filter(|f| f.nombre > 0).map(|f| f.valeur.as_str()).collect();
        let places = annuaire_geo::Places::get();
        let mut codes: Vec<&&str> = depts.iter().collect();
        codes.sort();
        for code in codes {
            if let Some(d) = places.departement(code) {
                let path = landing_path(t.slug, &slug(&d.nom));
                if seen.insert(path.clone()) {
                    pages.push((path, date));
                }
            }
        }
        // A big city with results for the topic in its department very likely has some around it.
        for c in villes.iter().filter(|c| depts.contains(c.departement.as_str())) {
            let s = slug(&c.nom);
            if lieu_landing(&s).is_some_and(|l| l.slug() == s) {
                let path = landing_path(t.slug, &s);
                if seen.insert(path.clone()) {
                    pages.push((path, date));
                }
            }
        }
    }
    let organismes = g
        .records()
        .iter()
        .filter(|r| r.present && r.org.certifications.any())
        .map(|r| {
            let lastmod = g.last_change(&r.org.nda).map(|c| c.date).or(date);
            (organisme_path(&r.org.nda, &r.org.nom_affichage), lastmod)
        })
        .collect();
    Plan { pages, organismes }
}

/// The plan of the last generation asked for, with that generation's tag.
type Cache = Mutex<Option<(String, Arc<Plan>)>>;

/// The plan of the live generation, computed once per generation.
fn cached(g: &Generation) -> Arc<Plan> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(None));
    if let Some((tag, p)) = cache.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
        && *tag == g.tag
    {
        return p.clone();
    }
    // Built outside the lock: two concurrent first requests both compute, neither waits.
    let p = Arc::new(plan(g));
    *cache.lock().unwrap_or_else(|e| e.into_inner()) = Some((g.tag.clone(), p.clone()));
    p
}

fn urlset(base: &str, urls: &[&(String, Option<NaiveDate>)]) -> String {
    let mut out = String::with_capacity(100 + urls.len() * 110);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in urls {
        let _ = write!(out, "<url><loc>{}</loc>", xml(&format!("{base}{path}")));
        if let Some(d) = lastmod {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

fn index(base: &str, files: &[String], lastmod: Option<NaiveDate>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for f in files {
        let _ = write!(out, "<sitemap><loc>{}</loc>", xml(&format!("{base}/sitemaps/{f}")));
        if let Some(d) = lastmod {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// Names of the files of a sitemap index.
pub fn files(plan: &Plan, max: usize) -> Vec<String> {
    let mut v = vec!["pages.xml".to_string()];
    v.extend((1..=plan.organisme_files(max)).map(|i| format!("organismes-{i}.xml")));
    v
}

/// The body of `/sitemap.xml`: every URL, or an index when they exceed `max`.
pub fn sitemap_xml(base: &str, plan: &Plan, lastmod: Option<NaiveDate>, max: usize) -> String {
    if plan.total() <= max {
        let all: Vec<&(String, Option<NaiveDate>)> = plan.pages.iter().chain(&plan.organismes).collect();
        urlset(base, &all)
    } else {
        index(base, &files(plan, max), lastmod)
    }
}

/// The body of one file of the index, if it exists.
pub fn part_xml(base: &str, plan: &Plan, name: &str, max: usize) -> Option<String> {
    if name == "pages.xml" {
        return Some(urlset(base, &plan.pages.iter().collect::<Vec<_>>()));
    }
    let n: usize = name.strip_prefix("organismes-")?.strip_suffix(".xml")?.parse().ok()?;
    if n == 0 || n > plan.organisme_files(max) {
        return None;
    }
    let chunk: Vec<&(String, Option<NaiveDate>)> =
        plan.organismes.iter().skip((n - 1) * max).take(max).collect();
    Some(urlset(base, &chunk))
}

fn xml_response(body: String) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    res
}

/// `GET /sitemap.xml`.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let r = (|| -> ApiResult<Response> {
        let g = state.current()?;
        let p = cached(&g);
        let base = crate::base_url(&state, &headers);
        Ok(xml_response(sitemap_xml(&base, &p, g.snapshot.as_ref().map(|s| s.date), MAX_URLS)))
    })();
    super::respond(&state, &headers, r)
}

/// `GET /sitemaps/{fichier}`: one file of the sitemap index.
pub async fn sitemap_part(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(name)) = path else { return super::bad_path(&state, &headers) };
    let r = (|| -> ApiResult<Response> {
        let g = state.current()?;
        let p = cached(&g);
        let base = crate::base_url(&state, &headers);
        part_xml(&base, &p, &name, MAX_URLS)
            .filter(|_| p.total() > MAX_URLS)
            .map(xml_response)
            .ok_or_else(|| ApiError::not_found("Aucun fichier de plan du site à cette adresse."))
    })();
    super::respond(&state, &headers, r)
}

/// `GET /robots.txt`. A site serving synthetic data asks every robot to stay away: invented
/// providers must never reach search engines.
pub async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let synthetic = state.config.demo || state.generation().is_some_and(|g| g.synthetic());
    let base = crate::base_url(&state, &headers);
    let body = if synthetic {
        "# Données de démonstration synthétiques : rien à indexer.\nUser-agent: *\nDisallow: /\n".to_string()
    } else {
        format!(
            "User-agent: *\nDisallow: /api/\nDisallow: /recherche\nDisallow: /verifier?\nDisallow: /verifier/\n\
             Disallow: /changements?\n\nSitemap: {base}/sitemap.xml\n"
        )
    };
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_sitemaps_become_an_index() {
        let d = NaiveDate::from_ymd_opt(2025, 1, 6);
        let plan = Plan {
            pages: vec![("/".into(), d), ("/formations/langues/lyon".into(), d)],
            organismes: (0..5).map(|i| (format!("/organismes/1100000000{i}-a&b"), None)).collect(),
        };
        // Under the limit: one urlset, escaped.
        let one = sitemap_xml("https://x.fr", &plan, d, 10);
        assert!(one.contains("<urlset") && one.matches("<url>").count() == 7, "{one}");
        assert!(one.contains("<loc>https://x.fr/organismes/11000000000-a&amp;b</loc>"));
        assert!(one.contains("<lastmod>2025-01-06</lastmod>"));
        // Over it: an index of the pages file and provider files of at most `max` URLs.
        let idx = sitemap_xml("https://x.fr", &plan, d, 2);
        assert!(idx.contains("<sitemapindex"), "{idx}");
        assert_eq!(
            files(&plan, 2),
            ["pages.xml", "organismes-1.xml", "organismes-2.xml", "organismes-3.xml"]
        );
        assert_eq!(part_xml("", &plan, "organismes-3.xml", 2).unwrap().matches("<url>").count(), 1);
        assert_eq!(part_xml("", &plan, "pages.xml", 2).unwrap().matches("<url>").count(), 2);
        for bad in ["organismes-0.xml", "organismes-4.xml", "organismes-x.xml", "autre.xml", ""] {
            assert!(part_xml("", &plan, bad, 2).is_none(), "{bad}");
        }
    }
}
