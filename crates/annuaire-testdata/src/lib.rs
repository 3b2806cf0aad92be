//! Seeded generator of SYNTHETIC snapshots of the DGEFP "Liste publique des organismes de
//! formation", in the official CSV format and with its known quirks. Every organisation, name,
//! NDA, SIREN and SIRET it writes is invented: no row describes a real provider.
//!
//! No real row of the list can be obtained offline, so tests, benchmarks and demos run on this.
//! Only the reference data it draws from is real (communes with their postal codes and routing
//! labels from La Poste, populations and regions from INSEE, NSF specialty codes and labels from
//! the DGEFP), which is what makes the geography and topics realistic. Output is byte-identical
//! for a seed on any platform: the PRNG is a local SplitMix64 and only integer or IEEE
//! arithmetic decides anything.
//!
//! # The file
//! `;`-separated UTF-8 with the official 30-column header and a trailing `;` on every line;
//! options for a BOM, CRLF and the old header variant with a space before each name. Dates
//! dd/mm/yyyy, booleans `true`/`false` (empty for some non-certified rows), fields quoted now and
//! then and always when they hold `;` or `"` (doubled inside).
//!
//! # Realism targets, at any size
//! - ~28% of rows certified (at least one scope); among scopes, actions de formation (~92% of
//!   certified rows) far ahead of apprentissage (~22%), bilans de compétences (~9%) and VAE (~6%);
//! - ~44% of certified rows without address (voie, postal code and city empty, region kept),
//!   ~3% of the others;
//! - names mostly ALL CAPS: ~28% with a legal form (`SARL FORMATION PLUS`, `ABC CONSEIL SAS`,
//!   EURL, SASU…), ~8% associations, ~8% sole traders (`DUPONT JEAN`, `MONSIEUR JEAN DUPONT`,
//!   `Madame Marie Martin`), ~6% mixed case, acronyms (CACES, BTP, SST, HACCP…);
//! - ~4% in networks (GRETA, AFPA, CCI, CMA, CFA BTP, IFSI, MFR) sharing one SIREN per region
//!   (one national SIREN for AFPA) with distinct SIRETs; La Poste establishments (SIREN
//!   356000000, SIRETs whose digit sum is a multiple of 5) in every file;
//! - topics in names consistent with 1 to 3 declared NSF specialties, labels as published;
//! - postal code and city of real communes weighted by population, with the spellings of the
//!   real file: `ST ETIENNE`/`SAINT-ETIENNE`/`Saint-Étienne`, `PARIS 11`, `PARIS 11EME`,
//!   `MARSEILLE 13E`, `LYON CEDEX 03` with a CEDEX postal code, lower case; ~15% of postal codes
//!   of departments 01-09 written without their leading zero (`1000`);
//! - ~1.5% naming former NDAs (one, or several separated by `,`), ~0.2% representing a foreign
//!   body, ~4% without declared figures; counts with nbStagiaires ≥ nbStagiairesConfies; last
//!   declaration and exercise within the last three years, never after the snapshot date;
//! - broken rows: ~0.05% and at least one of each kind per file (see [`QuirkKind::Rejected`]),
//!   all with NDAs that never appear in a valid row, except the duplicate whose first occurrence
//!   is the valid one.
//!
//! Features that are rare at national scale (La Poste, foreign bodies, quotes and `;` inside
//! fields, former NDAs) are forced onto a few rows, so even a 500-row file shows every quirk.
//!
//! # Snapshots and ground truth
//! A series of weekly snapshots evolves one world. Each week ~0.7% of rows are new, ~0.5% leave
//! (~0.03% of rows come back, unchanged, a week or more later), ~0.3% get certified and ~0.2% lose it, ~0.2% change scopes,
//! ~0.3% are renamed and ~0.4% move, a few transfer to a new NDA, and a few rows only change
//! spelling (postal code losing or regaining its zero, a trailing space) which must produce no
//! event. Each snapshot carries the exact changes an importer must find against the previous one
//! and the line of every quirk. From the third snapshot on, every change type occurs in every
//! transition, including `reapparu` and transfers from NDAs that left earlier.

mod reference;
mod render;
mod rng;
mod world;

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use world::{Force, Provider, SCOPES, World};

/// The official header, trailing `;` included.
pub const HEADER: &str = "numeroDeclarationActivite;numerosDeclarationActivitePrecedent;denomination;siren;siretEtablissementDeclarant;adressePhysiqueOrganismeFormation.voie;adressePhysiqueOrganismeFormation.codePostal;adressePhysiqueOrganismeFormation.ville;adressePhysiqueOrganismeFormation.codeRegion;certifications.actionsDeFormation;certifications.bilansDeCompetences;certifications.VAE;certifications.actionsDeFormationParApprentissage;organismeEtrangerRepresente.denomination;organismeEtrangerRepresente.voie;organismeEtrangerRepresente.codePostal;organismeEtrangerRepresente.ville;organismeEtrangerRepresente.pays;informationsDeclarees.dateDerniereDeclaration;informationsDeclarees.debutExercice;informationsDeclarees.finExercice;informationsDeclarees.specialitesDeFormation.codeSpecialite1;informationsDeclarees.specialitesDeFormation.libelleSpecialite1;informationsDeclarees.specialitesDeFormation.codeSpecialite2;informationsDeclarees.specialitesDeFormation.libelleSpecialite2;informationsDeclarees.specialitesDeFormation.codeSpecialite3;informationsDeclarees.specialitesDeFormation.libelleSpecialite3;informationsDeclarees.nbStagiaires;informationsDeclarees.nbStagiairesConfiesParUnAutreOF;informationsDeclarees.effectifFormateurs;";

/// The scope slugs of `categorie_*` changes, in column order.
pub const SCOPE_SLUGS: [&str; 4] = SCOPES;

/// The change types, exactly as an importer names them.
pub const CHANGE_KINDS: [&str; 10] = [
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
];

/// Reason keys of broken rows.
pub const REJECT_REASONS: [&str; 9] = render::BROKEN_KINDS;

#[derive(Debug, Clone)]
pub struct GenConfig {
    pub seed: u64,
    /// Valid rows of the first snapshot.
    pub rows: usize,
    pub snapshots: usize,
    pub start_date: NaiveDate,
    pub bom: bool,
    pub crlf: bool,
    /// The old header variant, with a space before each column name (`; denomination`).
    pub leading_space_header: bool,
    pub broken_rows: bool,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            seed: 42,
            rows: 2_000,
            snapshots: 3,
            start_date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
            bom: true,
            crlf: true,
            leading_space_header: false,
            broken_rows: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Series {
    pub snapshots: Vec<Snapshot>,
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub date: NaiveDate,
    pub csv: Vec<u8>,
    /// Changes relative to the previous snapshot, sorted; empty for the first.
    pub expected_changes: Vec<ExpectedChange>,
    pub quirks: Vec<Quirk>,
    /// Rows a correct reader accepts.
    pub valid_rows: usize,
    /// Accepted rows with at least one certification scope.
    pub certified_rows: usize,
    /// Broken rows, each with a [`QuirkKind::Rejected`] quirk.
    pub rejected_rows: usize,
}

impl Snapshot {
    /// `snapshot-YYYY-MM-DD.csv`.
    pub fn file_name(&self) -> String {
        format!("snapshot-{}.csv", self.date)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ExpectedChange {
    pub nda: String,
    /// One of [`CHANGE_KINDS`].
    pub kind: String,
    /// Scope slug for `categorie_*`, previous NDA for `transfere`.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quirk {
    /// 1-based physical line (the header is line 1).
    pub line: u64,
    /// The NDA as written on that line (for a broken `nda`, the broken text).
    pub nda: String,
    pub kind: QuirkKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum QuirkKind {
    /// A broken row and the reason key a reader should give: "nda", "siret", "siren", "date",
    /// "booleen", "compte", "colonnes", "guillemet" or "doublon".
    Rejected(&'static str),
    /// Postal code written without its leading zero.
    PostalCodeRepaired {
        raw: String,
        fixed: String,
    },
    Cedex,
    /// `PARIS 11`, `PARIS 11EME`, `MARSEILLE 13E`…
    ArrondissementSpelling,
    /// `ST ETIENNE`.
    SaintAbbreviated,
    /// Certified rows often have no address: voie, postal code and city empty, region kept.
    NoAddress,
    ForeignRepresented,
    /// At least one field double-quoted (by choice, or because it holds `;` or `"`).
    QuotedField,
    /// SIREN 356000000, whose SIRETs do not pass Luhn.
    LaPoste,
    SoleTrader,
    /// Legal form as first or last word of the name.
    LegalForm(&'static str),
    /// `numerosDeclarationActivitePrecedent` filled (one NDA or several separated by `,`).
    Precedents,
    /// Text with surrounding spaces a reader must trim.
    PaddedText,
    /// Dates, specialties and counts all empty (nothing declared yet).
    NoDeclaration,
}

/// Luhn checksum over ASCII digits. Written again here on purpose rather than taken from
/// `annuaire-core`: the generator is the oracle the importer is tested against, so it must not
/// share the importer's code.
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 { if v * 2 > 9 { v * 2 - 9 } else { v * 2 } } else { v }
        })
        .sum();
    sum % 10 == 0
}

/// What the importer compares for one listed provider: scopes, trimmed name, and the address
/// normalised (trimmed text, postal code padded to 5 digits). Hashed so that a national-scale
/// series keeps only a few bytes per provider between snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    certs: u8,
    name: u64,
    address: u64,
}

fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn seen(p: &Provider) -> Seen {
    let address = match &p.address {
        Some(a) => fnv(&[a.voie.trim().as_bytes(), &a.cp, a.ville.trim().as_bytes(), &p.region]),
        None => fnv(&[b"", b"", b"", &p.region]),
    };
    Seen { certs: p.certs, name: fnv(&[p.name.trim().as_bytes()]), address }
}

/// Memory of the earlier snapshots, by provider index.
#[derive(Default)]
struct History {
    last: Vec<Option<Seen>>,
    listed: Vec<bool>,
    by_nda: HashMap<u64, usize>,
}

impl History {
    fn change(nda: u64, kind: &str, detail: Option<&str>) -> ExpectedChange {
        ExpectedChange {
            nda: format!("{nda:011}"),
            kind: kind.to_string(),
            detail: detail.map(str::to_string),
        }
    }

    fn fields(nda: u64, before: Seen, after: Seen, out: &mut Vec<ExpectedChange>) {
        match (before.certs != 0, after.certs != 0) {
            (false, true) => out.push(Self::change(nda, "certifie", None)),
            (true, false) => out.push(Self::change(nda, "decertifie", None)),
            (true, true) => {
                for (bit, slug) in SCOPES.iter().enumerate() {
                    match (before.certs & (1 << bit) != 0, after.certs & (1 << bit) != 0) {
                        (false, true) => out.push(Self::change(nda, "categorie_ajoutee", Some(slug))),
                        (true, false) => out.push(Self::change(nda, "categorie_retiree", Some(slug))),
                        _ => {}
                    }
                }
            }
            (false, false) => {}
        }
        if before.name != after.name {
            out.push(Self::change(nda, "renomme", None));
        }
        if before.address != after.address {
            out.push(Self::change(nda, "adresse_modifiee", None));
        }
    }

    /// Record the listing `listed` and return its changes against the previous one, by the
    /// rules the importer follows.
    fn advance(&mut self, providers: &[Provider], listed: &[usize], first: bool) -> Vec<ExpectedChange> {
        for (i, p) in providers.iter().enumerate().skip(self.last.len()) {
            self.by_nda.insert(p.nda, i);
        }
        self.last.resize(providers.len(), None);
        self.listed.resize(providers.len(), false);
        let mut now = vec![false; providers.len()];
        for &i in listed {
            now[i] = true;
        }
        let mut out = Vec::new();
        let mut transferred = vec![false; providers.len()];
        for &i in listed {
            let p = &providers[i];
            let after = seen(p);
            match self.last[i] {
                Some(before) => {
                    if !self.listed[i] {
                        out.push(Self::change(p.nda, "reapparu", None));
                    }
                    Self::fields(p.nda, before, after, &mut out);
                }
                None => {
                    // The first former NDA that was seen before and is absent now.
                    let predecessor = p.precedents.iter().flat_map(|s| s.split(',')).find_map(|s| {
                        let j = *self.by_nda.get(&s.trim().parse::<u64>().ok()?)?;
                        (self.last[j].is_some() && !now[j]).then_some(j)
                    });
                    match predecessor {
                        Some(j) => {
                            transferred[j] = true;
                            let old = format!("{:011}", providers[j].nda);
                            out.push(Self::change(p.nda, "transfere", Some(&old)));
                        }
                        None => out.push(Self::change(p.nda, "nouveau", None)),
                    }
                }
            }
        }
        for (i, was) in self.listed.iter().enumerate() {
            if *was && !now[i] && !transferred[i] {
                out.push(Self::change(providers[i].nda, "disparu", None));
            }
        }
        for &i in listed {
            self.last[i] = Some(seen(&providers[i]));
        }
        self.listed = now;
        out.sort();
        if first { Vec::new() } else { out }
    }
}

/// Features forced onto a few rows of the first snapshot, with how many.
fn forced(rows: usize) -> [(Force, usize); 5] {
    [
        (Force::LaPoste, 3 + rows / 2000),
        (Force::Foreign, 2),
        (Force::EmbeddedQuote, 2),
        (Force::Semicolon, 2),
        (Force::Precedents, 3),
    ]
}

/// Generate a whole series.
pub fn generate(cfg: &GenConfig) -> Series {
    let mut w = World::new(cfg.seed, cfg.start_date);
    let mut slots = vec![Force::None; cfg.rows];
    for (force, count) in forced(cfg.rows) {
        for _ in 0..count {
            // Random free slots, so forced rows are spread through the file.
            let free = (0..50).map(|_| w.rng.below(cfg.rows)).find(|s| slots.get(*s) == Some(&Force::None));
            if let Some(s) = free {
                slots[s] = force;
            }
        }
    }
    w.providers.reserve(cfg.rows + cfg.rows / 10);
    for force in slots {
        let p = w.new_provider(force);
        w.providers.push(p);
    }
    w.listed = (0..w.providers.len()).collect();

    let mut history = History::default();
    let mut snapshots = Vec::with_capacity(cfg.snapshots);
    for k in 0..cfg.snapshots.max(1) {
        w.date = cfg.start_date + chrono::Days::new(7 * k as u64);
        if k > 0 {
            w.evolve(k, cfg.rows);
        }
        let expected_changes = history.advance(&w.providers, &w.listed, k == 0);
        let r = render::snapshot(&mut w, cfg);
        snapshots.push(Snapshot {
            date: w.date,
            csv: r.csv,
            expected_changes,
            quirks: r.quirks,
            valid_rows: w.listed.len(),
            certified_rows: r.certified_rows,
            rejected_rows: r.rejected_rows,
        });
    }
    Series { snapshots }
}

#[derive(Serialize)]
struct Manifest<'a> {
    synthetic: bool,
    note: &'static str,
    seed: u64,
    rows: usize,
    snapshots: Vec<ManifestSnapshot<'a>>,
}

#[derive(Serialize)]
struct ManifestSnapshot<'a> {
    date: NaiveDate,
    file: String,
    valid_rows: usize,
    certified_rows: usize,
    rejected_rows: usize,
    expected_changes: &'a [ExpectedChange],
    quirks: &'a [Quirk],
}

/// Write `snapshot-YYYY-MM-DD.csv` files and a `manifest.json` with the ground truth, creating
/// `dir` if needed. Returns the paths written, manifest last.
pub fn write_series(dir: &Path, cfg: &GenConfig) -> std::io::Result<Vec<PathBuf>> {
    let series = generate(cfg);
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for s in &series.snapshots {
        let path = dir.join(s.file_name());
        std::fs::write(&path, &s.csv)?;
        files.push(path);
        entries.push(ManifestSnapshot {
            date: s.date,
            file: s.file_name(),
            valid_rows: s.valid_rows,
            certified_rows: s.certified_rows,
            rejected_rows: s.rejected_rows,
            expected_changes: &s.expected_changes,
            quirks: &s.quirks,
        });
    }
    let manifest = Manifest {
        synthetic: true,
        note: "Données SYNTHÉTIQUES générées par annuaire-testdata : aucun organisme réel.",
        seed: cfg.seed,
        rows: cfg.rows,
        snapshots: entries,
    };
    let path = dir.join("manifest.json");
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    std::fs::write(&path, json)?;
    files.push(path);
    Ok(files)
}

#[cfg(test)]
mod tests;
