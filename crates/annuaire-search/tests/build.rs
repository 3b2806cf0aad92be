//! The index is swapped atomically and a failed or bad build never hurts the one in place.

use annuaire_search::{IndexSource, SearchDoc, SearchError, SearchIndex, SearchQuery};

fn doc(nda: &str, name: &str) -> SearchDoc {
    SearchDoc {
        nda: nda.into(),
        siret: None,
        siren: None,
        denomination: name.into(),
        nom_affichage: name.into(),
        code_postal: None,
        ville: None,
        code_commune: None,
        commune: None,
        departement: None,
        region: None,
        lat: None,
        lon: None,
        precision_geo: "aucune".into(),
        categories: vec![annuaire_core::Categorie::ActionsFormation],
        specialites: vec![],
    }
}

#[test]
fn rebuild_swaps_and_old_readers_keep_working() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    assert!(matches!(SearchIndex::open(&dir), Err(SearchError::Missing(_))));

    SearchIndex::build(&dir, vec![doc("1", "Alpha Formation"), doc("2", "Beta Conseil")]).unwrap();
    let old = SearchIndex::open(&dir).unwrap();
    assert_eq!(old.len(), 2);

    // Duplicated NDAs keep one document.
    SearchIndex::build(&dir, vec![doc("3", "Gamma"), doc("3", "Gamma"), doc("4", "Delta")]).unwrap();
    let new = SearchIndex::open(&dir).unwrap();
    assert_eq!(new.len(), 2);
    assert_eq!(new.search(&SearchQuery::text("gamma")).unwrap().total, 1);
    assert_eq!(new.search(&SearchQuery::text("alpha")).unwrap().total, 0);
    // The reader opened before the swap still answers from its own version.
    assert_eq!(old.search(&SearchQuery::text("alpha")).unwrap().total, 1);

    // Only the live version and the link remain next to it.
    let entries: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(entries.len(), 2, "{entries:?}");
}

#[test]
fn failed_build_keeps_the_old_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    SearchIndex::build(&dir, vec![doc("1", "Alpha")]).unwrap();
    // A build whose target cannot be created fails without touching anything.
    let bad = tmp.path().join("index").join("docs.json").join("nested");
    assert!(SearchIndex::build(&bad, vec![doc("2", "Beta")]).is_err());
    let idx = SearchIndex::open(&dir).unwrap();
    assert_eq!(idx.len(), 1);
    assert_eq!(idx.search(&SearchQuery::text("alpha")).unwrap().total, 1);
}

#[test]
fn a_plain_directory_is_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("junk"), "x").unwrap();
    assert!(matches!(SearchIndex::open(&dir), Err(SearchError::Missing(_))));
    SearchIndex::build(&dir, vec![doc("1", "Alpha")]).unwrap();
    assert_eq!(SearchIndex::open(&dir).unwrap().len(), 1);
}

#[test]
fn the_manifest_records_the_source_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    assert!(matches!(SearchIndex::source_at(&dir), Err(SearchError::Missing(_))));
    let source =
        IndexSource { snapshot_id: Some(7), snapshot_date: Some("2026-11-09".into()), synthetique: true };
    SearchIndex::build_from(&dir, vec![doc("1", "Alpha")], &source).unwrap();
    assert_eq!(SearchIndex::source_at(&dir).unwrap(), source);
    assert_eq!(SearchIndex::open(&dir).unwrap().source(), &source);
    // A plain build records no source.
    SearchIndex::build(&dir, vec![doc("1", "Alpha")]).unwrap();
    assert_eq!(SearchIndex::source_at(&dir).unwrap(), IndexSource::default());
}

#[test]
fn documents_come_back_as_they_were_given() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let mut full = doc("11000000001", "SARL ALPHA");
    full.siret = Some("12345678900012".into());
    full.siren = Some("123456789".into());
    full.nom_affichage = "Alpha".into();
    full.code_postal = Some("75011".into());
    full.ville = Some("PARIS CEDEX 11".into());
    full.code_commune = Some("75056".into());
    full.commune = Some("Paris".into());
    full.departement = Some("75".into());
    full.region = Some("11".into());
    full.lat = Some(48.8566);
    full.lon = Some(2.3522);
    full.precision_geo = "commune".into();
    full.categories = vec![annuaire_core::Categorie::ActionsFormation, annuaire_core::Categorie::Vae];
    // The same code under two labels, and a label shared with the next document: the table
    // stores each pair once and must give every document its own pairs back.
    full.specialites = vec![("326".into(), "Informatique".into()), ("326".into(), "Réseaux".into())];
    let mut other = doc("11000000002", "Beta");
    other.specialites = vec![("326".into(), "Réseaux".into()), ("100".into(), "Formations générales".into())];
    other.categories = vec![];
    let mut first = doc("11000000003", "Gamma premier");
    first.ville = Some("LYON".into());
    let second = doc("11000000003", "Gamma second");
    SearchIndex::build(&dir, vec![other.clone(), first.clone(), full.clone(), second]).unwrap();
    let idx = SearchIndex::open(&dir).unwrap();
    assert_eq!(idx.len(), 3);
    assert_eq!(idx.document("11000000001"), Some(&full));
    assert_eq!(idx.document("11000000002"), Some(&other));
    // Of two documents with one NDA, the first given is kept.
    assert_eq!(idx.document("11000000003"), Some(&first));
    assert_eq!(idx.document("11000000004"), None);
}
