//! The SQLite store against hand-made snapshots: state, history, atomicity, append-only log.

use annuaire_core::history::{self, Diff, Known};
use annuaire_core::{Adresse, Categorie, Certifications, ChangeType, Organisme};
use annuaire_store::{
    ChangeQuery, FaultPoint, GeoColumns, LastChange, NewSnapshot, RowIssue, SqliteStore, Store, StoreError,
};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

fn org(nda: &str, name: &str, cats: &[Categorie]) -> Organisme {
    let mut c = Certifications::default();
    for x in cats {
        c.set(*x, true);
    }
    Organisme {
        nda: nda.into(),
        ndas_precedents: vec![],
        denomination: name.into(),
        nom_affichage: name.into(),
        forme_juridique: None,
        siren: Some("732829320".into()),
        siret: Some(format!("7328293200{}", &nda[7..])),
        adresse: Adresse {
            code_postal: Some("75011".into()),
            code_region: Some("11".into()),
            ..Adresse::default()
        },
        certifications: c,
        organisme_etranger: None,
        date_derniere_declaration: None,
        debut_exercice: None,
        fin_exercice: None,
        specialites: vec![],
        nb_stagiaires: Some(3),
        nb_stagiaires_confies: None,
        effectif_formateurs: None,
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Run the same steps as the sync pipeline, without the file.
async fn import(store: &SqliteStore, day: &str, orgs: Vec<Organisme>) -> Result<(i64, Diff), StoreError> {
    let rows: Vec<(Organisme, u64)> = orgs
        .into_iter()
        .map(|o| {
            let f = history::fingerprint(&o);
            (o, f)
        })
        .collect();
    let known: HashMap<String, Known> = store.known().await?;
    let previous = store.previous(&history::needs_previous(&known, &rows)).await?;
    let valides = rows.len() as i64;
    let diff = history::diff(date(day), &known, &previous, rows, &HashSet::new());
    let geo: HashMap<String, GeoColumns> = diff
        .upserts
        .iter()
        .map(|u| {
            (u.org.nda.clone(), GeoColumns { code_commune: Some("75111".into()), ..GeoColumns::default() })
        })
        .collect();
    let snap = NewSnapshot {
        date: date(day),
        source: "test".into(),
        etag: None,
        last_modified: None,
        sha256: day.into(),
        raw_path: None,
        lignes: valides,
        valides,
        synthetique: true,
    };
    let rejets = vec![RowIssue {
        ligne: 7,
        nda: None,
        motif: "nda".into(),
        message: "NDA invalide".into(),
        brut: Some("x;y".into()),
    }];
    let id = store.apply(&snap, &diff, &geo, &rejets, &[]).await?;
    Ok((id, diff))
}

async fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.sqlite")).await.unwrap();
    (dir, store)
}

#[tokio::test]
async fn two_snapshots_build_state_and_history() {
    let (_dir, store) = open().await;
    use Categorie::*;
    let a = org("11000000001", "A", &[ActionsFormation]);
    let b = org("11000000002", "B", &[]);
    let c = org("11000000003", "C", &[Vae]);
    import(&store, "2026-11-02", vec![a.clone(), b.clone(), c.clone()]).await.unwrap();

    let s = store.stats().await.unwrap();
    assert_eq!((s.organismes, s.certifies, s.connus), (3, 2, 3));
    assert_eq!(s.par_categorie["vae"], 1);
    assert_eq!(s.derniere_synchro.as_ref().unwrap().valides, 3);
    assert_eq!(s.derniere_synchro.as_ref().unwrap().rejetees, 1);

    let b2 = org("11000000002", "B", &[BilansCompetences]);
    import(&store, "2026-11-09", vec![a.clone(), b2]).await.unwrap();
    let b_rec = store.organisme("11000000002").await.unwrap().unwrap();
    assert_eq!(b_rec.certified_since, Some(date("2026-11-09")));
    assert_eq!(b_rec.first_seen, date("2026-11-02"));
    assert_eq!(b_rec.geo.code_commune.as_deref(), Some("75111"));
    let a_rec = store.organisme("11000000001").await.unwrap().unwrap();
    assert_eq!((a_rec.last_seen, a_rec.certified_since), (date("2026-11-09"), Some(date("2026-11-02"))));
    let c_rec = store.organisme("11000000003").await.unwrap().unwrap();
    assert!(!c_rec.present);
    assert_eq!(c_rec.last_seen, date("2026-11-02"));

    let types = |q: ChangeQuery| {
        let store = &store;
        async move {
            let mut v: Vec<(String, ChangeType)> =
                store.changes(&q).await.unwrap().into_iter().map(|c| (c.nda, c.kind)).collect();
            v.sort();
            v
        }
    };
    let since = ChangeQuery { since: Some(date("2026-11-09")), limit: 100, ..ChangeQuery::default() };
    assert_eq!(
        types(since).await,
        vec![("11000000002".into(), ChangeType::Certifie), ("11000000003".into(), ChangeType::Disparu)]
    );
    let all = ChangeQuery { limit: 100, ..ChangeQuery::default() };
    assert_eq!(types(all).await.len(), 5);
    let only = ChangeQuery { kinds: vec![ChangeType::Nouveau], limit: 100, ..ChangeQuery::default() };
    assert_eq!(types(only).await.len(), 3);

    // C comes back.
    let (third, diff) = import(&store, "2026-11-16", vec![a, c]).await.unwrap();
    assert_eq!(diff.count(ChangeType::Reapparu), 1);
    assert_eq!(diff.count(ChangeType::Disparu), 1);
    assert!(store.organisme("11000000003").await.unwrap().unwrap().present);
    assert_eq!(store.by_siren_or_siret("732829320").await.unwrap().len(), 3);
    assert_eq!(store.rejets(1).await.unwrap()[0].ligne, 7);

    // A reader pinned to an earlier snapshot sees the log as it was then.
    let upto2 = ChangeQuery { max_snapshot_id: Some(third - 1), limit: 100, ..ChangeQuery::default() };
    assert_eq!(types(upto2).await.len(), 5);
    let last = store.last_changes(None).await.unwrap();
    assert_eq!(last["11000000003"], LastChange { kind: ChangeType::Reapparu, date: date("2026-11-16") });
    assert_eq!(last["11000000002"], LastChange { kind: ChangeType::Disparu, date: date("2026-11-16") });
    assert_eq!(last["11000000001"], LastChange { kind: ChangeType::Nouveau, date: date("2026-11-02") });
    let before = store.last_changes(Some(third - 1)).await.unwrap();
    assert_eq!(before["11000000003"], LastChange { kind: ChangeType::Disparu, date: date("2026-11-09") });
    assert_eq!(before.len(), 3);

    let mut n = 0;
    store
        .for_each_organisme(false, |_| {
            n += 1;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn failed_apply_leaves_previous_state() {
    let (_dir, store) = open().await;
    let a = org("11000000001", "A", &[Categorie::ActionsFormation]);
    import(&store, "2026-11-02", vec![a.clone()]).await.unwrap();
    let before = store.stats().await.unwrap();

    store.inject_fault(FaultPoint::BeforeCommit);
    let err = import(&store, "2026-11-09", vec![org("11000000001", "A2", &[]), org("11000000009", "Z", &[])])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Injected(_)), "{err}");
    assert_eq!(store.stats().await.unwrap(), before);
    assert_eq!(store.organisme("11000000001").await.unwrap().unwrap().org, a);

    // The next sync succeeds and sees the same differences.
    let (_, diff) =
        import(&store, "2026-11-09", vec![org("11000000001", "A2", &[]), org("11000000009", "Z", &[])])
            .await
            .unwrap();
    assert_eq!(diff.changes.len(), 3); // decertifie, renomme, nouveau
}

#[tokio::test]
async fn snapshot_dates_only_move_forward() {
    let (_dir, store) = open().await;
    import(&store, "2026-11-09", vec![org("11000000001", "A", &[])]).await.unwrap();
    let err = import(&store, "2026-11-02", vec![org("11000000001", "A", &[])]).await.unwrap_err();
    assert!(matches!(err, StoreError::DateOrder { .. }), "{err}");
}

#[tokio::test]
async fn change_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let store = SqliteStore::open(&path).await.unwrap();
    import(&store, "2026-11-02", vec![org("11000000001", "A", &[])]).await.unwrap();
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let upd = sqlx::query("UPDATE changements SET type = 'disparu'").execute(&pool).await;
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = sqlx::query("DELETE FROM changements").execute(&pool).await;
    assert!(del.unwrap_err().to_string().contains("append-only"));
}
