//! Locating rows of the official list from postal code, city text and region code.
//!
//! The order of trust: the postal code says which communes are possible, the city text picks one
//! of them; when the two disagree, the city is looked for inside the postal code's department
//! (typos in codes are more common than a city in the wrong department). CEDEX codes, which La
//! Poste's file does not list, still give the department. A row without address is placed in its
//! region and given no coordinates: a dot in the middle of a region would be an invention.

use crate::resolve::arrondissement;
use crate::{Commune, Geocode, Places, Precision, place_key};

impl Places {
    pub fn geocode(
        &self,
        code_postal: Option<&str>,
        ville: Option<&str>,
        code_region: Option<&str>,
    ) -> Geocode {
        let cp = code_postal.map(str::trim).filter(|s| !s.is_empty()).map(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) { format!("0{s}") } else { s }
        });
        // "75011 PARIS" in the city field: the code is the postal code's business.
        let ville_key = ville.map(|v| {
            let k = place_key(v);
            k.split(' ')
                .filter(|w| !(w.len() == 5 && w.bytes().all(|b| b.is_ascii_digit())))
                .collect::<Vec<_>>()
                .join(" ")
        });
        let cp = cp.or_else(|| {
            ville
                .map(place_key)?
                .split(' ')
                .find(|w| w.len() == 5 && w.bytes().all(|b| b.is_ascii_digit()))
                .map(String::from)
        });
        // "LYON CEDEX 03", "PARIS CEDEX": the routing suffix is not part of the name.
        let city_key = ville_key.as_deref().map(|k| {
            match k.find(" cedex").or_else(|| k.starts_with("cedex").then_some(0)) {
                Some(p) => k[..p].trim().to_string(),
                None => k.to_string(),
            }
        });
        // "PARIS CEDEX 07" is delivered in the 7th arrondissement.
        let cedex_arr = ville_key.as_deref().and_then(|k| {
            let (city, n) = k.split_once(" cedex ")?;
            arrondissement(&format!("{city} {n}"))
        });
        let city_key = city_key.filter(|k| !k.is_empty());
        let region = code_region.and_then(|r| self.region(r)).map(|r| r.code.clone());

        let found = |c: &Commune, precision: Precision, raison: &str| Geocode {
            code_commune: Some(c.code.clone()),
            lat: Some(c.lat),
            lon: Some(c.lon),
            precision,
            raison: raison.to_string(),
            departement: Some(c.departement.clone()),
            region: Some(c.region.clone()),
        };

        let arr =
            city_key.as_deref().and_then(arrondissement).or(cedex_arr).and_then(|code| self.commune(&code));
        if let Some(cp) = cp.as_deref() {
            let candidates = self.communes_for_postal_code(cp);
            if !candidates.is_empty() {
                if let Some(key) = city_key.as_deref() {
                    if let Some(a) = arr.filter(|a| a.codes_postaux.iter().any(|x| x == cp)) {
                        return found(a, Precision::Commune, "arrondissement et code postal concordants");
                    }
                    // "PARIS" with 75011: the arrondissement carrying the code, not the city.
                    if let Some(c) = candidates.iter().find(|c| {
                        c.parent
                            .as_deref()
                            .and_then(|p| self.commune(p))
                            .is_some_and(|p| self.names_commune(key, p))
                    }) {
                        return found(c, Precision::Commune, "arrondissement déduit du code postal");
                    }
                    if let Some(c) = candidates.iter().find(|c| self.names_commune(key, c)) {
                        return found(c, Precision::Commune, "code postal et ville concordants");
                    }
                    if let Some(c) = self.named_near_postal_code(key, cp) {
                        return found(
                            c,
                            Precision::Commune,
                            "ville trouvée dans le département du code postal",
                        );
                    }
                    if let Some(a) = arr {
                        return found(a, Precision::Commune, "arrondissement d'après la ville");
                    }
                } else if candidates.len() == 1 || candidates[0].is_arrondissement() {
                    return found(candidates[0], Precision::Commune, "seule commune du code postal");
                }
                return found(
                    candidates[0],
                    Precision::CodePostal,
                    "ville absente ou inconnue : commune principale du code postal",
                );
            }
            // Not a distributed postal code (CEDEX, typo): the department still holds.
            if let Some(dep) = self.departement_of_postal_code(cp) {
                if let Some(key) = city_key.as_deref() {
                    if let Some(a) = arr.filter(|a| a.departement == dep) {
                        return found(a, Precision::Commune, "arrondissement d'après la ville (code CEDEX)");
                    }
                    if let Some(c) = self.named_near_postal_code(key, cp) {
                        return found(
                            c,
                            Precision::Commune,
                            "ville trouvée dans le département du code postal",
                        );
                    }
                }
                return self.at_departement(&dep, "code postal non distribué : département seulement");
            }
        }
        if let Some(key) = city_key.as_deref() {
            if let Some(a) = arr {
                return found(a, Precision::Commune, "arrondissement d'après la ville");
            }
            let named = self.communes_named(key);
            let pick = named
                .iter()
                .find(|c| region.as_deref().is_some_and(|r| c.region == r))
                .or_else(|| named.first());
            if let Some(c) = pick {
                return found(c, Precision::Commune, "ville seule, sans code postal");
            }
        }
        match region {
            Some(r) => Geocode {
                code_commune: None,
                lat: None,
                lon: None,
                precision: Precision::Region,
                raison: if cp.is_none() && city_key.is_none() {
                    "pas d'adresse dans la liste officielle : région seulement".into()
                } else {
                    "adresse illisible : région seulement".into()
                },
                departement: None,
                region: Some(r),
            },
            None => Geocode {
                code_commune: None,
                lat: None,
                lon: None,
                precision: Precision::Aucune,
                raison: "ni adresse ni région exploitables".into(),
                departement: None,
                region: None,
            },
        }
    }

    /// A commune named `key` in the postal code's department. Postal departments do not always
    /// follow administrative ones (Port-Sainte-Foy, in Dordogne, is served from Gironde; Corsica's
    /// 20xxx codes span two departments), so a commune also qualifies when one of its own postal
    /// codes starts like `cp`.
    fn named_near_postal_code(&self, key: &str, cp: &str) -> Option<&Commune> {
        let dep = self.departement_of_postal_code(cp);
        let prefix = cp.get(..2)?;
        self.communes_named(key).into_iter().find(|c| {
            dep.as_deref() == Some(c.departement.as_str())
                || c.codes_postaux.iter().any(|x| x.starts_with(prefix))
        })
    }

    fn at_departement(&self, dep: &str, raison: &str) -> Geocode {
        let d = self.departement(dep);
        Geocode {
            code_commune: None,
            lat: d.map(|d| d.lat),
            lon: d.map(|d| d.lon),
            precision: Precision::Departement,
            raison: raison.to_string(),
            departement: d.map(|d| d.code.clone()),
            region: d.map(|d| d.region.clone()),
        }
    }
}
