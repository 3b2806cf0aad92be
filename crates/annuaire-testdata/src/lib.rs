//! Seeded generator of SYNTHETIC snapshots of the DGEFP "Liste publique des organismes de
//! formation", in the official CSV format and with its known quirks.
//!
//! No real row of the list can be obtained offline, so tests, benchmarks and demos run on this.
//! Everything here is invented except the reference data it draws from (real communes with their
//! postal codes from La Poste, populations from INSEE, real NSF specialty codes), which is what
//! makes the geography and topics realistic. Output is byte-identical for a seed on any platform:
//! the PRNG is a local SplitMix64, not a library whose stream may change between versions.
//!
//! Realism targets, at any size: ~28% of rows certified (actions de formation far ahead of
//! apprentissage, bilans de compétences and VAE); ~44% of certified rows without any address
//! (region only); names mostly ALL CAPS with legal forms, sole traders and training-world acronyms;
//! groups (GRETA, AFPA, CCI…) with several NDAs under one SIREN; La Poste establishments with their
//! non-Luhn SIRETs; city spellings with `ST`, arrondissements and CEDEX; postal codes that lost
//! their leading zero; foreign represented bodies; quoted fields; and about 0.05% broken rows of
//! known kinds. A series of weekly snapshots evolves one world and records, for each snapshot, the
//! exact changes an importer must find (every change type in the last transition) and the line of
//! every quirk.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};

pub const HEADER: &str = "numeroDeclarationActivite;numerosDeclarationActivitePrecedent;denomination;siren;siretEtablissementDeclarant;adressePhysiqueOrganismeFormation.voie;adressePhysiqueOrganismeFormation.codePostal;adressePhysiqueOrganismeFormation.ville;adressePhysiqueOrganismeFormation.codeRegion;certifications.actionsDeFormation;certifications.bilansDeCompetences;certifications.VAE;certifications.actionsDeFormationParApprentissage;organismeEtrangerRepresente.denomination;organismeEtrangerRepresente.voie;organismeEtrangerRepresente.codePostal;organismeEtrangerRepresente.ville;organismeEtrangerRepresente.pays;informationsDeclarees.dateDerniereDeclaration;informationsDeclarees.debutExercice;informationsDeclarees.finExercice;informationsDeclarees.specialitesDeFormation.codeSpecialite1;informationsDeclarees.specialitesDeFormation.libelleSpecialite1;informationsDeclarees.specialitesDeFormation.codeSpecialite2;informationsDeclarees.specialitesDeFormation.libelleSpecialite2;informationsDeclarees.specialitesDeFormation.codeSpecialite3;informationsDeclarees.specialitesDeFormation.libelleSpecialite3;informationsDeclarees.nbStagiaires;informationsDeclarees.nbStagiairesConfiesParUnAutreOF;informationsDeclarees.effectifFormateurs;";

#[derive(Debug, Clone)]
pub struct GenConfig {
    pub seed: u64,
    pub rows: usize,
    pub snapshots: usize,
    pub start_date: NaiveDate,
    pub bom: bool,
    pub crlf: bool,
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
    /// Changes relative to the previous snapshot (empty for the first).
    pub expected_changes: Vec<ExpectedChange>,
    pub quirks: Vec<Quirk>,
    /// Rows a correct reader accepts.
    pub valid_rows: usize,
    /// Accepted rows with at least one certification scope.
    pub certified_rows: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ExpectedChange {
    pub nda: String,
    pub kind: String,
    /// Scope slug for `categorie_*`, previous NDA for `transfere`.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quirk {
    /// 1-based physical line (the header is line 1).
    pub line: u64,
    pub nda: String,
    pub kind: QuirkKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum QuirkKind {
    /// A broken row and the reason key a reader should give.
    Rejected(&'static str),
    PostalCodeRepaired {
        raw: String,
        fixed: String,
    },
    Cedex,
    ArrondissementSpelling,
    SaintAbbreviated,
    NoAddress,
    ForeignRepresented,
    QuotedField,
    LaPoste,
    SoleTrader,
    LegalForm(&'static str),
}

/// Luhn checksum over ASCII digits.
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    luhn_sum(digits.as_bytes()) % 10 == 0
}

fn luhn_sum(d: &[u8]) -> u32 {
    d.iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = v * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                v
            }
        })
        .sum()
}

/// Append the digit that makes `prefix` pass Luhn.
fn with_luhn(prefix: &str) -> String {
    (0..10u8).map(|d| format!("{prefix}{d}")).find(|s| luhn_ok(s)).unwrap_or_else(|| format!("{prefix}0"))
}

// ---------------------------------------------------------------------------------------------
// PRNG

#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Reference data

#[derive(Debug, Clone)]
struct Commune {
    insee: String,
    /// La Poste routing label, upper case without accents ("SAINT ETIENNE", "PARIS").
    acheminement: String,
    /// Official name with accents, for mixed-case spellings.
    nom: String,
    cp: String,
    dep: String,
    reg: String,
}

#[derive(Debug)]
struct Reference {
    communes: Vec<Commune>,
    /// Cumulative population weights over `communes`.
    cumulative: Vec<f64>,
    nsf: HashMap<String, String>,
    regions: Vec<String>,
}

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    let _ = flate2::read::GzDecoder::new(bytes).read_to_string(&mut s);
    s
}

fn reference() -> &'static Reference {
    static R: std::sync::OnceLock<Reference> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        let communes_2024 =
            gunzip(include_bytes!("../../../data/reference/communes_france_2024_limite.csv.gz"));
        let mut info: HashMap<String, (String, String, String, f64)> = HashMap::new();
        let mut dep_reg: HashMap<String, String> = HashMap::new();
        for line in communes_2024.lines().skip(1) {
            let f: Vec<&str> = line.split(',').map(|x| x.trim_matches('"')).collect();
            // Names may contain commas inside quotes: read fixed fields from both ends.
            if f.len() < 8 {
                continue;
            }
            let n = f.len();
            let reg = format!("{:0>2}", f[n - 6]);
            let dep = f[n - 4].to_string();
            let pop: f64 = f[n - 1].parse().unwrap_or(0.0);
            let nom = f[1..n - 6].join(",");
            dep_reg.insert(dep.clone(), reg.clone());
            info.insert(f[0].to_string(), (nom, dep, reg, pop));
        }
        let city_pop = |code: &str| info.get(code).map(|i| i.3).unwrap_or(0.0);
        let laposte = gunzip(include_bytes!("../../../data/reference/laposte_hexasmal_2022.csv.gz"));
        let mut communes = Vec::new();
        let mut seen = HashSet::new();
        let mut weights = Vec::new();
        for line in laposte.lines().skip(1) {
            let f: Vec<&str> = line.split(';').collect();
            if f.len() < 7 || !f[5].contains('.') {
                continue;
            }
            let (insee, cp) = (f[0], f[2]);
            // One entry per (commune, postal code); hamlets (Ligne_5) add nothing here.
            if !seen.insert((insee.to_string(), cp.to_string())) {
                continue;
            }
            let dep = if insee.starts_with("97") { insee[..3].to_string() } else { insee[..2].to_string() };
            let (nom, reg, pop) = match info.get(insee) {
                Some((nom, _, reg, pop)) => (nom.clone(), reg.clone(), *pop),
                None => {
                    // Arrondissements of Paris, Lyon, Marseille share their city's population.
                    let (city, n) = match &insee[..2] {
                        "75" => ("75056", 20.0),
                        "69" => ("69123", 9.0),
                        "13" => ("13055", 16.0),
                        _ => ("", 1.0),
                    };
                    let Some(reg) = dep_reg.get(&dep) else { continue };
                    (title(f[1]), reg.clone(), city_pop(city) / n)
                }
            };
            weights.push(pop.max(30.0));
            communes.push(Commune {
                insee: insee.to_string(),
                acheminement: f[4].to_string(),
                nom,
                cp: cp.to_string(),
                dep,
                reg,
            });
        }
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        let mut nsf = HashMap::new();
        let nsf_csv = include_str!("../../../data/reference/nsf_groupes_specialites_dgefp.csv");
        for line in nsf_csv.lines().skip(1) {
            if let Some((code, label)) = line.split_once(',') {
                nsf.insert(code.to_string(), label.trim_matches('"').to_string());
            }
        }
        let mut regions: Vec<String> =
            dep_reg.values().cloned().collect::<HashSet<_>>().into_iter().collect();
        regions.sort();
        Reference { communes, cumulative, nsf, regions }
    })
}

fn title(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Reference {
    fn commune(&self, rng: &mut Rng) -> &Commune {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self.cumulative.partition_point(|c| *c < x).min(self.communes.len() - 1);
        &self.communes[i]
    }
}

// ---------------------------------------------------------------------------------------------
// The world

/// Topics: words that appear in names, and the NSF codes they go with.
const TOPICS: &[(&[&str], &[&str])] = &[
    (&["FORMATION EXCEL", "BUREAUTIQUE", "OFFICE PRO", "WORD ET EXCEL"], &["324", "326"]),
    (&["INFORMATIQUE", "NUMERIQUE", "DIGITAL", "CODE", "DATA"], &["326"]),
    (&["CYBERSECURITE", "CYBER DEFENSE", "SECURITE INFORMATIQUE"], &["326", "344"]),
    (&["LANGUES", "ANGLAIS", "ENGLISH SCHOOL", "LANGUAGE", "FLE"], &["136"]),
    (&["MANAGEMENT", "LEADERSHIP", "COACHING"], &["310", "413"]),
    (&["COMPTABILITE", "GESTION", "PAIE"], &["314"]),
    (&["RH", "RESSOURCES HUMAINES", "RECRUTEMENT"], &["315"]),
    (&["VENTE", "COMMERCE", "NEGOCIATION"], &["312"]),
    (&["SECURITE INCENDIE", "SST", "PREVENTION", "SSIAP"], &["344"]),
    (&["CACES", "TRANSPORT", "LOGISTIQUE", "CONDUITE"], &["311"]),
    (&["BTP", "BATIMENT", "ELECTRICITE", "PLOMBERIE"], &["230", "232", "233", "255"]),
    (&["HOTELLERIE", "RESTAURATION", "CUISINE", "HACCP"], &["334", "221"]),
    (&["COIFFURE", "ESTHETIQUE", "BEAUTE"], &["336"]),
    (&["PETITE ENFANCE", "SOCIAL", "AIDE A DOMICILE"], &["332", "330"]),
    (&["SANTE", "SOINS", "PARAMEDICAL"], &["331"]),
    (&["AGRICULTURE", "VITICULTURE", "PAYSAGE"], &["210", "211", "214"]),
    (&["INDUSTRIE", "MAINTENANCE", "SOUDURE", "USINAGE"], &["250", "251", "254"]),
    (&["ARTS", "MUSIQUE", "THEATRE", "PHOTO"], &["133", "132", "323"]),
    (&["SPORT", "FITNESS", "ANIMATION"], &["335", "411"]),
    (&["BILAN DE COMPETENCES", "ORIENTATION", "INSERTION"], &["415", "413"]),
    (&["DEVELOPPEMENT PERSONNEL", "SOPHROLOGIE", "BIEN ETRE"], &["413", "423"]),
    (&["COMMUNICATION", "MARKETING", "PAO"], &["320", "321"]),
    (&["IMMOBILIER", "ASSURANCE", "BANQUE"], &["313"]),
    (&["ENSEIGNEMENT", "PEDAGOGIE", "FORMATEURS"], &["333"]),
];

const LEGAL_FORMS: &[&str] = &["SARL", "SAS", "SASU", "EURL", "SA", "SCOP"];
const PREFIXES: &[&str] = &[
    "",
    "",
    "",
    "CENTRE DE FORMATION",
    "INSTITUT",
    "ECOLE",
    "ACADEMIE",
    "CABINET",
    "ATELIER",
    "ESPACE",
    "ORGANISME",
];
const SYLLABLES: &[&str] = &[
    "KA", "LO", "RI", "VEN", "TA", "DOR", "MI", "SA", "NO", "VA", "LIS", "TRA", "BE", "QUE", "RO", "XI",
    "ZE", "NA", "PO", "LU", "MAR", "TEL", "FI", "GO", "SY", "NER", "DA", "CO", "RA", "PHI", "AL", "TEC",
    "NO", "VIA", "OR", "EX",
];
const FIRST_NAMES: &[&str] = &[
    "JEAN", "MARIE", "PIERRE", "SOPHIE", "NICOLAS", "ISABELLE", "LAURENT", "NATHALIE", "THOMAS", "CELINE",
    "JULIEN", "AURELIE", "FRANCOIS", "CAROLINE", "OLIVIER", "SANDRINE", "KARIM", "FATIMA", "MEHDI", "CHLOE",
];
const SURNAMES: &[&str] = &[
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU",
    "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT", "FOURNIER",
    "MOREL", "GIRARD", "ANDRE", "MERCIER", "DUPONT", "LAMBERT", "BONNET", "FRANCOIS", "MARTINEZ", "LEGRAND",
    "BENALI", "NGUYEN",
];
const GROUPS: &[&str] = &["GRETA", "AFPA", "CCI", "CMA", "CFA", "IFSI", "MFR"];
const STREETS: &[&str] = &[
    "RUE DE LA REPUBLIQUE",
    "AVENUE JEAN JAURES",
    "RUE VICTOR HUGO",
    "BOULEVARD GAMBETTA",
    "RUE DU GENERAL DE GAULLE",
    "PLACE DE LA MAIRIE",
    "RUE PASTEUR",
    "CHEMIN DES VIGNES",
    "ZA LES PORTES",
    "RUE DES ECOLES",
    "ALLEE DES TILLEULS",
    "ROUTE DE PARIS",
    "QUAI DES ARTS",
    "IMPASSE DU MOULIN",
    "RUE NATIONALE",
];

/// One provider of the synthetic world, with its text already rendered as it will appear, so a
/// snapshot differs from the previous one only where the world changed.
#[derive(Debug, Clone)]
struct Provider {
    nda: String,
    precedents: String,
    denomination: String,
    siren: String,
    siret: String,
    voie: String,
    cp: String,
    /// As written in the file (may have lost its leading zero).
    cp_raw: String,
    ville: String,
    region: String,
    certs: [bool; 4],
    /// "false" or "" for scopes not held.
    false_text: &'static str,
    etranger: Option<[String; 5]>,
    dates: [String; 3],
    specs: Vec<(String, String)>,
    counts: [String; 3],
    quoted: bool,
    quirks: Vec<QuirkKind>,
}

impl Provider {
    fn certified(&self) -> bool {
        self.certs.iter().any(|c| *c)
    }
}

struct World {
    rng: Rng,
    providers: Vec<Provider>,
    /// Index into `providers` of each listed NDA, in file order.
    listed: Vec<usize>,
    used_ndas: HashSet<String>,
    used_sirens: HashSet<String>,
    /// Providers that left, with the snapshot index they left at.
    gone: Vec<(usize, usize)>,
    groups: Vec<(String, String)>,
    date: NaiveDate,
}

const SCOPES: [&str; 4] = ["actions_formation", "bilans_competences", "vae", "apprentissage"];

impl World {
    fn new_nda(&mut self, region: &str) -> String {
        loop {
            let prefix = if region.len() == 2 { region.to_string() } else { "11".to_string() };
            let nda = format!("{prefix}{}", self.rng.digits(9));
            if self.used_ndas.insert(nda.clone()) {
                return nda;
            }
        }
    }

    fn new_siren(&mut self) -> String {
        loop {
            let first = 1 + self.rng.below(9);
            let s = with_luhn(&format!("{first}{}", self.rng.digits(7)));
            if s != "356000000" && self.used_sirens.insert(s.clone()) {
                return s;
            }
        }
    }

    fn siret_for(&mut self, siren: &str) -> String {
        if siren == "356000000" {
            // La Poste: digit sum a multiple of 5, usually failing Luhn.
            loop {
                let s = format!("{siren}{}", self.rng.digits(5));
                let sum: u32 = s.bytes().map(|b| u32::from(b - b'0')).sum();
                if sum % 5 == 0 {
                    return s;
                }
            }
        }
        with_luhn(&format!("{siren}{}", self.rng.digits(4)))
    }

    fn brand(&mut self) -> String {
        let n = 2 + self.rng.below(2);
        (0..n).map(|_| *self.rng.pick(SYLLABLES)).collect()
    }

    fn address(&mut self, p: &mut Provider) {
        let c = reference().commune(&mut self.rng).clone();
        p.quirks.retain(|q| {
            !matches!(
                q,
                QuirkKind::Cedex
                    | QuirkKind::ArrondissementSpelling
                    | QuirkKind::SaintAbbreviated
                    | QuirkKind::PostalCodeRepaired { .. }
                    | QuirkKind::NoAddress
            )
        });
        p.region = c.reg.clone();
        p.voie = format!("{} {}", 1 + self.rng.below(150), self.rng.pick(STREETS));
        p.cp = c.cp.clone();
        let arr = c.insee.starts_with("751") || c.insee.starts_with("6938") || c.insee.starts_with("132");
        let r = self.rng.below(100);
        p.ville = if arr && r < 35 {
            p.quirks.push(QuirkKind::ArrondissementSpelling);
            // 75111 → 11, 13213 → 13, 69383 → 3.
            let digits = if c.insee.starts_with("69") { &c.insee[4..] } else { &c.insee[3..] };
            let n: u32 = digits.parse::<u32>().unwrap_or(1);
            let city = &c.acheminement;
            match self.rng.below(3) {
                0 => format!("{city} {n}"),
                1 => format!("{city} {n}EME"),
                _ => format!("{city} {n}E"),
            }
        } else if r < 38 && !c.dep.starts_with("97") {
            p.quirks.push(QuirkKind::Cedex);
            p.cp = format!("{}9{}", &c.cp[..2], self.rng.digits(2));
            if self.rng.chance(0.5) {
                format!("{} CEDEX", c.acheminement)
            } else {
                format!("{} CEDEX {:02}", c.acheminement, 1 + self.rng.below(9))
            }
        } else if r < 50 {
            c.nom.clone()
        } else if c.acheminement.starts_with("SAINT ") || c.acheminement.starts_with("SAINTE ") {
            if self.rng.chance(0.5) {
                p.quirks.push(QuirkKind::SaintAbbreviated);
                c.acheminement.replacen("SAINTE ", "STE ", 1).replacen("SAINT ", "ST ", 1)
            } else {
                c.acheminement.clone()
            }
        } else {
            c.acheminement.clone()
        };
        p.cp_raw = p.cp.clone();
        if p.cp.starts_with('0') && self.rng.chance(0.15) {
            p.cp_raw = p.cp[1..].to_string();
            p.quirks.push(QuirkKind::PostalCodeRepaired { raw: p.cp_raw.clone(), fixed: p.cp.clone() });
        }
    }

    fn clear_address(p: &mut Provider) {
        p.voie.clear();
        p.cp.clear();
        p.cp_raw.clear();
        p.ville.clear();
        p.quirks.retain(|q| {
            !matches!(
                q,
                QuirkKind::Cedex
                    | QuirkKind::ArrondissementSpelling
                    | QuirkKind::SaintAbbreviated
                    | QuirkKind::PostalCodeRepaired { .. }
            )
        });
        p.quirks.push(QuirkKind::NoAddress);
    }

    fn certify(&mut self, p: &mut Provider) {
        p.certs =
            [self.rng.chance(0.92), self.rng.chance(0.09), self.rng.chance(0.06), self.rng.chance(0.22)];
        if !p.certified() {
            p.certs[0] = true;
        }
    }

    fn new_provider(&mut self) -> Provider {
        let mut p = Provider {
            nda: String::new(),
            precedents: String::new(),
            denomination: String::new(),
            siren: String::new(),
            siret: String::new(),
            voie: String::new(),
            cp: String::new(),
            cp_raw: String::new(),
            ville: String::new(),
            region: String::new(),
            certs: [false; 4],
            false_text: if self.rng.chance(0.5) { "false" } else { "" },
            etranger: None,
            dates: Default::default(),
            specs: Vec::new(),
            counts: Default::default(),
            quoted: self.rng.chance(0.03),
            quirks: Vec::new(),
        };
        self.address(&mut p);
        let topic = self.rng.below(TOPICS.len());
        let (words, codes) = TOPICS[topic];
        let word = *self.rng.pick(words);
        let brand = self.brand();
        let r = self.rng.below(100);
        let mut group = None;
        p.denomination = if r < 8 {
            p.quirks.push(QuirkKind::SoleTrader);
            let (f, s) = (*self.rng.pick(FIRST_NAMES), *self.rng.pick(SURNAMES));
            match self.rng.below(4) {
                0 => format!("MONSIEUR {f} {s}"),
                1 => format!("Madame {} {}", title(f), title(s)),
                _ => format!("{s} {f}"),
            }
        } else if r < 11 && !self.groups.is_empty() {
            let g = self.rng.below(self.groups.len());
            group = Some(g);
            let city = p.ville.split(" CEDEX").next().unwrap_or("").to_string();
            format!("{} {}", self.groups[g].0, if city.is_empty() { brand.clone() } else { city })
        } else if r < 40 {
            let form = *self.rng.pick(LEGAL_FORMS);
            p.quirks.push(QuirkKind::LegalForm(form));
            if self.rng.chance(0.5) {
                format!("{form} {brand} {word}")
            } else {
                format!("{brand} {word} {form}")
            }
        } else if r < 48 {
            format!("ASSOCIATION {brand} {word}")
        } else if r < 53 {
            title(&format!("{brand} {word}"))
        } else {
            let prefix = *self.rng.pick(PREFIXES);
            if prefix.is_empty() { format!("{brand} {word}") } else { format!("{prefix} {brand} {word}") }
        };
        if self.rng.chance(0.002) {
            p.denomination = format!("{} \"{}\"", p.denomination, self.brand());
        }
        if let Some(g) = group {
            p.siren = self.groups[g].1.clone();
        } else if self.rng.chance(0.001) {
            p.siren = "356000000".to_string();
            p.denomination = format!("LA POSTE {}", p.ville);
            p.quirks.push(QuirkKind::LaPoste);
        } else {
            p.siren = self.new_siren();
        }
        p.siret = self.siret_for(&p.siren);
        p.nda = self.new_nda(&p.region.clone());

        if self.rng.chance(0.28) {
            self.certify(&mut p);
            if self.rng.chance(0.44) {
                Self::clear_address(&mut p);
            }
        } else if self.rng.chance(0.05) {
            Self::clear_address(&mut p);
        }
        if self.rng.chance(0.003) {
            p.etranger = Some([
                format!("{} LTD", self.brand()),
                format!("{} HIGH STREET", 1 + self.rng.below(90)),
                format!("{}", 1000 + self.rng.below(9000)),
                "LONDON".into(),
                (*self.rng.pick(&["ROYAUME-UNI", "BELGIQUE", "SUISSE", "ALLEMAGNE"])).into(),
            ]);
            p.quirks.push(QuirkKind::ForeignRepresented);
        }
        let year = self.date.year() - self.rng.below(3) as i32;
        p.dates = [
            format!("{:02}/{:02}/{year}", 1 + self.rng.below(28), 1 + self.rng.below(12)),
            format!("01/01/{}", year - 1),
            format!("31/12/{}", year - 1),
        ];
        let nspecs = 1 + self.rng.below(3);
        let mut specs: Vec<&str> = codes.to_vec();
        while specs.len() < nspecs {
            let (_, extra) = TOPICS[self.rng.below(TOPICS.len())];
            specs.push(*self.rng.pick(extra));
        }
        specs.dedup();
        specs.truncate(nspecs);
        p.specs = specs
            .iter()
            .map(|c| (c.to_string(), reference().nsf.get(*c).cloned().unwrap_or_default()))
            .collect();
        let st = (self.rng.below(40) * self.rng.below(40)) as u32;
        let conf = if st > 0 { self.rng.below(st as usize / 3 + 1) as u32 } else { 0 };
        p.counts = [st.to_string(), conf.to_string(), (self.rng.below(30)).to_string()];
        if p.quoted {
            p.quirks.push(QuirkKind::QuotedField);
        }
        p
    }

    fn render(&self, p: &Provider, out: &mut String) {
        let q = |s: &str, force: bool, out: &mut String| {
            if force || s.contains(';') || s.contains('"') {
                out.push('"');
                out.push_str(&s.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(s);
            }
        };
        let b = |v: bool| if v { "true" } else { p.false_text };
        out.push_str(&p.nda);
        out.push(';');
        out.push_str(&p.precedents);
        out.push(';');
        q(&p.denomination, p.quoted, out);
        out.push(';');
        let _ = write!(out, "{};{};", p.siren, p.siret);
        q(&p.voie, p.quoted && !p.voie.is_empty(), out);
        let _ = write!(
            out,
            ";{};{};{};{};{};{};{};",
            p.cp_raw,
            p.ville,
            p.region,
            b(p.certs[0]),
            b(p.certs[1]),
            b(p.certs[2]),
            b(p.certs[3])
        );
        match &p.etranger {
            Some(e) => {
                for x in e {
                    q(x, false, out);
                    out.push(';');
                }
            }
            None => out.push_str(";;;;;"),
        }
        let _ = write!(out, "{};{};{};", p.dates[0], p.dates[1], p.dates[2]);
        for i in 0..3 {
            match p.specs.get(i) {
                Some((c, l)) => {
                    out.push_str(c);
                    out.push(';');
                    q(l, false, out);
                    out.push(';');
                }
                None => out.push_str(";;"),
            }
        }
        let _ = write!(out, "{};{};{};", p.counts[0], p.counts[1], p.counts[2]);
    }

    /// A broken row of the given kind, with a fresh NDA unless it duplicates a listed one.
    fn broken(&mut self, kind: &'static str) -> (String, String) {
        let mut p = self.new_provider();
        // Fresh NDAs never reappear valid.
        let mut line = String::new();
        let nda = p.nda.clone();
        match kind {
            "nda" => {
                p.nda =
                    if self.rng.chance(0.5) { nda[..10].to_string() } else { format!("11AB{}", &nda[4..]) };
            }
            "siret" => {
                let last = (p.siret.as_bytes()[13] - b'0' + 1) % 10;
                p.siret = format!("{}{last}", &p.siret[..13]);
                if p.siren == "356000000" {
                    p.siren = self.new_siren();
                    p.siret = format!("{}00001", p.siren);
                    if luhn_ok(&p.siret) {
                        p.siret = format!("{}00002", p.siren);
                    }
                }
            }
            "date" => p.dates[0] = "31/02/2024".into(),
            "booleen" => p.false_text = "oui",
            "compte" => p.counts[0] = if self.rng.chance(0.5) { "-5".into() } else { "douze".into() },
            "guillemet" => {
                p.quoted = false;
                p.denomination = format!("\"{} \"{}\" FORMATION\"", self.brand(), self.brand());
                // Rendered raw below, without escaping.
            }
            "doublon" => {
                let i = self.listed[self.rng.below(self.listed.len())];
                let mut dup = self.providers[i].clone();
                dup.denomination = format!("{} BIS", dup.denomination);
                self.render(&dup, &mut line);
                return (dup.nda.clone(), line);
            }
            _ => {}
        }
        if kind == "booleen" {
            p.certs = [true, false, false, false];
        }
        if kind == "guillemet" {
            let name = std::mem::take(&mut p.denomination);
            p.denomination = "@@".into();
            self.render(&p, &mut line);
            line = line.replacen("@@", &name, 1);
        } else {
            self.render(&p, &mut line);
        }
        if kind == "colonnes" {
            let cut = line.trim_end_matches(';').rsplitn(6, ';').last().unwrap_or("").len();
            line.truncate(cut);
        }
        (p.nda, line)
    }
}

const BROKEN_KINDS: [&str; 8] =
    ["nda", "siret", "date", "booleen", "compte", "colonnes", "guillemet", "doublon"];

/// Generate a whole series.
pub fn generate(cfg: &GenConfig) -> Series {
    let mut w = World {
        rng: Rng(cfg.seed ^ 0x5EED_A11A_0000_0001),
        providers: Vec::with_capacity(cfg.rows + cfg.rows / 10),
        listed: Vec::new(),
        used_ndas: HashSet::new(),
        used_sirens: HashSet::new(),
        gone: Vec::new(),
        groups: Vec::new(),
        date: cfg.start_date,
    };
    for g in GROUPS {
        let siren = w.new_siren();
        w.groups.push((g.to_string(), siren));
    }
    for _ in 0..cfg.rows {
        let p = w.new_provider();
        w.providers.push(p);
    }
    w.listed = (0..w.providers.len()).collect();

    let mut snapshots = Vec::new();
    let mut prev: Option<HashMap<String, Provider>> = None;
    let mut ever: HashSet<String> = HashSet::new();
    for k in 0..cfg.snapshots.max(1) {
        w.date = cfg.start_date + Days::new(7 * k as u64);
        if k > 0 {
            evolve(&mut w, k, cfg.rows);
        }
        let now: HashMap<String, Provider> =
            w.listed.iter().map(|&i| (w.providers[i].nda.clone(), w.providers[i].clone())).collect();
        let expected = match &prev {
            Some(before) => expected_changes(before, &now, &ever),
            None => Vec::new(),
        };
        let snap = render_snapshot(&mut w, cfg, expected);
        ever.extend(now.keys().cloned());
        prev = Some(now);
        snapshots.push(snap);
    }
    Series { snapshots }
}

/// One week of churn; every change type is produced from the second transition on.
fn evolve(w: &mut World, k: usize, rows: usize) {
    let n = |share: f64, min: usize| ((rows as f64 * share) as usize).max(min);
    let mut touched: HashSet<usize> = HashSet::new();
    let pick_listed = |w: &mut World, touched: &mut HashSet<usize>, pred: &dyn Fn(&Provider) -> bool| {
        for _ in 0..200 {
            let pos = w.rng.below(w.listed.len());
            let i = w.listed[pos];
            if !touched.contains(&i) && pred(&w.providers[i]) && w.providers[i].siren != "356000000" {
                touched.insert(i);
                return Some((pos, i));
            }
        }
        None
    };
    // Reappearances: half of those who left at an earlier transition and are still absent.
    let back: Vec<usize> = w.gone.iter().filter(|(_, at)| *at < k).map(|(i, _)| *i).collect();
    let mut returning = Vec::new();
    for (j, i) in back.iter().enumerate() {
        if j % 2 == 0 {
            returning.push(*i);
        }
    }
    // Transfer from a provider gone earlier (not returning).
    let mut transfers_from_gone = Vec::new();
    if let Some(i) = back.iter().find(|i| !returning.contains(i)) {
        transfers_from_gone.push(*i);
    }
    w.gone.retain(|(i, _)| !returning.contains(i) && !transfers_from_gone.contains(i));

    // Field changes on listed providers.
    for _ in 0..n(0.003, 3) {
        if let Some((_, i)) = pick_listed(w, &mut touched, &|p| !p.certified()) {
            let mut p = w.providers[i].clone();
            w.certify(&mut p);
            w.providers[i] = p;
        }
    }
    for _ in 0..n(0.002, 3) {
        if let Some((_, i)) = pick_listed(w, &mut touched, &|p| p.certified()) {
            w.providers[i].certs = [false; 4];
        }
    }
    for _ in 0..n(0.002, 3) {
        if let Some((_, i)) = pick_listed(w, &mut touched, &|p| p.certified()) {
            let p = &mut w.providers[i];
            let held: Vec<usize> = (0..4).filter(|s| p.certs[*s]).collect();
            let free: Vec<usize> = (0..4).filter(|s| !p.certs[*s]).collect();
            if !free.is_empty() {
                let s = free[(rows + i) % free.len()];
                p.certs[s] = true;
            }
            if held.len() >= 2 || (!free.is_empty() && held.len() == 1 && i % 2 == 0) {
                let s = held[i % held.len()];
                p.certs[s] = false;
            }
            if !p.certified() {
                p.certs[0] = true;
            }
        }
    }
    for j in 0..n(0.003, 3) {
        if let Some((_, i)) = pick_listed(w, &mut touched, &|_| true) {
            let brand = w.brand();
            let p = &mut w.providers[i];
            p.denomination = match j % 3 {
                0 => format!("{} {brand}", p.denomination),
                1 => format!("{brand} FORMATION"),
                _ => p.denomination.to_lowercase(),
            };
            if j % 4 == 0 {
                let mut p = w.providers[i].clone();
                w.address(&mut p);
                w.providers[i] = p;
            }
        }
    }
    for _ in 0..n(0.003, 3) {
        if let Some((_, i)) = pick_listed(w, &mut touched, &|_| true) {
            let mut p = w.providers[i].clone();
            w.address(&mut p);
            w.providers[i] = p;
        }
    }
    // Departures (some are transfers to a new NDA in the same snapshot).
    let mut leaving = Vec::new();
    for _ in 0..n(0.005, 4) {
        if let Some((_, i)) = pick_listed(w, &mut touched, &|_| true) {
            leaving.push(i);
        }
    }
    let transfers_now: Vec<usize> = leaving.iter().take(n(0.0005, 2)).copied().collect();
    let leaving_set: HashSet<usize> = leaving.iter().copied().collect();
    w.listed.retain(|i| !leaving_set.contains(i));
    for i in &leaving {
        if !transfers_now.contains(i) {
            w.gone.push((*i, k));
        }
    }
    for i in transfers_now.iter().chain(transfers_from_gone.iter()) {
        let old = w.providers[*i].clone();
        let mut p = old.clone();
        let region = w.rng.pick(&reference().regions).clone();
        p.region = region.clone();
        p.nda = w.new_nda(&region);
        p.precedents = old.nda.clone();
        p.siret = w.siret_for(&old.siren);
        p.quirks.clear();
        w.address(&mut p);
        p.region = region;
        w.providers.push(p);
        w.listed.push(w.providers.len() - 1);
    }
    for i in returning {
        w.listed.push(i);
    }
    for _ in 0..n(0.007, 5) {
        let p = w.new_provider();
        w.providers.push(p);
        w.listed.push(w.providers.len() - 1);
    }
}

/// The changes between two listings, by the rules importers must follow.
fn expected_changes(
    before: &HashMap<String, Provider>,
    now: &HashMap<String, Provider>,
    ever: &HashSet<String>,
) -> Vec<ExpectedChange> {
    let ch = |nda: &str, kind: &str, detail: Option<&str>| ExpectedChange {
        nda: nda.to_string(),
        kind: kind.to_string(),
        detail: detail.map(str::to_string),
    };
    let mut out = Vec::new();
    let mut transferred = HashSet::new();
    for (nda, p) in now {
        if let Some(b) = before.get(nda) {
            match (b.certified(), p.certified()) {
                (false, true) => out.push(ch(nda, "certifie", None)),
                (true, false) => out.push(ch(nda, "decertifie", None)),
                (true, true) => {
                    for (s, scope) in SCOPES.iter().enumerate() {
                        if !b.certs[s] && p.certs[s] {
                            out.push(ch(nda, "categorie_ajoutee", Some(scope)));
                        }
                        if b.certs[s] && !p.certs[s] {
                            out.push(ch(nda, "categorie_retiree", Some(scope)));
                        }
                    }
                }
                _ => {}
            }
            if b.denomination.trim() != p.denomination.trim() {
                out.push(ch(nda, "renomme", None));
            }
            if (b.voie.trim(), &b.cp, b.ville.trim(), &b.region)
                != (p.voie.trim(), &p.cp, p.ville.trim(), &p.region)
            {
                out.push(ch(nda, "adresse_modifiee", None));
            }
        } else if ever.contains(nda) {
            out.push(ch(nda, "reapparu", None));
        } else if !p.precedents.is_empty() && ever.contains(&p.precedents) && !now.contains_key(&p.precedents)
        {
            out.push(ch(nda, "transfere", Some(&p.precedents)));
            transferred.insert(p.precedents.clone());
        } else {
            out.push(ch(nda, "nouveau", None));
        }
    }
    for nda in before.keys() {
        if !now.contains_key(nda) && !transferred.contains(nda) {
            out.push(ch(nda, "disparu", None));
        }
    }
    out.sort();
    out
}

fn render_snapshot(w: &mut World, cfg: &GenConfig, expected: Vec<ExpectedChange>) -> Snapshot {
    let eol = if cfg.crlf { "\r\n" } else { "\n" };
    let mut text = String::with_capacity(w.listed.len() * 320);
    if cfg.bom {
        text.push('\u{feff}');
    }
    if cfg.leading_space_header {
        text.push_str(&HEADER.replace(";denomination;", "; denomination;"));
    } else {
        text.push_str(HEADER);
    }
    text.push_str(eol);
    let n_broken = if cfg.broken_rows { (w.listed.len() / 2000).max(BROKEN_KINDS.len()) } else { 0 };
    // Broken rows go at evenly spread positions; a duplicate always comes after its original.
    let every = (w.listed.len() / (n_broken + 1)).max(1);
    let mut quirks = Vec::new();
    let mut line: u64 = 1;
    let mut certified = 0;
    let mut row = String::with_capacity(512);
    let mut broken_done = 0;
    let listed = w.listed.clone();
    for (pos, &i) in listed.iter().enumerate() {
        row.clear();
        w.render(&w.providers[i], &mut row);
        text.push_str(&row);
        text.push_str(eol);
        line += 1;
        let p = &w.providers[i];
        certified += usize::from(p.certified());
        for q in &p.quirks {
            quirks.push(Quirk { line, nda: p.nda.clone(), kind: q.clone() });
        }
        if broken_done < n_broken && pos > 0 && pos % every == 0 {
            let kind = BROKEN_KINDS[broken_done % BROKEN_KINDS.len()];
            w.listed.truncate(pos + 1); // duplicates pick among rows already written
            let (nda, bad) = w.broken(kind);
            w.listed = listed.clone();
            text.push_str(&bad);
            text.push_str(eol);
            line += 1;
            quirks.push(Quirk { line, nda, kind: QuirkKind::Rejected(kind) });
            broken_done += 1;
        }
    }
    Snapshot {
        date: w.date,
        csv: text.into_bytes(),
        expected_changes: expected,
        quirks,
        valid_rows: listed.len(),
        certified_rows: certified,
    }
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
    expected_changes: &'a [ExpectedChange],
    quirks: &'a [Quirk],
}

/// Write `snapshot-YYYY-MM-DD.csv` files and a `manifest.json` with the ground truth.
pub fn write_series(dir: &Path, cfg: &GenConfig) -> std::io::Result<Vec<PathBuf>> {
    let series = generate(cfg);
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for s in &series.snapshots {
        let name = format!("snapshot-{}.csv", s.date);
        let path = dir.join(&name);
        std::fs::write(&path, &s.csv)?;
        files.push(path);
        entries.push(ManifestSnapshot {
            date: s.date,
            file: name,
            valid_rows: s.valid_rows,
            certified_rows: s.certified_rows,
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
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?)?;
    files.push(path);
    Ok(files)
}

#[cfg(test)]
mod tests;
