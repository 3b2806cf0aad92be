//! Properties over the whole reference data, and generated inputs.

use crate::*;
use proptest::prelude::*;

fn p() -> &'static Places {
    Places::get()
}

/// Collects up to ten failures and reports them all at once.
struct Failures(Vec<String>, usize);

impl Failures {
    fn new() -> Self {
        Failures(Vec::new(), 0)
    }
    fn add(&mut self, f: impl FnOnce() -> String) {
        self.1 += 1;
        if self.0.len() < 10 {
            self.0.push(f());
        }
    }
    fn assert_none(self, what: &str) {
        assert!(self.0.is_empty(), "{what}: {} failures, first ones {:#?}", self.1, self.0);
    }
}

/// La Poste's way: upper case, no accents, spaces, ST/STE.
fn la_poste_style(nom: &str) -> String {
    fold(nom)
        .split(' ')
        .map(|w| match w {
            "saint" => "ST".to_string(),
            "sainte" => "STE".to_string(),
            w => w.to_uppercase(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `c` is among the answers, and ahead of it only namesakes: more populous communes of the same
/// name, or a department or region of that name.
fn resolves_to(text: &str, c: &Commune) -> Result<(), String> {
    let got = p().resolve(text, 50);
    let kind = if c.is_arrondissement() { PlaceKind::Arrondissement } else { PlaceKind::Commune };
    let Some(i) = got.iter().position(|x| x.code == c.code && x.kind == kind) else {
        return Err(format!("{text} -> {:?}", got.iter().take(5).map(|x| &x.code).collect::<Vec<_>>()));
    };
    let key = place_key(&c.nom);
    for x in &got[..i] {
        let ok = match x.kind {
            PlaceKind::Commune | PlaceKind::Arrondissement => p()
                .commune(&x.code)
                .is_some_and(|o| o.population >= c.population && p().names_commune(&key, o)),
            PlaceKind::Departement | PlaceKind::Region => place_key(&x.nom) == key,
            PlaceKind::CodePostal => false,
        };
        if !ok {
            return Err(format!("{text}: {} {} ranked before {}", x.code, x.nom, c.code));
        }
    }
    Ok(())
}

#[test]
fn every_commune_name_resolves_to_itself_or_a_bigger_namesake() {
    let mut f = Failures::new();
    for c in p().communes() {
        for text in [c.nom.clone(), la_poste_style(&c.nom), fold(&c.nom)] {
            if let Err(e) = resolves_to(&text, c) {
                f.add(|| e);
            }
        }
    }
    f.assert_none("communes by name");
}

#[test]
fn every_insee_code_resolves_to_its_commune() {
    let mut f = Failures::new();
    for c in p().communes() {
        let got = p().resolve(&c.code, 50);
        if !got.iter().any(|x| x.code == c.code && x.kind != PlaceKind::CodePostal) {
            f.add(|| format!("{} -> {got:?}", c.code));
        }
    }
    f.assert_none("INSEE codes");
}

#[test]
fn every_postal_code_resolves_to_a_commune_that_carries_it() {
    let mut f = Failures::new();
    let cps: Vec<&str> = p().codes_postaux().collect();
    assert!(cps.len() > 6_000, "{}", cps.len());
    for cp in cps {
        let got = p().resolve(cp, 10);
        let first_is_code = got.first().is_some_and(|x| x.kind == PlaceKind::CodePostal && x.code == cp);
        let carrier = got
            .iter()
            .filter(|x| matches!(x.kind, PlaceKind::Commune | PlaceKind::Arrondissement))
            .any(|x| p().commune(&x.code).is_some_and(|c| c.codes_postaux.iter().any(|y| y == cp)));
        if !first_is_code || !carrier {
            f.add(|| format!("{cp} -> {got:?}"));
        }
        // And its department is the one the code says, CEDEX rule included; La Poste serves one
        // Essonne commune from Orly's Val-de-Marne code.
        let dep = p().departement_of_postal_code(cp);
        let served_across = ["94390"];
        let same = p().communes_for_postal_code(cp).iter().any(|c| Some(&c.departement) == dep.as_ref());
        if same == served_across.contains(&cp) {
            f.add(|| format!("{cp}: department {dep:?}"));
        }
    }
    f.assert_none("postal codes");
}

#[test]
fn every_department_resolves_to_itself() {
    assert_eq!(p().departements().len(), 101);
    let mut f = Failures::new();
    for d in p().departements() {
        // Overseas departments share their name with their region, which comes first.
        let shared = p().regions().iter().any(|r| place_key(&r.nom) == place_key(&d.nom));
        for text in
            [d.nom.clone(), fold(&d.nom), d.nom.to_uppercase(), la_poste_style(&d.nom), d.code.clone()]
        {
            let got = p().resolve(&text, 5);
            let i = got.iter().position(|x| x.kind == PlaceKind::Departement && x.code == d.code);
            if !(i == Some(0) || (shared && i == Some(1) && text != d.code)) {
                f.add(|| format!("{text} -> {got:?}"));
            }
        }
        if p().departement(&d.code.to_lowercase()).map(|x| &x.code) != Some(&d.code) {
            f.add(|| format!("departement({})", d.code));
        }
        if p().region(&d.region).is_none() {
            f.add(|| format!("{} has no region {}", d.code, d.region));
        }
    }
    f.assert_none("departments");
}

#[test]
fn every_region_name_and_alias_resolves_to_itself() {
    assert_eq!(p().regions().len(), 18);
    let mut f = Failures::new();
    for r in p().regions() {
        let names = [r.nom.clone(), fold(&r.nom), r.nom.to_uppercase()];
        for text in names.iter().cloned().chain(r.alias.iter().map(|a| a.to_string())) {
            let got = p().resolve(&text, 5);
            if got.first().map(|x| (x.kind, x.code.as_str())) != Some((PlaceKind::Region, r.code.as_str())) {
                f.add(|| format!("{text} -> {got:?}"));
            }
        }
        let unpadded = r.code.trim_start_matches('0');
        if p().region(unpadded).map(|x| &x.code) != Some(&r.code) {
            f.add(|| format!("region({unpadded})"));
        }
    }
    f.assert_none("regions");
}

#[test]
fn every_arrondissement_in_every_spelling() {
    let mut f = Failures::new();
    let arrs: Vec<&Commune> = p().communes().iter().filter(|c| c.is_arrondissement()).collect();
    assert_eq!(arrs.len(), 45);
    for a in arrs {
        let city =
            p().commune(a.parent.as_deref().unwrap_or_default()).map(|c| c.nom.clone()).unwrap_or_default();
        let n: u32 = a
            .nom
            .split(' ')
            .nth(1)
            .unwrap_or("")
            .trim_end_matches(|c: char| c.is_alphabetic())
            .parse()
            .unwrap_or(0);
        let ordinal = if n == 1 { "er" } else { "e" };
        for text in [
            format!("{city} {n}"),
            format!("{city} {n}{ordinal}"),
            format!("{} {n}EME", city.to_uppercase()),
            format!("{city} {n:02}"),
            format!("{n}{ordinal} arrondissement de {city}"),
            a.nom.clone(),
        ] {
            let got = p().resolve(&text, 3);
            if got.first().map(|x| x.code.as_str()) != Some(a.code.as_str()) {
                f.add(|| format!("{text} -> {got:?}"));
            }
        }
        // The official list writes the city alone: the postal code says which arrondissement.
        for cp in &a.codes_postaux {
            let g = p().geocode(Some(cp), Some(&city.to_uppercase()), None);
            if g.code_commune.as_deref() != Some(a.code.as_str()) || g.precision != Precision::Commune {
                f.add(|| format!("geocode({cp}, {city}) = {g:?}"));
            }
        }
    }
    f.assert_none("arrondissements");
}

/// Whether `c` is the commune the geocoder should find for (`cp`, `text`): itself, or a
/// namesake that also carries the code (two communes of one name under one code exist).
fn geocoded_to(cp: &str, text: &str, c: &Commune) -> Result<(), String> {
    let g = p().geocode(Some(cp), Some(text), Some(&c.region));
    let ok = g.precision == Precision::Commune
        && g.code_commune.as_deref().and_then(|x| p().commune(x)).is_some_and(|o| {
            o.code == c.code
                || (o.codes_postaux.iter().any(|y| y == cp) && p().names_commune(&place_key(text), o))
                || o.parent.as_deref() == Some(c.code.as_str())
        });
    if ok { Ok(()) } else { Err(format!("geocode({cp}, {text}) = {g:?}, want {} {}", c.code, c.nom)) }
}

#[test]
fn every_postal_code_and_name_pair_geocodes_to_its_commune() {
    let mut f = Failures::new();
    for c in p().communes().iter().filter(|c| !c.is_arrondissement()) {
        for cp in &c.codes_postaux {
            let mut texts = vec![c.nom.clone(), la_poste_style(&c.nom)];
            texts.extend(c.anciens_noms.iter().cloned());
            for text in &texts {
                if let Err(e) = geocoded_to(cp, text, c) {
                    f.add(|| e);
                }
            }
            // Leading zero lost by a spreadsheet.
            if let Some(short) = cp.strip_prefix('0') {
                if let Err(e) = geocoded_to(short, &c.nom.to_uppercase(), c) {
                    f.add(|| e);
                }
            }
        }
    }
    f.assert_none("postal code + city");
}

#[test]
fn every_big_commune_is_suggested_from_its_name() {
    let mut f = Failures::new();
    for c in p().communes().iter().filter(|c| c.population >= 30_000) {
        let key = fold(&c.nom);
        let got = p().suggest(&key, 10);
        if !got.iter().any(|x| x.code == c.code) {
            f.add(|| format!("suggest({key}) = {:?}", got.iter().map(|x| &x.nom).collect::<Vec<_>>()));
        }
    }
    f.assert_none("suggest");
}

#[test]
fn every_big_commune_survives_one_typo() {
    let mut f = Failures::new();
    for c in p().communes().iter().filter(|c| c.population >= 50_000 && !c.is_arrondissement()) {
        let key: Vec<char> = place_key(&c.nom).chars().collect();
        for i in 0..key.len() {
            let mut deleted = key.clone();
            deleted.remove(i);
            let mut swapped = key.clone();
            if i + 1 < key.len() {
                swapped.swap(i, i + 1);
            }
            let mut substituted = key.clone();
            substituted[i] = if key[i] == 'x' { 'y' } else { 'x' };
            for typo in [deleted, swapped, substituted] {
                let typo: String = typo.into_iter().collect();
                if typo.trim().len() < 5 || typo.contains("  ") || p().is_place_name(&typo) {
                    continue; // too short for a typo, or itself a place name
                }
                let got = p().resolve(&typo, 10);
                if !got.iter().any(|x| x.code == c.code) {
                    f.add(|| format!("{typo} -> {:?}", got.iter().map(|x| &x.nom).collect::<Vec<_>>()));
                }
            }
        }
    }
    f.assert_none("one typo");
}

#[test]
fn region_rows_never_get_coordinates() {
    for r in p().regions() {
        for code in [r.code.as_str(), r.code.trim_start_matches('0')] {
            let g = p().geocode(None, None, Some(code));
            assert_eq!(
                (g.precision, g.region.as_deref()),
                (Precision::Region, Some(r.code.as_str())),
                "{g:?}"
            );
            assert!(g.lat.is_none() && g.lon.is_none() && g.code_commune.is_none(), "{g:?}");
        }
    }
}

proptest! {
    #[test]
    fn no_input_panics(s in "\\PC{0,40}") {
        let _ = p().resolve(&s, 10);
        let _ = p().suggest(&s, 10);
        let _ = p().geocode(Some(&s), Some(&s), Some(&s));
        let _ = p().geocode(None, Some(&s), None);
    }

    #[test]
    fn consonant_soup_resolves_to_nothing(s in "[bcdfghjklmnpqrstvwxz]{9,14}") {
        prop_assert!(p().resolve(&s, 10).is_empty(), "{}", s);
    }

    #[test]
    fn fold_is_idempotent_and_clean(s in "\\PC{0,40}") {
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f.clone());
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "), "{:?}", f);
        prop_assert!(f.chars().all(|c| c == ' ' || c.is_alphanumeric()), "{:?}", f);
        prop_assert_eq!(f.to_lowercase(), f.clone());
        prop_assert_eq!(place_key(&place_key(&s)), place_key(&s));
    }

    #[test]
    fn haversine_is_a_distance(
        a in (-80.0f64..80.0, -180.0f64..180.0),
        b in (-80.0f64..80.0, -180.0f64..180.0),
        c in (-80.0f64..80.0, -180.0f64..180.0),
    ) {
        let d = |x: (f64, f64), y: (f64, f64)| haversine_km(x.0, x.1, y.0, y.1);
        prop_assert!(d(a, a).abs() < 1e-6);
        prop_assert!((d(a, b) - d(b, a)).abs() < 1e-6);
        prop_assert!(d(a, c) <= d(a, b) + d(b, c) + 1e-6);
        prop_assert!(d(a, b) <= 20_016.0);
    }

    #[test]
    fn bbox_holds_every_point_within_the_radius(
        lat in -85.0f64..85.0, lon in -180.0f64..180.0, radius in 0.1f64..500.0,
        bearing in 0.0f64..360.0, share in 0.0f64..1.0,
    ) {
        // The point at `share × radius` along `bearing` (spherical destination formula).
        let (r, dist) = (6371.0088, radius * share);
        let (p1, l1, t, dr) = (lat.to_radians(), lon.to_radians(), bearing.to_radians(), dist / r);
        let p2 = (p1.sin() * dr.cos() + p1.cos() * dr.sin() * t.cos()).asin();
        let l2 = l1 + (t.sin() * dr.sin() * p1.cos()).atan2(dr.cos() - p1.sin() * p2.sin());
        let (lat2, mut lon2) = (p2.to_degrees(), l2.to_degrees());
        // Stay on the same side of the antimeridian as the box.
        if lon2 - lon > 180.0 { lon2 -= 360.0 }
        if lon - lon2 > 180.0 { lon2 += 360.0 }
        prop_assume!(haversine_km(lat, lon, lat2, lon2) <= radius);
        prop_assert!(bbox(lat, lon, radius).contains(lat2, lon2), "{} {}", lat2, lon2);
    }
}
