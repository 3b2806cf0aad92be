//! Table-driven tests of the resolver, suggest and geocoder, and properties over the whole
//! reference data.

use crate::*;

fn p() -> &'static Places {
    Places::get()
}

fn kind_str(k: PlaceKind) -> &'static str {
    match k {
        PlaceKind::Commune => "commune",
        PlaceKind::Arrondissement => "arrondissement",
        PlaceKind::Departement => "departement",
        PlaceKind::Region => "region",
        PlaceKind::CodePostal => "code_postal",
    }
}

/// `want` is "kind:code" of the first result, or "" for no result.
fn check(text: &str, want: &str) {
    let got = p().resolve(text, 10);
    let first = got.first().map(|x| format!("{}:{}", kind_str(x.kind), x.code)).unwrap_or_default();
    assert_eq!(
        first,
        want,
        "resolve({text:?}) = {:?}",
        got.iter().map(|x| (&x.code, &x.nom)).collect::<Vec<_>>()
    );
}

/// `want` ("kind:code") must be among the results.
fn check_among(text: &str, want: &str) {
    let got = p().resolve(text, 10);
    assert!(
        got.iter().any(|x| format!("{}:{}", kind_str(x.kind), x.code) == want),
        "resolve({text:?}) lacks {want}: {:?}",
        got.iter().map(|x| (&x.code, &x.nom)).collect::<Vec<_>>()
    );
}

#[test]
fn communes_in_every_spelling() {
    check("Marseille", "commune:13055");
    check("marseille", "commune:13055");
    check("MARSEILLE", "commune:13055");
    check("  marseille  ", "commune:13055");
    check("Lyon", "commune:69123");
    check("Toulouse", "commune:31555");
    check("Nice", "commune:06088");
    check("Nantes", "commune:44109");
    check("Strasbourg", "commune:67482");
    check("Montpellier", "commune:34172");
    check("Bordeaux", "commune:33063");
    check("Lille", "commune:59350");
    check("Rennes", "commune:35238");
    check("Reims", "commune:51454");
    check("Grenoble", "commune:38185");
    check("Dijon", "commune:21231");
    check("Angers", "commune:49007");
    check("Le Havre", "commune:76351");
    check("le havre", "commune:76351");
    check("LE HAVRE", "commune:76351");
    check("Le-Havre", "commune:76351");
    check("Saint-Étienne", "commune:42218");
    check("saint etienne", "commune:42218");
    check("SAINT ETIENNE", "commune:42218");
    check("St Etienne", "commune:42218");
    check("st-etienne", "commune:42218");
    check("ST-ÉTIENNE", "commune:42218");
    check("Saint Étienne", "commune:42218");
    check("Aix-en-Provence", "commune:13001");
    check("aix en provence", "commune:13001");
    check("AIX EN PROVENCE", "commune:13001");
    check("Clermont-Ferrand", "commune:63113");
    check("clermont ferrand", "commune:63113");
    check("Boulogne-Billancourt", "commune:92012");
    check("boulogne billancourt", "commune:92012");
    check("Besançon", "commune:25056");
    check("besancon", "commune:25056");
    check("BESANCON", "commune:25056");
    check("Orléans", "commune:45234");
    check("orleans", "commune:45234");
    check("Nîmes", "commune:30189");
    check("nimes", "commune:30189");
    check("Évry-Courcouronnes", "commune:91228");
    check("evry courcouronnes", "commune:91228");
    check("L'Haÿ-les-Roses", "commune:94038");
    check("l hay les roses", "commune:94038");
    check("lhay les roses", "commune:94038"); // one edit: the missing space
    check("Villeneuve-d'Ascq", "commune:59009");
    check("villeneuve d ascq", "commune:59009");
    check("villeneuve d'ascq", "commune:59009");
    check("Sainte-Geneviève-des-Bois", "commune:91549");
    check("ste genevieve des bois", "commune:91549");
    check("Saint-Malo", "commune:35288");
    check("st malo", "commune:35288");
    check("Saint-Nazaire", "commune:44184");
    check("saint nazaire", "commune:44184");
    check("Saint-Quentin", "commune:02691");
    check("Châlons-en-Champagne", "commune:51108");
    check("chalons en champagne", "commune:51108");
    check("Cergy", "commune:95127");
    check("Ajaccio", "commune:2A004");
    check("Bastia", "commune:2B033");
    check("Fort-de-France", "commune:97209");
    check("fort de france", "commune:97209");
    check("Cayenne", "commune:97302");
    check("Mamoudzou", "commune:97611");
    check("Pointe-à-Pitre", "commune:97120");
    check("pointe a pitre", "commune:97120");
    check("Vénissieux", "commune:69259");
    check("venissieux", "commune:69259");
    check("Annecy", "commune:74010");
    check("Perpignan", "commune:66136");
    check("Brest", "commune:29019");
    check("Limoges", "commune:87085");
    check("Tours", "commune:37261");
    check("Amiens", "commune:80021");
    check("Metz", "commune:57463");
    check("Nancy", "commune:54395");
    check("Rouen", "commune:76540");
    check("Caen", "commune:14118");
    check("Pau", "commune:64445");
    check("Poitiers", "commune:86194");
}

#[test]
fn arrondissements() {
    check("Paris 11", "arrondissement:75111");
    check("Paris 11e", "arrondissement:75111");
    check("paris 11eme", "arrondissement:75111");
    check("PARIS 11EME", "arrondissement:75111");
    check("Paris 11ème", "arrondissement:75111");
    check("paris 11 e", "arrondissement:75111");
    check("Paris 1er", "arrondissement:75101");
    check("paris 1", "arrondissement:75101");
    check("Paris 20e", "arrondissement:75120");
    check("paris 20 arrondissement", "arrondissement:75120");
    check("Paris 21", "");
    check("Paris 0", "");
    check("Lyon 3", "arrondissement:69383");
    check("Lyon 3e", "arrondissement:69383");
    check("Lyon 3ème", "arrondissement:69383");
    check("lyon 3eme", "arrondissement:69383");
    check("LYON 9E", "arrondissement:69389");
    check("Lyon 10", "");
    check("Marseille 13e", "arrondissement:13213");
    check("marseille 13", "arrondissement:13213");
    check("MARSEILLE 13EME", "arrondissement:13213");
    check("Marseille 1er", "arrondissement:13201");
    check("marseille 16e", "arrondissement:13216");
    check("Marseille 17", "");
    check("Paris 11e Arrondissement", "arrondissement:75111");
    check("Lyon 1er Arrondissement", "arrondissement:69381");
}

#[test]
fn codes() {
    check("13008", "code_postal:13008");
    check_among("13008", "arrondissement:13208");
    check("75011", "code_postal:75011");
    check_among("75011", "arrondissement:75111");
    check("69003", "code_postal:69003");
    check("01000", "code_postal:01000");
    check_among("01000", "commune:01053");
    check("42000", "code_postal:42000");
    check_among("42000", "commune:42218");
    check("97400", "code_postal:97400");
    check_among("97400", "commune:97411");
    check("20000", "code_postal:20000");
    check_among("20000", "commune:2A004");
    check("69441", "departement:69"); // CEDEX
    check("75700", "departement:75"); // CEDEX
    check("13272", "departement:13"); // CEDEX
    check("97490", "code_postal:97490");
    check("00000", "");
    check("99999", "");
    check("2A004", "commune:2A004");
    check("2a004", "commune:2A004");
    check("2B033", "commune:2B033");
    check("42218", "commune:42218"); // INSEE code that is no postal code
    check("13", "departement:13");
    check("69", "departement:69");
    check("75", "departement:75");
    check("01", "departement:01");
    check("1", "departement:01");
    check("2A", "departement:2A");
    check("2a", "departement:2A");
    check("2B", "departement:2B");
    check("971", "departement:971");
    check("972", "departement:972");
    check("973", "departement:973");
    check("974", "departement:974");
    check("976", "departement:976");
    check("975", "");
    check("96", "");
    check("20", "");
    check("100", "");
}

#[test]
fn departments_and_regions() {
    check("Bouches-du-Rhône", "departement:13");
    check("bouches du rhone", "departement:13");
    check("BOUCHES DU RHONE", "departement:13");
    check("Rhône", "departement:69");
    check("rhone", "departement:69");
    check("Seine-Saint-Denis", "departement:93");
    check("seine st denis", "departement:93");
    check("Hauts-de-Seine", "departement:92");
    check("Val-de-Marne", "departement:94");
    check("Nord", "departement:59");
    check("Finistère", "departement:29");
    check("finistere", "departement:29");
    check("Corse-du-Sud", "departement:2A");
    check("Haute-Corse", "departement:2B");
    check("Guadeloupe", "region:01");
    check_among("Guadeloupe", "departement:971");
    check("La Réunion", "region:04");
    check_among("la reunion", "departement:974");
    check("Mayotte", "region:06");
    check("Île-de-France", "region:11");
    check("ile de france", "region:11");
    check("IDF", "region:11");
    check("idf", "region:11");
    check("PACA", "region:93");
    check("paca", "region:93");
    check("Provence-Alpes-Côte d'Azur", "region:93");
    check("Région Sud", "region:93");
    check("ARA", "region:84");
    check("AURA", "region:84");
    check("Auvergne-Rhône-Alpes", "region:84");
    check("auvergne rhone alpes", "region:84");
    check("BFC", "region:27");
    check("Bourgogne-Franche-Comté", "region:27");
    check("HDF", "region:32");
    check("Hauts-de-France", "region:32");
    check("Grand Est", "region:44");
    check("grand-est", "region:44");
    check("Nouvelle-Aquitaine", "region:75");
    check("nouvelle aquitaine", "region:75");
    check("Occitanie", "region:76");
    check("Normandie", "region:28");
    check("Bretagne", "region:53");
    check_among("Bretagne", "commune:36024");
    check("Pays de la Loire", "region:52");
    check("Centre-Val de Loire", "region:24");
    check("Corse", "region:94");
    // Regions before 2016.
    check("Alsace", "region:44");
    check("Lorraine", "region:44");
    check("Champagne-Ardenne", "region:44");
    check("Aquitaine", "region:75");
    check("Limousin", "region:75");
    check("Poitou-Charentes", "region:75");
    check("Midi-Pyrénées", "region:76");
    check("Languedoc-Roussillon", "region:76");
    check("Nord-Pas-de-Calais", "region:32");
    check("Picardie", "region:32");
    check("Basse-Normandie", "region:28");
    check("Haute-Normandie", "region:28");
    check("Bourgogne", "region:27");
    check("Franche-Comté", "region:27");
    check("Auvergne", "region:84");
    check("Rhône-Alpes", "region:84");
}

#[test]
fn ambiguous_names_ranked_by_population() {
    check("Saint-Denis", "commune:97411");
    check_among("Saint-Denis", "commune:93066");
    check("saint denis", "commune:97411");
    check("Valence", "commune:26362");
    check_among("Valence", "commune:82186");
    check("Saint-Pierre", "commune:97416");
    check_among("Saint-Pierre", "commune:97225");
    check("Saint-Paul", "commune:97415");
    check("Montreuil", "commune:93048");
    check_among("Montreuil", "commune:62588");
    check("Vienne", "departement:86");
    check_among("Vienne", "commune:38544");
    check("Paris", "departement:75");
    check_among("Paris", "commune:75056");
    let r = p().resolve("Saint-Denis", 10);
    assert!(r.len() >= 2);
}

#[test]
fn typos_from_five_letters() {
    check("marsielle", "commune:13055");
    check("marseile", "commune:13055");
    check("toulouze", "commune:31555");
    check("bordaux", "commune:33063");
    check("strasbour", "commune:67482");
    check("grenoblle", "commune:38185");
    check("montpelier", "commune:34172");
    check("nanets", "commune:44109"); // transposition
    check("lyonn", "commune:69123");
    check("bretgne", "region:53");
    check("occitani", "region:76");
    check("normandei", "region:28");
    // Under five letters, no typo is tolerated.
    check("lyn", "");
    check("nic", "");
    check("paru", "");
    // Two typos are too many.
    check("mrasielle", "");
}

#[test]
fn nonsense_resolves_to_nothing() {
    for text in [
        "",
        " ",
        "xyzzy",
        "qwertyuiop",
        "formation",
        "excel",
        "!!!",
        "12345678",
        "azertyazerty",
        "zzzzz",
        "123",
        "abcdefghij",
        "le",
        "de la",
        "'",
        "-",
        "€",
        "🙂",
        "SELECT * FROM",
        "<>",
    ] {
        check(text, "");
    }
    let long = "a".repeat(10_000);
    assert!(p().resolve(&long, 10).is_empty());
    assert!(p().suggest(&long, 10).is_empty());
}

fn check_suggest(prefix: &str, want_first: &str) {
    let got = p().suggest(prefix, 8);
    let first = got.first().map(|x| x.nom.as_str()).unwrap_or("");
    assert_eq!(
        first,
        want_first,
        "suggest({prefix:?}) = {:?}",
        got.iter().map(|x| &x.nom).collect::<Vec<_>>()
    );
}

#[test]
fn suggest() {
    check_suggest("mars", "Marseille");
    check_suggest("Mars", "Marseille");
    check_suggest("MARS", "Marseille");
    check_suggest("mar", "Marseille");
    check_suggest("par", "Paris");
    check_suggest("mart", "Martinique");
    check_suggest("tou", "Toulouse");
    check_suggest("bord", "Bordeaux");
    check_suggest("st eti", "Saint-Étienne");
    check_suggest("saint-ét", "Saint-Étienne");
    check_suggest("lyo", "Lyon");
    check_suggest("nan", "Nantes");
    check_suggest("stras", "Strasbourg");
    check_suggest("ile de", "Île-de-France");
    check_suggest("bouches", "Bouches-du-Rhône");
    check_suggest("aix en", "Aix-en-Provence");
    check_suggest("13", "Bouches-du-Rhône");
    check_suggest("130", "Marseille 1er Arrondissement");
    check_suggest("xyzzy", "");
    check_suggest("", "");
    assert_eq!(p().suggest("par", 5).len(), 5);
}

/// `want` is "precision:code_commune" (or "precision:" without commune).
fn check_geo(cp: &str, ville: &str, region: &str, want: &str) {
    fn opt(s: &str) -> Option<&str> {
        if s.is_empty() { None } else { Some(s) }
    }
    let g = p().geocode(opt(cp), opt(ville), opt(region));
    let got = format!("{}:{}", g.precision.as_str(), g.code_commune.as_deref().unwrap_or(""));
    assert_eq!(got, want, "geocode({cp:?}, {ville:?}, {region:?}) = {g:?}");
    if g.precision == Precision::Region || g.precision == Precision::Aucune {
        assert!(g.lat.is_none() && g.lon.is_none(), "no invented coordinates: {g:?}");
    } else {
        assert!(g.lat.is_some() && g.departement.is_some(), "{g:?}");
    }
}

#[test]
fn geocoder() {
    check_geo("75011", "PARIS", "11", "commune:75111");
    check_geo("75011", "Paris", "11", "commune:75111");
    check_geo("75011", "PARIS 11", "11", "commune:75111");
    check_geo("75011", "PARIS 11EME", "11", "commune:75111");
    check_geo("75001", "PARIS 1ER", "11", "commune:75101");
    check_geo("69003", "LYON", "84", "commune:69383");
    check_geo("69003", "LYON 3E", "84", "commune:69383");
    check_geo("69003", "Lyon 3ème", "84", "commune:69383");
    check_geo("13013", "MARSEILLE", "93", "commune:13213");
    check_geo("13013", "MARSEILLE 13EME", "93", "commune:13213");
    check_geo("13008", "Marseille", "93", "commune:13208");
    check_geo("69441", "LYON CEDEX 03", "84", "commune:69383");
    check_geo("75700", "PARIS CEDEX 07", "11", "commune:75107");
    check_geo("13272", "MARSEILLE CEDEX 08", "93", "commune:13208");
    check_geo("31062", "TOULOUSE CEDEX 9", "76", "commune:31555");
    check_geo("33076", "BORDEAUX CEDEX", "75", "commune:33063");
    check_geo("44042", "NANTES CEDEX 1", "52", "commune:44109");
    check_geo("44042", "", "52", "departement:");
    check_geo("1000", "BOURG EN BRESSE", "84", "commune:01053");
    check_geo("1000", "Bourg-en-Bresse", "84", "commune:01053");
    check_geo("01000", "BOURG-EN-BRESSE", "84", "commune:01053");
    check_geo("6000", "NICE", "93", "commune:06088");
    check_geo("42100", "ST ETIENNE", "84", "commune:42218");
    check_geo("42000", "SAINT-ETIENNE", "84", "commune:42218");
    check_geo("42000", "Saint-Étienne", "84", "commune:42218");
    check_geo("35400", "ST MALO", "53", "commune:35288");
    check_geo("13100", "AIX EN PROVENCE", "93", "commune:13001");
    check_geo("13090", "AIX-EN-PROVENCE", "93", "commune:13001");
    check_geo("59650", "VILLENEUVE D ASCQ", "32", "commune:59009");
    // Former commune names (merged communes) through La Poste's Ligne_5.
    check_geo("01200", "OCHIAZ", "84", "commune:01033");
    // Postal code and city disagree: the city inside the postal code's department wins.
    check_geo("13002", "AIX EN PROVENCE", "93", "commune:13001");
    check_geo("69001", "VILLEURBANNE", "84", "commune:69266");
    // Typo in the city.
    check_geo("38000", "GRENOBLLE", "84", "commune:38185");
    // Unknown city: the postal code's main commune, at postal-code precision.
    check_geo("42000", "XYZZY", "84", "code_postal:42218");
    check_geo("13100", "", "93", "code_postal:13001");
    check_geo("75011", "", "11", "commune:75111");
    // City only.
    check_geo("", "TOULOUSE", "76", "commune:31555");
    check_geo("", "SAINT DENIS", "04", "commune:97411");
    check_geo("", "SAINT DENIS", "11", "commune:93066");
    check_geo("", "PARIS 15", "11", "commune:75115");
    // No address: region only, never coordinates.
    check_geo("", "", "84", "region:");
    check_geo("", "", "1", "region:");
    check_geo("", "", "", "aucune:");
    check_geo("", "", "99", "aucune:");
    check_geo("ABCDE", "", "11", "region:");
    check_geo("99999", "NULLE PART", "", "aucune:");
}

#[test]
fn distances() {
    let paris = (48.8566, 2.3522);
    let marseille = (43.2965, 5.3698);
    let d = haversine_km(paris.0, paris.1, marseille.0, marseille.1);
    assert!((d - 661.0).abs() < 5.0, "{d}");
    assert!(haversine_km(1.0, 1.0, 1.0, 1.0).abs() < 1e-9);
    let b = bbox(paris.0, paris.1, 30.0);
    assert!(b.contains(paris.0, paris.1));
    assert!(!b.contains(marseille.0, marseille.1));
    // Every point within the radius is inside the box.
    for i in 0..360 {
        let a = f64::from(i).to_radians();
        let (lat, lon) = (paris.0 + 0.26 * a.sin(), paris.1 + 0.39 * a.cos());
        if haversine_km(paris.0, paris.1, lat, lon) <= 30.0 {
            assert!(b.contains(lat, lon), "{lat},{lon}");
        }
    }
    let polar = bbox(89.99, 0.0, 50.0);
    assert!(polar.contains(89.9, 170.0));
}

#[test]
fn fold_forms() {
    for (input, want) in [
        ("Saint-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("  ŒUVRE   d'art ", "oeuvre d art"),
        ("Île-de-France", "ile de france"),
        ("ÇA", "ca"),
        ("", ""),
    ] {
        assert_eq!(fold(input), want);
    }
    assert_eq!(place_key("ST ETIENNE"), "saint etienne");
    assert_eq!(place_key("Ste-Foy"), "sainte foy");
    assert_eq!(place_key("CHALONS S/ MARNE"), "chalons sur marne");
}

// ---- Properties over the whole reference data ----

#[test]
fn every_commune_name_resolves_to_itself_or_a_bigger_namesake() {
    let places = p();
    let mut failures = Vec::new();
    for c in places.communes().iter().filter(|c| !c.is_arrondissement()) {
        let got = places.resolve(&c.nom, 50);
        let pos = got.iter().position(|x| x.code == c.code && x.kind == PlaceKind::Commune);
        let ok = match pos {
            Some(i) => got[..i].iter().all(|x| match x.kind {
                // Ahead of it only namesakes: bigger communes, or a department/region of that name.
                PlaceKind::Commune => {
                    place_key(&x.nom) == place_key(&c.nom)
                        && places.commune(&x.code).is_some_and(|o| o.population >= c.population)
                }
                PlaceKind::Departement | PlaceKind::Region => place_key(&x.nom) == place_key(&c.nom),
                _ => false,
            }),
            None => false,
        };
        if !ok && failures.len() < 10 {
            failures.push(format!(
                "{} {} -> {:?}",
                c.code,
                c.nom,
                got.iter().take(3).map(|x| &x.code).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_postal_code_resolves_to_a_commune_that_carries_it() {
    let places = p();
    let mut cps: Vec<&String> = places.communes().iter().flat_map(|c| &c.codes_postaux).collect();
    cps.sort();
    cps.dedup();
    assert!(cps.len() > 6_000);
    for cp in cps {
        let got = places.resolve(cp, 10);
        let carrier = got
            .iter()
            .filter(|x| matches!(x.kind, PlaceKind::Commune | PlaceKind::Arrondissement))
            .find(|x| places.commune(&x.code).is_some_and(|c| c.codes_postaux.contains(cp)));
        assert!(carrier.is_some(), "{cp}: {got:?}");
    }
}

#[test]
fn every_department_and_region_resolves_to_itself() {
    let places = p();
    assert_eq!(places.regions().len(), 18);
    assert_eq!(places.departements().len(), 101);
    for d in places.departements() {
        for text in [d.nom.clone(), fold(&d.nom), d.nom.to_uppercase(), d.code.clone()] {
            let got = places.resolve(&text, 5);
            let i = got.iter().position(|x| x.kind == PlaceKind::Departement && x.code == d.code);
            // Overseas departments share their name with their region: both are offered.
            let shared = places.regions().iter().any(|r| place_key(&r.nom) == place_key(&d.nom));
            assert!(i == Some(0) || (shared && i == Some(1)), "{text}: {got:?}");
        }
    }
    for r in places.regions() {
        for text in [r.nom.clone(), fold(&r.nom), r.nom.to_uppercase()] {
            let got = places.resolve(&text, 5);
            assert_eq!(
                got.first().map(|x| (x.kind, x.code.as_str())),
                Some((PlaceKind::Region, r.code.as_str())),
                "{text}"
            );
        }
    }
}

proptest::proptest! {
    #[test]
    fn no_input_panics(s in "\\PC{0,40}") {
        let _ = p().resolve(&s, 10);
        let _ = p().suggest(&s, 10);
        let _ = p().geocode(Some(&s), Some(&s), Some(&s));
    }

    #[test]
    fn one_typo_still_finds_big_cities(i in 0usize..12, pos in 0usize..5, c in proptest::char::range('a', 'z')) {
        let cities = [("marseille", "13055"), ("toulouse", "31555"), ("bordeaux", "33063"), ("strasbourg", "67482"),
            ("montpellier", "34172"), ("grenoble", "38185"), ("rennes", "35238"), ("nantes", "44109"),
            ("perpignan", "66136"), ("limoges", "87085"), ("poitiers", "86194"), ("besancon", "25056")];
        let (name, code) = cities[i];
        let mut chars: Vec<char> = name.chars().collect();
        chars[pos + 1] = c;
        let typo: String = chars.into_iter().collect();
        let got = p().resolve(&typo, 10);
        // Either the typo is itself a real place name, or the city is among the answers.
        proptest::prop_assert!(got.iter().any(|x| x.code == code) || p().named(&typo).is_some(), "{typo}: {got:?}");
    }
}
