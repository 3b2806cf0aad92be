//! The web directory: server-rendered French pages that work without JavaScript.
//!
//! Every page is rendered with maud (which escapes every value it prints) inside one layout
//! ([`layout::page`]) that carries the landmarks, the skip link, the canonical link and the
//! synthetic-data banner. Handlers read one [`Generation`] for the whole page, like the API, so a
//! page never mixes two lists. Errors render as French HTML pages with the error's status; only
//! `/api/…` keeps JSON errors.

pub mod accueil;
pub mod assets;
pub mod changements;
pub mod donnees;
pub mod format;
pub mod layout;
pub mod organisme;
pub mod qualiopi;
pub mod recherche;
pub mod seo;
pub mod tournures;
pub mod verifier;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::errors::ApiError;
use crate::generation::Generation;
use crate::state::AppState;

/// What every page needs to know besides its own content.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Absolute base URL, for canonical links.
    pub base: String,
    /// Show the synthetic-data banner.
    pub synthetic: bool,
    /// Date of the official list being served.
    pub liste_du: Option<NaiveDate>,
    /// When it was imported (RFC 3339).
    pub importee_le: Option<String>,
}

impl Ctx {
    pub fn new(state: &AppState, headers: &HeaderMap, g: Option<&Generation>) -> Ctx {
        let live;
        let g = match g {
            Some(g) => Some(g),
            None => {
                live = state.generation();
                live.as_deref()
            }
        };
        Ctx {
            base: crate::base_url(state, headers),
            // Demo mode says so even before any data is loaded, and synthetic data says so even
            // when served without --demo: synthetic rows are never presented as real.
            synthetic: state.config.demo || g.is_some_and(Generation::synthetic),
            liste_du: g.and_then(|g| g.snapshot.as_ref().map(|s| s.date)),
            importee_le: g.and_then(|g| g.snapshot.as_ref().map(|s| s.imported_at.clone())),
        }
    }

    /// Absolute URL of a site path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// An HTML answer.
pub fn html(markup: Markup) -> Response {
    html_status(StatusCode::OK, markup)
}

pub fn html_status(status: StatusCode, markup: Markup) -> Response {
    let mut res = (status, markup.into_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res
}

/// A permanent redirect (301, which every crawler understands) to a canonical URL.
pub fn moved(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(v) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// French title of an error page by status.
fn error_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Requête incorrecte",
        404 => "Page introuvable",
        405 => "Méthode non autorisée",
        413 => "Envoi trop volumineux",
        415 | 422 => "Envoi inexploitable",
        429 => "Trop de requêtes",
        503 => "Service momentanément indisponible",
        _ => "Erreur du serveur",
    }
}

/// The HTML page of an error, with its status (and `Retry-After` when the error has one).
pub fn error_page(ctx: &Ctx, err: &ApiError) -> Response {
    let title = error_title(err.status);
    let head = layout::Head::new(title, &err.message, "").noindex();
    let body = html! {
        h1 { (title) }
        p #erreur { (err.message) }
        @if err.status == StatusCode::NOT_FOUND {
            p { "Vous pouvez " a href="/" { "lancer une recherche" } " ou "
                a href="/verifier" { "vérifier un organisme par son SIRET, SIREN ou NDA" } "." }
        } @else if err.status.is_client_error() {
            p { a href="/" { "Revenir à l'accueil" } }
        } @else {
            p { "Réessayez dans quelques instants. " a href="/" { "Revenir à l'accueil" } }
        }
    };
    let mut res = html_status(err.status, layout::page(ctx, &head, body));
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(s) = err.retry_after {
        h.insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    res
}

/// Render `result` or its error page; the one place where page errors become HTML.
pub fn respond(state: &AppState, headers: &HeaderMap, result: Result<Response, ApiError>) -> Response {
    match result {
        Ok(res) => res,
        Err(e) => error_page(&Ctx::new(state, headers, None), &e),
    }
}

/// A path parameter that is not even text (invalid percent-encoding): no page lives there.
pub fn bad_path(state: &AppState, headers: &HeaderMap) -> Response {
    error_page(
        &Ctx::new(state, headers, None),
        &ApiError::not_found("Aucune page à cette adresse : elle contient des caractères invalides."),
    )
}

/// Unknown paths: JSON under `/api`, a page elsewhere.
pub async fn not_found(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::not_found_error().into_response();
    }
    error_page(
        &Ctx::new(&state, &headers, None),
        &ApiError::not_found(
            "Aucune page à cette adresse. Elle a peut-être été déplacée, ou l'adresse contient une faute de frappe.",
        ),
    )
}
