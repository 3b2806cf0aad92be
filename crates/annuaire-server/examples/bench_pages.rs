//! Server-side render time of the web pages, through the whole router in process (every layer,
//! ETag included; no network, no compression since no `Accept-Encoding` is sent).
//!
//! ```text
//! cargo run --release -p annuaire-server --example bench_pages -- \
//!     --data-dir /tmp/bench-web160k --rows 160000 [--iterations 50]
//! ```
//!
//! An empty data dir is first filled with the SYNTHETIC demo data (3 weekly lists of about
//! `--rows` providers), as `annuaire serve --demo` does; later runs reuse it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use annuaire_server::{AppState, ServerConfig};
use annuaire_store::SqliteStore;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Args {
    data_dir: PathBuf,
    rows: usize,
    iterations: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args { data_dir: PathBuf::from("/tmp/bench-web160k"), rows: 160_000, iterations: 50 };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().ok_or_else(|| format!("{k} needs a value"));
        match k.as_str() {
            "--data-dir" => a.data_dir = PathBuf::from(v()?),
            "--rows" => a.rows = v()?.parse().map_err(|e| format!("--rows: {e}"))?,
            "--iterations" => a.iterations = v()?.parse().map_err(|e| format!("--iterations: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

async fn request(state: &AppState, req: Request<Body>) -> (u16, usize) {
    let res = annuaire_server::router(state.clone()).oneshot(req).await.expect("infallible router");
    let status = res.status().as_u16();
    let len = res.into_body().collect().await.map(|b| b.to_bytes().len()).unwrap_or(0);
    (status, len)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("valid request")
}

fn post_form(uri: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .expect("valid request")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args()?;
    std::fs::create_dir_all(&a.data_dir)?;
    let store = SqliteStore::open(&a.data_dir.join("annuaire.sqlite")).await?;
    let t = Instant::now();
    let n = annuaire_server::demo::prepare(&store, &a.data_dir, a.rows, 3, 42).await?;
    if n > 0 {
        eprintln!("generated and imported {n} synthetic lists in {:.1} s", t.elapsed().as_secs_f64());
    }
    let state =
        AppState::new(store, a.data_dir.clone(), ServerConfig { rate_limit: 0, ..ServerConfig::default() });
    let t = Instant::now();
    state.reload().await?;
    let g = state.current().map_err(|e| e.message)?;
    eprintln!("loaded {} providers in {:.1} s", g.records().len(), t.elapsed().as_secs_f64());

    // Providers to show: certified ones spread over the list, and every kind of history.
    let step = (g.records().len() / 20).max(1);
    let providers: Vec<String> = g
        .records()
        .iter()
        .step_by(step)
        .filter(|r| r.present)
        .take(20)
        .map(|r| annuaire_server::views::organisme_path(&r.org.nda, &r.org.nom_affichage))
        .collect();
    let ids: Vec<String> = g
        .records()
        .iter()
        .step_by(step / 5 + 1)
        .take(100)
        .map(|r| r.org.siret.clone().unwrap_or_else(|| r.org.nda.clone()))
        .collect();
    drop(g);

    let cases: Vec<(&str, Vec<String>)> = vec![
        ("accueil `/`", vec!["/".into()]),
        ("recherche texte `q=formation`", vec!["/recherche?q=formation".into()]),
        ("recherche texte + lieu `q=comptabilite lyon`", vec!["/recherche?q=comptabilite+lyon".into()]),
        (
            "recherche lieu + rayon + filtre",
            vec!["/recherche?lieu=Marseille&rayon_km=50&categorie=bilans_competences".into()],
        ),
        (
            "recherche thème + département, tri nom",
            vec!["/recherche?thematique=informatique&departement=69&tri=nom".into()],
        ),
        ("recherche page 40", vec!["/recherche?q=formation&page=40".into()]),
        ("recherche sans résultat", vec!["/recherche?q=zzzyxwvqq&lieu=Lyon".into()]),
        (
            "page thème × lieu",
            vec!["/formations/informatique/marseille".into(), "/formations/langues/rhone".into()],
        ),
        ("fiche organisme (20 différentes)", providers),
        ("vérifier (formulaire)", vec!["/verifier".into()]),
        ("qualiopi", vec!["/qualiopi".into()]),
        ("changements", vec!["/changements".into(), "/changements?type=decertifie&departement=69".into()]),
        ("données et sources", vec!["/donnees".into()]),
        ("page 404", vec!["/nulle/part".into()]),
    ];

    println!("| page | requêtes | p50 (ms) | p95 (ms) | max (ms) | taille (Ko) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let run = |name: String, mut times: Vec<Duration>, size: usize| {
        times.sort();
        let p = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
        println!(
            "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.0} |",
            times.len(),
            p(0.5),
            p(0.95),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            size as f64 / 1024.0
        );
    };
    for (name, uris) in &cases {
        // One warm-up pass: first uses build lazy tables (places, topic names).
        for u in uris {
            request(&state, get(u)).await;
        }
        let mut times = Vec::new();
        let mut size = 0;
        for i in 0..a.iterations {
            let u = &uris[i % uris.len()];
            let t = Instant::now();
            let (status, len) = request(&state, get(u)).await;
            times.push(t.elapsed());
            size = size.max(len);
            assert!(status < 500, "{u}: {status}");
        }
        run(name.to_string(), times, size);
    }
    // Bulk verification of 100 identifiers, posted as the form does.
    let form = format!("identifiants={}", ids.join("%0A"));
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..a.iterations {
        let t = Instant::now();
        let (status, len) = request(&state, post_form("/verifier", &form)).await;
        times.push(t.elapsed());
        size = len;
        assert_eq!(status, 200);
    }
    run(format!("vérifier (POST, {} identifiants)", ids.len()), times, size);
    // The sitemap: computed once per generation, then served from memory.
    let t = Instant::now();
    let res = annuaire_server::router(state.clone()).oneshot(get("/sitemap.xml")).await?;
    let body = res.into_body().collect().await?.to_bytes();
    let first = t.elapsed();
    let len = body.len();
    let text = String::from_utf8_lossy(&body);
    eprintln!(
        "sitemap.xml: {} URLs, {} index entries",
        text.matches("<url>").count(),
        text.matches("<sitemap>").count()
    );
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        request(&state, get("/sitemap.xml")).await;
        times.push(t.elapsed());
    }
    run(format!("sitemap.xml (1er calcul {:.0} ms)", ms(first)), times, len);
    let (status, _) = request(&state, get("/sitemaps/organismes-1.xml")).await;
    if status == 200 {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..10 {
            let t = Instant::now();
            size = request(&state, get("/sitemaps/organismes-1.xml")).await.1;
            times.push(t.elapsed());
        }
        run("sitemaps/organismes-1.xml".to_string(), times, size);
    }
    Ok(())
}
