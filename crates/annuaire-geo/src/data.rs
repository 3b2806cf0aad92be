//! The bundled places table (`data/geo/places.tsv.gz`, built from `data/reference/` by
//! `derive.rs`) read into [`Places`] and its indexes.

use crate::index::{Names, Target};
use crate::{Places, place_key};
use std::io::Read;

/// A commune, or a municipal arrondissement of Paris, Lyon or Marseille.
#[derive(Debug, Clone, PartialEq)]
pub struct Commune {
    pub code: String,
    /// Official name with accents ("Saint-Étienne", "Paris 11e Arrondissement").
    pub nom: String,
    pub departement: String,
    pub region: String,
    pub lat: f64,
    pub lon: f64,
    /// Municipal population 2024; 0 for arrondissements, which the source counts with their city.
    pub population: u32,
    pub codes_postaux: Vec<String>,
    /// The city an arrondissement belongs to (75056, 69123, 13055).
    pub parent: Option<String>,
    /// Other names that designate it: former names of merged communes (La Poste `Ligne_5`) and
    /// La Poste's own spellings and routing labels.
    pub anciens_noms: Vec<String>,
}

impl Commune {
    pub fn is_arrondissement(&self) -> bool {
        self.parent.is_some()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Departement {
    pub code: String,
    pub nom: String,
    pub region: String,
    /// INSEE code of the prefecture.
    pub chef_lieu: String,
    /// Population-weighted centroid of its communes.
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Distance from the centre within which 90% of its communes lie.
    pub rayon_km: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub code: String,
    pub nom: String,
    /// INSEE code of the prefecture.
    pub chef_lieu: String,
    /// Population-weighted centroid of its communes.
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Distance from the centre within which 90% of its communes lie.
    pub rayon_km: f64,
    /// Abbreviations and pre-2016 names that people still use.
    pub alias: Vec<&'static str>,
}

/// Names people use for today's regions: acronyms, the regions merged in 2016, and common
/// variants. Written by hand: no reference file lists them.
const REGION_ALIASES: &[(&str, &[&str])] = &[
    ("01", &["Gwadloup"]),
    ("03", &["Guyane française"]),
    ("04", &["Réunion", "Île de la Réunion"]),
    ("11", &["IDF", "Île de France", "Région parisienne"]),
    ("24", &["CVL", "Centre", "Région Centre", "Val de Loire"]),
    ("27", &["BFC", "Bourgogne", "Franche-Comté"]),
    ("28", &["Basse-Normandie", "Haute-Normandie"]),
    ("32", &["HDF", "Nord-Pas-de-Calais", "Picardie", "Nord-Pas-de-Calais-Picardie", "NPDC"]),
    ("44", &["GE", "Alsace", "Lorraine", "Champagne-Ardenne", "ACAL", "Alsace-Champagne-Ardenne-Lorraine"]),
    ("52", &["PDL", "Pays de Loire"]),
    ("53", &["BZH", "Breizh"]),
    (
        "75",
        &["NA", "Aquitaine", "Limousin", "Poitou-Charentes", "ALPC", "Aquitaine-Limousin-Poitou-Charentes"],
    ),
    (
        "76",
        &[
            "Midi-Pyrénées",
            "Languedoc-Roussillon",
            "LRMP",
            "Languedoc-Roussillon-Midi-Pyrénées",
            "Occitanie-Pyrénées-Méditerranée",
        ],
    ),
    ("84", &["ARA", "AURA", "Auvergne", "Rhône-Alpes"]),
    ("93", &["PACA", "Région Sud", "Sud", "Provence", "Côte d'Azur", "Provence-Côte d'Azur"]),
    ("94", &["Corsica", "Collectivité de Corse"]),
];

fn table_text() -> String {
    let mut s = String::with_capacity(4 << 20);
    // The bytes are compiled in; a decode failure is a build defect, caught by every test.
    flate2::read::GzDecoder::new(&include_bytes!("../../../data/geo/places.tsv.gz")[..])
        .read_to_string(&mut s)
        .expect("bundled places table is valid gzip UTF-8");
    s
}

fn num<T: std::str::FromStr>(field: Option<&str>) -> T {
    field.and_then(|f| f.parse().ok()).expect("bundled places table: numeric field")
}

fn text(field: Option<&str>) -> String {
    field.expect("bundled places table: missing field").to_string()
}

pub(crate) fn load() -> Places {
    let mut communes = Vec::with_capacity(35_000);
    let mut departements = Vec::with_capacity(101);
    let mut regions = Vec::with_capacity(18);
    for line in table_text().lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        match f.next() {
            Some("R") => {
                let code = text(f.next());
                let alias = REGION_ALIASES
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, a)| a.to_vec())
                    .unwrap_or_default();
                regions.push(Region {
                    nom: text(f.next()),
                    chef_lieu: text(f.next()),
                    lat: num(f.next()),
                    lon: num(f.next()),
                    population: num(f.next()),
                    rayon_km: num(f.next()),
                    code,
                    alias,
                });
            }
            Some("D") => departements.push(Departement {
                code: text(f.next()),
                nom: text(f.next()),
                region: text(f.next()),
                chef_lieu: text(f.next()),
                lat: num(f.next()),
                lon: num(f.next()),
                population: num(f.next()),
                rayon_km: num(f.next()),
            }),
            Some("C") => communes.push(Commune {
                code: text(f.next()),
                nom: text(f.next()),
                departement: text(f.next()),
                region: text(f.next()),
                lat: num(f.next()),
                lon: num(f.next()),
                population: num(f.next()),
                codes_postaux: f
                    .next()
                    .unwrap_or("")
                    .split(' ')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                parent: f.next().filter(|s| !s.is_empty()).map(String::from),
                anciens_noms: f
                    .next()
                    .unwrap_or("")
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            }),
            _ => {}
        }
    }
    // Lookups by code are binary searches: the table is sorted, but say so rather than trust it.
    communes.sort_by(|a, b| a.code.cmp(&b.code));
    departements.sort_by(|a, b| a.code.cmp(&b.code));
    regions.sort_by(|a, b| a.code.cmp(&b.code));

    let mut entries: Vec<(String, Target)> = Vec::with_capacity(60_000);
    for (i, c) in communes.iter().enumerate() {
        let i = i as u32;
        let key = place_key(&c.nom);
        // "Rochelle" for La Rochelle, "Mans" for Le Mans: people drop the article.
        if c.parent.is_none() {
            let rest = ["le ", "la ", "les ", "l "].iter().find_map(|a| key.strip_prefix(a));
            // Not for "Le Saint": "saint" alone is no name.
            if let Some(rest) = rest.filter(|r| !matches!(*r, "saint" | "sainte" | "saints" | "saintes")) {
                entries.push((rest.to_string(), Target::Alias(i)));
            }
        }
        entries.push((key, Target::Commune(i)));
        for a in &c.anciens_noms {
            entries.push((place_key(a), Target::Alias(i)));
        }
    }
    for (i, d) in departements.iter().enumerate() {
        entries.push((place_key(&d.nom), Target::Departement(i as u32)));
    }
    for (i, r) in regions.iter().enumerate() {
        entries.push((place_key(&r.nom), Target::Region(i as u32)));
        for a in &r.alias {
            entries.push((place_key(a), Target::Region(i as u32)));
        }
    }
    let names = Names::build(entries, &communes, &departements, &regions);

    let mut postal: Vec<([u8; 5], u32)> = Vec::with_capacity(40_000);
    for (i, c) in communes.iter().enumerate() {
        for cp in &c.codes_postaux {
            if let Ok(b) = <[u8; 5]>::try_from(cp.as_bytes()) {
                postal.push((b, i as u32));
            }
        }
    }
    // Per code: arrondissements (the precise answer) before their city, then biggest first.
    postal.sort_by_key(|(cp, i)| {
        let c = &communes[*i as usize];
        let city = matches!(c.code.as_str(), "75056" | "69123" | "13055");
        (*cp, city, std::cmp::Reverse(c.population), *i)
    });

    Places { communes, departements, regions, names, postal }
}
