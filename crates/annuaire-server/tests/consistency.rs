//! A sync while searches run: no request fails and no answer mixes two lists.
//!
//! The store holds two weekly SYNTHETIC snapshots; the server syncs the third while tasks hammer
//! the router with searches, provider lookups and change queries. Every answer names the list it
//! comes from (`source.liste_du`); after the sync, the expected answer for each list is known
//! (the old one was recorded before, the new one is asked after), so every answer recorded during
//! the swap must equal the expected answer of the list it names, field for field.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use annuaire_server::{AppState, ServerConfig};
use annuaire_sync::SyncOptions;
use annuaire_testdata::GenConfig;
use serde_json::Value;
use support::get;

/// The part of an answer that must match exactly for one list.
fn essence(uri: &str, v: &Value) -> Value {
    if uri.starts_with("/api/v1/recherche") {
        serde_json::json!({ "total": v["total"], "resultats": v["resultats"], "facettes": v["facettes"] })
    } else if uri.starts_with("/api/v1/organismes/") {
        serde_json::json!({
            "denomination": v["denomination"],
            "categories": v["categories"],
            "present": v["present_dans_la_liste"],
            "historique": v["historique"].as_array().map(|h| h.len()),
            "derniere_modification": v["derniere_modification"],
        })
    } else {
        serde_json::json!({ "ids": v["changements"].as_array().map(|c| c.iter().map(|x| x["id"].clone()).collect::<Vec<_>>()) })
    }
}

#[test]
fn sync_during_searches_changes_nothing_but_the_list() {
    support::rt().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let cfg = GenConfig { seed: 7, rows: support::ROWS, snapshots: 3, ..GenConfig::default() };
        let series = annuaire_testdata::generate(&cfg);
        let mut paths = Vec::new();
        for s in &series.snapshots {
            let p = files.path().join(s.file_name());
            std::fs::write(&p, &s.csv).unwrap();
            paths.push(p);
        }
        let store = annuaire_store::SqliteStore::open(&dir.path().join("annuaire.sqlite")).await.unwrap();
        for (snap, path) in series.snapshots.iter().zip(&paths).take(2) {
            let opts = SyncOptions {
                from: Some(path.to_string_lossy().into_owned()),
                date: Some(snap.date),
                synthetic: true,
                ..SyncOptions::default()
            };
            annuaire_sync::sync(&store, dir.path(), &opts).await.unwrap();
        }
        let third = &series.snapshots[2];
        let config = ServerConfig {
            rate_limit: 0,
            sync: SyncOptions {
                from: Some(paths[2].to_string_lossy().into_owned()),
                date: Some(third.date),
                synthetic: true,
                ..SyncOptions::default()
            },
            ..ServerConfig::default()
        };
        let state = AppState::new(store, dir.path().to_path_buf(), config);
        state.reload().await.unwrap();

        // Providers the third list changes: their answers must differ between lists.
        let renamed: Vec<&str> = third
            .expected_changes
            .iter()
            .filter(|c| matches!(c.kind.as_str(), "renomme" | "decertifie" | "certifie"))
            .map(|c| c.nda.as_str())
            .take(6)
            .collect();
        assert!(renamed.len() >= 3, "the generator changes providers every week");
        let mut uris: Vec<String> = vec![
            "/api/v1/recherche?q=formation".into(),
            "/api/v1/recherche?lieu=Lyon&par_page=50".into(),
            "/api/v1/recherche?thematique=informatique&tri=nom&par_page=30".into(),
            "/api/v1/recherche?inclure_non_certifies=true&par_page=100".into(),
            "/api/v1/changements?par_page=30".into(),
        ];
        uris.extend(renamed.iter().map(|n| format!("/api/v1/organismes/{n}")));

        let list_date = |v: &Value| v["source"]["liste_du"].as_str().unwrap_or("?").to_string();
        let mut expected: HashMap<(String, String), Value> = HashMap::new();
        for uri in &uris {
            let (status, _, body) = get(&state, uri).await;
            assert_eq!(status, 200, "{uri}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            expected.insert((uri.clone(), list_date(&v)), essence(uri, &v));
        }
        let old_date = series.snapshots[1].date.to_string();
        assert!(expected.keys().all(|(_, d)| *d == old_date));

        // Hammer the router from several tasks while the sync runs.
        let done = Arc::new(AtomicBool::new(false));
        let uris = Arc::new(uris);
        let mut workers = Vec::new();
        for w in 0..4 {
            let (state, done, uris) = (state.clone(), done.clone(), uris.clone());
            workers.push(tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut i = w;
                while !done.load(Ordering::Relaxed) || seen.len() < 50 {
                    let uri = &uris[i % uris.len()];
                    i += 1;
                    let (status, _, body) = get(&state, uri).await;
                    seen.push((uri.clone(), status, body));
                    tokio::task::yield_now().await;
                }
                seen
            }));
        }
        let outcome = state.sync_now().await.unwrap();
        assert!(matches!(outcome, annuaire_sync::SyncOutcome::Importe(_)));
        done.store(true, Ordering::Relaxed);
        let mut answers = Vec::new();
        for w in workers {
            answers.extend(w.await.unwrap());
        }

        let new_date = third.date.to_string();
        for uri in uris.iter() {
            let (status, _, body) = get(&state, uri).await;
            assert_eq!(status, 200);
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(list_date(&v), new_date);
            expected.insert((uri.clone(), new_date.clone()), essence(uri, &v));
        }
        // The changed providers really answer differently in the two lists, so a mixed answer
        // could not go unnoticed.
        for n in &renamed {
            let uri = format!("/api/v1/organismes/{n}");
            assert_ne!(expected[&(uri.clone(), old_date.clone())], expected[&(uri, new_date.clone())], "{n}");
        }

        let (mut old, mut new) = (0, 0);
        for (uri, status, body) in &answers {
            assert_eq!(*status, 200, "a request failed during the sync: {uri} {body}");
            let v: Value = serde_json::from_str(body).unwrap();
            let date = list_date(&v);
            let want = expected
                .get(&(uri.clone(), date.clone()))
                .unwrap_or_else(|| panic!("{uri} answered from an unknown list {date}"));
            assert_eq!(&essence(uri, &v), want, "{uri} mixed lists (says {date})");
            if date == old_date { old += 1 } else { new += 1 }
        }
        eprintln!(
            "{} answers during the sync: {old} from the old list, {new} from the new one",
            answers.len()
        );
        assert!(old > 0, "the sync must have overlapped with requests");
    })
}
