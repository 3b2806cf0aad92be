//! The generator's promises: determinism, format, realism, and ground truth that an independent
//! reading of the CSV confirms.

use super::*;
use std::collections::BTreeMap;

fn small() -> Series {
    generate(&GenConfig { rows: 20_000, ..GenConfig::default() })
}

/// Fields of each accepted row keyed by NDA, read by physical line without the project's reader:
/// generated text fields never contain `;`, so a plain split (and unquoting) is exact.
fn rows(s: &Snapshot) -> BTreeMap<String, Vec<String>> {
    let text = String::from_utf8(s.csv.clone()).unwrap();
    let rejected: HashSet<u64> =
        s.quirks.iter().filter(|q| matches!(q.kind, QuirkKind::Rejected(_))).map(|q| q.line).collect();
    let mut out = BTreeMap::new();
    for (i, line) in text.split('\n').enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || rejected.contains(&(i as u64 + 1)) {
            continue;
        }
        let f: Vec<String> = line.split(';').map(|x| x.trim_matches('"').replace("\"\"", "\"")).collect();
        assert_eq!(f.len(), 31, "line {}: {line}", i + 1);
        out.insert(f[0].clone(), f);
    }
    out
}

#[test]
fn same_seed_same_bytes() {
    let cfg = GenConfig { rows: 3_000, ..GenConfig::default() };
    let a = generate(&cfg);
    let b = generate(&cfg);
    assert!(a.snapshots.iter().zip(&b.snapshots).all(|(x, y)| x.csv == y.csv));
    let c = generate(&GenConfig { seed: 43, ..cfg });
    assert_ne!(a.snapshots[0].csv, c.snapshots[0].csv);
}

#[test]
fn file_shape_options() {
    let check = |cfg: GenConfig, bom: bool, crlf: bool, spaced: bool| {
        let s = &generate(&cfg).snapshots[0];
        assert_eq!(s.csv.starts_with(b"\xEF\xBB\xBF"), bom);
        let text = String::from_utf8(s.csv.clone()).unwrap();
        let first = text.split('\n').next().unwrap();
        assert_eq!(first.ends_with('\r'), crlf);
        assert_eq!(first.contains("; denomination;"), spaced);
        assert!(first.trim_end_matches('\r').ends_with("effectifFormateurs;"));
        assert_eq!(first.trim_start_matches('\u{feff}').trim_end_matches('\r').split(';').count(), 31);
        // Every data row ends with the trailing `;`.
        assert!(
            text.split('\n')
                .skip(1)
                .filter(|l| !l.is_empty())
                .take(100)
                .all(|l| l.trim_end_matches('\r').ends_with(';'))
        );
    };
    let base = GenConfig { rows: 500, snapshots: 1, ..GenConfig::default() };
    check(base.clone(), true, true, false);
    check(GenConfig { bom: false, crlf: false, leading_space_header: true, ..base }, false, false, true);
}

#[test]
fn identifiers_are_valid_except_broken_rows() {
    let s = &small().snapshots[0];
    let rows = rows(s);
    assert_eq!(rows.len(), s.valid_rows);
    for (nda, r) in &rows {
        assert!(nda.len() == 11 && nda.bytes().all(|b| b.is_ascii_digit()), "{nda}");
        let (siren, siret) = (&r[3], &r[4]);
        assert!(luhn_ok(siren), "{nda}: siren {siren}");
        assert!(siret.starts_with(siren));
        let sum: u32 = siret.bytes().map(|b| u32::from(b - b'0')).sum();
        assert!(luhn_ok(siret) || (siren == "356000000" && sum % 5 == 0), "{nda}: siret {siret}");
    }
}

#[test]
fn realism_ratios() {
    let s = &small().snapshots[0];
    let rows = rows(s);
    let certified: Vec<_> = rows.values().filter(|r| (9..13).any(|i| &r[i] == "true")).collect();
    let share = certified.len() as f64 / rows.len() as f64;
    assert!((0.25..0.31).contains(&share), "certified {share}");
    assert_eq!(certified.len(), s.certified_rows);
    let no_addr = certified.iter().filter(|r| r[6].is_empty() && r[7].is_empty()).count() as f64;
    let share = no_addr / certified.len() as f64;
    assert!((0.40..0.48).contains(&share), "certified without address {share}");
    let mut by_siren: HashMap<&str, usize> = HashMap::new();
    for r in rows.values() {
        *by_siren.entry(r[3].as_str()).or_default() += 1;
    }
    assert!(by_siren.values().filter(|n| **n >= 5).count() >= 5, "groups with several NDAs");
    let caps = rows.values().filter(|r| !r[2].chars().any(char::is_lowercase)).count() as f64;
    assert!(caps / rows.len() as f64 > 0.8, "mostly ALL CAPS");
    let kinds: HashSet<String> = s
        .quirks
        .iter()
        .map(|q| format!("{:?}", q.kind).split(['(', ' ']).next().unwrap().to_string())
        .collect();
    for k in [
        "Rejected",
        "PostalCodeRepaired",
        "Cedex",
        "ArrondissementSpelling",
        "SaintAbbreviated",
        "NoAddress",
        "ForeignRepresented",
        "QuotedField",
        "LaPoste",
        "SoleTrader",
        "LegalForm",
    ] {
        assert!(kinds.contains(k), "quirk {k} missing");
    }
    let reasons: HashSet<&str> = s
        .quirks
        .iter()
        .filter_map(|q| if let QuirkKind::Rejected(r) = q.kind { Some(r) } else { None })
        .collect();
    assert_eq!(reasons.len(), BROKEN_KINDS.len());
}

#[test]
fn last_transition_has_every_change_type_and_agrees_with_the_files() {
    let series = small();
    let n = series.snapshots.len();
    let (before, after) = (&series.snapshots[n - 2], &series.snapshots[n - 1]);
    let kinds: HashSet<&str> = after.expected_changes.iter().map(|c| c.kind.as_str()).collect();
    for k in [
        "nouveau",
        "disparu",
        "reapparu",
        "certifie",
        "decertifie",
        "categorie_ajoutee",
        "categorie_retiree",
        "renomme",
        "adresse_modifiee",
        "transfere",
    ] {
        assert!(kinds.contains(k), "{k} missing");
    }
    // Independent re-derivation of presence and certification changes from the two files.
    let (b, a) = (rows(before), rows(after));
    let ever: HashSet<String> = series.snapshots[..n - 1].iter().flat_map(|s| rows(s).into_keys()).collect();
    let certified = |r: &Vec<String>| (9..13).any(|i| &r[i] == "true");
    let mut derived: Vec<(String, &str)> = Vec::new();
    for (nda, r) in &a {
        match b.get(nda) {
            Some(old) if certified(old) != certified(r) => {
                derived.push((nda.clone(), if certified(r) { "certifie" } else { "decertifie" }))
            }
            Some(_) => {}
            None if ever.contains(nda) => derived.push((nda.clone(), "reapparu")),
            None if !r[1].is_empty() && ever.contains(&r[1]) && !a.contains_key(&r[1]) => {
                derived.push((nda.clone(), "transfere"))
            }
            None => derived.push((nda.clone(), "nouveau")),
        }
    }
    let transferred: HashSet<&str> = a.values().map(|r| r[1].as_str()).filter(|p| !p.is_empty()).collect();
    for nda in b.keys() {
        if !a.contains_key(nda) && !transferred.contains(nda.as_str()) {
            derived.push((nda.clone(), "disparu"));
        }
    }
    derived.sort();
    let mut expected: Vec<(String, &str)> = after
        .expected_changes
        .iter()
        .filter(|c| {
            matches!(
                c.kind.as_str(),
                "certifie" | "decertifie" | "reapparu" | "transfere" | "nouveau" | "disparu"
            )
        })
        .map(|c| (c.nda.clone(), c.kind.as_str()))
        .collect();
    expected.sort();
    assert_eq!(derived, expected);
}

#[test]
fn write_series_writes_files_and_a_synthetic_manifest() {
    let dir = std::env::temp_dir().join(format!("annuaire-testdata-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = write_series(&dir, &GenConfig { rows: 300, ..GenConfig::default() }).unwrap();
    assert_eq!(files.len(), 4);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["synthetic"], true);
    assert_eq!(manifest["snapshots"].as_array().unwrap().len(), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}
