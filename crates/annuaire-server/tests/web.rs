//! The web pages, driven in process through the whole router: every page renders with the
//! layout's landmarks and the synthetic-data banner, values are escaped, forms work without
//! JavaScript, and the key HTML fragments are pinned by snapshots.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use support::{get, send, with};

// ----- helpers ------------------------------------------------------------------------------

async fn post(uri: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, axum::http::HeaderMap, String) {
    let s = &support::fixture().state;
    let req = Request::post(uri).header("content-type", content_type).body(Body::from(body)).unwrap();
    let res = send(s, req).await;
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, String::from_utf8_lossy(&bytes).into_owned())
}

async fn api(uri: &str) -> Value {
    let (status, _, body) = get(&support::fixture().state, uri).await;
    assert_eq!(status, 200, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// The whole element that starts at the first occurrence of `start` (an opening tag or its
/// beginning, e.g. `<ol id="historique"`), up to its matching closing tag.
fn element<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    let from = html.find(start)?;
    let name: String = start[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut i = from;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with(&close) {
            depth -= 1;
            if depth == 0 {
                return Some(&html[from..i + close.len()]);
            }
            i += close.len();
        } else if rest.starts_with(&open) && rest[open.len()..].starts_with([' ', '>']) {
            depth += 1;
            i += open.len();
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    None
}

/// Every value of attribute `attr` on tags named `tag`.
fn attrs(html: &str, tag: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let open = format!("<{tag} ");
    for (i, _) in html.match_indices(&open) {
        let end = html[i..].find('>').map_or(html.len(), |e| i + e);
        let t = &html[i..end];
        let key = format!(" {attr}=\"");
        if let Some(a) = t.find(&key) {
            let v = &t[a + key.len()..];
            out.push(v[..v.find('"').unwrap_or(v.len())].to_string());
        } else {
            out.push(String::new());
        }
    }
    out
}

/// Dates in fragments, replaced so that snapshots do not depend on the calendar.
fn redact_dates(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let digits =
        |from: usize, n: usize| b.get(from..from + n).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    while i < b.len() {
        if digits(i, 2)
            && b.get(i + 2) == Some(&b'/')
            && digits(i + 3, 2)
            && b.get(i + 5) == Some(&b'/')
            && digits(i + 6, 4)
        {
            out.push_str("JJ/MM/AAAA");
            i += 10;
        } else if digits(i, 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5, 2)
            && b.get(i + 7) == Some(&b'-')
            && digits(i + 8, 2)
        {
            out.push_str("AAAA-MM-JJ");
            i += 10;
        } else {
            let c = s[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// One line per tag, so that snapshot diffs are readable.
fn pretty(fragment: &str) -> String {
    redact_dates(fragment).replace("><", ">\n<")
}

/// What every HTML page must have: French, one h1, landmarks, skip link, banner (the fixture is
/// synthetic), title and description, and nothing the CSP would block.
fn check_layout(uri: &str, body: &str) {
    let must = [
        "<html lang=\"fr\">",
        "<a class=\"skip-link\" href=\"#contenu\">Aller au contenu</a>",
        "<main id=\"contenu\"",
        "<header class=\"site\">",
        "<nav aria-label=\"Navigation principale\">",
        "<footer class=\"site\">",
        "<div id=\"bandeau-demo\" role=\"note\">",
        "Données de démonstration SYNTHÉTIQUES : ces organismes n'existent pas.",
        "<meta name=\"description\" content=\"",
        "<meta name=\"viewport\"",
    ];
    for m in must {
        assert!(body.contains(m), "{uri}: missing {m}");
    }
    assert_eq!(body.matches("<h1").count(), 1, "{uri}: exactly one h1");
    let title = element(body, "<title>").unwrap_or("");
    assert!(title.len() > "<title></title>".len() + 5, "{uri}: empty title");
    // The skip link is the first focusable element.
    let first_link = body.find("<a ").unwrap();
    assert!(body[first_link..].starts_with("<a class=\"skip-link\""), "{uri}: skip link not first");
    // CSP: no inline style or script, no event handler attributes.
    assert!(!body.contains(" style="), "{uri}: inline style");
    assert!(!body.contains("<style"), "{uri}: style element");
    for (i, _) in body.match_indices("<script") {
        let tag = &body[i..i + body[i..].find('>').unwrap()];
        assert!(tag.contains(" src=\"/assets/"), "{uri}: inline script {tag}");
    }
    for ev in [" onclick=", " onload=", " onerror=", " onsubmit=", " onchange="] {
        assert!(!body.contains(ev), "{uri}: event handler {ev}");
    }
    assert!(
        !body.contains("http://cdn") && !body.contains("https://cdn") && !body.contains("fonts.googleapis")
    );
    // Every visible form field has a label.
    for tag in ["input", "select", "textarea"] {
        let ids = attrs(body, tag, "id");
        let types = attrs(body, tag, "type");
        for (k, id) in ids.iter().enumerate() {
            if types.get(k).is_some_and(|t| t == "hidden" || t == "submit") {
                continue;
            }
            assert!(!id.is_empty(), "{uri}: a <{tag}> without id (and so without label)");
            assert!(body.contains(&format!("<label for=\"{id}\"")), "{uri}: <{tag} id={id}> has no label");
        }
    }
}

/// Fetch a page and check its status, content type and layout; returns the body.
async fn page(uri: &str, status: u16) -> String {
    let (st, headers, body) = get(&support::fixture().state, uri).await;
    assert_eq!(st.as_u16(), status, "{uri}: {}", &body[..body.len().min(600)]);
    let ct = headers.get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert_eq!(ct, "text/html; charset=utf-8", "{uri}");
    assert!(headers.contains_key("content-security-policy"), "{uri}: CSP header");
    check_layout(uri, &body);
    body
}

// ----- every page ---------------------------------------------------------------------------

/// One line per page: its path, the expected status, and facts its body must contain.
fn cases() -> Vec<(&'static str, u16, Vec<&'static str>)> {
    vec![
        (
            "/",
            200,
            vec![
                "Quelle formation ?",
                "<form id=\"recherche\" action=\"/recherche\" method=\"get\"",
                "liste officielle du 16/11/2026",
            ],
        ),
        (
            "/recherche?q=formation",
            200,
            vec!["<ol id=\"resultats\"", "<p id=\"total\">", "<form id=\"filtres\"", "id=\"export-csv\""],
        ),
        ("/recherche?q=formation&inconnu=1&utm_source=x", 200, vec!["<ol id=\"resultats\""]),
        ("/recherche?lieu=Lyon", 200, vec!["autour de Lyon", "class=\"distance\"", "name=\"rayon_km\""]),
        ("/recherche?q=zzzyxwvqq", 200, vec!["<div id=\"aucun-resultat\">", "0 organisme"]),
        ("/recherche?page=abc", 400, vec!["« page » doit être un entier", "<form id=\"recherche\""]),
        ("/recherche?lieu=xyzzyqwv", 400, vec!["lieu inconnu"]),
        ("/recherche?categorie=vea", 400, vec!["valeur inconnue « vea »"]),
        ("/recherche?q=a&q=b", 400, vec!["ne peut être donné qu'une fois"]),
        (
            "/formations/informatique/paris",
            200,
            vec![
                "<h1 class=\"titre-resultats\">Formations en informatique et numérique à Paris</h1>",
                "<link rel=\"canonical\" href=\"http://localhost/formations/informatique/paris\">",
            ],
        ),
        (
            "/formations/langues/rhone",
            200,
            vec!["<h1 class=\"titre-resultats\">Formations en langues dans le Rhône (69)</h1>"],
        ),
        ("/formations/inconnu/paris", 404, vec!["Thème inconnu"]),
        ("/formations/langues/nulle-part-xyz", 404, vec!["Lieu inconnu"]),
        ("/organismes/123", 404, vec!["Page introuvable"]),
        (
            "/organismes/99999999999-nobody",
            404,
            vec!["Aucun organisme connu avec le numéro de déclaration d'activité 99999999999"],
        ),
        (
            "/verifier",
            200,
            vec![
                "<form id=\"verifier\" method=\"post\" action=\"/verifier\" enctype=\"multipart/form-data\">",
                "<input id=\"fichier\" type=\"file\" name=\"fichier\"",
            ],
        ),
        ("/verifier?format=xml", 400, vec!["format inconnu"]),
        (
            "/qualiopi",
            200,
            vec![
                "Critère 7",
                "Indicateur 32 :",
                "valable 3 ans",
                "14<sup>e</sup>",
                "22<sup>e</sup>",
                "Bilans de compétences",
            ],
        ),
        (
            "/changements",
            200,
            vec!["<link rel=\"alternate\" type=\"application/atom+xml\"", "href=\"/changements.atom\""],
        ),
        (
            "/changements?type=nouveau&departement=69",
            200,
            vec!["href=\"/changements.atom?type=nouveau&amp;departement=69\""],
        ),
        ("/changements?type=zz", 400, vec!["type : valeur inconnue"]),
        (
            "/donnees",
            200,
            vec![
                "Licence Ouverte",
                "laposte_hexasmal_2022.csv.gz",
                "rnq_qualiopi_indicateurs.csv",
                "Date de la liste servie",
                "16/11/2026",
                "fichier local",
                "<td lang=\"en\" role=\"cell\" data-label=\"Licence\">",
            ],
        ),
        ("/nimporte/quoi", 404, vec!["Page introuvable", "Aucune page à cette adresse"]),
        // Path parameters that are not UTF-8 text: a page, not the framework's plain-text 400.
        ("/organismes/%FF", 404, vec!["caractères invalides"]),
        ("/formations/%FF/lyon", 404, vec!["caractères invalides"]),
        ("/verifier/csv/%FF", 404, vec!["caractères invalides"]),
        ("/assets/x/%FF", 404, vec!["caractères invalides"]),
        ("/sitemaps/%FF", 404, vec!["caractères invalides"]),
        ("/changements?page=0", 400, vec!["« page » doit être compris entre 1 et 1000"]),
        ("/recherche?q=%00", 400, vec!["caractères de contrôle"]),
    ]
}

#[test]
fn every_page_renders_with_the_layout() {
    with(|_| async move {
        for (uri, status, facts) in cases() {
            let body = page(uri, status).await;
            for f in facts {
                assert!(body.contains(f), "{uri}: missing « {f} »");
            }
            if status == 200 {
                assert!(
                    body.contains("<link rel=\"canonical\" href=\"http://localhost/"),
                    "{uri}: canonical"
                );
            }
        }
    })
}

#[test]
fn api_errors_stay_json() {
    with(|s| async move {
        let (status, headers, body) = get(s, "/api/v1/rien").await;
        assert_eq!(status, 404);
        assert!(headers["content-type"].to_str().unwrap().starts_with("application/json"));
        assert!(body.contains("\"erreur\""));
    })
}

#[test]
fn values_are_escaped() {
    with(|_| async move {
        let attack = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg+src%3Dx%3E";
        for uri in [
            format!("/recherche?q={attack}"),
            format!("/recherche?q=x&lieu={attack}"),
            format!("/recherche?q={attack}&page=zz"),
            format!("/verifier?identifiants={attack}"),
            format!("/organismes/{attack}"),
            format!("/nimporte/{attack}"),
        ] {
            let (_, _, body) = get(&support::fixture().state, &uri).await;
            assert!(!body.contains("<script>alert"), "{uri}: unescaped script");
            assert!(!body.contains("<img src=x"), "{uri}: unescaped attribute break-out");
            assert!(!body.contains("\"><img"), "{uri}: unescaped quote");
        }
        let body = page(&format!("/recherche?q={attack}"), 200).await;
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the query is shown, escaped");
    })
}

// ----- results ------------------------------------------------------------------------------

#[test]
fn results_have_cards_distances_sorting_and_pages() {
    with(|s| async move {
        let body = page("/recherche?lieu=Paris&rayon_km=50", 200).await;
        let list = element(&body, "<ol id=\"resultats\"").expect("results");
        let cards = list.matches("<li class=\"resultat\">").count();
        assert!(cards > 0 && cards <= 20);
        assert_eq!(list.matches("<span class=\"distance\">").count(), cards, "a distance on every card");
        assert_eq!(list.matches("<a class=\"nom\" href=\"/organismes/").count(), cards);
        assert!(list.contains("<span class=\"badge\" data-categorie=\""));
        assert!(
            body.contains("<input type=\"radio\" id=\"f-rayon-50\" name=\"rayon_km\" value=\"50\" checked>")
        );
        assert!(body.contains("href=\"/recherche?lieu=Paris&amp;rayon_km=50&amp;tri=distance\""));
        // The count in #total is the API's.
        let v = api("/api/v1/recherche?lieu=Paris&rayon_km=50").await;
        let total = v["total"].as_u64().unwrap();
        let shown = element(&body, "<p id=\"total\">").unwrap();
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits.parse::<u64>().unwrap(), total);

        // Pagination: links to other pages, the current one marked.
        let body = page("/recherche?q=formation&page=2", 200).await;
        let nav = element(&body, "<nav class=\"pagination\" aria-label=\"Pagination\">").expect("pagination");
        assert!(nav.contains("aria-current=\"page\" aria-label=\"Page 2, page actuelle\">2</a>"), "{nav}");
        assert!(nav.contains("href=\"/recherche?q=formation\" rel=\"prev\""), "page 1 has no page parameter");
        assert!(nav.contains("page=3"));
        assert!(body.contains("<ol id=\"resultats\" start=\"21\">"));

        // The CSV export has a header and one row per result.
        let csv_href = attrs(&body, "a", "href").into_iter().find(|h| h.contains("format=csv")).unwrap();
        let csv_href = csv_href.replace("&amp;", "&");
        assert!(!csv_href.contains("page="), "{csv_href}");
        let (st, headers, csv) = get(s, &csv_href).await;
        assert_eq!(st, 200);
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        let total = api("/api/v1/recherche?q=formation").await["total"].as_u64().unwrap() as usize;
        assert_eq!(csv.trim_end().lines().count(), total.min(10_000) + 1);
    })
}

#[test]
fn filters_are_a_get_form_that_keeps_the_search() {
    with(|_| async move {
        let body = page("/recherche?q=formation&categorie=bilans_competences&thematique=langues", 200).await;
        let form = element(&body, "<form id=\"filtres\"").unwrap();
        assert!(form.contains("action=\"/recherche\" method=\"get\""));
        assert!(form.contains("<input type=\"hidden\" name=\"q\" value=\"formation\">"));
        assert!(form.contains("name=\"categorie\" value=\"bilans_competences\" checked>"));
        // The other scopes are offered when some result holds them (a zero is not an option).
        let v = api("/api/v1/recherche?q=formation&categorie=bilans_competences&thematique=langues").await;
        for f in v["facettes"]["categories"].as_array().unwrap() {
            let option = format!("name=\"categorie\" value=\"{}\"", f["valeur"].as_str().unwrap());
            assert_eq!(form.contains(&option), f["nombre"].as_u64().unwrap() > 0, "{f}");
        }
        assert!(form.contains("name=\"thematique\" value=\"langues\" checked>"));
        assert!(form.contains("<button type=\"submit\">Filtrer</button>"));
        // Every card holds the filtered scope.
        let list = element(&body, "<ol id=\"resultats\"").unwrap();
        let cards = list.matches("<li class=\"resultat\">").count();
        assert_eq!(list.matches("data-categorie=\"bilans_competences\"").count(), cards);
        let interp = element(&body, "<p id=\"interpretation\">").unwrap();
        assert!(
            interp.contains("catégorie bilans de compétences") && interp.contains("thème Langues"),
            "{interp}"
        );
    })
}

#[test]
fn zero_results_suggest_broader_searches() {
    with(|_| async move {
        let body = page("/recherche?q=zzzyxwvqq&lieu=Lyon&categorie=vae", 200).await;
        let none = element(&body, "<div id=\"aucun-resultat\">").unwrap();
        assert!(!body.contains("<ol id=\"resultats\""));
        insta::assert_snapshot!("aucun_resultat", pretty(none));
    })
}

/// The value of the `<input id="{id}">`, unescaped enough for the tests' plain values.
fn input_value(html: &str, id: &str) -> Option<String> {
    let ids = attrs(html, "input", "id");
    let values = attrs(html, "input", "value");
    let i = ids.iter().position(|x| x == id)?;
    Some(values[i].replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">"))
}

/// The number in `<p id="total">`.
fn total_of(html: &str) -> u64 {
    let shown = element(html, "<p id=\"total\">").expect("#total");
    shown.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// What submitting the page's `form#recherche` as it is asks for.
fn submitted(html: &str) -> String {
    let form = element(html, "<form id=\"recherche\"").expect("form#recherche");
    let names = attrs(form, "input", "name");
    let values = attrs(form, "input", "value");
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (n, v) in names.iter().zip(&values) {
        s.append_pair(n, &v.replace("&amp;", "&").replace("&quot;", "\""));
    }
    format!("/recherche?{}", s.finish())
}

#[test]
fn results_form_holds_the_search_as_the_engine_read_it() {
    with(|_| async move {
        // The place read from the text moves to "Où ?"; the text keeps the rest.
        let body = page("/recherche?q=comptabilite+lyon", 200).await;
        assert_eq!(input_value(&body, "q").as_deref(), Some("comptabilite"));
        assert_eq!(input_value(&body, "lieu").as_deref(), Some("Lyon"));
        assert!(!element(&body, "<form id=\"recherche\"").unwrap().contains("rayon_km"));
        // "modifier la recherche" leads to that form.
        let interp = element(&body, "<p id=\"interpretation\">").unwrap();
        assert!(interp.contains("<a href=\"#recherche\">modifier la recherche</a>"), "{interp}");
        // The filters, sorting and pages keep the search as typed, so they answer the same.
        let filtres = element(&body, "<form id=\"filtres\"").unwrap();
        assert!(filtres.contains("<input type=\"hidden\" name=\"q\" value=\"comptabilite lyon\">"));
        assert!(body.contains("href=\"/recherche?q=comptabilite+lyon&amp;tri=nom\""));
        let total = total_of(&body);
        assert!(total > 0);
        assert_eq!(total_of(&page("/recherche?q=comptabilite+lyon&tri=nom", 200).await), total);
        // Pages too: a broad search with its place in the text pages with the text as typed.
        let body = page("/recherche?q=lyon&par_page=2", 200).await;
        assert_eq!(input_value(&body, "lieu").as_deref(), Some("Lyon"));
        let nav = element(&body, "<nav class=\"pagination\"").expect("more than one page around Lyon");
        assert!(nav.contains("href=\"/recherche?q=lyon&amp;par_page=2&amp;page=2\""), "{nav}");
        let page2 = page("/recherche?q=lyon&par_page=2&page=2", 200).await;
        assert_eq!(total_of(&page2), total_of(&body));

        // Sending the prefilled form again is the same search, whatever the kind of place.
        for uri in [
            "/recherche?q=comptabilite+lyon",
            "/recherche?q=comptabilite+lyon&rayon_km=50",
            "/recherche?q=formation+excel+marseille",
            "/recherche?q=anglais+69003",
            "/recherche?q=comptabilite+rhone",
            "/recherche?q=informatique+bretagne",
            "/recherche?q=lyon",
            "/recherche?q=comptabilite&lieu=Lyon&rayon_km=10",
            "/recherche?q=formation",
        ] {
            let body = page(uri, 200).await;
            let again = submitted(&body);
            let resent = page(&again, 200).await;
            assert_eq!(total_of(&resent), total_of(&body), "{uri} then {again}");
            let libelle = |h: &str| element(h, "<strong>").unwrap().to_string();
            assert_eq!(libelle(&resent), libelle(&body), "{uri} then {again}");
            // And that page's form holds the same values: the form is a fixed point.
            assert_eq!(submitted(&resent), again, "{uri}");
        }
        let body = page("/recherche?q=comptabilite+lyon&rayon_km=50", 200).await;
        assert_eq!(submitted(&body), "/recherche?q=comptabilite&lieu=Lyon&rayon_km=50");
        // A place typed in "Où ?" stays as typed.
        let body = page("/recherche?q=comptabilite&lieu=lyon", 200).await;
        assert_eq!(input_value(&body, "lieu").as_deref(), Some("lyon"));
        // A postal code goes back as the code, not as the name of its first commune.
        let body = page("/recherche?q=anglais+69003", 200).await;
        assert_eq!(input_value(&body, "lieu").as_deref(), Some("69003"));
    })
}

#[test]
fn results_pages_have_the_compact_form_and_the_home_page_the_full_one() {
    with(|_| async move {
        for uri in ["/recherche?q=comptabilite+lyon", "/formations/langues/lyon"] {
            let body = page(uri, 200).await;
            let form = element(&body, "<form id=\"recherche\" class=\"compact\"").expect(uri);
            // The hints stay, for screen readers (the style sheet hides them on these pages).
            for (field, hint) in [("q", "q-aide"), ("lieu", "lieu-aide")] {
                assert!(form.contains(&format!("<label for=\"{field}\">")), "{uri}");
                assert!(form.contains(&format!("aria-describedby=\"{hint}\"")), "{uri}");
                assert!(form.contains(&format!("id=\"{hint}\"")), "{uri}");
            }
        }
        let home = page("/", 200).await;
        assert!(home.contains("<form id=\"recherche\" action=\"/recherche\""));
        // Short menu labels on a phone; the whole label stays in each link.
        assert!(home.contains(">Vérifier<span class=\"nav-suite\"> des organismes</span></a>"));
    })
}

#[test]
fn filters_hide_options_that_match_nothing_unless_checked() {
    with(|_| async move {
        let body = page("/recherche?q=zzzyxwvqq&lieu=Lyon&categorie=vae&thematique=langues", 200).await;
        let form = element(&body, "<form id=\"filtres\"").unwrap();
        // Nothing matches: only the two checked options remain, with their zero.
        assert_eq!(form.matches("(0)").count(), 2, "{form}");
        assert!(form.contains("value=\"vae\" checked>"), "{form}");
        assert!(form.contains("value=\"langues\" checked>"), "{form}");
        assert!(!form.contains("value=\"actions_formation\""), "{form}");
        assert!(!form.contains("value=\"apprentissage\""), "{form}");

        let body = page("/recherche?lieu=Lyon", 200).await;
        let form = element(&body, "<form id=\"filtres\"").unwrap();
        assert!(!form.contains("(0)"), "{form}");
        let v = api("/api/v1/recherche?lieu=Lyon").await;
        for facet in ["categories", "thematiques"] {
            for f in v["facettes"][facet].as_array().unwrap() {
                let option = format!("value=\"{}\"", f["valeur"].as_str().unwrap());
                assert_eq!(form.contains(&option), f["nombre"].as_u64().unwrap() > 0, "{f}");
            }
        }
    })
}

#[test]
fn result_card_and_interpretation_fragments() {
    with(|_| async move {
        let body = page("/recherche?lieu=Lyon&tri=nom&par_page=1", 200).await;
        let card = element(&body, "<li class=\"resultat\">").unwrap();
        insta::assert_snapshot!("carte_resultat", pretty(card));
        let interp = element(&body, "<p id=\"interpretation\">").unwrap();
        insta::assert_snapshot!("interpretation", pretty(interp));
        let body = page("/recherche?q=comptabilite+lyon&categorie=vae", 200).await;
        let interp = element(&body, "<p id=\"interpretation\">").unwrap();
        insta::assert_snapshot!("interpretation_lieu_dans_le_texte", pretty(interp));
    })
}

// ----- provider pages -----------------------------------------------------------------------

/// A provider with at least two changes in its history.
async fn provider_with_history() -> Value {
    for kind in ["renomme", "adresse_modifiee", "certifie", "decertifie"] {
        let v = api(&format!("/api/v1/changements?type={kind}&par_page=50")).await;
        for c in v["changements"].as_array().unwrap() {
            let org = api(&format!("/api/v1/organismes/{}", c["nda"].as_str().unwrap())).await;
            if org["historique"].as_array().unwrap().len() >= 2 {
                return org;
            }
        }
    }
    panic!("no provider with two changes in the fixture");
}

#[test]
fn provider_page_shows_identity_certification_and_history() {
    with(|s| async move {
        let org = provider_with_history().await;
        let nda = org["nda"].as_str().unwrap();
        let url = org["url"].as_str().unwrap();

        // Without its slug, or with a wrong one: a permanent redirect to the canonical URL.
        for wrong in [format!("/organismes/{nda}"), format!("/organismes/{nda}-ancien-nom")] {
            let (st, headers, _) = get(s, &wrong).await;
            assert_eq!(st, 301, "{wrong}");
            assert_eq!(headers["location"], url);
        }

        let body = page(url, 200).await;
        let h1 = element(&body, "<h1>").unwrap();
        assert!(h1.contains(&html_escape(org["nom_affichage"].as_str().unwrap())), "{h1}");
        let id = element(&body, "<dl id=\"identite\">").unwrap();
        assert!(id.contains(nda));
        if let Some(siret) = org["siret"].as_str() {
            assert!(id.contains(siret));
        }
        let cert = element(&body, "<section id=\"certification\"").unwrap();
        assert!(cert.contains("<caption>") && cert.contains("<th scope=\"row\">"));
        assert!(cert.contains("Une absence de la liste n'est pas forcément un retrait de certification"));
        assert!(body.contains(&format!("<link rel=\"canonical\" href=\"http://localhost{url}\">")));
        assert!(body.contains("<p class=\"localisation\">"));

        // One <li> per change of the API, each with its French label and its date.
        let hist = element(&body, "<ol id=\"historique\">").unwrap();
        let changes = org["historique"].as_array().unwrap();
        assert_eq!(hist.matches("<li ").count(), changes.len());
        for c in changes {
            let label = c["libelle"].as_str().unwrap();
            assert!(hist.to_lowercase().contains(&html_escape(label).to_lowercase()), "{label} in {hist}");
            assert!(hist.contains(&format!("datetime=\"{}\"", c["date"].as_str().unwrap())));
        }
        insta::assert_snapshot!("historique", pretty(hist));
    })
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

// ----- verification -------------------------------------------------------------------------

async fn three_ids() -> Vec<String> {
    let v = api("/api/v1/recherche?par_page=2").await;
    let r = v["resultats"].as_array().unwrap();
    vec![
        r[0]["nda"].as_str().unwrap().to_string(),
        r[1]["siret"].as_str().unwrap().to_string(),
        "12345".to_string(),
        "73282932000074".to_string(),
    ]
}

fn check_verification(body: &str, ids: &[String]) {
    let table = element(body, "<table id=\"verification-resultats\"").expect("results table");
    assert!(table.contains("<caption"));
    assert!(table.contains("<th scope=\"col\" role=\"columnheader\">Statut</th>"));
    let rows = element(table, "<tbody").unwrap();
    assert_eq!(rows.matches("<tr ").count(), ids.len());
    for id in ids {
        assert!(rows.contains(&format!("<th scope=\"row\" role=\"rowheader\">{id}</th>")), "{id}");
    }
    // Stacked on a phone, each cell says its column: the same words as the header.
    let headers: Vec<&str> = element(table, "<thead")
        .unwrap()
        .split("role=\"columnheader\">")
        .skip(1)
        .filter_map(|h| h.split("</th>").next())
        .collect();
    assert_eq!(headers.len(), 7);
    for row in rows.split("<tr ").skip(1) {
        assert_eq!(attrs(row, "td", "data-label"), headers[1..], "{row}");
    }
    assert!(rows.contains(">Certifié Qualiopi</span>"));
    assert!(rows.contains(">Identifiant invalide</span>"));
    assert!(rows.contains(">Inconnu de la liste</span>"));
    assert!(body.contains("<ul id=\"verification-resume\">"));
    assert!(body.contains("<a id=\"verification-csv\" href=\""));
}

#[test]
fn verification_by_multipart_urlencoded_and_link() {
    with(|s| async move {
        let ids = three_ids().await;
        // Multipart: two identifiers typed, two in a file with a header line.
        let boundary = "XyZbOuNdArY";
        let mut mp = String::new();
        mp.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"identifiants\"\r\n\r\n{}\n{}\r\n",
            ids[0], ids[1]
        ));
        mp.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"ids.csv\"\r\nContent-Type: text/csv\r\n\r\nidentifiant;nom\n{};x\n{};y\n\r\n",
            ids[2], ids[3]
        ));
        mp.push_str(&format!("--{boundary}--\r\n"));
        let (st, headers, body) =
            post("/verifier", &format!("multipart/form-data; boundary={boundary}"), mp.into_bytes()).await;
        assert_eq!(st, 200, "{body}");
        assert_eq!(headers["cache-control"], "no-store");
        check_layout("POST /verifier", &body);
        check_verification(&body, &ids);

        // Urlencoded, comma-separated on one line.
        let form = format!("identifiants={}", ids.join("%2C+"));
        let (st, _, body) = post("/verifier", "application/x-www-form-urlencoded", form.into_bytes()).await;
        assert_eq!(st, 200, "{body}");
        check_verification(&body, &ids);
        let invalid = element(&body, "<tr data-statut=\"identifiant_invalide\"").unwrap();
        insta::assert_snapshot!("verification_ligne_invalide", pretty(invalid));

        // The CSV link of a short list carries the identifiers and answers the same check.
        let href = attrs(&body, "a", "href").into_iter().find(|h| h.starts_with("/verifier?")).unwrap();
        let (st, headers, csv) = get(s, &href.replace("&amp;", "&")).await;
        assert_eq!(st, 200);
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert_eq!(csv.trim_end().lines().count(), ids.len() + 1);
        for id in &ids {
            assert!(csv.contains(id.as_str()));
        }
        // The same check as a GET page.
        let body = page(&format!("/verifier?identifiants={}", ids.join(",")), 200).await;
        check_verification(&body, &ids);
    })
}

#[test]
fn long_verifications_link_their_csv_by_hash() {
    with(|s| async move {
        let ids: Vec<String> = (0..300).map(|i| format!("{:014}", 10_000_000_000_000u64 + i)).collect();
        let form = format!("identifiants={}", ids.join("%0A"));
        let (st, _, body) = post("/verifier", "application/x-www-form-urlencoded", form.into_bytes()).await;
        assert_eq!(st, 200);
        let href = attrs(&body, "a", "href")
            .into_iter()
            .find(|h| h.starts_with("/verifier/csv/"))
            .expect("hash link");
        let (st, _, csv) = get(s, &href).await;
        assert_eq!(st, 200);
        assert_eq!(csv.trim_end().lines().count(), 301);
        let (st, _, body) = get(s, "/verifier/csv/0123456789abcdef").await;
        assert_eq!(st, 404);
        assert!(body.contains("relancez la vérification"));
    })
}

#[test]
fn verification_mistakes_are_french_pages() {
    with(|_| async move {
        let (st, _, body) =
            post("/verifier", "application/x-www-form-urlencoded", b"identifiants=+%0A+".to_vec()).await;
        assert_eq!(st, 422);
        check_layout("POST /verifier (vide)", &body);
        assert!(body.contains("Aucun identifiant reçu"));
        let (st, _, body) = post("/verifier", "application/json", b"{}".to_vec()).await;
        assert_eq!(st, 415);
        assert!(body.contains("<form id=\"verifier\""));
        let many = format!("identifiants={}", "1%0A".repeat(10_001));
        let (st, _, body) = post("/verifier", "application/x-www-form-urlencoded", many.into_bytes()).await;
        assert_eq!(st, 413);
        assert!(body.contains("au plus 10"));
    })
}

// ----- SEO, robots, assets ------------------------------------------------------------------

#[test]
fn sitemap_lists_pages_landings_and_certified_providers() {
    with(|s| async move {
        let (st, headers, xml) = get(s, "/sitemap.xml").await;
        assert_eq!(st, 200);
        assert!(headers["content-type"].to_str().unwrap().starts_with("application/xml"));
        assert!(xml.starts_with("<?xml") && xml.contains("<urlset"));
        for path in ["/", "/verifier", "/qualiopi", "/changements", "/donnees"] {
            assert!(xml.contains(&format!("<loc>http://localhost{path}</loc>")), "{path}");
        }
        assert!(xml.contains("<loc>http://localhost/formations/"));
        assert!(xml.contains("<loc>http://localhost/organismes/"));
        // Only certified providers, each once.
        let certified = api("/api/v1/stats").await["certifies"].as_u64().unwrap() as usize;
        assert_eq!(xml.matches("<loc>http://localhost/organismes/").count(), certified);
        // Every landing page listed renders.
        let landing: Vec<&str> = xml
            .split("<loc>http://localhost")
            .filter_map(|x| x.split("</loc>").next())
            .filter(|p| p.starts_with("/formations/"))
            .take(5)
            .collect();
        for p in landing {
            page(p, 200).await;
        }
        // The fixture fits one file: no index parts.
        assert_eq!(get(s, "/sitemaps/organismes-1.xml").await.0, 404);
    })
}

#[test]
fn robots_keep_synthetic_data_out_of_search_engines() {
    with(|s| async move {
        let (st, headers, body) = get(s, "/robots.txt").await;
        assert_eq!(st, 200);
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/plain"));
        assert!(body.contains("User-agent: *\nDisallow: /\n"), "{body}");
        let home = page("/", 200).await;
        assert!(home.contains("<meta name=\"robots\" content=\"noindex\">"));
    })
}

#[test]
fn landing_pages_redirect_to_their_canonical_place() {
    with(|s| async move {
        for (from, to) in [
            ("/formations/langues/69", "/formations/langues/rhone"),
            ("/formations/langues/Marseille", "/formations/langues/marseille"),
            ("/formations/langues/2a", "/formations/langues/corse-du-sud"),
            ("/formations/Langues/rhone", "/formations/langues/rhone"),
            ("/formations/comptabilit%C3%A9-gestion/lyon", "/formations/comptabilite-gestion/lyon"),
        ] {
            let (st, headers, _) = get(s, from).await;
            assert_eq!(st, 301, "{from}");
            assert_eq!(headers["location"], to, "{from}");
        }
        let body = page("/formations/informatique/marseille", 200).await;
        assert!(body.contains("<title>Formations en informatique et numérique à Marseille — organismes certifiés Qualiopi | Annuaire Qualiopi</title>"));
        assert!(body.contains("<meta name=\"description\" content=\""));
        // French articles and prepositions: departments, and communes whose name has an article.
        for (path, h1) in [
            (
                "/formations/informatique/alpes-maritimes",
                "Formations en informatique et numérique dans les Alpes-Maritimes (06)",
            ),
            ("/formations/langues/ain", "Formations en langues dans l'Ain (01)"),
            ("/formations/sante/gironde", "Formations en santé en Gironde (33)"),
            ("/formations/btp/le-havre", "Formations dans le bâtiment et les travaux publics au Havre"),
            ("/formations/sante/paris", "Formations en santé à Paris"),
        ] {
            let body = page(path, 200).await;
            assert!(body.contains(&format!(">{h1}</h1>")), "{path}: {}", element(&body, "<h1").unwrap());
            assert!(body.contains(&format!("<title>{h1} — organismes certifiés Qualiopi | ")), "{path}");
            let total = total_of(&body);
            let description = attrs(&body, "meta", "content")
                .into_iter()
                .find(|c| c.contains(" formations "))
                .unwrap_or_else(|| panic!("{path}: description"));
            let start = match total {
                0 => "Aucun organisme certifié Qualiopi ne propose de formations ".to_string(),
                1 => "Un organisme certifié Qualiopi propose des formations ".to_string(),
                n => format!("{n} organismes certifiés Qualiopi proposent des formations "),
            };
            assert!(description.starts_with(&start), "{path}: {description}");
            assert!(description.contains(&h1["Formations ".len()..]), "{path}: {description}");
        }
    })
}

#[test]
fn assets_are_versioned_and_cached_for_a_year() {
    with(|s| async move {
        let home = page("/", 200).await;
        let css = attrs(&home, "link", "href").into_iter().find(|h| h.ends_with("/site.css")).unwrap();
        let js = attrs(&home, "script", "src").into_iter().next().unwrap();
        for (url, ctype) in [(css.as_str(), "text/css"), (js.as_str(), "text/javascript")] {
            let (st, headers, body) = get(s, url).await;
            assert_eq!(st, 200, "{url}");
            assert!(headers["content-type"].to_str().unwrap().starts_with(ctype));
            assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable", "{url}");
            assert!(!body.is_empty());
        }
        // Another version's URL gets today's file, briefly cached.
        let (st, headers, _) = get(s, "/assets/000000000000/site.css").await;
        assert_eq!(st, 200);
        assert_eq!(headers["cache-control"], "public, max-age=300");
        assert!(page("/assets/000000000000/secret.txt", 404).await.contains("Aucun fichier"));
        let (st, headers, _) = get(s, "/favicon.ico").await;
        assert_eq!(st, 301);
        assert!(headers["location"].to_str().unwrap().ends_with("/favicon.svg"));
        let (st, _, csv) = get(s, "/qualiopi/indicateurs.csv").await;
        assert_eq!(st, 200);
        assert!(csv.starts_with("indicateur,critere"));
    })
}

// ----- robustness ---------------------------------------------------------------------------

#[test]
fn odd_inputs_never_fail_the_server() {
    with(|s| async move {
        let long = "a".repeat(201);
        let ids = vec!["1"; 10_001].join(",");
        let cases: Vec<(String, u16)> = vec![
            (format!("/recherche?q={long}"), 400),
            ("/recherche?q=%C3%A9t%C3%A9+%F0%9F%98%80&lieu=%25".into(), 400),
            ("/recherche?lieu=Lyon&rayon_km=NaN".into(), 400),
            ("/recherche?lat=90&lon=180&rayon_km=1000".into(), 200),
            ("/recherche?q=formation&page=1000".into(), 200),
            ("/recherche?q=formation&par_page=100&tri=distance".into(), 200),
            ("/recherche?departement=2a&region=94&thematique=langues&thematique=langues".into(), 200),
            ("/recherche?categorie=vae&categorie=vae&inclure_non_certifies=oui".into(), 200),
            ("/recherche?page=1001".into(), 400),
            (format!("/verifier?identifiants={ids}"), 413),
            (format!("/formations/langues/{}", "x".repeat(300)), 404),
            ("/changements?depuis=2026-13-01".into(), 400),
            ("/changements?page=1000&type=renomme".into(), 200),
        ];
        for (uri, status) in cases {
            let (st, headers, body) = get(s, &uri).await;
            assert_eq!(st.as_u16(), status, "{uri}: {}", &body[..body.len().min(300)]);
            assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"), "{uri}");
            check_layout(&uri, &body);
        }
        let body = page("/recherche?q=formation&page=1000", 200).await;
        assert!(body.contains("Cette page est au-delà des résultats"));
    })
}

#[test]
fn pages_before_the_data_is_loaded_say_so_and_carry_the_demo_banner() {
    support::rt().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = annuaire_store::SqliteStore::open(&dir.path().join("annuaire.sqlite")).await.unwrap();
        let config = annuaire_server::ServerConfig { rate_limit: 0, demo: true, ..Default::default() };
        // Never reloaded: no generation yet, as during start-up.
        let state = annuaire_server::AppState::new(store, dir.path().to_path_buf(), config);
        let (st, _, body) = get(&state, "/").await;
        assert_eq!(st, 200);
        check_layout("/ (loading)", &body);
        for uri in ["/recherche?q=excel", "/organismes/11000000001-x", "/changements"] {
            let (st, headers, body) = get(&state, uri).await;
            assert_eq!(st, 503, "{uri}");
            assert!(headers.contains_key("retry-after"), "{uri}");
            check_layout(uri, &body);
            assert!(body.contains("Service momentanément indisponible"), "{uri}");
        }
    })
}

#[test]
fn errors_raised_by_layers_are_pages_for_people_and_json_for_programs() {
    with(|s| async move {
        // An unknown method on a page.
        let res = send(s, Request::delete("/recherche").body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), 405);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&body).contains("Méthode non autorisée"));
        // The same on the API stays JSON.
        let res = send(s, Request::delete("/api/v1/stats").body(Body::empty()).unwrap()).await;
        assert_eq!(res.status(), 405);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    });
    with(|_| async move {
        // Rate limited: the page says so in French, with Retry-After.
        let dir = tempfile::tempdir().unwrap();
        let config = annuaire_server::ServerConfig { rate_limit: 1, rate_burst: 1, ..Default::default() };
        let s = support::new_state(dir.path(), config).await;
        let ip = |mut r: Request<Body>| {
            let addr: std::net::SocketAddr = "192.0.2.9:4000".parse().unwrap();
            r.extensions_mut().insert(axum::extract::ConnectInfo(addr));
            r
        };
        assert_eq!(send(&s, ip(Request::get("/").body(Body::empty()).unwrap())).await.status(), 200);
        let res = send(&s, ip(Request::get("/qualiopi").body(Body::empty()).unwrap())).await;
        assert_eq!(res.status(), 429);
        assert_eq!(res.headers()["retry-after"], "1");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("Trop de requêtes") && body.contains("id=\"bandeau-demo\""), "{body}");
        let res = send(&s, ip(Request::get("/api/v1/stats").body(Body::empty()).unwrap())).await;
        assert_eq!(res.status(), 429);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    });
}
