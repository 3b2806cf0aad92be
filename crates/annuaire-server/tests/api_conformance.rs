//! Answers the OpenAPI description promises and that the server once gave otherwise (found by
//! the conformance run of `crates/annuaire/tests/openapi.rs`): every API error is the JSON error
//! body, and every API route refuses unknown parameters.

mod support;

use serde_json::Value;
use support::{get, with};

async fn error_of(uri: &str) -> (u16, String, Value) {
    let (status, headers, body) = get(&support::fixture().state, uri).await;
    let ct = headers.get("content-type").map_or("", |v| v.to_str().unwrap_or("")).to_string();
    let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {body}"));
    (status.as_u16(), ct, v)
}

#[test]
fn undecodable_nda_is_a_json_400() {
    with(|_| async {
        for uri in ["/api/v1/organismes/%FF", "/api/v1/organismes/1175%C3%2812345"] {
            let (status, ct, v) = error_of(uri).await;
            assert_eq!(status, 400, "{uri}: {v}");
            assert!(ct.starts_with("application/json"), "{uri}: {ct}");
            assert_eq!(v["erreur"]["code"], "parametre_invalide", "{uri}: {v}");
            assert!(v["erreur"]["message"].as_str().unwrap().contains("NDA"), "{uri}: {v}");
        }
    })
}

#[test]
fn routes_without_parameters_refuse_unknown_ones() {
    with(|_| async {
        for uri in ["/api/v1/thematiques?x=1", "/api/v1/stats?x=1"] {
            let (status, _, v) = error_of(uri).await;
            assert_eq!(status, 400, "{uri}: {v}");
            assert_eq!(v["erreur"]["code"], "parametre_invalide", "{uri}: {v}");
            let m = v["erreur"]["message"].as_str().unwrap();
            assert!(m.contains("« x »") && m.contains("n'accepte aucun paramètre"), "{uri}: {m}");
        }
        let (status, _, body) = get(&support::fixture().state, "/api/v1/thematiques").await;
        assert_eq!(status, 200, "{body}");
    })
}
