//! The JSON API, driven in process through the whole router (every layer included), over three
//! weekly SYNTHETIC snapshots.
//!
//! Most cases are one line through [`check`]: method and URI, expected status, then expectations
//! on the answer (`code=…` error code, `has=…` substring of the body (`~` for a space), `ct=…` content type prefix,
//! `json=pointer:value`). Shapes of the JSON answers are snapshotted with values replaced by their
//! types, so a renamed or missing field shows up in review.

mod support;

use std::net::SocketAddr;

use annuaire_server::{AppState, ServerConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use support::{get, send, with};

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap_or(""))
    }
}

async fn request(state: &AppState, req: Request<Body>) -> Answer {
    let res = send(state, req).await;
    let (parts, body) = res.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes().to_vec(),
    }
}

fn req(method: &str, uri: &str) -> Request<Body> {
    Request::builder().method(method).uri(uri).body(Body::empty()).unwrap()
}

fn post(uri: &str, ctype: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri).header("content-type", ctype).body(body.into()).unwrap()
}

/// `"GET /path?x"` or `"POST /path"` → answer, then every expectation must hold.
async fn check_on(state: &AppState, line: &str, status: u16, expect: &str) {
    let (method, uri) = line.split_once(' ').unwrap();
    let a = request(state, req(method, uri)).await;
    let ctx = || format!("{line} → {} {}", a.status, a.text().chars().take(600).collect::<String>());
    assert_eq!(a.status.as_u16(), status, "{}", ctx());
    // Every answer, errors included, carries the security headers and a request id.
    for h in ["content-security-policy", "x-content-type-options", "referrer-policy", "x-request-id"] {
        assert!(a.headers.contains_key(h), "{h} missing: {}", ctx());
    }
    for e in expect.split_whitespace() {
        let (k, v) = e.split_once('=').unwrap_or((e, ""));
        match k {
            "code" => assert_eq!(a.json()["erreur"]["code"], v, "{}", ctx()),
            "has" => assert!(a.text().contains(&v.replace('~', " ")), "{e}: {}", ctx()),
            "ct" => assert!(a.header("content-type").starts_with(v), "{e}: {}", ctx()),
            "json" => {
                let (ptr, want) = v.rsplit_once(':').unwrap();
                let got = a.json().pointer(ptr).cloned().unwrap_or(Value::Null);
                let got = match got {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                assert_eq!(got, want, "{e}: {}", ctx());
            }
            "french" => {
                // Error messages are French sentences: accented letters or French words.
                let m = a.json()["erreur"]["message"].as_str().unwrap_or("").to_lowercase();
                let french = m.chars().any(|c| "éèàùâêîôûç«»".contains(c))
                    || [" le ", " la ", " de ", " du ", " avec ", " ou ", "aucun"]
                        .iter()
                        .any(|w| m.contains(w));
                assert!(french, "{}", ctx());
            }
            _ => panic!("unknown expectation {e}"),
        }
    }
}

fn check(line: &str, status: u16, expect: &str) {
    with(|s| async move { check_on(s, line, status, expect).await })
}

/// Replace every value by its type, keeping keys: the shape of an answer.
fn shape(v: &Value) -> Value {
    match v {
        Value::Null => Value::String("null".into()),
        Value::Bool(_) => Value::String("bool".into()),
        Value::Number(_) => Value::String("number".into()),
        Value::String(_) => Value::String("string".into()),
        Value::Array(items) => {
            // The union of the items' shapes: optional fields show once, as found.
            let mut merged: Option<Value> = None;
            for it in items {
                let s = shape(it);
                merged = Some(match (merged, s) {
                    (Some(Value::Object(mut a)), Value::Object(b)) => {
                        for (k, v) in b {
                            match a.get(&k) {
                                Some(Value::String(t)) if t == "null" => {
                                    a.insert(k, v);
                                }
                                None => {
                                    a.insert(k, v);
                                }
                                _ => {}
                            }
                        }
                        Value::Object(a)
                    }
                    (None, s) => s,
                    (Some(m), _) => m,
                });
            }
            Value::Array(merged.into_iter().collect())
        }
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
    }
}

async fn json_of(state: &AppState, uri: &str) -> Value {
    let (status, _, body) = get(state, uri).await;
    assert_eq!(status, 200, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Some providers of the fixture, found through the API itself.
async fn sample(state: &AppState) -> (String, String, String) {
    let v = json_of(state, "/api/v1/recherche?par_page=50&departement=69").await;
    let hit = v["resultats"].as_array().unwrap().iter().find(|h| h["siret"].is_string()).unwrap();
    let nda = hit["nda"].as_str().unwrap().to_string();
    let siret = hit["siret"].as_str().unwrap().to_string();
    (nda, siret.clone(), siret[..9].to_string())
}

#[test]
fn search() {
    check("GET /api/v1/recherche?q=formation", 200, "ct=application/json json=/page:1 json=/par_page:20");
    check("GET /api/v1/recherche?q=comptabilite&lieu=Lyon", 200, "json=/interpretation/lieu/nom:Lyon");
    check("GET /api/v1/recherche?q=excel%20marseille", 200, "json=/interpretation/lieu/nom:Marseille");
    check(
        "GET /api/v1/recherche?lieu=Lyon&rayon_km=5&tri=distance",
        200,
        "json=/interpretation/rayon_km:5.0",
    );
    check("GET /api/v1/recherche?lat=45.76&lon=4.83&rayon_km=10", 200, "json=/interpretation/rayon_km:10.0");
    check(
        "GET /api/v1/recherche?categorie=vae&categorie=apprentissage&par_page=100",
        200,
        "json=/par_page:100",
    );
    check(
        "GET /api/v1/recherche?thematique=informatique&departement=69",
        200,
        "json=/source/synthetique:true",
    );
    check("GET /api/v1/recherche?region=84&inclure_non_certifies=true&tri=nom", 200, "");
    check("GET /api/v1/recherche?q=zzzzqqqqxxxx", 200, "json=/total:0 json=/pages:0");
    check("GET /api/v1/recherche?page=1000", 200, "json=/resultats:[]");
    check("HEAD /api/v1/recherche?q=formation", 200, "");
}

#[test]
fn search_errors() {
    check("GET /api/v1/recherche?q=x&categories=vae", 400, "code=parametre_invalide has=categories french");
    check("GET /api/v1/recherche?categorie=qualiopi", 400, "code=parametre_invalide has=qualiopi french");
    check("GET /api/v1/recherche?thematique=cuisine", 400, "code=parametre_invalide french");
    check("GET /api/v1/recherche?par_page=101", 400, "code=parametre_invalide has=par_page");
    check("GET /api/v1/recherche?page=0", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?page=abc", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?lat=45", 400, "code=parametre_invalide has=lon");
    check("GET /api/v1/recherche?lat=100&lon=2", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?rayon_km=-3", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?rayon_km=1e309", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?lieu=Xyzzyplughville", 400, "code=parametre_invalide has=lieu~inconnu");
    check("GET /api/v1/recherche?tri=prix", 400, "code=parametre_invalide has=tri");
    check("GET /api/v1/recherche?departement=00", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?region=99", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?format=pdf", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?inclure_non_certifies=2", 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?q=a&q=b", 400, "code=parametre_invalide");
    check(&format!("GET /api/v1/recherche?q={}", "a".repeat(201)), 400, "code=parametre_invalide has=200");
    check(&format!("GET /api/v1/recherche?lieu={}", "b".repeat(201)), 400, "code=parametre_invalide");
    check("GET /api/v1/recherche?q=%FF%FE", 200, "");
    check("GET /api/v1/recherche?q=%00", 400, "code=parametre_invalide");
    check("DELETE /api/v1/recherche", 405, "code=methode_non_autorisee");
    check("POST /api/v1/recherche", 405, "code=methode_non_autorisee");
}

#[test]
fn search_csv_export() {
    with(|s| async move {
        let total =
            json_of(s, "/api/v1/recherche?inclure_non_certifies=true").await["total"].as_u64().unwrap();
        let a = request(s, req("GET", "/api/v1/recherche?inclure_non_certifies=true&format=csv")).await;
        assert_eq!(a.status, 200);
        assert!(a.header("content-type").starts_with("text/csv"));
        assert!(a.header("content-disposition").contains("attachment"));
        let text = a.text();
        assert!(text.starts_with('\u{feff}'), "BOM for spreadsheets");
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = rdr.headers().unwrap().clone();
        assert_eq!(&headers[0], "nda");
        assert_eq!(headers.len(), 8);
        let rows = rdr.records().count() as u64;
        // The whole answer, up to 10,000 rows, whatever the page size.
        assert_eq!(rows, total.min(10_000));
        assert!(rows > 1000, "the fixture has thousands of providers: {rows}");
    })
}

#[test]
fn organismes() {
    with(|s| async move {
        let (nda, siret, siren) = sample(s).await;
        check_on(
            s,
            &format!("GET /api/v1/organismes/{nda}"),
            200,
            &format!("json=/nda:{nda} json=/present_dans_la_liste:true"),
        )
        .await;
        check_on(
            s,
            &format!("GET /api/v1/organismes?siret={siret}"),
            200,
            &format!("json=/organismes/0/nda:{nda}"),
        )
        .await;
        check_on(s, &format!("GET /api/v1/organismes?siren={siren}"), 200, "").await;
        let v = json_of(s, &format!("/api/v1/organismes?siren={siren}")).await;
        assert!(v["organismes"].as_array().unwrap().iter().any(|o| o["nda"] == nda.as_str()));
        assert_eq!(v["total"], v["organismes"].as_array().unwrap().len());
        let one = json_of(s, &format!("/api/v1/organismes/{nda}")).await;
        assert!(
            !one["historique"].as_array().unwrap().is_empty(),
            "every provider has at least its `nouveau`"
        );
        assert!(one["url"].as_str().unwrap().starts_with(&format!("/organismes/{nda}-")));
    });
    check("GET /api/v1/organismes/00000000000", 404, "code=introuvable french");
    check("GET /api/v1/organismes/123", 400, "code=parametre_invalide has=NDA");
    check("GET /api/v1/organismes/73282932000074", 400, "code=parametre_invalide has=siret=");
    check("GET /api/v1/organismes?siret=73282932000075", 400, "code=parametre_invalide has=clé");
    check("GET /api/v1/organismes?siren=732829320", 200, "json=/total:0");
    check("GET /api/v1/organismes?siren=12", 400, "code=parametre_invalide");
    check("GET /api/v1/organismes", 400, "code=parametre_invalide has=siret");
    check("GET /api/v1/organismes?siret=73282932000074&siren=732829320", 400, "code=parametre_invalide");
    check("GET /api/v1/organismes?nda=1", 400, "code=parametre_invalide has=nda");
}

#[test]
fn places_topics_stats_docs() {
    check("GET /api/v1/lieux?q=mars", 200, "json=/lieux/0/nom:Marseille");
    check("GET /api/v1/lieux?q=lyo&limite=3", 200, "json=/lieux/0/nom:Lyon");
    check("GET /api/v1/lieux/resolution?q=st%20etienne", 200, "json=/lieux/0/nom:Saint-Étienne");
    check("GET /api/v1/lieux/resolution?q=69", 200, "json=/lieux/0/type:departement");
    check("GET /api/v1/lieux/resolution?q=qqqqqqqqqq", 200, "json=/lieux:[]");
    check("GET /api/v1/lieux", 400, "code=parametre_invalide has=q");
    check("GET /api/v1/lieux?q=lyon&limite=50", 400, "code=parametre_invalide");
    check("GET /api/v1/thematiques", 200, "json=/thematiques/0/slug:informatique");
    check(
        "GET /api/v1/stats",
        200,
        "json=/snapshots:3 json=/source/synthetique:true json=/derniere_synchro/date_liste:2026-11-16",
    );
    check("GET /api/v1/stats?x=1", 400, "code=parametre_invalide");
    check("GET /api/v1/openapi.json", 200, "json=/openapi:3.1.0");
    check("GET /api/v1/nope", 404, "code=introuvable has=openapi.json");
    check("GET /api/v2/recherche", 404, "code=introuvable");
}

#[test]
fn changes_and_feed() {
    check("GET /api/v1/changements", 200, "json=/page:1 json=/par_page:50 json=/page_suivante:true");
    check("GET /api/v1/changements?type=decertifie&par_page=5", 200, "json=/changements/0/type:decertifie");
    check("GET /api/v1/changements?type=nouveau&type=renomme&depuis=2026-11-09", 200, "");
    check("GET /api/v1/changements?depuis=2027-01-01", 200, "json=/changements:[] json=/page_suivante:false");
    check("GET /api/v1/changements?departement=13&type=nouveau", 200, "");
    check("GET /api/v1/changements?type=supprime", 400, "code=parametre_invalide has=supprime");
    check("GET /api/v1/changements?depuis=01/11/2026", 400, "code=parametre_invalide has=AAAA-MM-JJ");
    check("GET /api/v1/changements?par_page=1000", 400, "code=parametre_invalide");
    check("GET /changements.atom", 200, "ct=application/atom+xml has=<feed has=<entry>");
    check("GET /changements.atom?type=decertifie&departement=13", 200, "has=<feed");
    check("GET /changements.atom?type=x", 400, "code=parametre_invalide");
    with(|s| async move {
        // Every filtered change really is of the type asked, and the department filter holds.
        let v = json_of(s, "/api/v1/changements?type=certifie&departement=13&par_page=100").await;
        for c in v["changements"].as_array().unwrap() {
            assert_eq!(c["type"], "certifie");
            let o = json_of(s, &format!("/api/v1/organismes/{}", c["nda"].as_str().unwrap())).await;
            assert_eq!(o["adresse"]["departement"], "13", "{c}");
        }
        // Pages do not overlap.
        let p1 = json_of(s, "/api/v1/changements?par_page=10&page=1").await;
        let p2 = json_of(s, "/api/v1/changements?par_page=10&page=2").await;
        let ids = |v: &Value| {
            v["changements"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>()
        };
        let (a, b) = (ids(&p1), ids(&p2));
        assert_eq!((a.len(), b.len()), (10, 10));
        assert!(a.last() > b.first(), "newest first, no overlap: {a:?} {b:?}");
        // The feed's entries are the change log's.
        let (_, _, feed) = get(s, "/changements.atom?type=decertifie").await;
        let first = json_of(s, "/api/v1/changements?type=decertifie&par_page=1").await;
        let nda = first["changements"][0]["nda"].as_str().unwrap();
        assert!(feed.contains(&format!("NDA {nda}")), "{feed}");
    });
}

#[test]
fn verification() {
    with(|s| async move {
        let (nda, siret, siren) = sample(s).await;
        let body = format!(
            r#"{{"identifiants": ["{nda}", "{siret}", "{siren}", " {} ", "732829320", "12"]}}"#,
            &siret[..3]
        );
        let a = request(s, post("/api/v1/verification", "application/json", body)).await;
        assert_eq!(a.status, 200, "{}", a.text());
        assert_eq!(a.header("cache-control"), "no-store");
        let v = a.json();
        let statuts: Vec<&str> =
            v["resultats"].as_array().unwrap().iter().map(|r| r["statut"].as_str().unwrap()).collect();
        assert_eq!(statuts[..3], ["certifie", "certifie", "certifie"]);
        assert_eq!(statuts[3..], ["identifiant_invalide", "inconnu", "identifiant_invalide"]);
        assert_eq!(v["resume"]["certifie"], 3);
        assert_eq!(v["resultats"][1]["type_identifiant"], "siret");
        assert_eq!(v["resultats"][0]["organismes"][0]["nda"], nda.as_str());
        // The same check as CSV, from a CSV upload with a header line.
        let upload = format!("siret;nom\n{siret};x\n{nda};y\n");
        let a = request(s, post("/api/v1/verification?format=csv", "text/csv", upload)).await;
        assert_eq!(a.status, 200, "{}", a.text());
        assert!(a.header("content-type").starts_with("text/csv"));
        let text = a.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].starts_with(&format!("{siret};siret;certifie;")), "{text}");
        // A multipart form upload, CSV asked through Accept.
        let boundary = "XbOuNdArY";
        let form = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"ids.csv\"\r\nContent-Type: text/csv\r\n\r\n{nda}\r\n{siren}\r\n--{boundary}--\r\n"
        );
        let mut r = post("/api/v1/verification", &format!("multipart/form-data; boundary={boundary}"), form);
        r.headers_mut().insert("accept", "text/csv".parse().unwrap());
        let a = request(s, r).await;
        assert_eq!(a.status, 200, "{}", a.text());
        assert!(a.header("content-type").starts_with("text/csv"));
        assert!(a.text().contains(&format!("{siren};siren;certifie")));
    });
}

#[test]
fn verification_errors() {
    with(|s| async move {
        let cases: Vec<(Request<Body>, u16, &str)> = vec![
            (post("/api/v1/verification", "application/json", "{"), 400, "parametre_invalide"),
            (
                post("/api/v1/verification", "application/json", r#"{"identifiants": [11000000001]}"#),
                422,
                "requete_inexploitable",
            ),
            (
                post("/api/v1/verification", "application/json", r#"{"identifiants": []}"#),
                422,
                "requete_inexploitable",
            ),
            (
                post("/api/v1/verification", "application/json", r#"{"ids": ["1"]}"#),
                422,
                "requete_inexploitable",
            ),
            (
                post("/api/v1/verification", "application/xml", "<x/>"),
                415,
                "type_de_contenu_non_pris_en_charge",
            ),
            (post("/api/v1/verification?format=xml", "text/plain", "1"), 400, "parametre_invalide"),
            (post("/api/v1/verification?x=1", "text/plain", "1"), 400, "parametre_invalide"),
            (post("/api/v1/verification", "text/plain", "\n\n"), 422, "requete_inexploitable"),
            (
                post("/api/v1/verification", "multipart/form-data; boundary=zz", "garbage"),
                400,
                "parametre_invalide",
            ),
            (post("/api/v1/verification", "text/plain", "1\n".repeat(10_001)), 413, "corps_trop_volumineux"),
            (
                post("/api/v1/verification", "text/plain", vec![b'1'; 5 * 1024 * 1024 + 1]),
                413,
                "corps_trop_volumineux",
            ),
            (req("GET", "/api/v1/verification"), 405, "methode_non_autorisee"),
        ];
        for (r, status, code) in cases {
            let what = format!("{} {:?}", r.uri(), r.headers().get("content-type"));
            let a = request(s, r).await;
            assert_eq!(a.status.as_u16(), status, "{what}: {}", a.text());
            assert_eq!(a.json()["erreur"]["code"], code, "{what}");
        }
        // Exactly 10,000 identifiers is accepted.
        let a = request(s, post("/api/v1/verification", "text/plain", "11000000001\n".repeat(10_000))).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["total"], 10_000);
    })
}

#[test]
fn operations() {
    check("GET /healthz", 200, "has=ok");
    check("GET /readyz", 200, "json=/pret:true");
    with(|s| async move {
        let _ = get(s, "/api/v1/recherche?q=formation").await;
        let (status, headers, text) = get(s, "/metrics").await;
        assert_eq!(status, 200);
        assert!(headers["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
        assert!(
            text.contains(
                "annuaire_http_requests_total{route=\"/api/v1/recherche\",method=\"GET\",status=\"200\"}"
            ),
            "{text}"
        );
        assert!(text.contains("annuaire_http_request_duration_seconds_bucket{route=\"/api/v1/recherche\""));
        let docs = text.lines().find(|l| l.starts_with("annuaire_index_documents ")).unwrap();
        assert!(docs.split(' ').nth(1).unwrap().parse::<u64>().unwrap() > 1000);
        let size = text.lines().find(|l| l.starts_with("annuaire_index_size_bytes ")).unwrap();
        assert!(size.split(' ').nth(1).unwrap().parse::<u64>().unwrap() > 10_000);
        assert!(text.contains("annuaire_snapshot_id 3"));
        // Route labels are templates, never raw paths.
        let _ = get(s, "/api/v1/organismes/00000000001").await;
        let (_, _, text) = get(s, "/metrics").await;
        assert!(text.contains("route=\"/api/v1/organismes/{nda}\""));
        assert!(!text.contains("00000000001"));
    });
}

#[test]
fn http_layers() {
    with(|s| async move {
        let uri = "/api/v1/recherche?q=formation&lieu=Lyon";
        let a = request(s, req("GET", uri)).await;
        assert_eq!(a.header("x-donnees-synthetiques"), "oui");
        assert_eq!(a.header("access-control-allow-origin"), "*");
        assert_eq!(a.header("cache-control"), "public, max-age=300");
        assert!(a.header("content-security-policy").contains("frame-ancestors 'none'"));
        let etag = a.header("etag").to_string();
        assert!(etag.starts_with("W/\""), "{etag}");
        // Same request with the ETag: 304 and no body.
        let mut r = req("GET", uri);
        r.headers_mut().insert("if-none-match", etag.parse().unwrap());
        let b = request(s, r).await;
        assert_eq!(b.status, 304);
        assert!(b.body.is_empty());
        assert_eq!(b.header("etag"), etag);
        // Another query, another ETag.
        let c = request(s, req("GET", "/api/v1/recherche?q=formation&lieu=Paris")).await;
        assert_ne!(c.header("etag"), etag);
        // Compression when asked.
        for enc in ["gzip", "br"] {
            let mut r = req("GET", uri);
            r.headers_mut().insert("accept-encoding", enc.parse().unwrap());
            let z = request(s, r).await;
            assert_eq!(z.status, 200);
            assert_eq!(z.header("content-encoding"), enc);
            assert!(z.body.len() < a.body.len(), "{enc}: {} vs {}", z.body.len(), a.body.len());
        }
        // A request id given by the client is echoed; errors carry one too.
        let mut r = req("GET", "/api/v1/recherche?page=0");
        r.headers_mut().insert("x-request-id", "trace-42".parse().unwrap());
        let e = request(s, r).await;
        assert_eq!(e.header("x-request-id"), "trace-42");
        assert_eq!(e.header("cache-control"), "no-store");
    })
}

fn with_addr(mut r: Request<Body>, ip: &str) -> Request<Body> {
    let addr: SocketAddr = format!("{ip}:5555").parse().unwrap();
    r.extensions_mut().insert(ConnectInfo(addr));
    r
}

#[test]
fn rate_limit_and_proxies() {
    with(|_| async move {
        let dir = tempfile::tempdir().unwrap();
        let config = ServerConfig {
            rate_limit: 1,
            rate_burst: 3,
            trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
            ..ServerConfig::default()
        };
        let s = support::new_state(dir.path(), config).await;
        let uri = "/api/v1/thematiques";
        for _ in 0..3 {
            assert_eq!(request(&s, with_addr(req("GET", uri), "192.0.2.7")).await.status, 200);
        }
        let limited = request(&s, with_addr(req("GET", uri), "192.0.2.7")).await;
        assert_eq!(limited.status, 429);
        assert_eq!(limited.header("retry-after"), "1");
        assert_eq!(limited.json()["erreur"]["code"], "trop_de_requetes");
        assert!(limited.headers.contains_key("content-security-policy"));
        // Health checks are never limited.
        assert_eq!(request(&s, with_addr(req("GET", "/healthz"), "192.0.2.7")).await.status, 200);
        // Another client is not affected.
        assert_eq!(request(&s, with_addr(req("GET", uri), "192.0.2.8")).await.status, 200);
        // An untrusted peer cannot escape by forging X-Forwarded-For.
        let mut r = with_addr(req("GET", uri), "192.0.2.7");
        r.headers_mut().insert("x-forwarded-for", "198.51.100.1".parse().unwrap());
        assert_eq!(request(&s, r).await.status, 429);
        // Behind the trusted proxy, each forwarded client has its own bucket.
        for client in ["198.51.100.1", "198.51.100.2"] {
            for _ in 0..3 {
                let mut r = with_addr(req("GET", uri), "10.0.0.1");
                r.headers_mut().insert("x-forwarded-for", client.parse().unwrap());
                assert_eq!(request(&s, r).await.status, 200, "{client}");
            }
        }
        let mut r = with_addr(req("GET", uri), "10.0.0.1");
        r.headers_mut().insert("x-forwarded-for", "198.51.100.1".parse().unwrap());
        assert_eq!(request(&s, r).await.status, 429);
        let (_, _, metrics) = get(&s, "/metrics").await;
        assert!(metrics.contains("annuaire_rate_limited_total 3"), "{metrics}");
    })
}

#[test]
fn admin_actions() {
    // Without a token configured, the routes do not exist.
    check("POST /api/v1/admin/synchronisation", 404, "code=introuvable");
    check("POST /api/v1/admin/reindexation", 404, "code=introuvable");
    with(|_| async move {
        let dir = tempfile::tempdir().unwrap();
        let config = ServerConfig {
            rate_limit: 0,
            admin_token: Some("s3cret-token".into()),
            ..ServerConfig::default()
        };
        let s = support::new_state(dir.path(), config).await;
        let before = s.generation().unwrap().loaded_at;
        let bearer = |token: &str| {
            let mut r = req("POST", "/api/v1/admin/reindexation");
            r.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
            r
        };
        assert_eq!(request(&s, req("POST", "/api/v1/admin/reindexation")).await.status, 401);
        assert_eq!(request(&s, bearer("wrong")).await.status, 401);
        assert_eq!(request(&s, bearer("s3cret-token-longer")).await.status, 401);
        let a = request(&s, bearer("s3cret-token")).await;
        assert_eq!(a.status, 202, "{}", a.text());
        assert_eq!(a.json()["statut"], "lance");
        // The reindex runs in the background and installs a new generation.
        for _ in 0..600 {
            if s.generation().unwrap().loaded_at > before && !s.is_busy() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(s.generation().unwrap().loaded_at > before, "the reindex never landed");
        // A sync of an unchanged source (the configured official URL is unreachable offline)
        // fails and leaves the data in service.
        let mut r = req("POST", "/api/v1/admin/synchronisation");
        r.headers_mut().insert("authorization", "Bearer s3cret-token".parse().unwrap());
        assert_eq!(request(&s, r).await.status, 202);
        for _ in 0..600 {
            if s.sync_status().resultat.is_some() && !s.sync_status().en_cours {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(s.sync_status().resultat.as_deref(), Some("erreur"));
        assert_eq!(
            request(&s, req("GET", "/api/v1/stats")).await.json()["synchronisation"]["resultat"],
            "erreur"
        );
        assert_eq!(request(&s, req("GET", "/readyz")).await.status, 200);
    })
}

#[test]
fn not_ready_until_loaded() {
    with(|_| async move {
        let dir = tempfile::tempdir().unwrap();
        let store = annuaire_store::SqliteStore::open(&dir.path().join("annuaire.sqlite")).await.unwrap();
        let s = AppState::new(
            store,
            dir.path().to_path_buf(),
            ServerConfig { rate_limit: 0, ..ServerConfig::default() },
        );
        assert_eq!(request(&s, req("GET", "/healthz")).await.status, 200);
        let r = request(&s, req("GET", "/readyz")).await;
        assert_eq!(r.status, 503);
        let a = request(&s, req("GET", "/api/v1/recherche?q=x")).await;
        assert_eq!(a.status, 503);
        assert_eq!(a.json()["erreur"]["code"], "indisponible");
        assert_eq!(a.header("retry-after"), "5");
    })
}

#[test]
fn json_shapes() {
    with(|s| async move {
        let (nda, siret, _) = sample(s).await;
        let body = format!(r#"{{"identifiants": ["{nda}", "{siret}", "732829320", "x"]}}"#);
        let verification = request(s, post("/api/v1/verification", "application/json", body)).await.json();
        let shapes = serde_json::json!({
            "recherche": shape(&json_of(s, "/api/v1/recherche?q=formation&lieu=Lyon&par_page=5").await),
            "organisme": shape(&json_of(s, &format!("/api/v1/organismes/{nda}")).await),
            "organismes_par_siret": shape(&json_of(s, &format!("/api/v1/organismes?siret={siret}")).await),
            "lieux": shape(&json_of(s, "/api/v1/lieux?q=lyon").await),
            "changements": shape(&json_of(s, "/api/v1/changements?par_page=20").await),
            "verification": shape(&verification),
            "stats": shape(&json_of(s, "/api/v1/stats").await),
            "thematiques": shape(&json_of(s, "/api/v1/thematiques").await),
            "erreur": shape(&request(s, req("GET", "/api/v1/recherche?page=0")).await.json()),
        });
        insta::assert_json_snapshot!("json_shapes", shapes);
    })
}

#[test]
fn slow_requests_time_out() {
    with(|_| async move {
        use tower::ServiceExt;
        let dir = tempfile::tempdir().unwrap();
        let store = annuaire_store::SqliteStore::open(&dir.path().join("annuaire.sqlite")).await.unwrap();
        let config =
            ServerConfig { request_timeout: std::time::Duration::from_millis(50), ..ServerConfig::default() };
        let s = AppState::new(store, dir.path().to_path_buf(), config);
        // The production layer around a handler that outlasts the deadline.
        let app = axum::Router::new()
            .route(
                "/api/lent",
                axum::routing::get(|| async {
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    "trop tard"
                }),
            )
            .route("/api/rapide", axum::routing::get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(s.clone(), annuaire_server::middleware::deadline))
            .with_state(s);
        let t = std::time::Instant::now();
        let res = app.clone().oneshot(req("GET", "/api/lent")).await.unwrap();
        assert!(t.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(res.status(), 503);
        assert_eq!(res.headers()["retry-after"], "1");
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["erreur"]["code"], "delai_depasse");
        assert_eq!(app.oneshot(req("GET", "/api/rapide")).await.unwrap().status(), 200);
    })
}

#[test]
fn cors_preflight_for_the_public_api() {
    with(|s| async move {
        let mut r = req("OPTIONS", "/api/v1/verification");
        r.headers_mut().insert("origin", "https://exemple.fr".parse().unwrap());
        r.headers_mut().insert("access-control-request-method", "POST".parse().unwrap());
        r.headers_mut().insert("access-control-request-headers", "content-type".parse().unwrap());
        let a = request(s, r).await;
        assert_eq!(a.status, 204);
        assert_eq!(a.header("access-control-allow-origin"), "*");
        assert!(a.header("access-control-allow-methods").contains("POST"));
        assert!(a.header("access-control-allow-headers").contains("content-type"));
        assert!(!a.header("access-control-allow-headers").contains("authorization"));
        // Pages are not an API: no preflight there.
        assert_eq!(request(s, req("OPTIONS", "/recherche")).await.status, 405);
    })
}
