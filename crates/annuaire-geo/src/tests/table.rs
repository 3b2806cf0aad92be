//! The bundled table is exactly what `derive.rs` makes of the raw reference files.

use crate::derive::derive;
use std::io::{Read, Write};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn derived_table_is_up_to_date() {
    let fresh = derive(
        &read("data/reference/laposte_hexasmal_2022.csv.gz"),
        &read("data/reference/communes_france_2024_limite.csv.gz"),
        &String::from_utf8(read("data/reference/decoupage_departements.json")).unwrap(),
        &String::from_utf8(read("data/reference/decoupage_regions.json")).unwrap(),
    );
    let path = repo().join("data/geo/places.tsv.gz");
    if std::env::var_os("ANNUAIRE_GEO_REGENERATE").is_some() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(fresh.as_bytes()).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
    }
    let mut bundled = String::new();
    flate2::read::GzDecoder::new(&std::fs::read(&path).unwrap()[..]).read_to_string(&mut bundled).unwrap();
    assert!(
        bundled == fresh,
        "data/geo/places.tsv.gz is stale: rebuild it with \
         `ANNUAIRE_GEO_REGENERATE=1 cargo test -p annuaire-geo derived_table_is_up_to_date`"
    );
    // Every commune and arrondissement of the 2024 file is in the table, located.
    let mut raw = String::new();
    flate2::read::GzDecoder::new(&read("data/reference/communes_france_2024_limite.csv.gz")[..])
        .read_to_string(&mut raw)
        .unwrap();
    let places = crate::Places::get();
    for line in raw.lines().skip(1) {
        let code = line.split(',').next().unwrap().trim_matches('"');
        let c = places.commune(code).unwrap_or_else(|| panic!("{code} missing"));
        assert!(c.lat.is_finite() && c.lon.is_finite() && !c.codes_postaux.is_empty(), "{c:?}");
    }
    assert_eq!(places.communes().len(), raw.lines().count() - 1);
    assert_eq!(places.communes().iter().filter(|c| c.is_arrondissement()).count(), 20 + 9 + 16);
}
