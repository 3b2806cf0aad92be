//! The `annuaire` binary end to end: generated files, every read command, and `kill -9` during
//! a sync.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_annuaire");

fn annuaire(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("--data-dir").arg(data).args(args).output().unwrap()
}

fn ok_json(data: &Path, args: &[&str]) -> Value {
    let out = annuaire(data, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// Generated snapshots shared by the tests (written once).
fn files() -> &'static (tempfile::TempDir, Vec<PathBuf>) {
    static F: OnceLock<(tempfile::TempDir, Vec<PathBuf>)> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(BIN)
            .args(["testdata", "--rows", "30000", "--seed", "7", "--out"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut files: Vec<PathBuf> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(PathBuf::from)
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 3);
        (dir, files)
    })
}

fn date_of(file: &Path) -> String {
    let stem = file.file_stem().unwrap().to_str().unwrap();
    stem.trim_start_matches("snapshot-").to_string()
}

fn sync(data: &Path, file: &Path) -> Value {
    let d = date_of(file);
    ok_json(data, &["sync", "--from", file.to_str().unwrap(), "--date", &d, "--synthetique", "--json"])
}

#[test]
fn sync_and_read_commands() {
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    let (_, files) = files();
    let first = sync(data, &files[0]);
    assert_eq!(first["statut"], "importe");
    assert!(first["rejetees"].as_u64().unwrap() > 0, "generator writes broken rows");
    let second = sync(data, &files[1]);
    assert!(second["changements"]["disparu"].as_u64().unwrap() > 0);
    // Same file again: nothing written.
    let again = sync(data, &files[1]);
    assert_eq!(again["statut"], "inchange");
    let human = annuaire(data, &["sync", "--from", files[1].to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&human.stdout).starts_with("inchangé"));

    let stats = ok_json(data, &["stats", "--json"]);
    assert_eq!(stats["snapshots"], 2);
    assert_eq!(stats["derniere_synchro"]["synthetique"], true);
    let listed = stats["organismes"].as_i64().unwrap();
    assert!(listed > 29_000, "{listed}");
    let certified = stats["certifies"].as_i64().unwrap() as f64 / listed as f64;
    assert!((0.22..0.34).contains(&certified), "certified share {certified}");
    assert!(stats["par_region"].as_array().unwrap().len() >= 13);
    let geo: i64 =
        stats["par_precision_geo"].as_array().unwrap().iter().map(|p| p[1].as_i64().unwrap()).sum();
    assert_eq!(geo, listed, "every listed provider has a geocoding precision");

    let since = date_of(&files[1]);
    let changes = ok_json(data, &["changes", "--since", &since, "--json"]);
    let changes = changes.as_array().unwrap();
    assert!(!changes.is_empty());
    for c in changes {
        for k in ["nda", "type", "date", "avant", "apres"] {
            assert!(c.get(k).is_some(), "{k} missing in {c}");
        }
    }
    let certifie = ok_json(data, &["changes", "--since", &since, "--type", "certifie", "--json"]);
    assert!(certifie.as_array().unwrap().iter().all(|c| c["type"] == "certifie"));
    let bad = annuaire(data, &["changes", "--type", "certifiee"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("valeurs possibles"));

    // show by NDA and by SIRET, with history.
    let nda = changes.iter().find(|c| c["type"] == "renomme").unwrap()["nda"].as_str().unwrap().to_string();
    let shown = ok_json(data, &["show", &nda, "--json"]);
    assert_eq!(shown["nda"], nda.as_str());
    assert!(shown["historique"].as_array().unwrap().iter().any(|h| h["type"] == "renomme"));
    let siret = shown["siret"].as_str().unwrap().to_string();
    let by_siret = ok_json(data, &["show", &siret, "--json"]);
    assert!(by_siret.as_array().unwrap().iter().any(|r| r["nda"] == nda.as_str()));
    assert!(!annuaire(data, &["show", "12"]).status.success());
    assert!(!annuaire(data, &["show", "00000000000"]).status.success());

    // search: the index was built by sync; answers carry the documented shape.
    let name = shown["nom_affichage"].as_str().unwrap().to_string();
    let found = ok_json(data, &["search", &name, "--inclure-non-certifies", "--json"]);
    for k in ["total", "interpretation", "facettes", "resultats"] {
        assert!(found.get(k).is_some(), "{k} missing");
    }
    let hits = found["resultats"].as_array().unwrap();
    assert!(hits.iter().take(10).any(|h| h["nda"] == nda.as_str()), "{name}: {found}");
    for k in [
        "nda",
        "siret",
        "denomination",
        "commune",
        "code_postal",
        "distance_km",
        "categories",
        "thematiques",
        "score",
    ] {
        assert!(hits[0].get(k).is_some(), "{k} missing in {}", hits[0]);
    }
    let near = ok_json(data, &["search", "", "--lieu", "Lyon", "--tri", "distance", "--json"]);
    let d: Vec<f64> =
        near["resultats"].as_array().unwrap().iter().map(|h| h["distance_km"].as_f64().unwrap()).collect();
    assert!(!d.is_empty() && d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    assert!(d.iter().all(|x| *x <= 30.0), "{d:?}");
    let bad = annuaire(data, &["search", "excel", "--categorie", "cafe"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("valeurs possibles"));
    let reindexed = annuaire(data, &["reindex"]);
    assert!(reindexed.status.success(), "{}", String::from_utf8_lossy(&reindexed.stderr));

    // export: one row per listed provider, with the geocoding columns.
    let csv = annuaire(data, &["export", "--format", "csv"]);
    assert!(csv.status.success());
    let text = String::from_utf8(csv.stdout).unwrap();
    let header = text.lines().next().unwrap();
    for col in ["nda", "siret", "denomination", "code_postal", "code_commune", "lat", "lon", "precision_geo"]
    {
        assert!(header.split(',').any(|h| h == col), "{col} not in {header}");
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count() as i64, listed);
    let jsonl = annuaire(data, &["export", "--format", "jsonl", "--inclure-absents"]);
    let lines = String::from_utf8(jsonl.stdout).unwrap();
    let parsed: Vec<Value> = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let n = parsed.len() as i64;
    assert_eq!(n, stats["connus"].as_i64().unwrap());
}

#[test]
fn places_commands() {
    let data = tempfile::tempdir().unwrap();
    let r = ok_json(data.path(), &["places", "resolve", "marseille 13e", "--json"]);
    assert_eq!(r[0]["code"], "13213");
    for k in ["type", "code", "nom", "departement", "region", "lat", "lon", "rayon_km"] {
        assert!(r[0].get(k).is_some(), "{k}");
    }
    let s = ok_json(data.path(), &["places", "suggest", "mars", "--json"]);
    assert_eq!(s[0]["nom"], "Marseille");
}

/// `kill -9` at many points of a sync never damages the store, and the next sync succeeds.
#[test]
fn kill_minus_nine_during_sync() {
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    let (_, files) = files();
    sync(data, &files[0]);
    let before = ok_json(data, &["stats", "--json"]);
    let d = date_of(&files[1]);
    let mut completed = false;
    for delay_ms in [5, 30, 80, 150, 250, 400, 600, 900] {
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(data)
            .args(["sync", "--from", files[1].to_str().unwrap(), "--date", &d, "--synthetique", "--json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let now = ok_json(data, &["stats", "--json"]);
        // Either the snapshot committed (the kill came after the commit) or nothing changed.
        if status.success() || now["snapshots"] != before["snapshots"] {
            assert_eq!(now["snapshots"], 2, "killed after {delay_ms} ms");
            completed = true;
            break;
        }
        assert_eq!(now, before, "killed after {delay_ms} ms");
    }
    if !completed {
        let r = sync(data, &files[1]);
        assert_eq!(r["statut"], "importe");
    }
    let after = ok_json(data, &["stats", "--json"]);
    assert_eq!(after["snapshots"], 2);
    assert!(after["changements"].as_i64().unwrap() > before["changements"].as_i64().unwrap());
}

#[test]
fn fault_before_commit_changes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let data = data.path();
    let (_, files) = files();
    sync(data, &files[0]);
    let before = ok_json(data, &["stats", "--json"]);
    let d = date_of(&files[1]);
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(["sync", "--from", files[1].to_str().unwrap(), "--date", &d])
        .env("ANNUAIRE_TEST_FAULT", "before-commit")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("erreur"));
    assert_eq!(ok_json(data, &["stats", "--json"]), before);
}
