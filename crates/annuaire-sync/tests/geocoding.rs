//! Geocoding coverage on national-scale generated data (160,000 rows, real communes).

use annuaire_geo::{Places, Precision};
use annuaire_testdata::{GenConfig, generate};

#[test]
fn national_scale_rows_are_geocoded_to_their_department_or_better() {
    let series = generate(&GenConfig { rows: 160_000, snapshots: 1, ..GenConfig::default() });
    let parsed = annuaire_sources::liste_of::parse(&series.snapshots[0].csv).unwrap();
    let places = Places::get();
    let (mut with_address, mut commune, mut failures) = (0usize, 0usize, Vec::new());
    for o in &parsed.organismes {
        let a = &o.adresse;
        let g = places.geocode(a.code_postal.as_deref(), a.ville.as_deref(), a.code_region.as_deref());
        if a.code_postal.is_none() && a.ville.is_none() {
            // No address: region at best, and never invented coordinates of a commune.
            assert!(matches!(g.precision, Precision::Region | Precision::Aucune), "{}: {g:?}", o.nda);
            assert!(g.code_commune.is_none(), "{}: {g:?}", o.nda);
            continue;
        }
        with_address += 1;
        assert!(
            matches!(g.precision, Precision::Commune | Precision::CodePostal | Precision::Departement),
            "{} {:?} {:?}: {g:?}",
            o.nda,
            a.code_postal,
            a.ville
        );
        assert!(g.departement.is_some(), "{}: {g:?}", o.nda);
        if a.code_postal.is_some() && a.ville.is_some() {
            if g.precision == Precision::Commune {
                commune += 1;
            } else if failures.len() < 20 {
                failures
                    .push(format!("{:?} {:?} -> {:?} ({})", a.code_postal, a.ville, g.precision, g.raison));
            }
        }
    }
    assert!(with_address > 100_000, "{with_address}");
    assert!(failures.is_empty(), "rows with postal code and city below commune precision: {failures:#?}");
    assert!(commune > 90_000, "{commune}");
}
