//! Free text to ranked places, and prefix suggest.

use crate::index::{Target, suggest_weight};
use crate::{Commune, Place, PlaceKind, Places, haversine_km, place_key};

/// Suggested radius around a commune: see the crate documentation.
fn commune_radius(c: &Commune) -> f64 {
    match c.parent.as_deref() {
        Some("75056") => 3.0,
        Some(_) => 5.0,
        None if c.population >= 100_000 => 30.0,
        None if c.population >= 20_000 => 20.0,
        None => 15.0,
    }
}

/// Ordinal suffixes of "11e", "1er", "3ème" once folded.
fn is_ordinal_suffix(s: &str) -> bool {
    matches!(s, "" | "e" | "eme" | "er" | "ere" | "re" | "ieme" | "em" | "me")
}

/// INSEE code of the arrondissement in "paris 11", "paris 11e", "lyon 3eme", "marseille 1er
/// arrondissement", "11e arrondissement de paris", "paris cedex 07" (a folded key).
pub(crate) fn arrondissement(key: &str) -> Option<String> {
    let words: Vec<&str> = key.split(' ').collect();
    let city = |w: &str| match w {
        "paris" => Some(("751", 20)),
        "lyon" => Some(("6938", 9)),
        "marseille" => Some(("132", 16)),
        _ => None,
    };
    let (first, last) = (words.first()?, words.last()?);
    let ((prefix, max), rest) = match (city(first), city(last)) {
        (Some(c), _) => (c, &words[1..]),
        (None, Some(c)) => (c, &words[..words.len() - 1]),
        (None, None) => return None,
    };
    let mut rest: Vec<&str> = rest
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "arrondissement" | "arr" | "arrdt" | "arrt" | "cedex" | "de" | "du"))
        .collect();
    // "11 e" arrives as two words once folded from "11 e" or "11-e".
    if rest.len() == 2 && is_ordinal_suffix(rest[1]) {
        rest.pop();
    }
    let [w] = rest.as_slice() else { return None };
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    let n = if digits == 0 {
        roman(w)?
    } else if digits <= 2 && is_ordinal_suffix(&w[digits..]) {
        w[..digits].parse().ok()?
    } else {
        return None;
    };
    if n == 0 || n > max {
        return None;
    }
    Some(if prefix == "6938" { format!("{prefix}{n}") } else { format!("{prefix}{n:02}") })
}

/// "xi", "xie", "ier": the Roman numerals some addresses use for arrondissements, up to XX.
fn roman(word: &str) -> Option<u32> {
    const NUMERALS: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi",
        "xvii", "xviii", "xix", "xx",
    ];
    let end = word.find(|c: char| !matches!(c, 'i' | 'v' | 'x')).unwrap_or(word.len());
    // "i" alone after a city would also read as the pronoun-free "1": require the suffix then.
    let (numeral, suffix) = word.split_at(end);
    if numeral.is_empty() || !is_ordinal_suffix(suffix) || (numeral == "i" && suffix.is_empty()) {
        return None;
    }
    NUMERALS.iter().position(|n| *n == numeral).map(|i| i as u32 + 1)
}

/// A department code as typed: "13", "1", "2a", "974".
fn departement_code(word: &str) -> Option<String> {
    let w = word.to_ascii_uppercase();
    match w.len() {
        1 if w.bytes().all(|b| b.is_ascii_digit()) => Some(format!("0{w}")),
        2 if w.bytes().all(|b| b.is_ascii_digit()) || w == "2A" || w == "2B" => Some(w),
        3 if w.starts_with("97") && w.bytes().all(|b| b.is_ascii_digit()) => Some(w),
        _ => None,
    }
}

fn is_postal_code(word: &str) -> bool {
    word.len() == 5 && word.bytes().all(|b| b.is_ascii_digit())
}

/// Words that start thousands of names without being one: one typo away they would find
/// "Sains" for "saint".
fn is_generic_word(key: &str) -> bool {
    matches!(key, "saint" | "sainte" | "saints" | "saintes")
}

/// The name part of "lyon cedex 03", "bordeaux cedex".
fn without_cedex(key: &str) -> &str {
    match key.find(" cedex") {
        Some(p) if p > 0 => &key[..p],
        _ => key,
    }
}

/// Ranked places with no duplicates.
struct Answer {
    places: Vec<Place>,
}

impl Answer {
    fn push(&mut self, p: Place) {
        if !self.places.iter().any(|q| q.kind == p.kind && q.code == p.code) {
            self.places.push(p);
        }
    }

    fn len(&self) -> usize {
        self.places.len()
    }
}

impl Places {
    fn place_of(&self, t: Target) -> Place {
        match t {
            Target::Commune(i) | Target::Alias(i) => self.commune_place(&self.communes[i as usize]),
            Target::Departement(i) => {
                let d = &self.departements[i as usize];
                Place {
                    kind: PlaceKind::Departement,
                    code: d.code.clone(),
                    nom: d.nom.clone(),
                    departement: Some(d.code.clone()),
                    region: Some(d.region.clone()),
                    lat: d.lat,
                    lon: d.lon,
                    rayon_km: d.rayon_km,
                }
            }
            Target::Region(i) => {
                let r = &self.regions[i as usize];
                Place {
                    kind: PlaceKind::Region,
                    code: r.code.clone(),
                    nom: r.nom.clone(),
                    departement: None,
                    region: Some(r.code.clone()),
                    lat: r.lat,
                    lon: r.lon,
                    rayon_km: r.rayon_km,
                }
            }
        }
    }

    pub(crate) fn commune_place(&self, c: &Commune) -> Place {
        Place {
            kind: if c.is_arrondissement() { PlaceKind::Arrondissement } else { PlaceKind::Commune },
            code: c.code.clone(),
            nom: c.nom.clone(),
            departement: Some(c.departement.clone()),
            region: Some(c.region.clone()),
            lat: c.lat,
            lon: c.lon,
            rayon_km: commune_radius(c),
        }
    }

    fn departement_place(&self, code: &str) -> Option<Place> {
        let i = self.departements.iter().position(|d| d.code == code)?;
        Some(self.place_of(Target::Departement(i as u32)))
    }

    /// A postal code as a place: named after its main commune, centred on the communes it serves
    /// (weighted by population), with a radius that reaches the farthest of them.
    fn postal_place(&self, cp: &str) -> Option<Place> {
        let communes = self.communes_for_postal_code(cp);
        let main = communes.first()?;
        // A city with arrondissements is already counted through them.
        let parts: Vec<&&Commune> = communes
            .iter()
            .filter(|c| c.is_arrondissement() || !communes.iter().any(|a| a.parent.as_ref() == Some(&c.code)))
            .collect();
        let (mut lat, mut lon, mut w) = (0.0, 0.0, 0.0);
        for c in &parts {
            let weight = f64::from(c.population.max(1));
            lat += c.lat * weight;
            lon += c.lon * weight;
            w += weight;
        }
        let (lat, lon) = (lat / w, lon / w);
        let reach = parts.iter().map(|c| haversine_km(lat, lon, c.lat, c.lon)).fold(0.0, f64::max);
        Some(Place {
            kind: PlaceKind::CodePostal,
            code: cp.to_string(),
            nom: main.nom.clone(),
            departement: Some(main.departement.clone()),
            region: Some(main.region.clone()),
            lat,
            lon,
            rayon_km: (reach + 5.0).max(10.0).round(),
        })
    }

    /// Ranked places for free text, best first; empty when nothing plausible matches.
    pub fn resolve(&self, text: &str, limit: usize) -> Vec<Place> {
        let mut out = Answer { places: Vec::new() };
        if text.len() > 200 || limit == 0 {
            return out.places;
        }
        let key = place_key(text);
        if key.is_empty() {
            return out.places;
        }
        self.resolve_code(&key, &mut out);
        if let Some(c) = arrondissement(&key).and_then(|code| self.commune(&code)) {
            out.push(self.commune_place(c));
        }
        let name = without_cedex(&key);
        if out.len() == 0 {
            self.resolve_name(name, &mut out);
        }
        if out.len() == 0 {
            self.resolve_qualified(name, &mut out);
        }
        if out.len() == 0 {
            // "Région Bretagne", "département du Rhône", "ville de Lyon".
            let bare =
                ["region ", "departement ", "dept ", "ville de ", "commune de ", "ville d ", "commune d "]
                    .iter()
                    .find_map(|p| name.strip_prefix(p))
                    .map(|rest| rest.strip_prefix("du ").or(rest.strip_prefix("de ")).unwrap_or(rest));
            if let Some(bare) = bare {
                self.resolve_name(bare, &mut out);
            }
        }
        if out.len() == 0 && name.len() >= 5 && !is_generic_word(name) {
            // One typo from five letters, only when nothing matched as typed.
            for t in self.names.one_typo(name) {
                out.push(self.place_of(t));
            }
        }
        out.places.truncate(limit);
        out.places
    }

    /// Postal codes, CEDEX codes, INSEE codes, department codes.
    fn resolve_code(&self, key: &str, out: &mut Answer) {
        let compact: String = key.chars().filter(|c| *c != ' ').collect();
        if compact.len() == 5 && compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
            // People type postal codes far more often than INSEE codes: those come first.
            if is_postal_code(&compact) {
                if let Some(p) = self.postal_place(&compact) {
                    out.push(p);
                    for c in self.communes_for_postal_code(&compact) {
                        out.push(self.commune_place(c));
                    }
                } else if self.commune(&compact).is_none() {
                    // CEDEX and other codes not distributed to the public: their department.
                    if let Some(p) =
                        self.departement_of_postal_code(&compact).and_then(|d| self.departement_place(&d))
                    {
                        out.push(p);
                    }
                }
            }
            if let Some(c) = self.commune(&compact) {
                out.push(self.commune_place(c));
            }
        } else if !key.contains(' ') {
            if let Some(p) = departement_code(key).and_then(|d| self.departement_place(&d)) {
                out.push(p);
            }
        }
    }

    /// Places named `name` exactly, then what completes them: a city's arrondissements, and
    /// bigger places whose name starts with it ("Aix" offers Aix-en-Provence after Aix).
    fn resolve_name(&self, name: &str, out: &mut Answer) {
        let targets = self.names.exact(name);
        for t in targets {
            out.push(self.place_of(*t));
        }
        let communes: Vec<&Commune> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Commune(i) | Target::Alias(i) => Some(&self.communes[*i as usize]),
                _ => None,
            })
            .collect();
        let Some(biggest) = communes.iter().map(|c| c.population).max() else { return };
        let mut more = Vec::new();
        for (_, ts) in self.names.prefixed(&format!("{name} "), 4) {
            for t in ts {
                if let Target::Commune(i) = t {
                    if self.communes[*i as usize].population > biggest {
                        more.push(*t);
                    }
                }
            }
        }
        for c in communes {
            for a in self.arrondissements_of(c) {
                out.push(self.commune_place(a));
            }
        }
        for t in more {
            out.push(self.place_of(t));
        }
    }

    /// The municipal arrondissements of Paris, Lyon or Marseille; nothing for other communes.
    pub fn arrondissements_of(&self, city: &Commune) -> impl Iterator<Item = &Commune> {
        let prefix = match city.code.as_str() {
            "75056" => "751",
            "69123" => "6938",
            "13055" => "132",
            _ => "-",
        };
        let start = self.communes.partition_point(|c| c.code.as_str() < prefix);
        self.communes[start..]
            .iter()
            .take_while(move |c| c.code.starts_with(prefix))
            .filter(move |c| c.parent.as_ref() == Some(&city.code))
    }

    /// "Saint-Denis 93", "Valence (26)", "13008 Marseille", "Marseille 13008": a name narrowed
    /// by a department or postal code.
    fn resolve_qualified(&self, key: &str, out: &mut Answer) {
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() < 2 {
            return;
        }
        let (name, qualifier) =
            if departement_code(words[words.len() - 1]).is_some() || is_postal_code(words[words.len() - 1]) {
                (words[..words.len() - 1].join(" "), words[words.len() - 1])
            } else if is_postal_code(words[0]) {
                (words[1..].join(" "), words[0])
            } else {
                return;
            };
        let named = self.communes_named(&name);
        if named.is_empty() {
            return;
        }
        let fits: Vec<&Commune> = if is_postal_code(qualifier) {
            let g = self.geocode(Some(qualifier), Some(&name), None);
            g.code_commune.as_deref().and_then(|c| self.commune(c)).into_iter().collect()
        } else {
            let dep = departement_code(qualifier).unwrap_or_default();
            named.iter().copied().filter(|c| c.departement == dep).collect()
        };
        // A qualifier that fits none of the namesakes is a mistake in it, not in the name.
        for c in fits.into_iter().chain(named) {
            out.push(self.commune_place(c));
        }
    }

    /// Prefix autocomplete: "mars" offers Marseille first, "130" the postal codes of Marseille.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<Place> {
        let mut out = Answer { places: Vec::new() };
        if prefix.len() > 200 || limit == 0 {
            return out.places;
        }
        let key = place_key(prefix);
        if key.is_empty() {
            return out.places;
        }
        let compact: String = key.chars().filter(|c| *c != ' ').collect();
        if compact.bytes().all(|b| b.is_ascii_digit()) || compact == "2a" || compact == "2b" {
            let upper = compact.to_ascii_uppercase();
            if compact.len() <= 3 {
                for i in 0..self.departements.len() {
                    if self.departements[i].code.starts_with(&upper) {
                        out.push(self.place_of(Target::Departement(i as u32)));
                    }
                }
            }
            for cp in self.codes_postaux().skip_while(|cp| *cp < compact.as_str()) {
                if !cp.starts_with(&compact) || out.len() >= limit {
                    break;
                }
                if let Some(p) = self.postal_place(cp) {
                    out.push(p);
                }
            }
            out.places.truncate(limit);
            return out.places;
        }
        for (_, targets) in self.names.prefixed(&key, limit + 4) {
            let mut ts = targets.to_vec();
            ts.sort_by_key(|t| {
                std::cmp::Reverse(suggest_weight(*t, &self.communes, &self.departements, &self.regions))
            });
            for t in ts {
                out.push(self.place_of(t));
            }
        }
        if out.len() == 0 && key.len() >= 5 && !is_generic_word(&key) {
            for t in self.names.one_typo(&key) {
                out.push(self.place_of(t));
            }
        }
        out.places.truncate(limit);
        out.places
    }

    /// Department of any French postal code, including CEDEX codes (first 2 digits, 3 overseas,
    /// 20xxx split between Corse-du-Sud and Haute-Corse).
    pub fn departement_of_postal_code(&self, cp: &str) -> Option<String> {
        if !is_postal_code(cp) {
            return None;
        }
        let code = if cp.starts_with("97") || cp.starts_with("98") {
            cp[..3].to_string()
        } else if let Some(rest) = cp.strip_prefix("20") {
            if rest < "200" { "2A".to_string() } else { "2B".to_string() }
        } else {
            cp[..2].to_string()
        };
        self.departement(&code).map(|d| d.code.clone())
    }

    /// Whether a folded city text names this commune (official, La Poste or former name).
    pub(crate) fn names_commune(&self, key: &str, c: &Commune) -> bool {
        place_key(&c.nom) == key || c.anciens_noms.iter().any(|a| place_key(a) == key)
    }

    /// Communes named `key` (exactly, else with one typo from five letters), biggest first.
    pub(crate) fn communes_named(&self, key: &str) -> Vec<&Commune> {
        let exact = self.names.exact(key);
        let typo;
        let targets = if exact.iter().any(|t| matches!(t, Target::Commune(_) | Target::Alias(_))) {
            exact
        } else if key.len() >= 5 {
            typo = self.names.one_typo(key);
            &typo[..]
        } else {
            &[]
        };
        targets
            .iter()
            .filter_map(|t| match t {
                Target::Commune(i) | Target::Alias(i) => Some(&self.communes[*i as usize]),
                _ => None,
            })
            .collect()
    }

    /// Whether `key` (folded) is exactly a known place name.
    pub fn is_place_name(&self, text: &str) -> bool {
        self.names.contains(&place_key(text))
    }
}
