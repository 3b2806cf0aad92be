//! The synthetic world: providers with every field already decided, created with realistic
//! frequencies and evolved week by week. Rendering to CSV lives in `render`.

use crate::reference::{Commune, reference, title};
use crate::rng::Rng;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{HashMap, HashSet};

pub(crate) const SCOPES: [&str; 4] = ["actions_formation", "bilans_competences", "vae", "apprentissage"];
pub(crate) const LA_POSTE_SIREN: u32 = 356_000_000;

/// Row styling flags.
pub(crate) const QUOTED: u16 = 1;
pub(crate) const SOLE_TRADER: u16 = 2;
pub(crate) const LA_POSTE: u16 = 4;

pub(crate) const LEGAL_FORMS: &[&str] = &["SARL", "SAS", "SASU", "EURL", "SA", "SCOP"];

/// Topics: words that appear in names, and the NSF codes a provider on that topic declares.
const TOPICS: &[(&[&str], &[u16])] = &[
    (&["FORMATION EXCEL", "BUREAUTIQUE", "OFFICE PRO", "WORD ET EXCEL"], &[324, 326]),
    (&["INFORMATIQUE", "NUMERIQUE", "DIGITAL", "CODE ACADEMY", "DATA"], &[326]),
    (&["CYBERSECURITE", "CYBER DEFENSE", "SECURITE INFORMATIQUE"], &[326, 344]),
    (&["LANGUES", "ANGLAIS", "ENGLISH SCHOOL", "LANGUAGE CENTER", "FLE"], &[136]),
    (&["MANAGEMENT", "LEADERSHIP", "COACHING"], &[310, 413]),
    (&["COMPTABILITE", "GESTION", "PAIE"], &[314]),
    (&["RH", "RESSOURCES HUMAINES", "RECRUTEMENT"], &[315]),
    (&["VENTE", "COMMERCE", "NEGOCIATION"], &[312]),
    (&["SECURITE INCENDIE", "SST", "PREVENTION", "SSIAP"], &[344]),
    (&["CACES", "TRANSPORT", "LOGISTIQUE", "CONDUITE"], &[311]),
    (&["BTP", "BATIMENT", "ELECTRICITE", "PLOMBERIE"], &[230, 232, 233, 255]),
    (&["HOTELLERIE", "RESTAURATION", "CUISINE", "HACCP"], &[334, 221]),
    (&["COIFFURE", "ESTHETIQUE", "BEAUTE"], &[336]),
    (&["PETITE ENFANCE", "SOCIAL", "AIDE A DOMICILE"], &[332, 330]),
    (&["SANTE", "SOINS", "PARAMEDICAL"], &[331]),
    (&["AGRICULTURE", "VITICULTURE", "PAYSAGE"], &[210, 211, 214]),
    (&["INDUSTRIE", "MAINTENANCE", "SOUDURE", "USINAGE"], &[250, 251, 254]),
    (&["ARTS", "MUSIQUE", "THEATRE", "PHOTO"], &[133, 132, 323]),
    (&["SPORT", "FITNESS", "ANIMATION"], &[335, 411]),
    (&["BILAN DE COMPETENCES", "ORIENTATION", "INSERTION"], &[415, 413]),
    (&["DEVELOPPEMENT PERSONNEL", "SOPHROLOGIE", "BIEN ETRE"], &[413, 423]),
    (&["COMMUNICATION", "MARKETING", "PAO"], &[320, 321]),
    (&["IMMOBILIER", "ASSURANCE", "BANQUE"], &[313]),
    (&["ENSEIGNEMENT", "PEDAGOGIE", "FORMATEURS"], &[333]),
];
/// Index in `TOPICS` of the topic whose providers mostly hold the "bilans" scope.
const BILAN_TOPIC: usize = 19;

/// Networks whose establishments declare separately: several NDAs under one SIREN per region
/// (one national SIREN for AFPA, a single public body).
struct Family {
    patterns: &'static [&'static str],
    national: bool,
    nsf: &'static [u16],
    apprentissage: f64,
}

const FAMILIES: &[Family] = &[
    Family {
        patterns: &["GRETA {C}", "GRETA DU {C}", "GRETA CFA {C}"],
        national: false,
        nsf: &[324, 136, 311, 331, 232],
        apprentissage: 0.4,
    },
    Family {
        patterns: &["AFPA {C}", "AFPA CENTRE DE {C}"],
        national: true,
        nsf: &[232, 233, 311, 254, 334],
        apprentissage: 0.2,
    },
    Family {
        patterns: &["CCI {C}", "CCI FORMATION {C}", "CCI {C} FORMATION CONTINUE"],
        national: false,
        nsf: &[312, 310, 136, 314],
        apprentissage: 0.5,
    },
    Family {
        patterns: &["CMA {C}", "CHAMBRE DE METIERS ET DE L'ARTISANAT {C}"],
        national: false,
        nsf: &[221, 336, 233, 312],
        apprentissage: 0.8,
    },
    Family {
        patterns: &["CFA BTP {C}", "CFA DU BATIMENT {C}", "BTP CFA {C}"],
        national: false,
        nsf: &[230, 232, 233, 227],
        apprentissage: 1.0,
    },
    Family { patterns: &["IFSI {C}", "IFSI CHU {C}"], national: false, nsf: &[331], apprentissage: 0.1 },
    Family {
        patterns: &["MFR {C}", "MAISON FAMILIALE RURALE {C}"],
        national: false,
        nsf: &[210, 211, 330],
        apprentissage: 0.7,
    },
];

const PREFIXES: &[&str] =
    &["CENTRE DE FORMATION", "INSTITUT", "ECOLE", "ACADEMIE", "CABINET", "ATELIER", "ESPACE", "ORGANISME"];
const GENERIC: &[&str] = &[
    "FORMATION PLUS",
    "ABC CONSEIL",
    "PRO FORMATION",
    "HORIZON COMPETENCES",
    "AVENIR FORMATION",
    "CAP COMPETENCES",
    "ALPHA CONSULTING",
    "PERFORMANCE RH",
    "OPTIMA CONSEIL",
    "EXPERT FORMATION",
];
const SYLLABLES: &[&str] = &[
    "KA", "LO", "RI", "VEN", "TA", "DOR", "MI", "SA", "NO", "VA", "LIS", "TRA", "BE", "QUE", "RO", "XI",
    "ZE", "NA", "PO", "LU", "MAR", "TEL", "FI", "GO", "SY", "NER", "DA", "CO", "RA", "PHI", "AL", "TEC",
    "VIA", "OR", "EX", "LYS",
];
const MALE_NAMES: &[&str] =
    &["JEAN", "PIERRE", "NICOLAS", "LAURENT", "THOMAS", "JULIEN", "FRANCOIS", "OLIVIER", "KARIM", "MEHDI"];
const FEMALE_NAMES: &[&str] = &[
    "MARIE", "SOPHIE", "ISABELLE", "NATHALIE", "CELINE", "AURELIE", "CAROLINE", "SANDRINE", "FATIMA", "CHLOE",
];
const SURNAMES: &[&str] = &[
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU",
    "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT", "FOURNIER",
    "MOREL", "GIRARD", "ANDRE", "MERCIER", "DUPONT", "LAMBERT", "BONNET", "FRANCOIS", "MARTINEZ", "LEGRAND",
    "BENALI", "NGUYEN",
];
const STREETS: &[&str] = &[
    "RUE DE LA REPUBLIQUE",
    "AVENUE JEAN JAURES",
    "RUE VICTOR HUGO",
    "BOULEVARD GAMBETTA",
    "RUE DU GENERAL DE GAULLE",
    "PLACE DE LA MAIRIE",
    "RUE PASTEUR",
    "CHEMIN DES VIGNES",
    "RUE DES ECOLES",
    "ALLEE DES TILLEULS",
    "ROUTE DE PARIS",
    "QUAI DES ARTS",
    "IMPASSE DU MOULIN",
    "RUE NATIONALE",
    "AVENUE DE LA GARE",
    "RUE DU COMMERCE",
];
const ZONES: &[&str] =
    &["ZA LES PORTES", "ZI NORD", "PARC D'ACTIVITES DU LAC", "ZAC DES CHAMPS", "TECHNOPOLE"];
/// Country, city, postal code, street and legal-form suffix of foreign bodies represented here.
const FOREIGN: &[(&str, &str, &str, &str, &str)] = &[
    ("ROYAUME-UNI", "LONDON", "EC1A 1BB", "HIGH STREET", "LTD"),
    ("BELGIQUE", "BRUXELLES", "1000", "AVENUE LOUISE", "SPRL"),
    ("SUISSE", "GENEVE", "1201", "RUE DU RHONE", "SARL"),
    ("ALLEMAGNE", "BERLIN", "10115", "FRIEDRICHSTRASSE", "GMBH"),
    ("ESPAGNE", "MADRID", "28001", "CALLE DE ALCALA", "SL"),
    ("ITALIE", "MILANO", "20121", "VIA MANZONI", "SRL"),
    ("LUXEMBOURG", "LUXEMBOURG", "L-1528", "BOULEVARD ROYAL", "SARL"),
    ("CANADA", "MONTREAL", "H2X 1Y4", "RUE SHERBROOKE", "INC"),
    ("ETATS-UNIS", "NEW YORK", "10001", "FIFTH AVENUE", "INC"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    Plain,
    Cedex,
    Arrondissement,
    Saint,
}

#[derive(Debug, Clone)]
pub(crate) struct Address {
    pub(crate) voie: String,
    pub(crate) ville: String,
    /// Normalised five digits, what an importer compares.
    pub(crate) cp: [u8; 5],
    /// Written without its leading zero (`1000` for `01000`).
    pub(crate) cp_lost_zero: bool,
    pub(crate) spelling: Spelling,
}

#[derive(Debug, Clone)]
pub(crate) struct Declaration {
    /// dateDerniereDeclaration, debutExercice, finExercice.
    pub(crate) dates: [NaiveDate; 3],
    /// NSF codes, 0 for none.
    pub(crate) specs: [u16; 3],
    /// nbStagiaires, nbStagiairesConfiesParUnAutreOF, effectifFormateurs.
    pub(crate) counts: [u32; 3],
}

/// One provider. Kept compact (numbers for identifiers, codes for labels) because a national-scale
/// world holds 160,000 of them.
#[derive(Debug, Clone)]
pub(crate) struct Provider {
    pub(crate) nda: u64,
    pub(crate) siret: u64,
    pub(crate) siren: u32,
    pub(crate) region: [u8; 2],
    /// Bit i = scope `SCOPES[i]`.
    pub(crate) certs: u8,
    pub(crate) flags: u16,
    /// Non-held scopes of a non-certified row are written empty rather than `false`.
    pub(crate) false_empty: bool,
    pub(crate) name: String,
    pub(crate) precedents: Option<Box<str>>,
    pub(crate) address: Option<Address>,
    pub(crate) foreign: Option<Box<[String; 5]>>,
    pub(crate) declaration: Option<Declaration>,
}

impl Provider {
    pub(crate) fn certified(&self) -> bool {
        self.certs != 0
    }
}

/// Features some rows must carry so that even a small file shows every quirk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Force {
    None,
    LaPoste,
    Foreign,
    EmbeddedQuote,
    Semicolon,
    Precedents,
    /// For broken rows: no quoting, no `;`, always a declaration, so the breakage is the only
    /// thing wrong and can be applied field by field.
    Plain,
}

pub(crate) struct World {
    pub(crate) rng: Rng,
    pub(crate) providers: Vec<Provider>,
    /// Indexes into `providers` of the listed NDAs, in file order.
    pub(crate) listed: Vec<usize>,
    /// Providers that left the list, with the transition (snapshot index) at which they left.
    pub(crate) gone: Vec<(usize, usize)>,
    pub(crate) date: NaiveDate,
    used_ndas: HashSet<u64>,
    used_sirens: HashSet<u32>,
    used_sirets: HashSet<u64>,
    group_sirens: HashMap<(usize, [u8; 2]), u32>,
}

fn luhn_digit(prefix: u64) -> u64 {
    // The check digit d makes prefix*10+d pass: try all ten, cheap and obviously right.
    (0..10).find(|d| crate::luhn_ok(&(prefix * 10 + d).to_string())).unwrap_or(0)
}

fn digit_sum(mut n: u64) -> u64 {
    let mut s = 0;
    while n > 0 {
        s += n % 10;
        n /= 10;
    }
    s
}

impl World {
    pub(crate) fn new(seed: u64, date: NaiveDate) -> World {
        World {
            rng: Rng::new(seed),
            providers: Vec::new(),
            listed: Vec::new(),
            gone: Vec::new(),
            date,
            used_ndas: HashSet::new(),
            used_sirens: HashSet::new(),
            used_sirets: HashSet::new(),
            group_sirens: HashMap::new(),
        }
    }

    /// A fresh NDA: declaring region, department of the address, then a serial.
    pub(crate) fn new_nda(&mut self, region: [u8; 2], cp: [u8; 5]) -> u64 {
        let reg = u64::from(region[0] - b'0') * 10 + u64::from(region[1] - b'0');
        let dep = u64::from(cp[0] - b'0') * 10 + u64::from(cp[1] - b'0');
        loop {
            let nda = reg * 1_000_000_000 + dep * 10_000_000 + self.rng.digits(7);
            if self.used_ndas.insert(nda) {
                return nda;
            }
        }
    }

    /// An NDA that never appears as a row: former numbers named in `numerosDeclarationActivitePrecedent`.
    fn historical_nda(&mut self) -> String {
        let regions = [*b"11", *b"84", *b"93", *b"75", *b"76", *b"52", *b"53", *b"44", *b"32", *b"28"];
        let region = *self.rng.pick(&regions);
        let cp = [b'0' + self.rng.below(10) as u8, b'0' + self.rng.below(10) as u8, b'0', b'0', b'0'];
        format!("{:011}", self.new_nda(region, cp))
    }

    fn new_siren(&mut self) -> u32 {
        loop {
            let prefix = (1 + self.rng.below(9) as u64) * 10_000_000 + self.rng.digits(7);
            let siren = (prefix * 10 + luhn_digit(prefix)) as u32;
            if siren != LA_POSTE_SIREN && self.used_sirens.insert(siren) {
                return siren;
            }
        }
    }

    /// A SIRET of `siren` never used before: Luhn-valid, or for La Poste with a digit sum that
    /// is a multiple of 5 (its establishments are too many for the Luhn key).
    pub(crate) fn new_siret(&mut self, siren: u32) -> u64 {
        loop {
            let siret = if siren == LA_POSTE_SIREN {
                let s = u64::from(siren) * 100_000 + self.rng.digits(5);
                if digit_sum(s) % 5 != 0 {
                    continue;
                }
                s
            } else {
                let prefix = u64::from(siren) * 10_000 + 1 + self.rng.digits(4).min(9_998);
                prefix * 10 + luhn_digit(prefix)
            };
            if self.used_sirets.insert(siret) {
                return siret;
            }
        }
    }

    fn brand(&mut self) -> String {
        let n = 2 + self.rng.below(2);
        (0..n).map(|_| *self.rng.pick(SYLLABLES)).collect()
    }

    /// The city as written: La Poste's routing label, with the spellings seen in the real file.
    fn ville(&mut self, c: &Commune, a: &mut Address) {
        let base = &*c.acheminement;
        let overseas = c.cp.starts_with(b"97");
        if let Some(n) = c.arrondissement.filter(|_| self.rng.chance(0.45)) {
            a.spelling = Spelling::Arrondissement;
            a.ville = match self.rng.below(5) {
                0 => format!("{base} {n}"),
                1 => format!("{base} {n:02}"),
                2 => format!("{base} {n}EME"),
                3 => format!("{base} {n}E"),
                _ => format!("{} {n}e", title(base)),
            };
        } else if !overseas && self.rng.chance(0.03) {
            a.spelling = Spelling::Cedex;
            a.cp = [c.cp[0], c.cp[1], b'9', b'0' + self.rng.below(10) as u8, b'0' + self.rng.below(10) as u8];
            let n = c.arrondissement.map_or_else(|| 1 + self.rng.below(20), usize::from);
            a.ville =
                if self.rng.chance(0.4) { format!("{base} CEDEX") } else { format!("{base} CEDEX {n:02}") };
            a.voie = match self.rng.below(2) {
                0 => format!("{} CS {}", a.voie, 10_000 + self.rng.below(90_000)),
                _ => format!("{} BP {}", a.voie, 1 + self.rng.below(999)),
            };
        } else if base.starts_with("SAINT ") || base.starts_with("SAINTE ") {
            a.ville = match self.rng.below(5) {
                0 | 1 => {
                    a.spelling = Spelling::Saint;
                    base.replacen("SAINTE ", "STE ", 1).replacen("SAINT ", "ST ", 1)
                }
                2 => base.replace(' ', "-"),
                3 => c.nom.to_string(),
                _ => base.to_string(),
            };
        } else {
            a.ville = match self.rng.below(100) {
                0..8 => c.nom.to_string(),
                8..10 => base.to_lowercase(),
                10..14 => base.replace(' ', "-"),
                _ => base.to_string(),
            };
        }
    }

    fn address(&mut self, commune: usize, force: Force) -> Address {
        let c = &reference().communes[commune];
        let n = 1 + self.rng.below(150);
        let mut voie = match self.rng.below(100) {
            0..6 => self.rng.pick(ZONES).to_string(),
            6..9 => format!("{n} BIS {}", self.rng.pick(STREETS)),
            _ => format!("{n} {}", self.rng.pick(STREETS)),
        };
        if self.rng.chance(0.06) {
            voie = title(&voie);
        }
        if force == Force::Semicolon || (force != Force::Plain && self.rng.chance(0.002)) {
            // Complements are sometimes typed after a `;`, which forces quoting.
            voie = format!("{voie} ; BATIMENT {}", char::from(b'A' + self.rng.below(4) as u8));
        }
        let mut a =
            Address { voie, ville: String::new(), cp: c.cp, cp_lost_zero: false, spelling: Spelling::Plain };
        self.ville(c, &mut a);
        a.cp_lost_zero = a.cp[0] == b'0' && self.rng.chance(0.15);
        a
    }

    fn certify(&mut self, topic: Option<usize>) -> u8 {
        let bilans = if topic == Some(BILAN_TOPIC) { 0.8 } else { 0.09 };
        let mut certs = 0;
        for (bit, p) in [0.92, bilans, 0.06, 0.22].into_iter().enumerate() {
            if self.rng.chance(p) {
                certs |= 1 << bit;
            }
        }
        if certs == 0 { 1 } else { certs }
    }

    fn declaration(&mut self, codes: &[u16], big: bool) -> Declaration {
        let year = self.date.year() - 1 - i32::from(self.rng.chance(0.25));
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let (debut, fin) = if year == self.date.year() - 1 && self.rng.chance(0.1) {
            (ymd(year - 1, 7, 1), ymd(year, 6, 30))
        } else {
            (ymd(year, 1, 1), ymd(year, 12, 31))
        };
        // Declared within about six months after the exercise, never after the snapshot.
        let latest = (fin + Days::new(200)).min(self.date);
        let span = (latest - fin).num_days().max(1) as usize;
        let declared = (fin + Days::new(1 + self.rng.below(span) as u64)).min(self.date);
        let wanted = match self.rng.below(10) {
            0..5 => 1,
            5..8 => 2,
            _ => 3,
        };
        let mut specs = [0u16; 3];
        let mut n = 0;
        let mut tries = 0;
        while n < wanted && tries < 20 {
            tries += 1;
            let code = if n < codes.len() && tries <= codes.len() * 2 {
                *self.rng.pick(codes)
            } else {
                let t = self.rng.below(TOPICS.len());
                *self.rng.pick(TOPICS[t].1)
            };
            if !specs[..n].contains(&code) {
                specs[n] = code;
                n += 1;
            }
        }
        let scale = if big { 20 } else { 1 };
        let trainees = (self.rng.below(40) * self.rng.below(40) * scale) as u32;
        let entrusted =
            if trainees > 0 && self.rng.chance(0.3) { self.rng.below(trainees as usize + 1) } else { 0 };
        let trainers = if trainees == 0 { self.rng.below(2) } else { 1 + self.rng.below(8 * scale) };
        Declaration {
            dates: [declared, debut, fin],
            specs,
            counts: [trainees, entrusted as u32, trainers as u32],
        }
    }

    fn group_siren(&mut self, family: usize, region: [u8; 2]) -> u32 {
        let key = (family, if FAMILIES[family].national { *b"00" } else { region });
        if let Some(s) = self.group_sirens.get(&key) {
            return *s;
        }
        let s = self.new_siren();
        self.group_sirens.insert(key, s);
        s
    }

    /// A provider as it first appears in the list.
    pub(crate) fn new_provider(&mut self, force: Force) -> Provider {
        let r = reference();
        let commune = r.commune(&mut self.rng);
        let c = &r.communes[commune];
        let city = c.acheminement.to_string();
        let region = c.reg;
        let address = self.address(commune, force);
        let mut flags = 0;
        let mut topic = None;
        let mut family = None;
        let brand = self.brand();
        let roll = self.rng.below(100);
        let name = if force == Force::LaPoste {
            flags |= LA_POSTE;
            match self.rng.below(3) {
                0 => format!("LA POSTE {city}"),
                1 => format!("LA POSTE - DIRECTION REGIONALE {city}"),
                _ => "LA POSTE".to_string(),
            }
        } else if roll < 8 {
            flags |= SOLE_TRADER;
            let female = self.rng.chance(0.5);
            let f = *self.rng.pick(if female { FEMALE_NAMES } else { MALE_NAMES });
            let s = *self.rng.pick(SURNAMES);
            match (self.rng.below(5), female) {
                (0, false) => format!("MONSIEUR {f} {s}"),
                (0, true) => format!("MADAME {s} {f}"),
                (1, false) => format!("Monsieur {} {}", title(f), title(s)),
                (1, true) => format!("Madame {} {}", title(f), title(s)),
                _ => format!("{s} {f}"),
            }
        } else if roll < 12 {
            let fam = self.rng.below(FAMILIES.len());
            family = Some(fam);
            self.rng.pick(FAMILIES[fam].patterns).replace("{C}", &city)
        } else {
            let t = self.rng.below(TOPICS.len());
            topic = Some(t);
            let word = *self.rng.pick(TOPICS[t].0);
            let body = if self.rng.chance(0.15) {
                self.rng.pick(GENERIC).to_string()
            } else {
                format!("{brand} {word}")
            };
            match roll {
                12..40 => {
                    let form = *self.rng.pick(LEGAL_FORMS);
                    if self.rng.chance(0.6) { format!("{form} {body}") } else { format!("{body} {form}") }
                }
                40..48 => format!("ASSOCIATION {body}"),
                48..54 => title(&body),
                _ => match self.rng.below(3) {
                    0 => format!("{} {body}", self.rng.pick(PREFIXES)),
                    _ => body,
                },
            }
        };
        let name = if force == Force::EmbeddedQuote || (force != Force::Plain && self.rng.chance(0.001)) {
            // Quotes inside a name are escaped by doubling them in the file.
            format!("{name} \"{}\"", self.brand())
        } else {
            name
        };
        let siren = if flags & LA_POSTE != 0 {
            LA_POSTE_SIREN
        } else if let Some(f) = family {
            self.group_siren(f, region)
        } else {
            self.new_siren()
        };
        let siret = self.new_siret(siren);
        let nda = self.new_nda(region, c.cp);

        let p_cert = if family.is_some() { 0.7 } else { 0.265 };
        let mut certs = if self.rng.chance(p_cert) { self.certify(topic) } else { 0 };
        if let Some(f) = family {
            if certs != 0 && self.rng.chance(FAMILIES[f].apprentissage) {
                certs |= 8;
            }
        }
        let keep_address =
            matches!(force, Force::Semicolon) || !self.rng.chance(if certs != 0 { 0.44 } else { 0.03 });
        let foreign = if force == Force::Foreign || (force != Force::Plain && self.rng.chance(0.002)) {
            let (country, city, cp, street, suffix) = *self.rng.pick(FOREIGN);
            Some(Box::new([
                format!("{} {suffix}", self.brand()),
                format!("{} {street}", 1 + self.rng.below(90)),
                cp.to_string(),
                city.to_string(),
                country.to_string(),
            ]))
        } else {
            None
        };
        let codes: &[u16] = match (family, topic) {
            (Some(f), _) => FAMILIES[f].nsf,
            (None, Some(t)) => TOPICS[t].1,
            _ => &[],
        };
        let declaration = if force == Force::Plain || self.rng.chance(0.96) {
            Some(self.declaration(codes, family.is_some() || flags & LA_POSTE != 0))
        } else {
            None
        };
        let precedents = if force == Force::Precedents || (force != Force::Plain && self.rng.chance(0.015)) {
            Some(self.historical_precedents())
        } else {
            None
        };
        if force != Force::Plain && self.rng.chance(0.03) {
            flags |= QUOTED;
        }
        Provider {
            nda,
            siret,
            siren,
            region,
            certs,
            flags,
            false_empty: self.rng.chance(0.4),
            name,
            precedents,
            address: keep_address.then_some(address),
            foreign,
            declaration,
        }
    }

    /// One to three former NDAs, separated by `,` (sometimes `, `).
    fn historical_precedents(&mut self) -> Box<str> {
        let n = match self.rng.below(10) {
            0..7 => 1,
            7..9 => 2,
            _ => 3,
        };
        let sep = if self.rng.chance(0.3) { ", " } else { "," };
        (0..n).map(|_| self.historical_nda()).collect::<Vec<_>>().join(sep).into()
    }

    /// Move a provider: half the time within its commune (new street), else anywhere.
    fn move_address(&mut self, i: usize) {
        let r = reference();
        let p = &self.providers[i];
        let same_city = p.address.is_some() && self.rng.chance(0.5);
        if same_city {
            let n = 1 + self.rng.below(300);
            let street = *self.rng.pick(STREETS);
            if let Some(a) = self.providers[i].address.as_mut() {
                let voie = format!("{n} {street}");
                a.voie = if a.voie == voie { format!("{voie} BIS") } else { voie };
            }
        } else {
            let commune = r.commune(&mut self.rng);
            let a = self.address(commune, Force::None);
            let p = &mut self.providers[i];
            p.region = r.communes[commune].reg;
            p.address = Some(a);
        }
    }

    fn pick_listed(&mut self, touched: &mut [bool], pred: impl Fn(&Provider) -> bool) -> Option<usize> {
        for _ in 0..if self.listed.is_empty() { 0 } else { 400 } {
            let i = self.listed[self.rng.below(self.listed.len())];
            let p = &self.providers[i];
            if !touched[i] && p.flags & LA_POSTE == 0 && pred(p) {
                touched[i] = true;
                return Some(i);
            }
        }
        None
    }

    fn rename(&mut self, i: usize, variant: usize) {
        let brand = self.brand();
        let old = self.providers[i].name.trim().to_string();
        let form = old.split(' ').find(|w| LEGAL_FORMS.contains(w));
        let mut name = match variant % 4 {
            0 => format!("{old} FORMATION"),
            1 => format!("{brand} FORMATION"),
            2 => match form {
                Some(f) => {
                    let other = if f == "SAS" { "SARL" } else { "SAS" };
                    old.split(' ').map(|w| if w == f { other } else { w }).collect::<Vec<_>>().join(" ")
                }
                None => format!("SAS {old}"),
            },
            _ => title(&old),
        };
        if name == old {
            name.push_str(" CONSEIL");
        }
        let p = &mut self.providers[i];
        p.name = name;
        if variant % 4 == 1 {
            p.flags &= !SOLE_TRADER;
        }
    }

    /// One week of churn. From the second transition on, every change type is produced.
    pub(crate) fn evolve(&mut self, k: usize, rows: usize) {
        let n = |share: f64, min: usize| ((rows as f64 * share) as usize).max(min);
        let mut touched = vec![false; self.providers.len()];

        // Providers that left at an earlier transition: a few come back unchanged, a few transfer.
        let back: Vec<usize> = self.gone.iter().filter(|(_, at)| *at < k).map(|(i, _)| *i).collect();
        let returning: Vec<usize> = back.iter().step_by(2).take(n(0.0003, 1)).copied().collect();
        let transfer_from_gone: Vec<usize> =
            back.iter().skip(1).step_by(2).take(n(0.0001, 1)).copied().collect();
        self.gone.retain(|(i, _)| !returning.contains(i) && !transfer_from_gone.contains(i));

        for _ in 0..n(0.003, 3) {
            if let Some(i) = self.pick_listed(&mut touched, |p| !p.certified()) {
                self.providers[i].certs = self.certify(None);
            }
        }
        for _ in 0..n(0.002, 3) {
            if let Some(i) = self.pick_listed(&mut touched, Provider::certified) {
                self.providers[i].certs = 0;
            }
        }
        for j in 0..n(0.002, 4) {
            if let Some(i) = self.pick_listed(&mut touched, Provider::certified) {
                let certs = self.providers[i].certs;
                let held: Vec<u8> = (0..4).filter(|b| certs & (1 << b) != 0).collect();
                let free: Vec<u8> = (0..4).filter(|b| certs & (1 << b) == 0).collect();
                let mut new = certs;
                // Alternate adding and removing so both events occur whatever the sizes.
                if (j % 2 == 0 || held.len() == 1) && !free.is_empty() {
                    new |= 1 << *self.rng.pick(&free);
                }
                if j % 2 == 1 || free.is_empty() {
                    if held.len() == 1 {
                        // A single scope is swapped for another, so the row stays certified.
                        new |= 1 << *self.rng.pick(&free);
                    }
                    new &= !(1 << *self.rng.pick(&held));
                }
                self.providers[i].certs = new;
            }
        }
        for j in 0..n(0.003, 4) {
            if let Some(i) = self.pick_listed(&mut touched, |_| true) {
                self.rename(i, j);
                if j % 4 == 3 {
                    self.move_address(i);
                }
                if j % 5 == 2 {
                    let p = &mut self.providers[i];
                    p.certs = if p.certified() { 0 } else { 1 };
                }
            }
        }
        for _ in 0..n(0.003, 3) {
            if let Some(i) = self.pick_listed(&mut touched, |_| true) {
                self.move_address(i);
            }
        }
        // Changes of spelling only: the importer must see nothing.
        for _ in 0..n(0.001, 2) {
            if let Some(i) =
                self.pick_listed(&mut touched, |p| p.address.as_ref().is_some_and(|a| a.cp[0] == b'0'))
            {
                if let Some(a) = self.providers[i].address.as_mut() {
                    a.cp_lost_zero = !a.cp_lost_zero;
                }
            }
        }
        for _ in 0..n(0.0005, 1) {
            if let Some(i) = self.pick_listed(&mut touched, |p| !p.name.ends_with(' ')) {
                self.providers[i].name.push(' ');
            }
        }

        let mut leaving = Vec::new();
        for _ in 0..n(0.005, 4) {
            if let Some(i) = self.pick_listed(&mut touched, |_| true) {
                leaving.push(i);
            }
        }
        let transfer_now: Vec<usize> = leaving.iter().take(n(0.0001, 2)).copied().collect();
        let mut is_leaving = vec![false; self.providers.len()];
        for i in &leaving {
            is_leaving[*i] = true;
        }
        self.listed.retain(|i| !is_leaving[*i]);
        for i in &leaving {
            if !transfer_now.contains(i) {
                self.gone.push((*i, k));
            }
        }
        // A transfer: the organisation moves to another region and gets a new NDA there, naming
        // its old one as precedent (sometimes after older ones never listed).
        for (j, old) in transfer_now.into_iter().chain(transfer_from_gone).enumerate() {
            let mut p = self.providers[old].clone();
            let commune = reference().commune(&mut self.rng);
            let c = &reference().communes[commune];
            p.region = c.reg;
            p.nda = self.new_nda(c.reg, c.cp);
            p.siret = self.new_siret(p.siren);
            let old_nda = format!("{:011}", self.providers[old].nda);
            p.precedents = Some(
                if j % 2 == 1 { format!("{},{old_nda}", self.historical_nda()) } else { old_nda }.into(),
            );
            let keep = p.address.is_some();
            p.address = keep.then(|| self.address(commune, Force::None));
            self.providers.push(p);
            self.listed.push(self.providers.len() - 1);
        }
        self.listed.extend(returning);
        for _ in 0..n(0.007, 5) {
            let p = self.new_provider(Force::None);
            self.providers.push(p);
            self.listed.push(self.providers.len() - 1);
        }
    }
}
