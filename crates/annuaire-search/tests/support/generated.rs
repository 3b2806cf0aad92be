//! Documents from the project's seeded generator (`annuaire-testdata`), read back through the
//! official-list parser and geocoded by `annuaire-geo`, exactly as the store hands them over.
#![allow(dead_code)]

use annuaire_search::{SearchDoc, doc_from};

pub fn docs(rows: usize) -> Vec<SearchDoc> {
    let series = annuaire_testdata::generate(&annuaire_testdata::GenConfig { rows, ..Default::default() });
    let parsed = annuaire_sources::liste_of::parse(&series.snapshots[0].csv).expect("generated list parses");
    let places = annuaire_geo::Places::get();
    parsed
        .organismes
        .iter()
        .map(|org| {
            let a = &org.adresse;
            let g = places.geocode(a.code_postal.as_deref(), a.ville.as_deref(), a.code_region.as_deref());
            doc_from(org, &g)
        })
        .collect()
}
