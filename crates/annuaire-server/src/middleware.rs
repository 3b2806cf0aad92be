//! The layers every request goes through, outermost first:
//! [`observe`] (request id, log line, metrics, security headers, synthetic-data header),
//! [`limit`] (per-client rate), [`deadline`] (request timeout), compression (tower-http), then
//! [`conditional`] (ETag, `If-None-Match`, default `Cache-Control`) right around the handlers.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::state::AppState;

/// The request id, readable by handlers (error pages quote it).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Paths that health checkers and scrapers poll: never rate limited.
fn is_operational(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics") || path.starts_with("/assets/")
}

/// Paths read by people in a browser, whose errors are pages rather than JSON.
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/assets/")
        || path.starts_with("/sitemap")
        || matches!(path, "/healthz" | "/readyz" | "/metrics" | "/changements.atom" | "/robots.txt"))
}

/// An error raised by a layer: an HTML page for people, the JSON body for programs.
fn error_response(state: &AppState, path: &str, err: ApiError) -> Response {
    error_response_for(state, is_page(path), err)
}

fn error_response_for(state: &AppState, page: bool, err: ApiError) -> Response {
    if page {
        crate::web::error_page(&crate::web::Ctx::new(state, &HeaderMap::new(), None), &err)
    } else {
        err.into_response()
    }
}

fn request_id(headers: &HeaderMap) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    if let Some(id) = headers.get("x-request-id").and_then(|v| v.to_str().ok())
        && !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return id.to_string();
    }
    // Unique within the process and unlikely to repeat across restarts: start time and a counter.
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
    });
    format!("{:x}-{:x}", start & 0xff_ffff, NEXT.fetch_add(1, Ordering::Relaxed))
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                   frame-ancestors 'none'";

fn secure(headers: &mut HeaderMap) {
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(self), camera=(), microphone=(), interest-cohort=()"),
    );
}

/// Request id, one structured log line, metrics, security headers on every response (errors
/// and 429 included), and the synthetic-data header.
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(req.headers());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(aucune)".to_string(), |m| m.as_str().to_string());
    let path = req.uri().path().to_string();
    let is_api = path.starts_with("/api/");

    let mut res = if is_api && method == Method::OPTIONS { preflight() } else { next.run(req).await };

    // Axum answers an unknown method on a known path with an empty 405: give it our body.
    if res.status() == StatusCode::METHOD_NOT_ALLOWED && res.headers().get(header::CONTENT_TYPE).is_none() {
        let allow = res.headers().get(header::ALLOW).cloned();
        res = error_response(&state, &path, ApiError::method_not_allowed());
        if let Some(a) = allow {
            res.headers_mut().insert(header::ALLOW, a);
        }
    }
    let h = res.headers_mut();
    secure(h);
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert("x-request-id", v);
    }
    if is_api {
        // A public open-data API: any site may read it from a browser.
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-request-id, x-donnees-synthetiques"),
        );
    }
    if state.config.demo || state.generation().is_some_and(|g| g.synthetic()) {
        h.insert("x-donnees-synthetiques", HeaderValue::from_static("oui"));
    }
    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    state.metrics.observe(&route, &method, status, elapsed);
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %path,
        route = %route,
        status,
        duration_us = elapsed.as_micros() as u64,
        "request"
    );
    res
}

/// CORS preflight of the public API: other sites may call it from a browser, including the
/// bulk verification with a JSON body. Admin calls (with `Authorization`) are not allowed
/// cross-origin.
fn preflight() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, POST"));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type, accept, if-none-match, x-request-id"),
    );
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    res
}

/// Per-client rate limit: 429 with `Retry-After`.
pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.limiter.enabled() && !is_operational(req.uri().path()) {
        let peer: Option<IpAddr> = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let xff = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        let client = crate::ratelimit::client_ip(peer, xff, &state.config.trusted_proxies)
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if let Err(wait) = state.limiter.check(client, Instant::now()) {
            state.metrics.rate_limited();
            return error_response(&state, req.uri().path(), ApiError::too_many_requests(wait));
        }
    }
    next.run(req).await
}

/// Requests that take longer than the configured timeout get a 503 instead of holding a
/// connection (and a worker) forever.
pub async fn deadline(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Decided before the request moves on, without copying its path on every request.
    let page = is_page(req.uri().path());
    match tokio::time::timeout(state.config.request_timeout, next.run(req)).await {
        Ok(res) => res,
        Err(_) => error_response_for(&state, page, ApiError::timeout()),
    }
}

fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").trim_matches('"').to_string();
    let want = bare(etag);
    if_none_match.split(',').any(|t| t.trim() == "*" || bare(t) == want)
}

/// Weak ETag over the body of successful GETs, answering `If-None-Match` with 304, and a default
/// `Cache-Control`: five minutes for data (the list changes once a day), none for errors.
pub async fn conditional(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let if_none_match =
        req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(String::from);
    let res = next.run(req).await;
    let cacheable = (method == Method::GET || method == Method::HEAD) && res.status() == StatusCode::OK;
    let (mut parts, body) = res.into_parts();
    if !parts.headers.contains_key(header::CACHE_CONTROL) {
        let v = if cacheable { "public, max-age=300" } else { "no-store" };
        parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(v));
    }
    let no_store =
        parts.headers.get(header::CACHE_CONTROL).is_some_and(|v| v.as_bytes().starts_with(b"no-store"));
    if !cacheable || no_store || parts.headers.contains_key(header::ETAG) {
        return Response::from_parts(parts, body);
    }
    let bytes = match body.collect().await {
        Ok(c) => c.to_bytes(),
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("W/\"{hex}\"");
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    if if_none_match.as_deref().is_some_and(|inm| etag_matches(inm, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_compare_weakly() {
        assert!(etag_matches("W/\"abc\"", "W/\"abc\""));
        assert!(etag_matches("\"abc\"", "W/\"abc\""));
        assert!(etag_matches("\"x\", W/\"abc\"", "W/\"abc\""));
        assert!(etag_matches("*", "W/\"abc\""));
        assert!(!etag_matches("W/\"abd\"", "W/\"abc\""));
        assert!(!etag_matches("", "W/\"abc\""));
    }

    #[test]
    fn request_ids_are_kept_only_when_sane() {
        let mut h = HeaderMap::new();
        h.insert("x-request-id", HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&h), "abc-123");
        h.insert("x-request-id", HeaderValue::from_static("a b"));
        assert_ne!(request_id(&h), "a b");
        let a = request_id(&HeaderMap::new());
        let b = request_id(&HeaderMap::new());
        assert_ne!(a, b);
    }
}
