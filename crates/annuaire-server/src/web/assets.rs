//! Static assets (CSS, JS, icon), compiled into the binary and served under
//! `/assets/{version}/{name}`. The version is a hash of their content, so a URL never changes
//! meaning and browsers may keep the file for a year.

use std::sync::OnceLock;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::state::AppState;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "site.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../assets/site.css"),
    },
    Asset {
        name: "site.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../assets/site.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../../assets/favicon.svg"),
    },
];

/// Hash of every asset: one version for the set keeps URLs short and is cheap to compute.
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        let mut h = Sha256::new();
        for a in ASSETS {
            h.update(a.name.as_bytes());
            h.update(a.body);
        }
        h.finalize()[..6].iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// The versioned URL of an asset.
pub fn url(name: &str) -> String {
    format!("/assets/{}/{name}", version())
}

/// `GET /assets/{version}/{name}`.
pub async fn serve(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((v, name))) = path else { return super::bad_path(&state, &headers) };
    let Some(a) = ASSETS.iter().find(|a| a.name == name) else {
        return super::error_page(
            &super::Ctx::new(&state, &headers, None),
            &ApiError::not_found("Aucun fichier à cette adresse."),
        );
    };
    let mut res = a.body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.content_type));
    // An old version's URL (a page cached before a deploy) gets today's file, but only briefly:
    // caching it for a year under the old name would pin the wrong content.
    let cache = if v == version() { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// `GET /favicon.ico`: browsers ask for it whatever the page says.
pub async fn favicon() -> Response {
    super::moved(&url("favicon.svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_stay_small() {
        // Every page loads them: budgets from the web issue.
        let size = |n: &str| ASSETS.iter().find(|a| a.name == n).map_or(0, |a| a.body.len());
        assert!(size("site.css") > 0 && size("site.css") < 15 * 1024, "site.css: {} bytes", size("site.css"));
        assert!(size("site.js") > 0 && size("site.js") < 8 * 1024, "site.js: {} bytes", size("site.js"));
        assert_eq!(version().len(), 12);
        assert!(url("site.css").starts_with("/assets/") && url("site.css").ends_with("/site.css"));
    }
}
