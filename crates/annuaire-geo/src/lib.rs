//! French places for annuaire: what people type ("Paris 11e", "st etienne", "PACA", "69",
//! "13008", "Saint-Denis 93") resolved to communes, arrondissements, departments and regions; a
//! prefix suggest for autocomplete; a geocoder for the official list's postal code + city +
//! region; distance helpers for radius searches.
//!
//! The reference data is real and bundled in the binary: `data/geo/places.tsv.gz`, a compact
//! table derived from La Poste's postal codes (coordinates, former names), INSEE's 2024 communes
//! (population) and the departments and regions (`data/reference/`, see `data/SOURCES.md` and
//! `data/geo/README.md`). It is read once, lazily, by [`Places::get`], in about 70 ms;
//! everything after that is in-memory lookups. All matching goes through [`place_key`]
//! ([`fold`] plus `st`/`ste` expansion), so "SAINT-ÉTIENNE", "st etienne" and "Saint Etienne" are
//! one key.
//!
//! Suggested search radii (`rayon_km`): an arrondissement 3 km in Paris and 5 km in Lyon and
//! Marseille (a few districts across); a commune 15 km, 20 km from 20,000 inhabitants and 30 km
//! from 100,000 (a bigger city draws from further); a postal code the distance to the farthest
//! commune it serves plus 5 km, at least 10; a department or region the distance from its centre
//! within which 90% of its communes lie (searches should filter areas by code, not by distance).

mod data;
#[cfg(test)]
mod derive;
mod geocode;
mod index;
mod resolve;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

pub use data::{Commune, Departement, Region};

/// All reference data and its indexes.
#[derive(Debug)]
pub struct Places {
    /// Sorted by code: lookups are binary searches.
    communes: Vec<Commune>,
    departements: Vec<Departement>,
    regions: Vec<Region>,
    names: index::Names,
    /// (postal code, commune index), sorted by code, arrondissements then biggest first.
    postal: Vec<([u8; 5], u32)>,
}

/// A place as answered to people and to the search engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    #[serde(rename = "type")]
    pub kind: PlaceKind,
    pub code: String,
    pub nom: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// Suggested search radius (see the crate documentation for the rule).
    pub rayon_km: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Commune,
    Arrondissement,
    Departement,
    Region,
    CodePostal,
}

impl PlaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Commune => "commune",
            PlaceKind::Arrondissement => "arrondissement",
            PlaceKind::Departement => "departement",
            PlaceKind::Region => "region",
            PlaceKind::CodePostal => "code_postal",
        }
    }
}

/// How precisely a row of the official list was located.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Commune,
    CodePostal,
    Departement,
    Region,
    Aucune,
}

impl Precision {
    pub const ALL: [Precision; 5] = [
        Precision::Commune,
        Precision::CodePostal,
        Precision::Departement,
        Precision::Region,
        Precision::Aucune,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Commune => "commune",
            Precision::CodePostal => "code_postal",
            Precision::Departement => "departement",
            Precision::Region => "region",
            Precision::Aucune => "aucune",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Precision {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Precision::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("précision inconnue « {s} »"))
    }
}

/// Where a row of the official list is, and why we think so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Geocode {
    pub code_commune: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub precision: Precision,
    /// Short French explanation, shown next to the location.
    pub raison: String,
    pub departement: Option<String>,
    pub region: Option<String>,
}

impl Places {
    /// The bundled reference data, read on first use.
    pub fn get() -> &'static Places {
        static P: OnceLock<Places> = OnceLock::new();
        P.get_or_init(data::load)
    }

    /// Commune or municipal arrondissement by INSEE code ("2a004" is read as "2A004").
    pub fn commune(&self, code_insee: &str) -> Option<&Commune> {
        let code = code_insee.trim();
        let find = |c: &str| self.communes.binary_search_by(|x| x.code.as_str().cmp(c)).ok();
        let i = find(code).or_else(|| find(&code.to_ascii_uppercase()))?;
        Some(&self.communes[i])
    }

    /// Department by code; "1" is read as "01", "2a" as "2A".
    pub fn departement(&self, code: &str) -> Option<&Departement> {
        let code = padded_code(code).to_ascii_uppercase();
        self.departements.iter().find(|d| d.code == code)
    }

    /// Region by INSEE code; overseas codes may come unpadded ("4" for "04").
    pub fn region(&self, code: &str) -> Option<&Region> {
        let code = padded_code(code);
        self.regions.iter().find(|r| r.code == code)
    }

    /// Departments, sorted by code.
    pub fn departements(&self) -> &[Departement] {
        &self.departements
    }

    /// Regions, sorted by code.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Communes and arrondissements, sorted by INSEE code.
    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    /// Communes carrying a postal code: arrondissements before their city, then biggest first.
    pub fn communes_for_postal_code(&self, cp: &str) -> Vec<&Commune> {
        self.postal_range(cp).map(|(_, i)| &self.communes[*i as usize]).collect()
    }

    fn postal_range(&self, cp: &str) -> impl Iterator<Item = &([u8; 5], u32)> {
        let b = cp.as_bytes();
        let start = self.postal.partition_point(|(c, _)| c.as_slice() < b);
        self.postal[start..].iter().take_while(move |(c, _)| c.as_slice() == b)
    }

    /// Every postal code La Poste distributes, sorted.
    pub fn codes_postaux(&self) -> impl Iterator<Item = &str> {
        let mut last: Option<&[u8; 5]> = None;
        self.postal.iter().filter_map(move |(cp, _)| {
            if last == Some(cp) {
                return None;
            }
            last = Some(cp);
            std::str::from_utf8(cp).ok()
        })
    }
}

/// Department and region codes are two characters at least; some sources drop the leading zero.
pub(crate) fn padded_code(code: &str) -> String {
    let code = code.trim();
    if code.len() == 1 { format!("0{code}") } else { code.to_string() }
}

/// Lower case, accents removed, every run of non-alphanumerics turned into one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let mapped: &str = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
            'ç' | 'Ç' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
            'ñ' | 'Ñ' => "n",
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' => "ss",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
            space = false;
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
            }
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`fold`] plus the abbreviations of place names: `st` → `saint`, `ste` → `sainte`, `s/` → `sur`
/// ("CHALONS S/ MARNE").
pub fn place_key(text: &str) -> String {
    let folded = if text.contains('/') { fold(&expand_sur(text)) } else { fold(text) };
    if !folded.split(' ').any(|w| matches!(w, "st" | "ste" | "sts" | "stes")) {
        return folded;
    }
    folded
        .split(' ')
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            "sts" => "saints",
            "stes" => "saintes",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "s/" as a word of its own means "sur"; inside a word ("Lens/Liévin") it does not.
fn expand_sur(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let word_start = prev.is_none_or(|p| !p.is_alphanumeric());
        if word_start && matches!(c, 's' | 'S') && chars.peek() == Some(&'/') {
            chars.next();
            out.push_str(" sur ");
            prev = Some(' ');
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// A latitude/longitude box that contains every point within a radius: a cheap prefilter before
/// the exact distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

impl BBox {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        lat >= self.min_lat && lat <= self.max_lat && lon >= self.min_lon && lon <= self.max_lon
    }
}

pub fn bbox(lat: f64, lon: f64, radius_km: f64) -> BBox {
    let dlat = (radius_km / 6371.0088).to_degrees();
    // Near the poles a degree of longitude shrinks to nothing: cover all longitudes there.
    let cos = lat.to_radians().cos();
    let dlon = if cos < 1e-6 { 180.0 } else { (dlat / cos).min(180.0) };
    BBox { min_lat: lat - dlat, max_lat: lat + dlat, min_lon: lon - dlon, max_lon: lon + dlon }
}

/// Damerau–Levenshtein distance (optimal string alignment) over bytes, bounded: returns
/// `max + 1` as soon as the distance is known to exceed `max`. Folded words are ASCII but for
/// rare other scripts, where counting bytes only makes matching a little stricter. Runs on the
/// stack: it is called for every (query word, name word) pair of the reranked candidates.
pub fn distance_within(a: &str, b: &str, max: u8) -> u8 {
    const N: usize = 48;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let max = max as usize;
    if a.len().abs_diff(b.len()) > max || a.len() >= N || b.len() >= N {
        return if a == b { 0 } else { (max + 1) as u8 };
    }
    let n = b.len();
    let mut prev2 = [0usize; N];
    let mut prev = [0usize; N];
    let mut cur = [0usize; N];
    for (j, p) in prev.iter_mut().enumerate().take(n + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return (max + 1) as u8;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[n].min(max + 1) as u8
}

#[cfg(test)]
mod tests;
