//! Real reference data the synthetic world draws from: La Poste's postal codes (with routing
//! labels, the spelling found in addresses), INSEE populations and regions, and the DGEFP's NSF
//! specialty groups. Embedded in the binary so generation needs no files at run time.

use crate::rng::Rng;
use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

#[derive(Debug)]
pub(crate) struct Commune {
    #[cfg(test)]
    pub(crate) insee: Box<str>,
    /// La Poste routing label, upper case without accents ("SAINT ETIENNE", "PARIS").
    pub(crate) acheminement: Box<str>,
    /// Official name with accents ("Saint-Étienne"), for mixed-case spellings.
    pub(crate) nom: Box<str>,
    pub(crate) cp: [u8; 5],
    /// INSEE region code, two digits ("84", overseas "01".."06").
    pub(crate) reg: [u8; 2],
    /// Municipal arrondissement of Paris, Lyon or Marseille.
    pub(crate) arrondissement: Option<u8>,
}

#[derive(Debug)]
pub(crate) struct Reference {
    pub(crate) communes: Vec<Commune>,
    /// Cumulative population weights over `communes`.
    cumulative: Vec<f64>,
    /// NSF label by 3-digit code.
    nsf: HashMap<u16, Box<str>>,
}

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    // The inputs are compiled in: a decoding failure is a build defect that tests catch at once.
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut s).expect("embedded reference data");
    s
}

/// Split one line of a `,`-separated file whose text fields are double-quoted (names hold commas).
fn split_quoted(line: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(8);
    let mut rest = line;
    loop {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            out.push(&r[..end]);
            rest = r.get(end + 1..).unwrap_or("");
            match rest.strip_prefix(',') {
                Some(r) => rest = r,
                None => return out,
            }
        } else {
            match rest.find(',') {
                Some(i) => {
                    out.push(&rest[..i]);
                    rest = &rest[i + 1..];
                }
                None => {
                    out.push(rest);
                    return out;
                }
            }
        }
    }
}

pub(crate) fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '\'');
    }
    out
}

pub(crate) fn reference() -> &'static Reference {
    static R: OnceLock<Reference> = OnceLock::new();
    R.get_or_init(load)
}

fn load() -> Reference {
    let insee = gunzip(include_bytes!("../../../data/reference/communes_france_2024_limite.csv.gz"));
    // code_insee,nom_standard,reg_code,reg_nom,dep_code,dep_nom,code_postal,population
    let mut info: HashMap<&str, (&str, [u8; 2], f64)> = HashMap::new();
    for line in insee.lines().skip(1) {
        let f = split_quoted(line);
        if f.len() < 8 {
            continue;
        }
        let reg = format!("{:0>2}", f[2]);
        let Ok(reg) = <[u8; 2]>::try_from(reg.as_bytes()) else { continue };
        info.insert(f[0], (f[1], reg, f[7].parse().unwrap_or(0.0)));
    }

    let laposte = gunzip(include_bytes!("../../../data/reference/laposte_hexasmal_2022.csv.gz"));
    // Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;latitude;longitude
    let mut pairs: Vec<(&str, &str, &str)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut cps_per_commune: HashMap<&str, u32> = HashMap::new();
    for line in laposte.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if f.len() < 5 || f[2].len() != 5 || !info.contains_key(f[0]) {
            // Communes outside the INSEE file (Polynesia, Saint-Pierre…) have no region code.
            continue;
        }
        // One entry per (commune, postal code): hamlets (Ligne_5) add nothing here.
        if seen.insert((f[0], f[2])) {
            pairs.push((f[0], f[2], f[4]));
            *cps_per_commune.entry(f[0]).or_default() += 1;
        }
    }
    let mut communes = Vec::with_capacity(pairs.len());
    let mut cumulative = Vec::with_capacity(pairs.len());
    let mut acc = 0.0;
    for (code, cp, acheminement) in pairs {
        let (nom, reg, pop) = info[code];
        // INSEE numbers arrondissements 75101-75120, 13201-13216 and 69381-69389 (Lyon 3e = 69383).
        let arrondissement = match &code[..3] {
            "751" | "132" => code[3..].parse::<u8>().ok(),
            "693" => code[3..].parse::<u8>().ok().and_then(|n| n.checked_sub(80)),
            _ => None,
        }
        .filter(|n| (1..=20).contains(n));
        let nom = if arrondissement.is_some() { title(acheminement) } else { nom.to_string() };
        // A commune with several postal codes shares its population between them, so that a
        // city is as frequent as its population says however La Poste splits it.
        let share = pop / f64::from(cps_per_commune[code]);
        acc += share.max(1.0);
        cumulative.push(acc);
        communes.push(Commune {
            acheminement: acheminement.into(),
            nom: nom.into(),
            #[cfg(test)]
            insee: code.into(),
            cp: <[u8; 5]>::try_from(cp.as_bytes()).unwrap_or(*b"75001"),
            reg,
            arrondissement,
        });
    }

    let mut nsf = HashMap::new();
    for line in include_str!("../../../data/reference/nsf_groupes_specialites_dgefp.csv").lines().skip(1) {
        let f = split_quoted(line);
        if let [code, label, ..] = f[..] {
            if let Ok(code) = code.parse::<u16>() {
                nsf.insert(code, label.into());
            }
        }
    }
    Reference { communes, cumulative, nsf }
}

impl Reference {
    /// A commune drawn with probability proportional to its population.
    pub(crate) fn commune(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        self.cumulative.partition_point(|c| *c <= x).min(self.communes.len() - 1)
    }

    pub(crate) fn nsf_label(&self, code: u16) -> &str {
        self.nsf.get(&code).map_or("", |s| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrondissements_are_numbered_from_the_insee_code() {
        let r = reference();
        let arr = |insee: &str| r.communes.iter().find(|c| &*c.insee == insee).map(|c| c.arrondissement);
        for (insee, n) in [("75111", Some(11)), ("75120", Some(20)), ("13213", Some(13)), ("69383", Some(3))]
        {
            assert_eq!(arr(insee), Some(n), "{insee}");
        }
        assert_eq!(arr("42218"), Some(None), "Saint-Étienne has none");
    }

    #[test]
    fn reference_data_is_complete() {
        let r = reference();
        assert!(r.communes.len() > 35_000);
        assert!(r.communes.iter().all(|c| c.reg.iter().all(u8::is_ascii_digit)));
        for (code, label) in [
            (326, "Informatique, traitement de l'information, réseaux de transmission des données"),
            (112, "Chimie-biologie, biochimie"),
        ] {
            assert_eq!(r.nsf_label(code), label);
        }
    }
}
