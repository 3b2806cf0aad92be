//! The whole route table, and the layers around it (see `middleware` for their order).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use tower_http::compression::{CompressionLayer, CompressionLevel};

use crate::state::AppState;
use crate::{api, feed, middleware, openapi, web};

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/recherche", get(api::recherche::recherche))
        .route("/organismes", get(api::organismes::par_siret_ou_siren))
        .route("/organismes/{nda}", get(api::organismes::par_nda))
        .route("/lieux", get(api::lieux::suggestion))
        .route("/lieux/resolution", get(api::lieux::resolution))
        .route("/thematiques", get(api::thematiques))
        .route("/changements", get(api::changements::liste))
        .route("/verification", post(api::verification::verification))
        .route("/stats", get(api::stats::stats))
        .route("/openapi.json", get(openapi::document))
        .route("/admin/synchronisation", post(api::admin::synchronisation))
        .route("/admin/reindexation", post(api::admin::reindexation))
        .fallback(api::not_found);

    Router::new()
        .nest("/api/v1", api)
        .route("/changements.atom", get(feed::atom))
        .route("/healthz", get(api::ops::healthz))
        .route("/readyz", get(api::ops::readyz))
        .route("/metrics", get(api::ops::metrics))
        // The web directory (French pages; see `web`).
        .route("/", get(web::accueil::page))
        .route("/recherche", get(web::recherche::page))
        .route("/formations/{thematique}/{lieu}", get(web::recherche::landing))
        .route("/organismes/{id}", get(web::organisme::page))
        .route("/verifier", get(web::verifier::get).post(web::verifier::post))
        .route("/verifier/csv/{cle}", get(web::verifier::csv))
        .route("/qualiopi", get(web::qualiopi::page))
        .route("/qualiopi/indicateurs.csv", get(web::qualiopi::csv))
        .route("/changements", get(web::changements::page))
        .route("/donnees", get(web::donnees::page))
        .route("/sitemap.xml", get(web::seo::sitemap))
        .route("/sitemaps/{fichier}", get(web::seo::sitemap_part))
        .route("/robots.txt", get(web::seo::robots))
        .route("/assets/{version}/{fichier}", get(web::assets::serve))
        .route("/favicon.ico", get(web::assets::favicon))
        .fallback(web::not_found)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(from_fn(middleware::conditional))
        // Brotli's default quality is tuned for static files; dynamic answers want speed.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(from_fn_with_state(state.clone(), middleware::deadline))
        .layer(from_fn_with_state(state.clone(), middleware::limit))
        .layer(from_fn_with_state(state.clone(), middleware::observe))
        .with_state(state)
}
