//! The generator's promises: determinism, format, realism, and ground truth that an independent
//! reading of the CSV (with the `csv` crate, not the generator's own code) confirms.

use super::*;
use chrono::Datelike;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

/// The 20,000-row series most tests look at, generated once.
fn series() -> &'static Series {
    static S: OnceLock<Series> = OnceLock::new();
    S.get_or_init(|| generate(&GenConfig { rows: 20_000, ..GenConfig::default() }))
}

/// A snapshot read back independently.
struct Parsed {
    /// Accepted rows keyed by NDA (first occurrence), with their physical line.
    rows: BTreeMap<String, (u64, Vec<String>)>,
    /// Rejected lines, raw.
    rejected: Vec<(u64, &'static str, String)>,
}

fn parse(s: &Snapshot) -> Parsed {
    let text = std::str::from_utf8(&s.csv).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let reasons: HashMap<u64, &'static str> = s
        .quirks
        .iter()
        .filter_map(|q| if let QuirkKind::Rejected(r) = q.kind { Some((q.line, r)) } else { None })
        .collect();
    // Rejected lines are set aside first: a broken quote must not confuse the reader of the rest.
    let mut kept = String::with_capacity(text.len());
    let mut kept_lines = Vec::new();
    let mut rejected = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let n = i as u64 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(r) = reasons.get(&n) {
            rejected.push((n, *r, line.to_string()));
        } else if !line.is_empty() {
            kept.push_str(line);
            kept.push('\n');
            kept_lines.push(n);
        }
    }
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(kept.as_bytes());
    let mut rows = BTreeMap::new();
    for (k, rec) in reader.records().enumerate().skip(1) {
        let rec = rec.unwrap_or_else(|e| panic!("line {}: {e}", kept_lines[k]));
        let f: Vec<String> = rec.iter().map(str::to_string).collect();
        assert_eq!(f.len(), 31, "line {}", kept_lines[k]);
        rows.entry(f[0].clone()).or_insert((kept_lines[k], f));
    }
    assert_eq!(rejected.len(), reasons.len(), "every rejected line exists");
    Parsed { rows, rejected }
}

fn certified(r: &[String]) -> bool {
    r[9..13].iter().any(|b| b == "true")
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y").ok()
}

fn digit_sum(s: &str) -> u32 {
    s.bytes().map(|b| u32::from(b - b'0')).sum()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    for cfg in [
        GenConfig { rows: 1_500, ..GenConfig::default() },
        GenConfig { rows: 300, snapshots: 4, seed: 7, bom: false, crlf: false, ..GenConfig::default() },
    ] {
        let (a, b) = (generate(&cfg), generate(&cfg));
        assert_eq!(a.snapshots.len(), cfg.snapshots);
        for (x, y) in a.snapshots.iter().zip(&b.snapshots) {
            assert_eq!(x.csv, y.csv);
            assert_eq!(x.expected_changes, y.expected_changes);
            assert_eq!(x.quirks, y.quirks);
        }
        let c = generate(&GenConfig { seed: cfg.seed + 1, ..cfg });
        assert_ne!(a.snapshots[0].csv, c.snapshots[0].csv);
    }
}

#[test]
fn output_is_frozen_for_a_seed() {
    // Byte-identical across platforms and versions: a change here must be deliberate (it
    // changes every recorded benchmark input). Update the constant only on purpose.
    let s = generate(&GenConfig { rows: 400, snapshots: 2, ..GenConfig::default() });
    let h = s.snapshots.iter().fold(0u64, |acc, x| acc ^ fnv(&[&x.csv]).rotate_left(7));
    assert_eq!(h, GOLDEN, "generator output changed: {h:#x}");
}
const GOLDEN: u64 = 0x13f4_a273_fbc9_a8a0;

#[test]
fn file_shape_follows_the_options() {
    // (bom, crlf, leading space)
    for (bom, crlf, spaced) in
        [(true, true, false), (false, false, true), (true, false, false), (false, true, true)]
    {
        let cfg = GenConfig {
            rows: 300,
            snapshots: 1,
            bom,
            crlf,
            leading_space_header: spaced,
            ..GenConfig::default()
        };
        let s = &generate(&cfg).snapshots[0];
        assert_eq!(s.csv.starts_with(b"\xEF\xBB\xBF"), bom);
        let text = std::str::from_utf8(&s.csv).unwrap().trim_start_matches('\u{feff}');
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines.last(), Some(&""), "file ends with a line break");
        for line in &lines[..lines.len() - 1] {
            assert_eq!(line.ends_with('\r'), crlf);
            assert!(line.trim_end_matches('\r').ends_with(';'), "trailing ; on {line}");
        }
        let header = lines[0].trim_end_matches('\r');
        if spaced {
            assert!(header.contains("; denomination;"));
            assert_eq!(header.replace("; ", ";"), HEADER);
        } else {
            assert_eq!(header, HEADER);
        }
        assert_eq!(header.split(';').count(), 31);
    }
}

#[test]
fn valid_rows_are_well_formed() {
    let nsf: HashMap<String, String> =
        include_str!("../../../data/reference/nsf_groupes_specialites_dgefp.csv")
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(c, l)| (c.to_string(), l.trim_matches('"').to_string()))
            .collect();
    let regions = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"];
    let overseas = ["01", "02", "03", "04", "06"];
    for s in &series().snapshots {
        let p = parse(s);
        assert_eq!(p.rows.len(), s.valid_rows);
        assert_eq!(p.rows.values().filter(|(_, r)| certified(r)).count(), s.certified_rows);
        let mut sirets = HashSet::new();
        for (nda, (line, r)) in &p.rows {
            let at = format!("line {line}: {r:?}");
            assert!(nda.len() == 11 && nda.bytes().all(|b| b.is_ascii_digit()), "{at}");
            assert!(regions.contains(&&nda[..2]) || overseas.contains(&&nda[..2]), "{at}");
            assert!(regions.contains(&r[8].as_str()) || overseas.contains(&r[8].as_str()), "{at}");
            let (siren, siret) = (&r[3], &r[4]);
            assert!(siren.len() == 9 && luhn_ok(siren), "{at}");
            assert!(siret.len() == 14 && siret.starts_with(siren.as_str()), "{at}");
            if siren == "356000000" {
                assert_eq!(digit_sum(siret) % 5, 0, "{at}");
            } else {
                assert!(luhn_ok(siret), "{at}");
            }
            assert!(sirets.insert(siret.clone()), "SIRET used twice, {at}");
            assert!(!r[2].trim().is_empty(), "{at}");
            let cp = &r[6];
            assert!(
                cp.is_empty() || ((cp.len() == 5 || cp.len() == 4) && cp.bytes().all(|b| b.is_ascii_digit()))
            );
            assert_eq!(cp.is_empty(), r[7].is_empty(), "{at}");
            for b in &r[9..13] {
                assert!(["true", "false", ""].contains(&b.as_str()), "{at}");
            }
            if r[18].is_empty() {
                assert!(r[18..30].iter().all(String::is_empty), "{at}");
                continue;
            }
            let dates: Vec<NaiveDate> = r[18..21].iter().map(|d| date(d).expect(&at)).collect();
            let oldest = s.date.with_year(s.date.year() - 3).unwrap();
            assert!(dates.iter().all(|d| *d <= s.date && *d >= oldest), "{at}");
            assert!(dates[1] < dates[2] && dates[2] < dates[0], "{at}");
            assert!(!r[21].is_empty(), "at least one specialty, {at}");
            let mut codes = HashSet::new();
            for k in 0..3 {
                let (code, label) = (&r[21 + 2 * k], &r[22 + 2 * k]);
                if !code.is_empty() {
                    assert_eq!(nsf.get(code), Some(label), "{at}");
                    assert!(codes.insert(code), "specialty repeated, {at}");
                }
            }
            let n: Vec<u32> = r[27..30].iter().map(|x| x.parse().expect(&at)).collect();
            assert!(n[0] >= n[1], "{at}");
        }
    }
}

#[test]
fn broken_rows_are_broken_as_labelled_with_fresh_ndas() {
    let all = &series().snapshots;
    let parsed: Vec<Parsed> = all.iter().map(parse).collect();
    let valid_anywhere: HashSet<&String> = parsed.iter().flat_map(|p| p.rows.keys()).collect();
    for (s, p) in all.iter().zip(&parsed) {
        assert_eq!(p.rejected.len(), s.rejected_rows);
        assert_eq!(s.rejected_rows, (s.valid_rows / 2000).max(REJECT_REASONS.len()));
        let kinds: BTreeSet<&str> = p.rejected.iter().map(|(_, k, _)| *k).collect();
        assert_eq!(kinds, REJECT_REASONS.iter().copied().collect());
        for (line, kind, raw) in &p.rejected {
            let f: Vec<&str> = raw.split(';').collect();
            let quirk = s.quirks.iter().find(|q| q.line == *line).unwrap();
            assert_eq!(quirk.nda, f[0], "line {line}");
            let broken = match *kind {
                "nda" => !(f[0].len() == 11 && f[0].bytes().all(|b| b.is_ascii_digit())),
                "siret" => luhn_ok(f[3]) && !luhn_ok(f[4]),
                "siren" => !luhn_ok(f[3]),
                "date" => f[18..21].iter().any(|d| date(d).is_none()),
                "booleen" => f[9..13].contains(&"oui"),
                "compte" => f[27..30].iter().any(|c| c.parse::<u32>().is_err()),
                "colonnes" => f.len() < 30,
                "guillemet" => f[2].starts_with('"') && f[2][1..f[2].len() - 1].contains('"'),
                "doublon" => p.rows.get(f[0]).is_some_and(|(first, _)| first < line),
                _ => false,
            };
            assert!(broken, "line {line} is not a {kind} fault: {raw}");
            if *kind != "doublon" {
                assert!(
                    !valid_anywhere.contains(&f[0].to_string()),
                    "line {line}: NDA reused by a valid row"
                );
            }
        }
    }
    let clean = generate(&GenConfig { rows: 500, snapshots: 1, broken_rows: false, ..GenConfig::default() });
    assert_eq!(clean.snapshots[0].rejected_rows, 0);
    assert!(clean.snapshots[0].quirks.iter().all(|q| !matches!(q.kind, QuirkKind::Rejected(_))));
}

#[test]
fn realism_ratios() {
    let s = &series().snapshots[0];
    let parsed = parse(s);
    let rows: Vec<&Vec<String>> = parsed.rows.values().map(|(_, r)| r).collect();
    let share = |n: usize, of: usize| n as f64 / of as f64;
    let cert: Vec<&&Vec<String>> = rows.iter().filter(|r| certified(r)).collect();
    let c = share(cert.len(), rows.len());
    assert!((0.255..0.305).contains(&c), "certified {c}");
    let no_addr = cert.iter().filter(|r| r[5].is_empty() && r[6].is_empty() && r[7].is_empty()).count();
    let na = share(no_addr, cert.len());
    assert!((0.40..0.48).contains(&na), "certified without address {na}");
    assert!(rows.iter().all(|r| !r[8].is_empty()), "region always filled");
    // Scopes: actions ≫ apprentissage > bilans > VAE.
    let scope = |k: usize| cert.iter().filter(|r| r[k] == "true").count();
    let (actions, bilans, vae, apprentissage) = (scope(9), scope(10), scope(11), scope(12));
    assert!(actions > 3 * apprentissage && apprentissage > bilans && bilans > vae && vae > 0);

    let caps = rows.iter().filter(|r| !r[2].chars().any(char::is_lowercase)).count();
    let caps = share(caps, rows.len());
    assert!((0.85..0.97).contains(&caps), "ALL CAPS names {caps}");
    let mut by_siren: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in &rows {
        by_siren.entry(&r[3]).or_default().insert(&r[4]);
    }
    let groups: Vec<&str> = rows
        .iter()
        .filter(|r| by_siren[r[3].as_str()].len() >= 3 && r[3] != "356000000")
        .map(|r| r[2].as_str())
        .collect();
    for net in ["GRETA", "AFPA", "CCI", "CFA", "IFSI"] {
        assert!(groups.iter().filter(|n| n.contains(net)).count() >= 5, "{net} network");
    }
    let city = |prefix: &str| rows.iter().filter(|r| r[6].starts_with(prefix)).count();
    assert!(share(city("75"), rows.len()) > 0.02, "Paris is frequent");
    assert!(city("690") + city("693") > 50 && city("130") + city("132") > 50, "Lyon and Marseille");
    let names = |pred: &dyn Fn(&str) -> bool| rows.iter().filter(|r| pred(&r[2])).count();
    assert!(names(&|n| n.starts_with("SARL ") || n.ends_with(" SAS") || n.starts_with("EURL ")) > 1000);
    assert!(names(&|n| n.starts_with("ASSOCIATION ")) > 500);
    assert!(names(&|n| n.starts_with("MONSIEUR ") || n.starts_with("Madame ")) > 100);
    for acronym in ["CACES", "BTP", "CCI", "AFPA", "GRETA", "CFA", "IFSI", "SST", "HACCP"] {
        assert!(names(&|n| n.split(' ').any(|w| w == acronym)) > 0, "{acronym}");
    }
    let ville = |v: &str| rows.iter().filter(|r| r[7] == v).count();
    for v in ["ST ETIENNE", "SAINT-ETIENNE", "PARIS 11", "PARIS 11EME", "MARSEILLE 13E"] {
        assert!(ville(v) > 0, "{v}");
    }
    assert!(rows.iter().any(|r| r[7].contains(" CEDEX") && r[6].as_bytes()[2] == b'9'), "CEDEX");
    assert!(rows.iter().any(|r| r[6].len() == 4), "postal code without its zero");
    assert!(rows.iter().any(|r| r[1].contains(',')), "several former NDAs");
    assert!(rows.iter().filter(|r| !r[13].is_empty() && !r[17].is_empty()).count() >= 2, "foreign bodies");

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
        "Precedents",
        "NoDeclaration",
    ] {
        assert!(kinds.contains(k), "quirk {k} missing");
    }
}

#[test]
fn names_and_specialties_agree() {
    // (word in the name, NSF code the first specialty must be among)
    let cases: &[(&str, &[&str])] = &[
        ("COIFFURE", &["336"]),
        ("CACES", &["311"]),
        ("ANGLAIS", &["136"]),
        ("CYBERSECURITE", &["326", "344"]),
        ("COMPTABILITE", &["314"]),
        ("SECURITE INCENDIE", &["344"]),
        ("PETITE ENFANCE", &["332", "330"]),
        ("HOTELLERIE", &["334", "221"]),
        ("IFSI", &["331"]),
    ];
    let rows = parse(&series().snapshots[0]).rows;
    for (word, codes) in cases {
        let hits: Vec<_> = rows.values().filter(|(_, r)| r[2].contains(word) && !r[21].is_empty()).collect();
        assert!(!hits.is_empty(), "{word}");
        for (line, r) in hits {
            assert!(codes.contains(&r[21].as_str()), "line {line}: {} declares {}", r[2], r[21]);
        }
    }
}

#[test]
fn quirks_point_at_their_rows() {
    let s = &series().snapshots[0];
    let text = std::str::from_utf8(&s.csv).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    for q in &s.quirks {
        let line = lines[q.line as usize - 1];
        assert!(line.starts_with(&q.nda), "line {}: {:?} on {line}", q.line, q.kind);
        match &q.kind {
            QuirkKind::PostalCodeRepaired { raw, fixed } => {
                assert!(
                    line.contains(&format!(";{raw};")) && fixed.ends_with(raw.as_str()) && fixed.len() == 5
                )
            }
            QuirkKind::LaPoste => assert!(line.contains(";356000000;")),
            QuirkKind::QuotedField => assert!(line.contains(";\"")),
            QuirkKind::LegalForm(f) => assert!(line.contains(f)),
            _ => {}
        }
    }
}

/// Normalised comparable fields, as the importer sees them.
fn address(r: &[String]) -> (String, String, String, String) {
    let cp = r[6].trim();
    let cp = if cp.len() == 4 { format!("0{cp}") } else { cp.to_string() };
    (r[5].trim().to_string(), cp, r[7].trim().to_string(), r[8].trim().to_string())
}

/// The changes between snapshots, re-derived from the files alone by the rules of the brief.
fn derive(parsed: &[Parsed]) -> Vec<Vec<ExpectedChange>> {
    let ch = |nda: &str, kind: &str, detail: Option<&str>| ExpectedChange {
        nda: nda.to_string(),
        kind: kind.to_string(),
        detail: detail.map(str::to_string),
    };
    let mut out = vec![Vec::new()];
    let mut last: BTreeMap<&String, &Vec<String>> = parsed[0].rows.iter().map(|(n, (_, r))| (n, r)).collect();
    for w in parsed.windows(2) {
        let (before, now) = (&w[0].rows, &w[1].rows);
        let mut changes = Vec::new();
        let mut transferred = HashSet::new();
        for (nda, (_, r)) in now {
            let old = match (before.get(nda), last.get(nda)) {
                (Some((_, b)), _) => Some(b),
                (None, Some(b)) => {
                    changes.push(ch(nda, "reapparu", None));
                    Some(*b)
                }
                (None, None) => {
                    let pred = r[1]
                        .split(',')
                        .map(str::trim)
                        .find(|p| last.contains_key(&p.to_string()) && !now.contains_key(*p));
                    match pred {
                        Some(p) => {
                            transferred.insert(p.to_string());
                            changes.push(ch(nda, "transfere", Some(p)));
                        }
                        None => changes.push(ch(nda, "nouveau", None)),
                    }
                    None
                }
            };
            let Some(b) = old else { continue };
            match (certified(b), certified(r)) {
                (false, true) => changes.push(ch(nda, "certifie", None)),
                (true, false) => changes.push(ch(nda, "decertifie", None)),
                (true, true) => {
                    for (k, slug) in SCOPE_SLUGS.iter().enumerate() {
                        match (b[9 + k] == "true", r[9 + k] == "true") {
                            (false, true) => changes.push(ch(nda, "categorie_ajoutee", Some(slug))),
                            (true, false) => changes.push(ch(nda, "categorie_retiree", Some(slug))),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            if b[2].trim() != r[2].trim() {
                changes.push(ch(nda, "renomme", None));
            }
            if address(b) != address(r) {
                changes.push(ch(nda, "adresse_modifiee", None));
            }
        }
        for nda in before.keys() {
            if !now.contains_key(nda) && !transferred.contains(nda) {
                changes.push(ch(nda, "disparu", None));
            }
        }
        changes.sort();
        out.push(changes);
        last.extend(now.iter().map(|(n, (_, r))| (n, r)));
    }
    out
}

#[test]
fn expected_changes_agree_with_the_files() {
    for series in
        [series(), &generate(&GenConfig { rows: 700, snapshots: 5, seed: 3, ..GenConfig::default() })]
    {
        let parsed: Vec<Parsed> = series.snapshots.iter().map(parse).collect();
        let derived = derive(&parsed);
        for (k, (s, d)) in series.snapshots.iter().zip(&derived).enumerate() {
            assert_eq!(&s.expected_changes, d, "snapshot {k}");
        }
        // Every transition from the second on has every change type, `reapparu` included.
        for s in &series.snapshots[2..] {
            let kinds: BTreeSet<&str> = s.expected_changes.iter().map(|c| c.kind.as_str()).collect();
            assert_eq!(kinds, CHANGE_KINDS.iter().copied().collect(), "{}", s.date);
        }
    }
}

#[test]
fn changes_have_realistic_volumes_and_traps() {
    let all = &series().snapshots;
    let parsed: Vec<Parsed> = all.iter().map(parse).collect();
    for (k, s) in all.iter().enumerate().skip(1) {
        let n = |kind: &str| s.expected_changes.iter().filter(|c| c.kind == kind).count() as f64;
        let rows = all[k - 1].valid_rows as f64;
        assert!((0.005..0.01).contains(&(n("nouveau") / rows)), "nouveau {}", n("nouveau"));
        assert!((0.003..0.008).contains(&(n("disparu") / rows)), "disparu {}", n("disparu"));
        assert!((0.003..0.01).contains(&((n("renomme") + n("adresse_modifiee")) / rows)));
        assert!(n("transfere") >= 2.0 && n("certifie") > 10.0 && n("decertifie") > 10.0);
        // Spelling-only differences exist and are not changes.
        let (before, now) = (&parsed[k - 1].rows, &parsed[k].rows);
        let respelled: Vec<&String> = now
            .iter()
            .filter(|(nda, (_, r))| {
                before.get(*nda).is_some_and(|(_, b)| {
                    (b[6] != r[6] || b[2] != r[2]) && address(b) == address(r) && b[2].trim() == r[2].trim()
                })
            })
            .map(|(nda, _)| nda)
            .collect();
        assert!(respelled.len() >= 2, "spelling-only differences");
        assert!(respelled.iter().all(|nda| s.expected_changes.iter().all(|c| &c.nda != *nda)));
        // Multiple changes on one row occur.
        let mut per_nda: HashMap<&str, usize> = HashMap::new();
        for c in &s.expected_changes {
            *per_nda.entry(&c.nda).or_default() += 1;
        }
        assert!(per_nda.values().any(|n| *n >= 2));
    }
}

#[test]
fn tiny_and_odd_configurations_work() {
    for (rows, snapshots) in [(0, 1), (1, 3), (10, 3), (50, 2), (120, 6)] {
        let s = generate(&GenConfig { rows, snapshots, ..GenConfig::default() });
        assert_eq!(s.snapshots.len(), snapshots);
        for (k, snap) in s.snapshots.iter().enumerate() {
            assert_eq!(snap.date, GenConfig::default().start_date + chrono::Days::new(7 * k as u64));
            assert_eq!(parse(snap).rows.len(), snap.valid_rows);
        }
    }
}

#[test]
fn write_series_writes_files_and_a_synthetic_manifest() {
    let dir = std::env::temp_dir().join(format!("annuaire-testdata-{}", std::process::id()));
    let cfg = GenConfig { rows: 300, ..GenConfig::default() };
    let files = write_series(&dir.join("nested"), &cfg).unwrap();
    let names: Vec<String> =
        files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        ["snapshot-2026-11-02.csv", "snapshot-2026-11-09.csv", "snapshot-2026-11-16.csv", "manifest.json"]
    );
    let series = generate(&cfg);
    assert_eq!(std::fs::read(&files[2]).unwrap(), series.snapshots[2].csv);
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&files[3]).unwrap()).unwrap();
    assert_eq!(manifest["synthetic"], true);
    let snaps = manifest["snapshots"].as_array().unwrap();
    assert_eq!(snaps.len(), 3);
    assert_eq!(snaps[2]["valid_rows"], series.snapshots[2].valid_rows);
    assert_eq!(
        snaps[2]["expected_changes"].as_array().unwrap().len(),
        series.snapshots[2].expected_changes.len()
    );
    assert!(snaps[0]["quirks"].as_array().unwrap().iter().any(|q| q["kind"]["Rejected"] == "doublon"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn luhn_cases() {
    for (digits, ok) in [
        ("732829320", true),
        ("732829321", false),
        ("73282932000074", true),
        ("73282932000075", false),
        ("356000000", true),
        // La Poste: digit sum a multiple of 5, Luhn fails.
        ("35600000000010", false),
        ("", false),
        ("12a", false),
    ] {
        assert_eq!(luhn_ok(digits), ok, "{digits}");
    }
}
