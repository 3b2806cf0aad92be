//! The JSON API, driven in process through the whole router.

mod support;

use support::{get, with};

#[test]
fn search_answers_json() {
    with(|s| async move {
        let (status, headers, body) = get(s, "/api/v1/recherche?q=formation").await;
        assert_eq!(status, 200, "{body}");
        assert!(headers["content-type"].to_str().unwrap().starts_with("application/json"));
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(v["total"].as_u64().unwrap() > 0);
    })
}
