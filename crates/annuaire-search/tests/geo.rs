//! With the real places of `annuaire-geo`: place reading, default radii, and `doc_from`.

use annuaire_search::{GeoResolver, PlaceKind, PlaceResolver, SearchIndex, SearchQuery, doc_from};

#[test]
fn exact_places_from_text() {
    let g = GeoResolver;
    let cases = [
        ("marseille", Some("Marseille")),
        ("Saint-Étienne", Some("Saint-Étienne")),
        ("st etienne", Some("Saint-Étienne")),
        ("aix en provence", Some("Aix-en-Provence")),
        ("lyon", Some("Lyon")),
        ("excel", None),
        ("institut", None),
    ];
    for (text, want) in cases {
        assert_eq!(g.exact(text).map(|p| p.nom), want.map(str::to_string), "{text}");
    }
    let p = g.exact("13001").unwrap();
    assert_eq!(p.kind, PlaceKind::CodePostal);
    let m = g.exact("marseille").unwrap();
    println!("Marseille: {:?} rayon {}", m.kind, m.rayon_km);
    assert!(annuaire_search::places::default_radius_km(&m).is_some());
}

#[test]
fn generated_rows_through_doc_from() {
    let series =
        annuaire_testdata::generate(&annuaire_testdata::GenConfig { rows: 3000, ..Default::default() });
    let parsed = annuaire_sources::liste_of::parse(&series.snapshots[0].csv).unwrap();
    let places = annuaire_geo::Places::get();
    let docs: Vec<_> = parsed
        .organismes
        .iter()
        .map(|o| {
            let g = places.geocode(
                o.adresse.code_postal.as_deref(),
                o.adresse.ville.as_deref(),
                o.adresse.code_region.as_deref(),
            );
            doc_from(o, &g)
        })
        .collect();
    let located = docs.iter().filter(|d| d.precision_geo == "commune").count();
    assert!(located > docs.len() / 3, "{located}/{}", docs.len());
    assert!(
        docs.iter().filter(|d| d.precision_geo == "commune").all(|d| d.commune.is_some() && d.lat.is_some())
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    SearchIndex::build(&dir, docs.clone()).unwrap();
    let idx = SearchIndex::open(&dir).unwrap();
    // Every certified, commune-located provider is found around its own commune.
    let mut checked = 0;
    for d in docs.iter().filter(|d| !d.categories.is_empty() && d.precision_geo == "commune").take(50) {
        // By position: commune names are ambiguous ("Coutures" names several communes).
        let mut q = SearchQuery::text(&d.nom_affichage);
        q.lat = d.lat;
        q.lon = d.lon;
        q.rayon_km = Some(10.0);
        let r = idx.search(&q).unwrap();
        assert!(
            r.resultats.iter().any(|h| h.nda == d.nda),
            "{} à {:?}: {:?}",
            d.nom_affichage,
            d.commune,
            r.interpretation
        );
        checked += 1;
    }
    assert!(checked > 10);
    // Region-only providers never appear in a radius search, but do in their region.
    let region_only: Vec<_> =
        docs.iter().filter(|d| !d.categories.is_empty() && d.precision_geo == "region").collect();
    for d in region_only.iter().take(20) {
        let mut q = SearchQuery::text(&d.nom_affichage);
        q.lat = Some(46.5);
        q.lon = Some(2.5);
        q.rayon_km = Some(1000.0);
        assert!(idx.search(&q).unwrap().resultats.iter().all(|h| h.nda != d.nda));
        let mut q = SearchQuery::text(&d.nom_affichage);
        q.region = d.region.clone();
        q.par_page = 100;
        assert!(idx.search(&q).unwrap().resultats.iter().any(|h| h.nda == d.nda), "{}", d.nom_affichage);
    }
}

#[test]
fn one_box_with_real_places() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let d = |nda: &str, name: &str, cp: &str, ville: &str| {
        let g = annuaire_geo::Places::get().geocode(Some(cp), Some(ville), None);
        annuaire_search::SearchDoc {
            nda: nda.into(),
            siret: None,
            siren: None,
            denomination: name.into(),
            nom_affichage: annuaire_core::name::display_name(name).nom,
            code_postal: Some(cp.into()),
            ville: Some(ville.into()),
            code_commune: g.code_commune.clone(),
            commune: g
                .code_commune
                .as_deref()
                .and_then(|c| annuaire_geo::Places::get().commune(c))
                .map(|c| c.nom.clone()),
            departement: g.departement.clone(),
            region: g.region.clone(),
            lat: g.lat,
            lon: g.lon,
            precision_geo: g.precision.as_str().into(),
            categories: vec![annuaire_core::Categorie::ActionsFormation],
            specialites: vec![("324".into(), "Secrétariat, bureautique".into())],
        }
    };
    let docs = vec![
        d("1", "EXCEL PRO", "13001", "MARSEILLE"),
        d("2", "CCI LYON METROPOLE", "69002", "LYON"),
        d("3", "INSTITUT DE FORMATION DE MARSEILLE", "75011", "PARIS"),
        d("4", "LYCEE SAINT-ETIENNE", "46000", "CAHORS"),
        d("5", "EXCEL LYON", "69002", "LYON"),
    ];
    SearchIndex::build(&dir, docs).unwrap();
    let idx = SearchIndex::open(&dir).unwrap();
    let first = |t: &str| idx.search(&SearchQuery::text(t)).unwrap();
    let r = first("formation excel marseille");
    assert_eq!(r.resultats[0].nda, "1");
    assert_eq!(r.interpretation.lieu.as_ref().unwrap().nom, "Marseille");
    assert_eq!(r.total, 1);
    assert_eq!(r.interpretation.libelle, "« excel » autour de Marseille (30 km)");
    assert_eq!(first("CCI Lyon Métropole").resultats[0].nda, "2");
    assert_eq!(first("Institut de Formation de Marseille").resultats[0].nda, "3");
    assert_eq!(first("Lycée Saint-Étienne").resultats[0].nda, "4");
    let r = first("excel lyon");
    assert_eq!(r.resultats[0].nda, "5");
}
