//! The whole import pipeline against generated snapshots, checked against the generator's ground
//! truth: every change type, every quirk, refused files, injected failures and downloads.

use annuaire_store::{ChangeQuery, FaultPoint, SqliteStore, Store};
use annuaire_sync::{SyncError, SyncOptions, SyncOutcome, SyncReport, sync};
use annuaire_testdata::{GenConfig, QuirkKind, Series, generate};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn series() -> &'static Series {
    static S: OnceLock<Series> = OnceLock::new();
    S.get_or_init(|| generate(&GenConfig { rows: 6_000, ..GenConfig::default() }))
}

struct Env {
    dir: tempfile::TempDir,
    store: SqliteStore,
    files: Vec<PathBuf>,
}

async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("annuaire.sqlite")).await.unwrap();
    let files = series()
        .snapshots
        .iter()
        .map(|s| {
            let p = dir.path().join(format!("snapshot-{}.csv", s.date));
            std::fs::write(&p, &s.csv).unwrap();
            p
        })
        .collect();
    Env { dir, store, files }
}

impl Env {
    fn opts(&self, i: usize) -> SyncOptions {
        SyncOptions {
            from: Some(self.files[i].display().to_string()),
            date: Some(series().snapshots[i].date),
            synthetic: true,
            ..SyncOptions::default()
        }
    }

    async fn sync_file(&self, i: usize) -> Result<SyncOutcome, SyncError> {
        sync(&self.store, self.dir.path(), &self.opts(i)).await
    }

    async fn import(&self, i: usize) -> SyncReport {
        match self.sync_file(i).await.unwrap() {
            SyncOutcome::Importe(r) => r,
            other => panic!("snapshot {i} not imported: {other:?}"),
        }
    }

    /// The change log of one snapshot as (nda, type, detail) triples, the generator's vocabulary.
    async fn logged(
        &self,
        snapshot_id: i64,
        date: chrono::NaiveDate,
    ) -> BTreeSet<(String, String, Option<String>)> {
        let q = ChangeQuery { since: Some(date), limit: 1_000_000, ..ChangeQuery::default() };
        let _ = snapshot_id;
        self.store
            .changes(&q)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.date == date)
            .map(|c| {
                let detail = match c.kind.as_str() {
                    "categorie_ajoutee" => c.apres.as_ref().and_then(|v| v.as_str()).map(str::to_string),
                    "categorie_retiree" => c.avant.as_ref().and_then(|v| v.as_str()).map(str::to_string),
                    "transfere" => c.nda_lie.clone(),
                    _ => None,
                };
                (c.nda, c.kind.as_str().to_string(), detail)
            })
            .collect()
    }
}

fn expected(i: usize) -> BTreeSet<(String, String, Option<String>)> {
    series().snapshots[i]
        .expected_changes
        .iter()
        .map(|c| (c.nda.clone(), c.kind.clone(), c.detail.clone()))
        .collect()
}

#[tokio::test]
async fn every_change_matches_what_the_generator_did() {
    let env = env().await;
    let first = env.import(0).await;
    assert_eq!(first.changements["nouveau"], first.valides, "first import: everything is new");
    for i in 1..series().snapshots.len() {
        let r = env.import(i).await;
        let got = env.logged(r.snapshot_id, r.date).await;
        let want = expected(i);
        let missing: Vec<_> = want.difference(&got).take(10).collect();
        let extra: Vec<_> = got.difference(&want).take(10).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "snapshot {i}: missing {missing:?}, unexpected {extra:?}"
        );
    }
    // The last transition exercises every change type.
    let kinds: BTreeSet<String> =
        expected(series().snapshots.len() - 1).into_iter().map(|(_, k, _)| k).collect();
    for t in annuaire_core::ChangeType::ALL {
        assert!(kinds.contains(t.as_str()), "generator lacks {t}");
    }
}

#[tokio::test]
async fn every_quirk_is_handled() {
    let env = env().await;
    let r = env.import(0).await;
    let snap = &series().snapshots[0];
    assert_eq!(r.valides, snap.valid_rows, "valid rows");
    assert_eq!(r.certifies, snap.certified_rows, "certified rows");
    let corrections = {
        let raw = std::fs::read(&env.files[0]).unwrap();
        annuaire_sources::liste_of::parse(&raw).unwrap().corrections
    };
    let mut seen = std::collections::HashSet::new();
    for q in &snap.quirks {
        seen.insert(std::mem::discriminant(&q.kind));
        match &q.kind {
            QuirkKind::Rejected(reason) => {
                let rej = r.rejets.iter().find(|x| x.ligne == q.line);
                let rej = rej.unwrap_or_else(|| panic!("line {} ({reason}) not rejected", q.line));
                assert_eq!(rej.motif, *reason, "line {}: {}", q.line, rej.message);
            }
            QuirkKind::PostalCodeRepaired { raw, fixed } => {
                let c = corrections.iter().find(|c| c.ligne == q.line && c.champ == "code_postal");
                let c = c.unwrap_or_else(|| panic!("line {}: postal code {raw} not repaired", q.line));
                assert_eq!((c.avant.as_str(), c.apres.as_deref()), (raw.as_str(), Some(fixed.as_str())));
            }
            _ => {
                // Every other quirk is a valid row that must have been imported.
                let rec = env.store.organisme(&q.nda).await.unwrap();
                assert!(rec.is_some_and(|r| r.present), "line {} ({:?}) not imported", q.line, q.kind);
            }
        }
    }
    assert!(r.rejets.iter().all(|x| snap.quirks.iter().any(|q| q.line == x.ligne)), "unexpected rejects");
    assert!(seen.len() >= 8, "generator should exercise many quirk kinds, got {}", seen.len());
}

async fn stats_json(store: &SqliteStore) -> String {
    serde_json::to_string(&store.stats().await.unwrap()).unwrap()
}

#[tokio::test]
async fn shrunken_garbage_and_misdated_files_change_nothing() {
    let env = env().await;
    env.import(0).await;
    let before = stats_json(&env.store).await;

    // A download cut at 30% of its lines.
    let csv = &series().snapshots[1].csv;
    let cut = csv.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1_800).map(|(i, _)| i).unwrap();
    let truncated = env.dir.path().join("truncated.csv");
    std::fs::write(&truncated, &csv[..cut]).unwrap();
    let mut opts = env.opts(1);
    opts.from = Some(truncated.display().to_string());
    let err = sync(&env.store, env.dir.path(), &opts).await.unwrap_err();
    assert!(matches!(err, SyncError::Shrink { .. }), "{err}");
    assert!(err.to_string().contains("--accept-shrink"));
    assert_eq!(stats_json(&env.store).await, before);

    for garbage in
        [&b"<html><body>502 Bad Gateway</body></html>"[..], b"\x00\x01\x02binary", b"", b"a;b;c\n1;2;3\n"]
    {
        let p = env.dir.path().join("garbage.csv");
        std::fs::write(&p, garbage).unwrap();
        opts.from = Some(p.display().to_string());
        let err = sync(&env.store, env.dir.path(), &opts).await.unwrap_err();
        assert!(matches!(err, SyncError::List(_)), "{err}");
        assert_eq!(stats_json(&env.store).await, before);
    }

    let mut early = env.opts(1);
    early.date = Some(series().snapshots[0].date - chrono::Days::new(1));
    assert!(matches!(sync(&env.store, env.dir.path(), &early).await, Err(SyncError::DateOrder { .. })));
    assert_eq!(stats_json(&env.store).await, before);

    // The override imports the short file.
    opts.from = Some(truncated.display().to_string());
    opts.accept_shrink = true;
    assert!(matches!(sync(&env.store, env.dir.path(), &opts).await.unwrap(), SyncOutcome::Importe(_)));
}

#[tokio::test]
async fn failure_mid_import_keeps_previous_state_and_next_sync_succeeds() {
    let env = env().await;
    env.import(0).await;
    let before = stats_json(&env.store).await;
    let mut opts = env.opts(1);
    opts.fault = FaultPoint::BeforeCommit;
    let err = sync(&env.store, env.dir.path(), &opts).await.unwrap_err();
    assert!(err.to_string().contains("injected"), "{err}");
    assert_eq!(stats_json(&env.store).await, before);

    let r = env.import(1).await;
    assert_eq!(env.logged(r.snapshot_id, r.date).await, expected(1));
}

#[tokio::test]
async fn identical_file_is_unchanged_and_raw_files_are_archived() {
    let env = env().await;
    let r = env.import(0).await;
    let raw = env.dir.path().join(r.fichier_brut.as_deref().unwrap());
    let restored = annuaire_fetch::read_source_file(&raw, u64::MAX).unwrap();
    assert_eq!(restored, series().snapshots[0].csv, "archive round-trips");
    let again = env.sync_file(0).await.unwrap();
    assert!(matches!(again, SyncOutcome::Inchange { .. }), "{again:?}");
    assert_eq!(env.store.snapshots().await.unwrap().len(), 1);
}

/// A one-file HTTP server: answers 304 when the client sends the current ETag.
async fn serve(body: Vec<u8>, etag: &'static str) -> (String, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/liste.csv", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match sock.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&req).to_lowercase();
            let resp = if head.contains(&format!("if-none-match: {etag}")) {
                format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n").into_bytes()
            } else {
                let mut r = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: {etag}\r\n\
                     Last-Modified: Mon, 02 Nov 2026 06:00:00 GMT\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                r.extend_from_slice(&body);
                r
            };
            let _ = sock.write_all(&resp).await;
        }
    });
    (url, handle)
}

#[tokio::test]
async fn download_then_conditional_get() {
    let env = env().await;
    let (url, server) = serve(series().snapshots[0].csv.clone(), "\"v1\"").await;
    let opts = SyncOptions { from: Some(url), synthetic: true, ..SyncOptions::default() };
    let first = sync(&env.store, env.dir.path(), &opts).await.unwrap();
    let SyncOutcome::Importe(r) = first else { panic!("{first:?}") };
    assert_eq!(r.date.to_string(), "2026-11-02", "date from Last-Modified");
    let snap = env.store.latest_snapshot().await.unwrap().unwrap();
    assert_eq!(snap.etag.as_deref(), Some("\"v1\""));
    let second = sync(&env.store, env.dir.path(), &opts).await.unwrap();
    match second {
        SyncOutcome::Inchange { raison, .. } => assert!(raison.contains("304"), "{raison}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(env.store.snapshots().await.unwrap().len(), 1);
    assert!(no_temp_files(&env.dir.path().join("tmp")));
    server.abort();
}

fn no_temp_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).map(|d| d.count() == 0).unwrap_or(true)
}
