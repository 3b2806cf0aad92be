//! Stand-in national-scale data while `annuaire-testdata` is being written: seeded, French-looking
//! provider names (sole traders, companies with legal forms, schools, acronyms), cities with
//! coordinates, certification scopes and NSF codes. Same shape as what the generator feeds
//! through `doc_from`; swap to the generator once it exists.
#![allow(dead_code)]

use annuaire_core::Categorie;
use annuaire_search::SearchDoc;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    pub fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

const SURNAMES: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEVRE",
    "FAURE",
    "ANDRE",
    "MERCIER",
    "BLANC",
    "GUERIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANCOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "PERRIN",
    "ROBIN",
    "CLEMENT",
    "MORIN",
    "NICOLAS",
    "HENRY",
    "ROUSSEL",
    "MATHIEU",
    "GAUTIER",
    "MASSON",
    "MARCHAND",
    "DUVAL",
    "DENIS",
    "DUMONT",
    "MARIE",
    "LEMAIRE",
    "NOEL",
    "MEYER",
    "DUFOUR",
    "MEUNIER",
    "BRUN",
    "BLANCHARD",
    "GIRAUD",
    "JOLY",
    "RIVIERE",
    "LUCAS",
    "BRUNET",
    "GAILLARD",
    "BARBIER",
    "ARNAUD",
    "MARTINEZ",
    "GERARD",
    "ROCHE",
    "RENARD",
    "SCHMITT",
    "ROY",
    "LEROUX",
    "COLIN",
    "VIDAL",
    "CARON",
    "PICARD",
    "ROGER",
    "FABRE",
    "AUBERT",
    "LEMOINE",
    "RENAUD",
    "DUMAS",
    "LACROIX",
    "OLIVIER",
    "PHILIPPE",
    "BOURGEOIS",
    "PIERRE",
    "BENOIT",
    "REY",
    "LECLERC",
    "PAYET",
    "ROLLAND",
    "LECLERCQ",
    "GUILLAUME",
    "LECOMTE",
    "LOPEZ",
    "JEAN",
    "DUPUY",
    "GUILLOT",
    "HUBERT",
    "BERGER",
    "CARPENTIER",
    "SANCHEZ",
    "DUPUIS",
    "MOULIN",
    "LOUIS",
    "DESCHAMPS",
    "HUET",
    "VASSEUR",
    "PEREZ",
    "BOUCHER",
    "FLEURY",
    "ROYER",
    "KLEIN",
    "JACQUET",
    "ADAM",
    "PARIS",
    "POIRIER",
    "MARTY",
    "AUBRY",
    "GUYOT",
    "CARRE",
    "CHARLES",
    "RENAULT",
    "CHARPENTIER",
    "MENARD",
    "MAILLARD",
    "BARON",
    "BERTIN",
    "BAILLY",
    "HERVE",
    "SCHNEIDER",
    "FERNANDEZ",
    "LE GALL",
    "COLLET",
    "LEGER",
    "BOUVIER",
    "JULIEN",
    "PREVOST",
    "MILLET",
    "PERROT",
    "DANIEL",
    "LE ROUX",
    "COUSIN",
    "GERMAIN",
    "BRETON",
    "BESSON",
    "LANGLOIS",
    "REMY",
    "LE GOFF",
    "PELLETIER",
    "LEVEQUE",
    "PERRIER",
    "LEBLANC",
    "BARRE",
    "LEBRUN",
    "MARCHAL",
    "WEBER",
    "MALLET",
    "HAMON",
    "BOULANGER",
    "JACOB",
    "MONNIER",
    "MICHAUD",
    "RODRIGUEZ",
    "GUICHARD",
    "GILLET",
    "ETIENNE",
    "GRONDIN",
    "POULAIN",
    "TESSIER",
    "CHEVALLIER",
    "COLLIN",
    "CHAUVIN",
    "DA SILVA",
    "BOUCHET",
    "GAY",
    "LEMAITRE",
];
const FIRST: &[&str] = &[
    "JEAN",
    "MARIE",
    "PIERRE",
    "NATHALIE",
    "ISABELLE",
    "SYLVIE",
    "CATHERINE",
    "PHILIPPE",
    "MICHEL",
    "ALAIN",
    "FRANCOISE",
    "CHRISTINE",
    "PATRICK",
    "NICOLAS",
    "ANNE",
    "VALERIE",
    "STEPHANE",
    "SANDRINE",
    "CHRISTOPHE",
    "LAURENT",
    "CELINE",
    "FREDERIC",
    "SEBASTIEN",
    "JULIE",
    "AURELIE",
    "DAVID",
    "OLIVIER",
    "CAROLINE",
    "THOMAS",
    "EMILIE",
    "JULIEN",
    "SOPHIE",
    "VINCENT",
    "ELODIE",
    "ERIC",
    "LAETITIA",
    "BRUNO",
    "CAMILLE",
    "HELENE",
    "AGNES",
];
const ACTIVITY: &[(&str, &str)] = &[
    ("INFORMATIQUE", "326"),
    ("BUREAUTIQUE", "324"),
    ("LANGUES", "136"),
    ("ANGLAIS", "136"),
    ("MANAGEMENT", "310"),
    ("COMPTABILITE", "314"),
    ("GESTION", "314"),
    ("RESSOURCES HUMAINES", "315"),
    ("COMMERCE", "312"),
    ("VENTE", "312"),
    ("MARKETING", "312"),
    ("COMMUNICATION", "320"),
    ("SANTE", "331"),
    ("SOINS", "331"),
    ("PETITE ENFANCE", "332"),
    ("SECURITE", "344"),
    ("PREVENTION", "344"),
    ("SECOURISME", "344"),
    ("TRANSPORT", "311"),
    ("LOGISTIQUE", "311"),
    ("CONDUITE", "311"),
    ("BATIMENT", "232"),
    ("BTP", "230"),
    ("ELECTRICITE", "255"),
    ("MECANIQUE", "251"),
    ("INDUSTRIE", "200"),
    ("ENERGIE", "227"),
    ("HOTELLERIE", "334"),
    ("RESTAURATION", "221"),
    ("CUISINE", "221"),
    ("COIFFURE", "336"),
    ("ESTHETIQUE", "336"),
    ("AGRICULTURE", "210"),
    ("PAYSAGE", "214"),
    ("MUSIQUE", "133"),
    ("DANSE", "133"),
    ("THEATRE", "133"),
    ("SPORT", "411"),
    ("YOGA", "411"),
    ("COACHING", "413"),
    ("DEVELOPPEMENT PERSONNEL", "423"),
    ("PEDAGOGIE", "333"),
    ("DROIT", "128"),
    ("ORIENTATION", "415"),
    ("IMMOBILIER", "312"),
    ("PHOTOGRAPHIE", "323"),
    ("GRAPHISME", "321"),
    ("WEB", "326"),
    ("NUMERIQUE", "326"),
    ("DIGITAL", "326"),
    ("QUALITE", "310"),
    ("ENVIRONNEMENT", "343"),
    ("HYGIENE", "344"),
];
const GENERIC: &[&str] = &[
    "FORMATION",
    "FORMATIONS",
    "CONSEIL",
    "CONSULTING",
    "CENTRE DE FORMATION",
    "INSTITUT",
    "ECOLE",
    "ACADEMIE",
    "GROUPE",
    "ASSOCIATION",
    "CABINET",
    "ATELIER",
    "ESPACE",
    "SERVICES",
    "EXPERTISE",
    "SOLUTIONS",
    "PARTENAIRES",
];
const WORDS: &[&str] = &[
    "HORIZON",
    "AVENIR",
    "PERSPECTIVES",
    "TALENTS",
    "COMPETENCES",
    "EVOLUTION",
    "ALLIANCE",
    "ELAN",
    "CAP",
    "PASSERELLE",
    "TREMPLIN",
    "OXYGENE",
    "AZUR",
    "ATLANTIQUE",
    "ALPES",
    "PROVENCE",
    "OCCITANIE",
    "BRETAGNE",
    "NORMANDIE",
    "ALSACE",
    "SAVOIE",
    "ARMOR",
    "ETOILE",
    "BOUSSOLE",
    "CHEMINS",
    "ENVOL",
    "CLES",
    "SAVOIRS",
    "METIERS",
    "PROGRES",
    "DYNAMIQUE",
    "SYNERGIE",
    "IMPULSION",
    "ESSOR",
    "RELAIS",
    "TANDEM",
    "ODYSSEE",
    "PRISME",
    "VECTEUR",
    "ARCHIPEL",
    "RIVAGES",
    "SOMMETS",
    "VALLEE",
    "PHARE",
    "ORIGINE",
    "NATURE",
    "HARMONIE",
    "EQUILIBRE",
];
const LEGAL: &[&str] = &["SARL", "SAS", "SASU", "EURL", "SA", "SCOP", "SCIC", "EI"];
/// (name, postal code, department, region, lat, lon, weight)
const CITIES: &[(&str, &str, &str, &str, f64, f64, usize)] = &[
    ("PARIS", "75011", "75", "11", 48.8566, 2.3522, 30),
    ("MARSEILLE", "13001", "13", "93", 43.2965, 5.3698, 10),
    ("LYON", "69003", "69", "84", 45.7640, 4.8357, 10),
    ("TOULOUSE", "31000", "31", "76", 43.6047, 1.4442, 8),
    ("NICE", "06000", "06", "93", 43.7102, 7.2620, 5),
    ("NANTES", "44000", "44", "52", 47.2184, -1.5536, 6),
    ("MONTPELLIER", "34000", "34", "76", 43.6108, 3.8767, 5),
    ("STRASBOURG", "67000", "67", "44", 48.5734, 7.7521, 5),
    ("BORDEAUX", "33000", "33", "75", 44.8378, -0.5792, 6),
    ("LILLE", "59000", "59", "32", 50.6292, 3.0573, 6),
    ("RENNES", "35000", "35", "53", 48.1173, -1.6778, 5),
    ("REIMS", "51100", "51", "44", 49.2583, 4.0317, 3),
    ("SAINT-ETIENNE", "42000", "42", "84", 45.4397, 4.3872, 3),
    ("TOULON", "83000", "83", "93", 43.1242, 5.9280, 3),
    ("LE HAVRE", "76600", "76", "28", 49.4944, 0.1079, 2),
    ("GRENOBLE", "38000", "38", "84", 45.1885, 5.7245, 4),
    ("DIJON", "21000", "21", "27", 47.3220, 5.0415, 3),
    ("ANGERS", "49000", "49", "52", 47.4784, -0.5632, 3),
    ("NIMES", "30000", "30", "76", 43.8367, 4.3601, 2),
    ("VILLEURBANNE", "69100", "69", "84", 45.7719, 4.8902, 2),
    ("AIX-EN-PROVENCE", "13100", "13", "93", 43.5297, 5.4474, 3),
    ("CLERMONT-FERRAND", "63000", "63", "84", 45.7772, 3.0870, 3),
    ("LE MANS", "72000", "72", "52", 48.0061, 0.1996, 2),
    ("BREST", "29200", "29", "53", 48.3904, -4.4861, 2),
    ("TOURS", "37000", "37", "24", 47.3941, 0.6848, 3),
    ("AMIENS", "80000", "80", "32", 49.8941, 2.2958, 2),
    ("LIMOGES", "87000", "87", "75", 45.8336, 1.2611, 2),
    ("PERPIGNAN", "66000", "66", "76", 42.6887, 2.8948, 2),
    ("METZ", "57000", "57", "44", 49.1193, 6.1757, 2),
    ("BESANCON", "25000", "25", "27", 47.2378, 6.0241, 2),
    ("ORLEANS", "45000", "45", "24", 47.9030, 1.9093, 2),
    ("ROUEN", "76000", "76", "28", 49.4432, 1.0999, 3),
    ("CAEN", "14000", "14", "28", 49.1829, -0.3707, 2),
    ("NANCY", "54000", "54", "44", 48.6921, 6.1844, 2),
    ("ARGENTEUIL", "95100", "95", "11", 48.9472, 2.2467, 2),
    ("SAINT-DENIS", "93200", "93", "11", 48.9362, 2.3574, 2),
    ("MONTREUIL", "93100", "93", "11", 48.8638, 2.4485, 2),
    ("AVIGNON", "84000", "84", "93", 43.9493, 4.8055, 2),
    ("POITIERS", "86000", "86", "75", 46.5802, 0.3404, 2),
    ("PAU", "64000", "64", "75", 43.2951, -0.3708, 2),
    ("LA ROCHELLE", "17000", "17", "75", 46.1603, -1.1511, 2),
    ("AJACCIO", "20000", "2A", "94", 41.9192, 8.7386, 1),
    ("CAHORS", "46000", "46", "76", 44.4475, 1.4419, 1),
    ("SAINT-MALO", "35400", "35", "53", 48.6493, -2.0257, 1),
    ("ANNECY", "74000", "74", "84", 45.8992, 6.1294, 2),
    ("VANNES", "56000", "56", "53", 47.6582, -2.7608, 1),
    ("COLMAR", "68000", "68", "44", 48.0794, 7.3585, 1),
    ("BAYONNE", "64100", "64", "75", 43.4929, -1.4748, 1),
];

fn city(rng: &mut Rng) -> &'static (&'static str, &'static str, &'static str, &'static str, f64, f64, usize) {
    let total: usize = CITIES.iter().map(|c| c.6).sum();
    let mut x = rng.below(total);
    for c in CITIES {
        if x < c.6 {
            return c;
        }
        x -= c.6;
    }
    &CITIES[0]
}

fn acronym(rng: &mut Rng) -> String {
    let n = 3 + rng.below(3);
    (0..n).map(|_| (b'A' + rng.below(26) as u8) as char).collect()
}

fn name(rng: &mut Rng, city_name: &str) -> (String, Vec<&'static str>) {
    let (act, nsf) = *rng.pick(ACTIVITY);
    let (act2, nsf2) = *rng.pick(ACTIVITY);
    let s = *rng.pick(SURNAMES);
    let pattern = rng.below(100);
    let mut nsfs = vec![nsf];
    if rng.chance(40) {
        nsfs.push(nsf2);
    }
    let name = match pattern {
        0..=24 => format!("{} {}", s, rng.pick(FIRST)), // sole traders, as the list writes them
        25..=34 => format!("{} {} {}", rng.pick(LEGAL), s, rng.pick(GENERIC)),
        35..=44 => format!("{} {} {}", rng.pick(GENERIC), act, rng.pick(WORDS)),
        45..=54 => format!("{} {}", rng.pick(WORDS), rng.pick(GENERIC)),
        55..=62 => format!("{} {} {}", acronym(rng), rng.pick(GENERIC), act),
        63..=69 => format!("{} {} {}", rng.pick(GENERIC), rng.pick(WORDS), city_name),
        70..=76 => format!("{} {} {}", act, rng.pick(WORDS), rng.pick(LEGAL)),
        77..=82 => format!("{} {} ET {}", rng.pick(GENERIC), act, act2),
        83..=88 => format!("{} {} {}", rng.pick(WORDS), rng.pick(WORDS), rng.pick(GENERIC)),
        89..=93 => format!("{} {} {}", acronym(rng), s, rng.pick(LEGAL)),
        _ => format!("{} {} {} {}", rng.pick(GENERIC), rng.pick(WORDS), act, city_name),
    };
    (name, nsfs)
}

pub fn docs(n: usize, seed: u64) -> Vec<SearchDoc> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let c = city(&mut rng);
            let (den, nsf) = name(&mut rng, c.0);
            let nda = format!("{:02}{:09}", (i % 95) + 1, i);
            let precision = match rng.below(100) {
                0..=89 => "commune",
                90..=95 => "code_postal",
                96..=97 => "departement",
                _ => "region",
            };
            let jitter = |r: &mut Rng| (r.below(2000) as f64 - 1000.0) / 10_000.0;
            let (lat, lon) = (c.4 + jitter(&mut rng), c.5 + jitter(&mut rng));
            let mut cats = Vec::new();
            if rng.chance(85) {
                cats.push(Categorie::ActionsFormation);
            }
            if rng.chance(8) {
                cats.push(Categorie::BilansCompetences);
            }
            if rng.chance(6) {
                cats.push(Categorie::Vae);
            }
            if rng.chance(10) {
                cats.push(Categorie::Apprentissage);
            }
            SearchDoc {
                nda,
                siret: Some(format!("{:014}", 10_000_000_000_000u64 + i as u64)),
                siren: Some(format!("{:09}", 100_000_000u64 + i as u64)),
                nom_affichage: annuaire_core::name::display_name(&den).nom,
                denomination: den,
                code_postal: Some(c.1.to_string()),
                ville: Some(c.0.to_string()),
                code_commune: None,
                commune: Some(c.0.to_string()),
                departement: (precision != "region").then(|| c.2.to_string()),
                region: Some(c.3.to_string()),
                lat: Some(lat),
                lon: Some(lon),
                precision_geo: precision.to_string(),
                categories: cats,
                specialites: nsf.into_iter().map(|code| (code.to_string(), String::new())).collect(),
            }
        })
        .collect()
}

/// How people type a known name: lowercased, unaccented, one typo, partial, without legal form,
/// sometimes followed by the city. Returns the query and the kind of variant.
pub fn variant(rng: &mut Rng, doc: &SearchDoc) -> (String, &'static str) {
    let words: Vec<String> = annuaire_search::analysis::fold(&doc.denomination)
        .split(' ')
        .filter(|w| !annuaire_search::analysis::is_legal_form(w))
        .map(str::to_string)
        .collect();
    let kind = rng.below(5);
    let (mut q, label) = match kind {
        0 => (doc.nom_affichage.to_lowercase(), "minuscules"),
        1 => (words.join(" "), "sans accents ni forme"),
        2 => {
            // One typo in the longest word of 5 letters or more.
            let mut w = words.clone();
            if let Some((i, _)) =
                w.iter().enumerate().filter(|(_, x)| x.len() >= 5).max_by_key(|(_, x)| x.len())
            {
                let mut chars: Vec<char> = w[i].chars().collect();
                let p = 1 + rng.below(chars.len() - 2);
                match rng.below(3) {
                    0 => chars.swap(p, p + 1),
                    1 => {
                        chars.remove(p);
                    }
                    _ => chars[p] = (b'a' + rng.below(26) as u8) as char,
                }
                w[i] = chars.into_iter().collect();
            }
            (w.join(" "), "une faute")
        }
        3 => {
            // Partial: the last word cut (at least 3 letters kept).
            let mut w = words.clone();
            if let Some(last) = w.last_mut()
                && last.len() > 4
            {
                let keep = 3 + rng.below(last.len() - 3);
                last.truncate(keep);
            }
            (w.join(" "), "partiel")
        }
        _ => (words.join(" "), "sans forme juridique"),
    };
    if rng.chance(30)
        && let Some(v) = &doc.ville
    {
        q.push(' ');
        q.push_str(&v.to_lowercase());
        return (q, "avec ville");
    }
    (q, label)
}
