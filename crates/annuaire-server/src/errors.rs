//! Errors of the HTTP layer.
//!
//! Policy:
//! - Every error that reaches a client is an [`ApiError`]: an HTTP status, a stable machine code
//!   (`parametre_invalide`, `introuvable`…) and a French message written for the person who sent
//!   the request. The JSON body is always `{"erreur": {"code": …, "message": …}}`; the web pages
//!   render the same message in HTML.
//! - A client mistake (bad parameter, unknown identifier, body too large, too many requests) is a
//!   4xx that says what was wrong and what is accepted. It is logged at `info`, not as an error.
//! - Anything else (store, index, I/O) is a 500 whose message says only that the server failed;
//!   the cause goes to the log with the request id, never to the client.
//! - Nothing a client sends may panic: parsing returns `ApiError`, never unwraps.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    erreur: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), retry_after: None }
    }

    /// 400: a parameter is missing, malformed or out of range.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "parametre_invalide", message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "introuvable", message)
    }

    /// 413.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "corps_trop_volumineux", message)
    }

    /// 422: well-formed, but not something the server can act on.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "requete_inexploitable", message)
    }

    pub fn too_many_requests(retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "trop_de_requetes",
                format!("Trop de requêtes depuis votre adresse : réessayez dans {} s.", retry_after.max(1)),
            )
        }
    }

    /// 503 while the data is being loaded at start-up.
    pub fn not_ready() -> Self {
        ApiError {
            retry_after: Some(5),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "indisponible",
                "Le service démarre et charge les données : réessayez dans quelques secondes.",
            )
        }
    }

    pub fn timeout() -> Self {
        ApiError {
            retry_after: Some(1),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "delai_depasse",
                "La requête a pris trop de temps et a été interrompue.",
            )
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "non_autorise",
            "Jeton d'administration absent ou invalide (en-tête Authorization: Bearer …).",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, "methode_non_autorisee", "Méthode HTTP non autorisée ici.")
    }

    /// 500. The cause is logged here, once, and never shown to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(cause = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "erreur_interne",
            "Le serveur n'a pas pu traiter la requête ; l'erreur a été enregistrée.",
        )
    }

    /// The JSON body, for callers that render it themselves.
    pub fn body(&self) -> String {
        serde_json::to_string(&Body { erreur: Inner { code: self.code, message: &self.message } })
            .unwrap_or_else(|_| String::from("{\"erreur\":{\"code\":\"erreur_interne\",\"message\":\"\"}}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, self.body()).into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(s) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}

impl From<annuaire_search::SearchError> for ApiError {
    fn from(e: annuaire_search::SearchError) -> Self {
        match e {
            annuaire_search::SearchError::Invalid(m) => ApiError::bad_request(m),
            other => ApiError::internal(other),
        }
    }
}

impl From<annuaire_store::StoreError> for ApiError {
    fn from(e: annuaire_store::StoreError) -> Self {
        ApiError::internal(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
