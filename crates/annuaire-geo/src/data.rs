//! Loading the bundled reference files into the indexes of [`Places`].

use crate::{NameEntry, Places, Target, place_key};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;

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
    pub population: u32,
    pub codes_postaux: Vec<String>,
    /// The city an arrondissement belongs to (75056, 69123, 13055).
    pub parent: Option<String>,
    /// Former names (merged communes, La Poste `Ligne_5`).
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
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub code: String,
    pub nom: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Abbreviations and pre-2016 names that people still use.
    pub alias: Vec<&'static str>,
}

#[derive(Deserialize)]
struct JsonArea {
    code: String,
    nom: String,
    region: Option<String>,
    zone: String,
}

/// Names people use for today's regions: acronyms and the regions merged in 2016.
const REGION_ALIASES: &[(&str, &[&str])] = &[
    ("11", &["IDF", "Ile de France", "Region parisienne"]),
    ("24", &["CVL", "Centre", "Region Centre", "Val de Loire"]),
    ("27", &["BFC", "Bourgogne", "Franche-Comte", "Bourgogne Franche Comte"]),
    ("28", &["Basse-Normandie", "Haute-Normandie"]),
    ("32", &["HDF", "Nord-Pas-de-Calais", "Picardie", "Nord Pas de Calais Picardie", "NPDC"]),
    ("44", &["GE", "Alsace", "Lorraine", "Champagne-Ardenne", "ACAL", "Alsace Champagne Ardenne Lorraine"]),
    ("52", &["PDL", "Pays de Loire"]),
    ("53", &["BZH"]),
    ("75", &["NA", "Aquitaine", "Limousin", "Poitou-Charentes", "ALPC", "Nouvelle Aquitaine"]),
    ("76", &["Midi-Pyrenees", "Languedoc-Roussillon", "LRMP", "Languedoc Roussillon Midi Pyrenees"]),
    ("84", &["ARA", "AURA", "Auvergne", "Rhone-Alpes", "Auvergne Rhone Alpes"]),
    ("93", &["PACA", "Region Sud", "Sud", "Provence", "Cote d'Azur", "Provence Alpes Cote d Azur"]),
    ("94", &["Corsica"]),
];

/// Lines of a bundled gzip file, decoded as they are read so the whole text never sits in memory.
fn gz_lines(bytes: &'static [u8]) -> impl Iterator<Item = String> {
    // The bytes are compiled in; a decode failure is a build defect, caught by every test.
    std::io::BufReader::new(flate2::read::GzDecoder::new(bytes))
        .lines()
        .map(|l| l.expect("bundled reference data is valid gzip UTF-8"))
}

/// Split one line of the communes CSV, whose names are quoted and may contain commas.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(8);
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The city, its name and the numbering base of a municipal arrondissement code.
fn arrondissement_parent(code: &str) -> Option<(&'static str, &'static str, u32)> {
    let n: u32 = code.get(2..)?.parse().ok()?;
    match &code[..2] {
        "75" if (101..=120).contains(&n) => Some(("75056", "Paris", 100)),
        "69" if (381..=389).contains(&n) => Some(("69123", "Lyon", 380)),
        "13" if (201..=216).contains(&n) => Some(("13055", "Marseille", 200)),
        _ => None,
    }
}

fn title_arrondissement(city: &str, n: u32) -> String {
    let suffix = if n == 1 { "er" } else { "e" };
    format!("{city} {n}{suffix} Arrondissement")
}

pub(crate) fn load() -> Places {
    let deps_json: Vec<JsonArea> =
        serde_json::from_str(include_str!("../../../data/reference/decoupage_departements.json"))
            .expect("bundled departments are valid JSON");
    let regs_json: Vec<JsonArea> =
        serde_json::from_str(include_str!("../../../data/reference/decoupage_regions.json"))
            .expect("bundled regions are valid JSON");

    let mut communes: Vec<Commune> = Vec::with_capacity(35_500);
    let mut insee: HashMap<String, u32> = HashMap::with_capacity(35_500);
    let mut dep_region: HashMap<String, String> = HashMap::new();
    for line in gz_lines(include_bytes!("../../../data/reference/communes_france_2024_limite.csv.gz")).skip(1)
    {
        let f = csv_fields(&line);
        if f.len() < 8 {
            continue;
        }
        let region = format!("{:0>2}", f[2]);
        dep_region.insert(f[4].clone(), region.clone());
        let parent = arrondissement_parent(&f[0]).map(|(p, _, _)| p.to_string());
        insee.insert(f[0].clone(), communes.len() as u32);
        communes.push(Commune {
            code: f[0].clone(),
            nom: f[1].clone(),
            departement: f[4].clone(),
            region,
            lat: f64::NAN,
            lon: f64::NAN,
            population: f[7].parse().unwrap_or(0),
            codes_postaux: Vec::new(),
            parent,
            anciens_noms: Vec::new(),
        });
    }

    // La Poste: coordinates, postal codes, arrondissements and former names.
    let mut orphans: Vec<(String, String, String)> = Vec::new(); // (old code, name, cp)
    for line in gz_lines(include_bytes!("../../../data/reference/laposte_hexasmal_2022.csv.gz")).skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if f.len() < 7 {
            continue;
        }
        let (code, name, cp, ligne5) = (f[0], f[1], f[2], f[3]);
        let (lat, lon) = (f[5].parse::<f64>().unwrap_or(f64::NAN), f[6].parse::<f64>().unwrap_or(f64::NAN));
        let idx = match insee.get(code) {
            Some(i) => *i as usize,
            None => {
                match arrondissement_parent(code) {
                    Some((parent, city, base)) => {
                        let n = code[2..].parse::<u32>().unwrap_or(base) - base;
                        let dep = code[..2].to_string();
                        insee.insert(code.to_string(), communes.len() as u32);
                        communes.push(Commune {
                            code: code.to_string(),
                            nom: title_arrondissement(city, n),
                            region: dep_region.get(&dep).cloned().unwrap_or_default(),
                            departement: dep,
                            lat,
                            lon,
                            population: 0,
                            codes_postaux: Vec::new(),
                            parent: Some(parent.to_string()),
                            anciens_noms: Vec::new(),
                        });
                        communes.len() - 1
                    }
                    None => {
                        // Merged away since 2022: remembered as a former name, attached below.
                        orphans.push((code.to_string(), name.to_string(), cp.to_string()));
                        continue;
                    }
                }
            }
        };
        let c = &mut communes[idx];
        if c.lat.is_nan() && lat.is_finite() {
            c.lat = lat;
            c.lon = lon;
        }
        if !c.codes_postaux.iter().any(|x| x == cp) {
            c.codes_postaux.push(cp.to_string());
        }
        if !ligne5.is_empty()
            && place_key(ligne5) != place_key(&c.nom)
            && !c.anciens_noms.iter().any(|n| n == ligne5)
        {
            c.anciens_noms.push(ligne5.to_string());
        }
        // La Poste spells some names differently from INSEE, and its routing label often is the
        // long form people write on letters ("ERAGNY SUR OISE" for Éragny): both are aliases.
        let nom_key = place_key(&c.nom);
        for alias in [name, f[4]] {
            if c.parent.is_none() && place_key(alias) != nom_key && !c.anciens_noms.iter().any(|n| n == alias)
            {
                c.anciens_noms.push(alias.to_string());
            }
        }
    }

    // Cities split into arrondissements: centre and population from their parts.
    for (city, pop_of) in [("75056", "751"), ("69123", "6938"), ("13055", "132")] {
        let Some(&ci) = insee.get(city) else { continue };
        let parts: Vec<usize> = (0..communes.len())
            .filter(|i| communes[*i].code.starts_with(pop_of) && communes[*i].parent.is_some())
            .collect();
        let pop = communes[ci as usize].population;
        let n = parts.len().max(1) as f64;
        let (mut la, mut lo) = (0.0, 0.0);
        let mut cps = Vec::new();
        for &p in &parts {
            la += communes[p].lat / n;
            lo += communes[p].lon / n;
            cps.extend(communes[p].codes_postaux.iter().cloned());
            communes[p].population = (f64::from(pop) / n) as u32;
        }
        let c = &mut communes[ci as usize];
        c.lat = la;
        c.lon = lo;
        c.codes_postaux = cps;
    }
    let mut by_cp: HashMap<&str, Vec<usize>> = HashMap::with_capacity(7_000);
    for (i, c) in communes.iter().enumerate() {
        for cp in &c.codes_postaux {
            by_cp.entry(cp.as_str()).or_default().push(i);
        }
    }
    let mut attach: Vec<(usize, String)> = Vec::new();
    for (code, name, cp) in orphans {
        // Attach a merged-away commune to the largest commune now carrying its postal code.
        let target = by_cp
            .get(cp.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(|i| communes[*i].parent.is_none() && communes[*i].code[..2] == code[..2])
            .max_by_key(|i| communes[*i].population);
        if let Some(i) = target {
            attach.push((i, name));
        }
    }
    drop(by_cp);
    for (i, name) in attach {
        if !communes[i].anciens_noms.contains(&name) {
            communes[i].anciens_noms.push(name);
        }
    }
    // A handful of 2024 communes have no La Poste entry: without coordinates they cannot be
    // located, so they are dropped rather than placed somewhere invented.
    communes.retain(|c| c.lat.is_finite() && c.lon.is_finite());
    insee = communes.iter().enumerate().map(|(i, c)| (c.code.clone(), i as u32)).collect();

    let centre = |pred: &dyn Fn(&Commune) -> bool| {
        let (mut la, mut lo, mut w) = (0.0, 0.0, 0.0);
        let mut pop: u64 = 0;
        for c in communes.iter().filter(|c| c.parent.is_none() && pred(c)) {
            let weight = f64::from(c.population.max(1));
            la += c.lat * weight;
            lo += c.lon * weight;
            w += weight;
            pop += u64::from(c.population);
        }
        if w > 0.0 { Some((la / w, lo / w, pop)) } else { None }
    };
    let mut departements = Vec::new();
    for d in deps_json.iter().filter(|d| d.zone != "com") {
        if let Some((lat, lon, population)) = centre(&|c| c.departement == d.code) {
            departements.push(Departement {
                code: d.code.clone(),
                nom: d.nom.clone(),
                region: d.region.clone().unwrap_or_default(),
                lat,
                lon,
                population,
            });
        }
    }
    let mut regions = Vec::new();
    for r in regs_json.iter().filter(|r| r.zone != "com") {
        if let Some((lat, lon, population)) = centre(&|c| c.region == r.code) {
            let alias = REGION_ALIASES
                .iter()
                .find(|(c, _)| *c == r.code)
                .map(|(_, a)| a.to_vec())
                .unwrap_or_default();
            regions.push(Region { code: r.code.clone(), nom: r.nom.clone(), lat, lon, population, alias });
        }
    }

    let mut names: HashMap<String, Vec<Target>> = HashMap::with_capacity(60_000);
    let mut add = |key: String, t: Target| {
        if key.is_empty() {
            return;
        }
        let v = names.entry(key).or_default();
        if !v.contains(&t) {
            v.push(t);
        }
    };
    for (i, c) in communes.iter().enumerate() {
        add(place_key(&c.nom), Target::Commune(i as u32));
        for a in &c.anciens_noms {
            add(place_key(a), Target::Alias(i as u32));
        }
    }
    for (i, d) in departements.iter().enumerate() {
        add(place_key(&d.nom), Target::Departement(i as u32));
    }
    for (i, r) in regions.iter().enumerate() {
        add(place_key(&r.nom), Target::Region(i as u32));
        for a in &r.alias {
            add(place_key(a), Target::Region(i as u32));
        }
    }
    // Exact names before former names, then the biggest place first.
    let weight = |t: &Target| -> u64 {
        match t {
            Target::Region(i) => u64::MAX - 1 - u64::from(*i),
            Target::Departement(i) => u64::MAX / 2 + departements[*i as usize].population,
            Target::Commune(i) => u64::MAX / 4 + u64::from(communes[*i as usize].population),
            Target::Alias(i) => u64::from(communes[*i as usize].population),
        }
    };
    for v in names.values_mut() {
        v.sort_by_key(|t| std::cmp::Reverse(weight(t)));
    }
    // While typing, size is what matters: a city is what people mostly look for, so it counts
    // double against the department or region of the same prefix.
    let suggest_weight = |t: &Target| -> u64 {
        match t {
            Target::Region(i) => regions[*i as usize].population,
            Target::Departement(i) => departements[*i as usize].population,
            Target::Commune(i) => 2 * u64::from(communes[*i as usize].population),
            Target::Alias(_) => 0,
        }
    };
    let mut names: Vec<NameEntry> = names
        .into_iter()
        .map(|(k, v)| NameEntry {
            resolve_weight: v.iter().map(&weight).max().unwrap_or(0),
            suggest_weight: v.iter().map(&suggest_weight).max().unwrap_or(0),
            key: k.into_boxed_str(),
            targets: v.into_boxed_slice(),
        })
        .collect();
    names.sort_by(|a, b| a.key.cmp(&b.key));

    let mut postal: HashMap<String, Vec<u32>> = HashMap::with_capacity(7_000);
    for (i, c) in communes.iter().enumerate() {
        // The city of an arrondissement carries all their codes; index the arrondissement, the
        // precise answer, first.
        for cp in &c.codes_postaux {
            postal.entry(cp.clone()).or_default().push(i as u32);
        }
    }
    for v in postal.values_mut() {
        v.sort_by_key(|i| {
            let c = &communes[*i as usize];
            (matches!(c.code.as_str(), "75056" | "69123" | "13055"), std::cmp::Reverse(c.population))
        });
    }

    Places { communes, departements, regions, names, postal, insee }
}
