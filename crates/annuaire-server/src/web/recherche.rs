//! `/recherche` (the results page, with the API's parameters) and the topic × place landing pages
//! `/formations/{thematique}/{lieu}`.
//!
//! Every control (filters, sorting, pages, suggestions) is a plain GET link or form over the same
//! parameters as `/api/v1/recherche`, so the page works without JavaScript and any state of it
//! has a URL. Unknown keys are ignored, not refused as in the API: a page link must not break
//! because a site added a tracking parameter.

use std::collections::HashMap;
use std::sync::OnceLock;

use annuaire_core::Categorie;
use annuaire_search::{FacetValue, GeoResolver, Hit, Place, PlaceResolver, SearchQuery, SearchResults, Tri};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, html};

use super::layout::{self, Head};
use super::{Ctx, format, tournures};
use crate::api::recherche::{hits_csv, pages};
use crate::errors::{ApiError, ApiResult};
use crate::generation::Generation;
use crate::params::{self, Format, Params};
use crate::state::AppState;
use crate::views::{organisme_path, slug};

/// Radius choices offered around a place, in km.
const RAYONS: &[f64] = &[5.0, 10.0, 20.0, 30.0, 50.0, 100.0];
/// Topics shown before "Autres thèmes".
const THEMES_VISIBLES: usize = 8;
/// Page links on each side of the current one.
const AUTOUR: usize = 2;

// ----- parameters and links ----------------------------------------------------------------

/// The search parameters of a page, in their order, without empty values: the state from which
/// every link of the page is derived.
#[derive(Debug, Clone, Default)]
pub struct Etat(Vec<(String, String)>);

impl Etat {
    /// Known search keys of a query string; everything else is dropped.
    pub fn parse(raw: Option<&str>) -> Etat {
        Etat(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .into_owned()
                .filter(|(k, v)| params::SEARCH_KEYS.contains(&k.as_str()) && !v.trim().is_empty())
                .collect(),
        )
    }

    pub fn from_pairs(pairs: &[(&str, &str)]) -> Etat {
        Etat(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    pub fn params(&self) -> Params {
        Params::from_pairs(self.0.clone())
    }

    pub fn first(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn has(&self, key: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == key && v == value)
    }

    pub fn without(&self, keys: &[&str]) -> Etat {
        Etat(self.0.iter().filter(|(k, _)| !keys.contains(&k.as_str())).cloned().collect())
    }

    pub fn without_value(&self, key: &str, value: &str) -> Etat {
        Etat(self.0.iter().filter(|(k, v)| !(k == key && v == value)).cloned().collect())
    }

    /// The state with `key` set to this single value (added at the end when absent).
    pub fn with(&self, key: &str, value: &str) -> Etat {
        let mut out = self.without(&[key]);
        out.0.push((key.to_string(), value.to_string()));
        out
    }

    /// `/recherche?…` for this state; the first page and the page size stay implicit.
    pub fn href(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.0 {
            if (k == "page" && v == "1") || k == "format" {
                continue;
            }
            s.append_pair(k, v);
        }
        let q = s.finish();
        if q.is_empty() { "/recherche".to_string() } else { format!("/recherche?{q}") }
    }

    fn page_href(&self, page: usize) -> String {
        self.with("page", &page.to_string()).href()
    }
}

// ----- shared pieces ----------------------------------------------------------------------

/// What the search form holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saisie {
    pub q: String,
    pub lieu: String,
    /// An explicit radius, kept when the search is edited.
    pub rayon_km: Option<String>,
}

impl Saisie {
    pub fn new(q: &str, lieu: &str) -> Saisie {
        Saisie { q: q.to_string(), lieu: lieu.to_string(), rayon_km: None }
    }

    /// The search as the engine read it. A place read from the text ("comptabilite lyon") moves
    /// to "Où ?" and leaves the text, so that editing either field, or sending the form again,
    /// makes the same search instead of one with the place in the wrong field.
    pub fn of(etat: &Etat, r: &SearchResults) -> Saisie {
        let typed = |k| etat.first(k).unwrap_or("").to_string();
        let place_given = ["lieu", "lat", "lon"].iter().any(|k| etat.first(k).is_some());
        let (q, lieu) = match &r.interpretation.lieu {
            Some(p) if !place_given => (r.interpretation.texte.clone(), valeur_lieu(p)),
            _ => (typed("q"), typed("lieu")),
        };
        // Without a place the radius means nothing, and the form has no centre to carry.
        let rayon_km = etat.first("rayon_km").filter(|_| !lieu.is_empty()).map(str::to_string);
        Saisie { q, lieu, rayon_km }
    }
}

/// The text to type in "Où ?" for `p`: its name when the engine's resolver reads that name as
/// this very place, else the name with its department ("Valence (26)"), else its code.
pub fn valeur_lieu(p: &Place) -> String {
    let same = |v: &str| GeoResolver.best(v).is_some_and(|x| x.kind == p.kind && x.code == p.code);
    let mut candidates = vec![p.nom.clone()];
    if let Some(d) = &p.departement {
        candidates.push(format!("{} ({d})", p.nom));
    }
    candidates.push(p.code.clone());
    candidates.into_iter().find(|v| same(v)).unwrap_or_else(|| p.nom.clone())
}

/// The search form (selectors used by the end-to-end tests). `compact` is the results pages'
/// version: the hints only for screen readers, the fields on fewer lines on a phone, so that the
/// first results show in the first screen.
pub fn formulaire(saisie: &Saisie, compact: bool) -> Markup {
    html! {
        form #recherche class=[compact.then_some("compact")] action="/recherche" method="get" role="search" aria-label="Rechercher un organisme" {
            div.champ.champ-q {
                label for="q" { "Quelle formation ?" }
                span #q-aide .aide { "Un thème, un métier ou un nom d'organisme : « excel », « anglais », « CACES »." }
                input #q name="q" type="search" value=(saisie.q) maxlength="200" aria-describedby="q-aide";
            }
            div.champ.champ-lieu {
                label for="lieu" { "Où ?" }
                span #lieu-aide .aide { "Ville, code postal ou département (facultatif)." }
                input #lieu name="lieu" type="text" value=(saisie.lieu) maxlength="200" autocomplete="off"
                    role="combobox" aria-autocomplete="list" aria-expanded="false"
                    aria-controls="lieu-suggestions" aria-describedby="lieu-aide";
                ul #lieu-suggestions role="listbox" aria-label="Lieux suggérés" hidden {}
            }
            @if let Some(r) = &saisie.rayon_km {
                input type="hidden" name="rayon_km" value=(r);
            }
            button type="submit" { "Rechercher" }
        }
    }
}

fn libelle_thematique(slug: &str) -> &str {
    annuaire_search::thematiques().iter().find(|t| t.slug == slug).map_or(slug, |t| t.libelle)
}

/// One result card.
pub fn carte(h: &Hit, liste_du: Option<chrono::NaiveDate>) -> Markup {
    let labels: Vec<&str> = h.categories.iter().map(|c| c.libelle()).collect();
    html! {
        li.resultat {
            h3 { a.nom href=(organisme_path(&h.nda, &h.denomination)) { (h.denomination) } }
            p.lieu {
                @match (&h.commune, &h.code_postal) {
                    (Some(c), Some(cp)) => { (c) " (" (cp) ")" },
                    (Some(c), None) => { (c) },
                    (None, Some(cp)) => { (cp) },
                    (None, None) => { "Commune non précisée" },
                }
                @if let Some(d) = h.distance_km {
                    " · " span.distance { (format::km(d)) }
                }
            }
            @if !h.categories.is_empty() {
                ul.badges aria-label="Catégories certifiées" {
                    @for c in &h.categories {
                        li { span.badge data-categorie=(c.slug()) { (c.libelle()) } }
                    }
                }
            }
            @if !h.thematiques.is_empty() {
                p.themes {
                    "Thèmes : "
                    (h.thematiques.iter().map(|t| libelle_thematique(t)).collect::<Vec<_>>().join(", "))
                }
            }
            p.certif {
                @if labels.is_empty() {
                    "Non certifié Qualiopi"
                } @else {
                    strong { "Certifié Qualiopi" } " — " (labels.join(", "))
                }
                @if let Some(d) = liste_du {
                    " — vu dans la liste officielle du " (format::time(d))
                }
            }
        }
    }
}

/// The sentence of `#interpretation`: what was searched, with the filters.
pub fn interpretation(r: &SearchResults, q: &SearchQuery) -> Markup {
    let mut filtres: Vec<String> = Vec::new();
    if !q.categories.is_empty() {
        let l: Vec<&str> = q.categories.iter().map(|c| c.libelle()).collect();
        filtres.push(format!("catégorie {}", l.join(" ou ")));
    }
    if !q.thematiques.is_empty() {
        let l: Vec<&str> = q.thematiques.iter().map(|t| libelle_thematique(t)).collect();
        filtres.push(format!("thème {}", l.join(" ou ")));
    }
    let places = annuaire_geo::Places::get();
    // A department given as a place is already in the engine's sentence.
    let dept_in_place =
        r.interpretation.lieu.as_ref().is_some_and(|p| Some(&p.code) == q.departement.as_ref());
    if let Some(d) = q.departement.as_deref().filter(|_| !dept_in_place) {
        let nom = places.departement(d).map_or(d.to_string(), |x| format!("{} ({d})", x.nom));
        filtres.push(format!("département {nom}"));
    }
    if let Some(c) = q.region.as_deref() {
        filtres.push(format!("région {}", places.region(c).map_or(c, |x| x.nom.as_str())));
    }
    if q.inclure_non_certifies {
        filtres.push("organismes non certifiés inclus".into());
    }
    html! {
        p #interpretation {
            "Recherche : " strong { (r.interpretation.libelle) }
            @if !filtres.is_empty() { " ; " (filtres.join(" ; ")) }
            " — " a href="#recherche" { "modifier la recherche" }
        }
    }
}

fn tri_links(etat: &Etat, q: &SearchQuery, a_un_centre: bool) -> Markup {
    let choix: &[(Tri, &str, &str)] = &[
        (Tri::Pertinence, "pertinence", "pertinence"),
        (Tri::Distance, "distance", "distance"),
        (Tri::Nom, "nom", "nom"),
    ];
    html! {
        p.tri {
            "Trier par : "
            @for (i, (t, value, label)) in choix.iter().enumerate() {
                @if *t != Tri::Distance || a_un_centre {
                    @if i > 0 { " · " }
                    @if q.tri == *t {
                        a href=(etat.without(&["page"]).with("tri", value).href()) aria-current="true" { strong { (label) } }
                    } @else {
                        a href=(etat.without(&["page"]).with("tri", value).href()) { (label) }
                    }
                }
            }
        }
    }
}

fn checkbox(name: &str, f: &FacetValue, checked: bool) -> Markup {
    let id = format!("f-{name}-{}", f.valeur);
    html! {
        li {
            input type="checkbox" id=(id) name=(name) value=(f.valeur) checked[checked];
            label for=(id) { (f.libelle) " " span.nombre { "(" (format::int(f.nombre as u64)) ")" } }
        }
    }
}

/// Facets with counts as one GET form: works without JavaScript, keeps the search itself.
fn filtres(etat: &Etat, r: &SearchResults, q: &SearchQuery) -> Markup {
    let fac = &r.facettes;
    // An option that matches nothing is noise ("VAE (0)"), unless it is checked: then it stays,
    // so that it can be unchecked.
    let categories: Vec<FacetValue> = Categorie::ALL
        .iter()
        .filter_map(|c| {
            let f = fac.categories.iter().find(|f| f.valeur == c.slug());
            match f {
                Some(f) if f.nombre > 0 => Some(f.clone()),
                _ if q.categories.contains(c) => Some(FacetValue {
                    valeur: c.slug().into(),
                    libelle: c.libelle().into(),
                    nombre: f.map_or(0, |f| f.nombre),
                }),
                _ => None,
            }
        })
        .collect();
    let mut themes: Vec<FacetValue> = fac
        .thematiques
        .iter()
        .filter(|f| f.nombre > 0 || q.thematiques.contains(&f.valeur))
        .cloned()
        .collect();
    for t in &q.thematiques {
        if !themes.iter().any(|f| &f.valeur == t) {
            themes.push(FacetValue { valeur: t.clone(), libelle: libelle_thematique(t).into(), nombre: 0 });
        }
    }
    let (visibles, autres) = themes.split_at(themes.len().min(THEMES_VISIBLES));
    let autres_cochees = autres.iter().any(|f| q.thematiques.contains(&f.valeur));
    let mut depts: Vec<FacetValue> = fac
        .departements
        .iter()
        .filter(|f| f.nombre > 0 || q.departement.as_ref() == Some(&f.valeur))
        .cloned()
        .collect();
    if let Some(d) = &q.departement
        && !depts.iter().any(|f| &f.valeur == d)
    {
        let nom = annuaire_geo::Places::get().departement(d).map_or(d.clone(), |x| x.nom.clone());
        depts.push(FacetValue { valeur: d.clone(), libelle: nom, nombre: 0 });
    }
    depts.sort_by(|a, b| a.valeur.cmp(&b.valeur));
    let rayon = r.interpretation.rayon_km;
    let mut rayons: Vec<f64> = RAYONS.to_vec();
    if let Some(x) = rayon
        && !rayons.iter().any(|r| (r - x).abs() < 1e-9)
    {
        rayons.push(x);
        rayons.sort_by(f64::total_cmp);
    }
    html! {
        form #filtres action="/recherche" method="get" aria-labelledby="filtres-titre" {
            h2 #filtres-titre { "Affiner" }
            @for key in ["q", "lieu", "lat", "lon", "tri", "par_page", "region"] {
                @if let Some(v) = etat.first(key) {
                    input type="hidden" name=(key) value=(v);
                }
            }
            @if !categories.is_empty() {
                fieldset {
                    legend { "Catégorie de certification" }
                    ul.choix {
                        @for f in &categories { (checkbox("categorie", f, etat.has("categorie", &f.valeur))) }
                    }
                }
            }
            @if rayon.is_some() {
                fieldset {
                    legend { "Rayon autour du lieu" }
                    ul.choix.rayons {
                        @for x in &rayons {
                            @let id = format!("f-rayon-{}", x.to_string().replace('.', "-"));
                            li {
                                input type="radio" id=(id) name="rayon_km" value=(x)
                                    checked[rayon.is_some_and(|r| (r - x).abs() < 1e-9)];
                                label for=(id) { (format::radius(*x)) }
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { "Thème" }
                @if themes.is_empty() {
                    p.aide { "Aucun thème parmi ces résultats." }
                }
                @if !visibles.is_empty() {
                    ul.choix {
                        @for f in visibles { (checkbox("thematique", f, etat.has("thematique", &f.valeur))) }
                    }
                }
                @if !autres.is_empty() {
                    details open[autres_cochees] {
                        summary { "Autres thèmes (" (autres.len()) ")" }
                        ul.choix {
                            @for f in autres { (checkbox("thematique", f, etat.has("thematique", &f.valeur))) }
                        }
                    }
                }
            }
            div.champ {
                label for="f-departement" { "Département" }
                select #f-departement name="departement" {
                    option value="" { "Tous les départements" }
                    @for f in &depts {
                        option value=(f.valeur) selected[q.departement.as_deref() == Some(f.valeur.as_str())] {
                            (f.valeur) " – " (f.libelle) " (" (format::int(f.nombre as u64)) ")"
                        }
                    }
                }
            }
            div.case {
                input type="checkbox" id="f-non-certifies" name="inclure_non_certifies" value="oui"
                    checked[q.inclure_non_certifies];
                label for="f-non-certifies" { "Inclure les organismes de la liste sans certification Qualiopi" }
            }
            div.actions {
                button type="submit" { "Filtrer" }
                " "
                a href=(etat.without(&["categorie", "thematique", "departement", "region", "rayon_km", "inclure_non_certifies", "page"]).href()) {
                    "Effacer les filtres"
                }
            }
        }
    }
}

fn pagination(etat: &Etat, page: usize, total_pages: usize) -> Markup {
    if total_pages <= 1 {
        return html! {};
    }
    let mut shown: Vec<usize> = vec![1, total_pages];
    shown.extend(page.saturating_sub(AUTOUR).max(1)..=(page + AUTOUR).min(total_pages));
    shown.sort_unstable();
    shown.dedup();
    html! {
        nav.pagination aria-label="Pagination" {
            ul {
                @if page > 1 {
                    li { a href=(etat.page_href(page - 1)) rel="prev" { "‹ Précédente" } }
                }
                @for (i, p) in shown.iter().enumerate() {
                    @if i > 0 && *p > shown[i - 1] + 1 {
                        li.ellipse aria-hidden="true" { "…" }
                    }
                    li {
                        @if *p == page {
                            a href=(etat.page_href(*p)) aria-current="page" aria-label=(format!("Page {p}, page actuelle")) { (p) }
                        } @else {
                            a href=(etat.page_href(*p)) aria-label=(format!("Page {p}")) { (p) }
                        }
                    }
                }
                @if page < total_pages {
                    li { a href=(etat.page_href(page + 1)) rel="next" { "Suivante ›" } }
                }
            }
        }
    }
}

/// Suggestions when nothing matched: each is a link to a broader search.
fn aucun_resultat(etat: &Etat, r: &SearchResults, q: &SearchQuery) -> Markup {
    let base = etat.without(&["page"]);
    let mut liens: Vec<(String, String)> = Vec::new();
    if let Some(rayon) = r.interpretation.rayon_km
        && rayon < 200.0
    {
        let plus = RAYONS.iter().copied().find(|x| *x > rayon * 1.5).unwrap_or((rayon * 2.0).min(300.0));
        liens.push((
            format!("Élargir le rayon à {}", format::radius(plus)),
            base.with("rayon_km", &plus.to_string()).href(),
        ));
    }
    for c in &q.categories {
        liens.push((
            format!("Retirer le filtre « {} »", c.libelle()),
            base.without_value("categorie", c.slug()).href(),
        ));
    }
    for t in &q.thematiques {
        liens.push((
            format!("Retirer le thème « {} »", libelle_thematique(t)),
            base.without_value("thematique", t).href(),
        ));
    }
    if q.departement.is_some() && etat.first("departement").is_some() {
        liens.push(("Retirer le filtre de département".into(), base.without(&["departement"]).href()));
    }
    if q.region.is_some() {
        liens.push(("Retirer le filtre de région".into(), base.without(&["region"]).href()));
    }
    if let Some(p) = &r.interpretation.lieu {
        // The place may have been read from the text ("comptabilite lyon"): drop it there too.
        let sans_lieu = base.without(&["lieu", "lat", "lon", "rayon_km", "tri"]);
        let sans_lieu = if etat.first("lieu").is_none() && !r.interpretation.texte.is_empty() {
            sans_lieu.with("q", &r.interpretation.texte)
        } else {
            sans_lieu
        };
        liens.push((
            format!("Chercher partout en France, pas seulement autour de {}", p.nom),
            sans_lieu.href(),
        ));
    } else if q.lat.is_some() {
        liens.push((
            "Chercher partout en France".into(),
            base.without(&["lat", "lon", "rayon_km", "tri"]).href(),
        ));
    }
    if !q.inclure_non_certifies {
        liens.push((
            "Inclure les organismes sans certification Qualiopi".into(),
            base.with("inclure_non_certifies", "oui").href(),
        ));
    }
    html! {
        div #aucun-resultat {
            h2 { "Aucun organisme ne correspond" }
            @if !liens.is_empty() {
                p { "Essayez d'élargir la recherche :" }
                ul {
                    @for (label, href) in &liens { li { a href=(href) { (label) } } }
                }
            }
            p {
                "Vérifiez l'orthographe, ou essayez un mot plus général (« informatique » plutôt que « python avancé »). "
                "Les thèmes viennent des spécialités déclarées par les organismes, pas du détail de leurs formations."
            }
        }
    }
}

/// Everything below the form: interpretation, totals, filters, results, pages.
fn resultats(ctx: &Ctx, etat: &Etat, r: &SearchResults, q: &SearchQuery) -> Markup {
    let total_pages = pages(r.total, q.par_page).min(params::MAX_PAGE);
    let start = (q.page - 1) * q.par_page;
    let a_un_centre = r.interpretation.rayon_km.is_some();
    let csv = etat.without(&["page", "par_page"]).with("format", "csv");
    let csv_href = {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &csv.0 {
            s.append_pair(k, v);
        }
        format!("/recherche?{}", s.finish())
    };
    html! {
        (interpretation(r, q))
        div.synthese {
            p #total { (format::count(r.total, "organisme", "organismes")) }
            p.affiner { a href="#filtres" { "Affiner" span.visuellement-cache { " : catégories, thèmes, rayon, département" } } }
            @if r.total > 0 {
                (tri_links(etat, q, a_un_centre))
                p.export {
                    a #export-csv href=(csv_href) download="annuaire-recherche.csv" {
                        "Télécharger ces résultats (CSV"
                        @if r.total > params::MAX_CSV_ROWS { ", " (format::int(params::MAX_CSV_ROWS as u64)) " premiers" }
                        ")"
                    }
                }
            }
        }
        div.resultats-page {
            section.liste aria-labelledby="resultats-titre" {
                h2 #resultats-titre .visuellement-cache { "Résultats" }
                @if r.total == 0 {
                    (aucun_resultat(etat, r, q))
                } @else if r.resultats.is_empty() {
                    p { "Cette page est au-delà des résultats. " a href=(etat.page_href(1)) { "Revenir à la première page" } }
                } @else {
                    ol #resultats start=(start + 1) {
                        @for h in &r.resultats { (carte(h, ctx.liste_du)) }
                    }
                    // A note under the list rather than above: on a phone the first result
                    // comes first.
                    @if a_un_centre {
                        p.aide.note-distances { "Distances à vol d'oiseau depuis le centre du lieu cherché." }
                    }
                    (pagination(etat, q.page, total_pages))
                }
            }
            // After the results in reading order (and beside them on wide screens): on a phone
            // the results come first, and the "Affiner" link above jumps here.
            (filtres(etat, r, q))
        }
    }
}

// ----- /recherche ---------------------------------------------------------------------------

/// `GET /recherche`.
pub async fn page(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let etat = Etat::parse(raw.as_deref());
    match render(&state, &headers, &etat) {
        Ok(res) => res,
        Err(e) if e.status == StatusCode::BAD_REQUEST => erreur_de_recherche(&state, &headers, &etat, &e),
        Err(e) => super::error_page(&Ctx::new(&state, &headers, None), &e),
    }
}

fn render(state: &AppState, headers: &HeaderMap, etat: &Etat) -> ApiResult<Response> {
    let (q, format) = params::search_query(&etat.params())?;
    let g = state.current()?;
    let r = g.index.search(&q)?;
    if format == Format::Csv {
        return Ok(crate::api::csv(hits_csv(&r.resultats)?, "annuaire-recherche.csv"));
    }
    let ctx = Ctx::new(state, headers, Some(&g));
    let etat = etat.without(&["format"]);
    let title = if q.page > 1 {
        format!("{} — page {}", r.interpretation.libelle, q.page)
    } else {
        r.interpretation.libelle.clone()
    };
    let head = Head::new(
        format!("Recherche : {}", format::capitalise(&title)),
        format!(
            "{} certifiés Qualiopi pour {}, d'après la liste officielle des organismes de formation.",
            format::count(r.total, "organisme", "organismes"),
            r.interpretation.libelle
        ),
        etat.href(),
    )
    .noindex();
    let body = html! {
        h1.titre-resultats { "Résultats de la recherche" }
        (formulaire(&Saisie::of(&etat, &r), true))
        (resultats(&ctx, &etat, &r, &q))
    };
    Ok(super::html(layout::page(&ctx, &head, body)))
}

/// A bad parameter on the results page: the form again, prefilled, with what was wrong (400).
fn erreur_de_recherche(state: &AppState, headers: &HeaderMap, etat: &Etat, e: &ApiError) -> Response {
    let ctx = Ctx::new(state, headers, None);
    let lieu = etat.first("lieu").unwrap_or("");
    let proposes = if e.message.starts_with("lieu inconnu") && lieu.chars().count() <= params::MAX_TEXT {
        annuaire_geo::Places::get().suggest(lieu, 5)
    } else {
        Vec::new()
    };
    let head = Head::new("Recherche impossible", e.message.clone(), "").noindex();
    let body = html! {
        h1 { "Recherche impossible" }
        div.alerte role="alert" {
            p #erreur { (format::capitalise(&e.message)) "." }
            @if !proposes.is_empty() {
                p { "Lieux proches de ce que vous avez tapé :" }
                ul {
                    @for p in &proposes {
                        li { a href=(etat.without(&["page"]).with("lieu", &p.nom).href()) { (p.nom)
                            @if let Some(d) = &p.departement { " (" (d) ")" } } }
                    }
                }
            }
        }
        (formulaire(&Saisie::new(etat.first("q").unwrap_or(""), lieu), false))
    };
    let mut res = super::html_status(StatusCode::BAD_REQUEST, layout::page(&ctx, &head, body));
    res.headers_mut()
        .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    res
}

// ----- /formations/{thematique}/{lieu} -----------------------------------------------------

/// The place of a landing page.
#[derive(Debug, Clone, PartialEq)]
pub enum LieuLanding {
    /// A commune: searched by name around it, like a typed place.
    Commune {
        nom: String,
        slug: String,
    },
    Departement {
        code: String,
        nom: String,
        slug: String,
    },
}

impl LieuLanding {
    pub fn slug(&self) -> &str {
        match self {
            LieuLanding::Commune { slug, .. } | LieuLanding::Departement { slug, .. } => slug,
        }
    }

    /// "à Marseille", "au Havre", "dans le Rhône (69)", "en Gironde (33)", "à Paris".
    pub fn dans(&self) -> String {
        match self {
            LieuLanding::Commune { nom, .. } => tournures::a_la_commune(nom),
            LieuLanding::Departement { code, nom, .. } => {
                // Paris is a department that is also its only commune: "à Paris".
                let places = annuaire_geo::Places::get();
                let ville = places.departement(code).and_then(|d| places.commune(&d.chef_lieu));
                if ville.is_some_and(|c| c.nom == *nom) {
                    tournures::a_la_commune(nom)
                } else {
                    tournures::dans_le_departement(code, nom)
                }
            }
        }
    }

    fn nom(&self) -> &str {
        match self {
            LieuLanding::Commune { nom, .. } | LieuLanding::Departement { nom, .. } => nom,
        }
    }
}

/// Slug of every commune name → the most populated commune bearing it (arrondissements aside).
fn communes_par_slug() -> &'static HashMap<String, usize> {
    static MAP: OnceLock<HashMap<String, usize>> = OnceLock::new();
    MAP.get_or_init(|| {
        let communes = annuaire_geo::Places::get().communes();
        let mut map: HashMap<String, usize> = HashMap::with_capacity(communes.len());
        for (i, c) in communes.iter().enumerate() {
            if c.is_arrondissement() {
                continue;
            }
            let e = map.entry(slug(&c.nom)).or_insert(i);
            if communes[*e].population < c.population {
                *e = i;
            }
        }
        map
    })
}

/// A landing page's place: a department code ("69", "2a") or name slug ("rhone"), else a
/// commune slug ("saint-etienne"). Department names come first: people searching "formation
/// gironde" mean the department.
pub fn lieu_landing(text: &str) -> Option<LieuLanding> {
    let places = annuaire_geo::Places::get();
    let text = text.trim();
    if text.is_empty() || text.len() > 100 {
        return None;
    }
    let dept = |d: &annuaire_geo::Departement| LieuLanding::Departement {
        code: d.code.clone(),
        nom: d.nom.clone(),
        slug: slug(&d.nom),
    };
    if text.len() <= 3
        && let Some(d) = places.departement(text)
    {
        return Some(dept(d));
    }
    let s = slug(text);
    if let Some(d) = places.departements().iter().find(|d| slug(&d.nom) == s) {
        return Some(dept(d));
    }
    let i = *communes_par_slug().get(&s)?;
    let c = &places.communes()[i];
    Some(LieuLanding::Commune { nom: c.nom.clone(), slug: s })
}

/// The `n` most populated communes (arrondissements aside, at most 100), for the sitemap and the
/// home page. Sorted once: every home page shows them.
pub fn grandes_villes(n: usize) -> &'static [&'static annuaire_geo::Commune] {
    static V: OnceLock<Vec<&'static annuaire_geo::Commune>> = OnceLock::new();
    let v = V.get_or_init(|| {
        let mut v: Vec<&annuaire_geo::Commune> =
            annuaire_geo::Places::get().communes().iter().filter(|c| !c.is_arrondissement()).collect();
        v.sort_by(|a, b| b.population.cmp(&a.population).then_with(|| a.code.cmp(&b.code)));
        v.truncate(100);
        v
    });
    &v[..n.min(v.len())]
}

/// Path of a landing page.
pub fn landing_path(thematique: &str, lieu_slug: &str) -> String {
    format!("/formations/{thematique}/{lieu_slug}")
}

/// The search state equivalent to a landing page.
fn landing_etat(thematique: &str, lieu: &LieuLanding) -> Etat {
    match lieu {
        LieuLanding::Commune { nom, .. } => Etat::from_pairs(&[("thematique", thematique), ("lieu", nom)]),
        LieuLanding::Departement { code, .. } => {
            Etat::from_pairs(&[("thematique", thematique), ("departement", code)])
        }
    }
}

/// `GET /formations/{thematique}/{lieu}`.
pub async fn landing(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((thematique, lieu))) = path else { return super::bad_path(&state, &headers) };
    let r = render_landing(&state, &headers, &thematique, &lieu);
    super::respond(&state, &headers, r)
}

fn render_landing(
    state: &AppState,
    headers: &HeaderMap,
    thematique: &str,
    lieu: &str,
) -> ApiResult<Response> {
    // "Informatique" or "comptabilité-gestion" find their topic, then redirect to its slug.
    let wanted = slug(thematique);
    let topic = annuaire_search::thematiques()
        .iter()
        .find(|t| t.slug == wanted)
        .ok_or_else(|| ApiError::not_found(format!("Thème inconnu « {} ».", params::clip(thematique))))?;
    let place = lieu_landing(lieu)
        .ok_or_else(|| ApiError::not_found(format!("Lieu inconnu « {} ».", params::clip(lieu))))?;
    let path = landing_path(topic.slug, place.slug());
    if lieu != place.slug() || thematique != topic.slug {
        return Ok(super::moved(&path));
    }
    let etat = landing_etat(topic.slug, &place);
    let (q, _) = params::search_query(&etat.params())?;
    let g: std::sync::Arc<Generation> = state.current()?;
    let r = g.index.search(&q)?;
    let ctx = Ctx::new(state, headers, Some(&g));
    let sujet = tournures::formations_en(topic.slug, topic.libelle);
    let dans = place.dans();
    let h1 = format!("Formations {sujet} {dans}");
    let title = format!("{h1} — organismes certifiés Qualiopi");
    let zone = match (&place, r.interpretation.rayon_km) {
        (LieuLanding::Commune { .. }, Some(km)) => {
            format!("{dans} et dans un rayon de {}", format::radius(km))
        }
        _ => dans.clone(),
    };
    let liste = format!(
        "d'après la liste officielle des organismes de formation{}",
        ctx.liste_du.map(|d| format!(" du {}", format::date(d))).unwrap_or_default()
    );
    let description = match r.total {
        0 => format!("Aucun organisme certifié Qualiopi ne propose de formations {sujet} {zone}, {liste}."),
        1 => format!("Un organisme certifié Qualiopi propose des formations {sujet} {zone}, {liste}."),
        n => format!(
            "{} organismes certifiés Qualiopi proposent des formations {sujet} {zone}, {liste}.",
            format::int(n as u64)
        ),
    };
    let autres: Vec<&FacetValue> =
        r.facettes.thematiques.iter().filter(|f| f.valeur != topic.slug).take(12).collect();
    let body = html! {
        h1.titre-resultats { (h1) }
        p.chapo { (description) }
        (formulaire(&Saisie::new("", place.nom()), true))
        (resultats(&ctx, &etat, &r, &q))
        @if !autres.is_empty() {
            section aria-labelledby="autres-themes" {
                h2 #autres-themes { "Autres thèmes " (dans) }
                ul.liens-themes {
                    @for f in autres {
                        li { a href=(landing_path(&f.valeur, place.slug())) { (f.libelle) } }
                    }
                }
            }
        }
    };
    let head = Head::new(title, description, path);
    // An empty landing page is thin content: kept for people, out of search engines.
    let head = if r.total == 0 { head.noindex() } else { head };
    Ok(super::html(layout::page(&ctx, &head, body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_links() {
        let e = Etat::parse(Some("q=excel&utm_source=x&categorie=vae&categorie=&page=3&format=csv"));
        assert_eq!(e.href(), "/recherche?q=excel&categorie=vae&page=3");
        assert_eq!(e.page_href(1), "/recherche?q=excel&categorie=vae");
        assert_eq!(e.without_value("categorie", "vae").href(), "/recherche?q=excel&page=3");
        assert_eq!(
            e.with("tri", "nom").without(&["page"]).href(),
            "/recherche?q=excel&categorie=vae&tri=nom"
        );
        assert_eq!(Etat::parse(Some("q=a%26b+c")).href(), "/recherche?q=a%26b+c");
        assert_eq!(Etat::parse(None).href(), "/recherche");
    }

    #[test]
    fn landing_places() {
        let check = |text: &str, want: Option<&str>| {
            assert_eq!(lieu_landing(text).as_ref().map(LieuLanding::slug), want, "{text}");
        };
        check("69", Some("rhone"));
        check("rhone", Some("rhone"));
        check("2a", Some("corse-du-sud"));
        check("marseille", Some("marseille"));
        check("saint-etienne", Some("saint-etienne"));
        check("Marseille", Some("marseille"));
        check("paris", Some("paris"));
        check("zzzz-inconnu", None);
        check("", None);
        assert!(matches!(lieu_landing("marseille"), Some(LieuLanding::Commune { .. })));
        assert!(matches!(lieu_landing("gironde"), Some(LieuLanding::Departement { .. })));
        assert_eq!(
            grandes_villes(3).iter().map(|c| c.nom.as_str()).collect::<Vec<_>>(),
            ["Paris", "Marseille", "Lyon"]
        );
    }
}
