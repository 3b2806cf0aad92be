//! Free text to ranked places, and prefix suggest.

use crate::{Commune, Place, PlaceKind, Places, Target, fold, place_key};

/// Big cities have a wide catchment; a village user will still drive to the next town.
fn commune_radius(c: &Commune) -> f64 {
    if c.is_arrondissement() {
        5.0
    } else if c.population >= 100_000 {
        30.0
    } else if c.population >= 20_000 {
        20.0
    } else {
        15.0
    }
}

/// Parse "paris 11", "paris 11e", "lyon 3eme", "marseille 1er arrondissement".
pub(crate) fn arrondissement(key: &str) -> Option<String> {
    let mut words = key.split(' ');
    let city = words.next()?;
    let (prefix, max, base) = match city {
        "paris" => ("751", 20, 0),
        "lyon" => ("6938", 9, 0),
        "marseille" => ("132", 16, 0),
        _ => return None,
    };
    let mut rest: Vec<&str> =
        words.filter(|w| !matches!(*w, "arrondissement" | "arr" | "arrdt" | "cedex")).collect();
    // "11 e" arrives as two words once folded from "11 e".
    if rest.len() == 2 && matches!(rest[1], "e" | "eme" | "er" | "ieme" | "ere") {
        rest.pop();
    }
    if rest.len() != 1 {
        return None;
    }
    let w = rest[0];
    let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &w[digits.len()..];
    if digits.is_empty() || !matches!(suffix, "" | "e" | "eme" | "er" | "ieme" | "ere" | "em") {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    if n == 0 || n > max {
        return None;
    }
    let _ = base;
    Some(if prefix == "6938" { format!("{prefix}{n}") } else { format!("{prefix}{n:02}") })
}

fn letters_mask(s: &[u8]) -> u64 {
    s.iter().fold(0u64, |m, b| m | 1 << (b % 64))
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
                    rayon_km: 50.0,
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
                    rayon_km: 150.0,
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

    fn push(out: &mut Vec<Place>, p: Place) {
        if !out.iter().any(|q| q.kind == p.kind && q.code == p.code) {
            out.push(p);
        }
    }

    /// Ranked places for free text; empty when nothing plausible matches.
    pub fn resolve(&self, text: &str, limit: usize) -> Vec<Place> {
        let mut out = Vec::new();
        if text.len() > 200 || limit == 0 {
            return out;
        }
        let key = place_key(text);
        if key.is_empty() {
            return out;
        }
        let compact: String = key.chars().filter(|c| *c != ' ').collect();

        // Codes: postal codes, INSEE codes, department numbers.
        if compact.len() == 5 && compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            // People type postal codes far more often than INSEE codes: those come first.
            if compact.chars().all(|c| c.is_ascii_digit()) {
                let communes = self.communes_for_postal_code(&compact);
                if let Some(first) = communes.first() {
                    let mut p = self.commune_place(first);
                    p.kind = PlaceKind::CodePostal;
                    p.code = compact.clone();
                    p.rayon_km = 10.0;
                    Self::push(&mut out, p);
                    for c in communes {
                        Self::push(&mut out, self.commune_place(c));
                    }
                } else if self.commune(&compact).is_none() {
                    // CEDEX and other special codes: at least their department.
                    if let Some(d) = self.departement_of_postal_code(&compact) {
                        if let Some(i) = self.departements.iter().position(|x| x.code == d) {
                            Self::push(&mut out, self.place_of(Target::Departement(i as u32)));
                        }
                    }
                }
            }
            if let Some(c) = self.commune(&compact.to_uppercase()) {
                Self::push(&mut out, self.commune_place(c));
            }
        } else if (1..=3).contains(&compact.len()) && !key.contains(' ') {
            if let Some(i) = self.departements.iter().position(|d| {
                d.code.eq_ignore_ascii_case(&compact)
                    || (compact.len() == 1 && d.code == format!("0{compact}"))
            }) {
                Self::push(&mut out, self.place_of(Target::Departement(i as u32)));
            }
        }

        if let Some(code) = arrondissement(&key) {
            if let Some(c) = self.commune(&code) {
                Self::push(&mut out, self.commune_place(c));
            }
        }
        // "Lyon Cedex 03": the city name is what locates it.
        let key = match key.find(" cedex") {
            Some(p) if p > 0 => key[..p].to_string(),
            _ => key,
        };
        if let Some(targets) = self.named(&key) {
            for t in targets {
                Self::push(&mut out, self.place_of(*t));
            }
        }
        // One typo from five letters, only when nothing matched exactly.
        if out.is_empty() && key.len() >= 5 {
            for t in self.fuzzy(&key, 1) {
                Self::push(&mut out, self.place_of(t));
            }
        }
        out.truncate(limit);
        out
    }

    /// Targets whose name is within `max` edits of `key`, best first.
    fn fuzzy(&self, key: &str, max: usize) -> Vec<Target> {
        let kb = key.as_bytes();
        let mask = letters_mask(kb);
        let mut hits: Vec<&crate::NameEntry> = Vec::new();
        for e in &self.names {
            let b = e.key.as_bytes();
            if b.len().abs_diff(kb.len()) > max || (letters_mask(b) ^ mask).count_ones() > 2 * max as u32 {
                continue;
            }
            if usize::from(crate::distance_within(key, &e.key, max as u8)) <= max {
                hits.push(e);
            }
        }
        hits.sort_by_key(|e| std::cmp::Reverse(e.resolve_weight));
        hits.iter().flat_map(|e| e.targets.iter().copied()).collect()
    }

    /// Prefix autocomplete: "mars" offers Marseille first.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<Place> {
        let mut out = Vec::new();
        if prefix.len() > 200 || limit == 0 {
            return out;
        }
        let key = place_key(prefix);
        if key.is_empty() {
            return out;
        }
        if key.chars().all(|c| c.is_ascii_digit()) {
            // Postal code or department prefix.
            if key.len() <= 3 {
                for d in self.departements.iter().filter(|d| d.code.starts_with(&key)) {
                    let i = self.departements.iter().position(|x| x.code == d.code).unwrap_or(0);
                    Self::push(&mut out, self.place_of(Target::Departement(i as u32)));
                }
            }
            let mut cps: Vec<&String> = self.postal.keys().filter(|cp| cp.starts_with(&key)).collect();
            cps.sort();
            for cp in cps.into_iter().take(limit) {
                for c in self.communes_for_postal_code(cp).into_iter().take(1) {
                    Self::push(&mut out, self.commune_place(c));
                }
            }
            out.truncate(limit);
            return out;
        }
        let start = self.names.partition_point(|e| *e.key < *key);
        let mut cands: Vec<&crate::NameEntry> =
            self.names[start..].iter().take_while(|e| e.key.starts_with(&key)).collect();
        cands.sort_by(|a, b| b.suggest_weight.cmp(&a.suggest_weight).then(a.key.cmp(&b.key)));
        for e in cands {
            for t in e.targets.iter() {
                if matches!(t, Target::Alias(_)) {
                    continue;
                }
                Self::push(&mut out, self.place_of(*t));
            }
            if out.len() >= limit {
                break;
            }
        }
        if out.is_empty() && key.len() >= 5 {
            for t in self.fuzzy(&key, 1) {
                Self::push(&mut out, self.place_of(t));
            }
        }
        out.truncate(limit);
        out
    }

    /// Department of any French postal code, including CEDEX codes (first 2 digits, 3 overseas,
    /// 20xxx split between Corse-du-Sud and Haute-Corse).
    pub fn departement_of_postal_code(&self, cp: &str) -> Option<String> {
        if cp.len() != 5 || !cp.bytes().all(|b| b.is_ascii_digit()) {
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

    /// Communes named `key` (exactly, then with one typo), biggest first.
    pub(crate) fn communes_named(&self, key: &str) -> Vec<&Commune> {
        let mut targets: Vec<Target> = self.named(key).map(<[Target]>::to_vec).unwrap_or_default();
        targets.retain(|t| matches!(t, Target::Commune(_) | Target::Alias(_)));
        if targets.is_empty() && key.len() >= 5 {
            targets = self.fuzzy(key, 1);
        }
        targets
            .into_iter()
            .filter_map(|t| match t {
                Target::Commune(i) | Target::Alias(i) => Some(&self.communes[i as usize]),
                _ => None,
            })
            .collect()
    }

    pub(crate) fn fold_city(text: &str) -> String {
        fold(text)
    }
}
