//! Relevance cases: one line each, all through `check`.
//!
//! The fixture is a small hand-written directory and a fixed gazetteer, so every expectation can
//! be read off the table below. Expectation mini-language (space-separated, all must hold):
//! `1:NDA` first result; `top3:NDA` within the first three; `has:NDA` anywhere in the results;
//! `not:NDA` absent; `total:N` exact total; `none` no result; `lieu:Nom` place read; `texte:xxx`
//! text read (underscores for spaces); `order:A,B,C` these NDAs in this relative order.

use std::sync::OnceLock;

use annuaire_core::Categorie;
use annuaire_search::{Place, PlaceKind, PlaceResolver, SearchDoc, SearchIndex, SearchQuery, Tri, analysis};

struct Gazetteer;

fn place(kind: PlaceKind, code: &str, nom: &str, lat: f64, lon: f64) -> Place {
    Place {
        kind,
        code: code.into(),
        nom: nom.into(),
        departement: None,
        region: None,
        lat,
        lon,
        rayon_km: 30.0,
    }
}

fn gazetteer() -> Vec<Place> {
    use PlaceKind::*;
    vec![
        place(Commune, "13055", "Marseille", 43.2965, 5.3698),
        place(Commune, "69123", "Lyon", 45.7640, 4.8357),
        place(Commune, "42218", "Saint-Étienne", 45.4397, 4.3872),
        place(Commune, "75056", "Paris", 48.8566, 2.3522),
        place(Commune, "13001", "Aix-en-Provence", 43.5297, 5.4474),
        place(Commune, "31555", "Toulouse", 43.6047, 1.4442),
        place(Commune, "46042", "Cahors", 44.4475, 1.4419),
        place(Commune, "13004", "Arles", 43.6766, 4.6278),
        place(Departement, "13", "Bouches-du-Rhône", 43.5, 5.1),
        place(Region, "93", "Provence-Alpes-Côte d'Azur", 43.9, 6.0),
        place(CodePostal, "13001", "13001", 43.2999, 5.3841),
    ]
}

impl PlaceResolver for Gazetteer {
    fn exact(&self, phrase: &str) -> Option<Place> {
        let want = analysis::words(phrase);
        gazetteer().into_iter().find(|p| analysis::words(&p.nom) == want)
    }
    fn best(&self, text: &str) -> Option<Place> {
        let want = analysis::words(text);
        gazetteer().into_iter().find(|p| {
            let n = analysis::words(&p.nom);
            n == want || n.starts_with(&want)
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn d(
    nda: &str,
    name: &str,
    city: (&str, &str, &str, &str),
    pos: Option<(f64, f64)>,
    precision: &str,
    cats: &[Categorie],
    nsf: &[&str],
) -> SearchDoc {
    let (cp, ville, dept, region) = city;
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    SearchDoc {
        nda: nda.into(),
        siret: Some(format!("{nda}00012")),
        siren: Some(nda[..9.min(nda.len())].to_string()),
        denomination: name.into(),
        nom_affichage: annuaire_core::name::display_name(name).nom,
        code_postal: opt(cp),
        ville: opt(ville),
        code_commune: None,
        commune: opt(ville),
        departement: opt(dept),
        region: opt(region),
        lat: pos.map(|p| p.0),
        lon: pos.map(|p| p.1),
        precision_geo: precision.into(),
        categories: cats.to_vec(),
        specialites: nsf.iter().map(|c| (c.to_string(), format!("spécialité {c}"))).collect(),
    }
}

const MRS: (&str, &str, &str, &str) = ("13001", "MARSEILLE", "13", "93");
const LYON: (&str, &str, &str, &str) = ("69003", "LYON", "69", "84");
const PARIS: (&str, &str, &str, &str) = ("75011", "PARIS", "75", "11");
const AIX: (&str, &str, &str, &str) = ("13100", "AIX-EN-PROVENCE", "13", "93");

fn docs() -> Vec<SearchDoc> {
    use Categorie::*;
    let af = &[ActionsFormation][..];
    let m = Some((43.2965, 5.3698));
    let m2 = Some((43.33, 5.40)); // ~5 km from the centre of Marseille
    let l = Some((45.7640, 4.8357));
    let p = Some((48.8566, 2.3522));
    let a = Some((43.5297, 5.4474)); // Aix, ~26 km from Marseille
    vec![
        d("93000000001", "SARL DUPONT FORMATION", MRS, m, "commune", af, &["326"]),
        d(
            "84000000002",
            "CCI LYON METROPOLE SAINT-ETIENNE ROANNE",
            LYON,
            l,
            "commune",
            &[ActionsFormation, Apprentissage],
            &["312", "310"],
        ),
        d("93000000003", "INSTITUT DE FORMATION DE MARSEILLE", MRS, m2, "commune", af, &["333"]),
        d(
            "76000000004",
            "LYCEE SAINT-ETIENNE",
            ("46000", "CAHORS", "46", "76"),
            Some((44.4475, 1.4419)),
            "commune",
            &[Apprentissage],
            &["100"],
        ),
        d("93000000005", "EXCEL PRO CONSEIL", MRS, m2, "commune", af, &["324"]),
        d("11000000006", "ACADÉMIE DES LANGUES VIVANTES", PARIS, p, "commune", af, &["136"]),
        d("84000000007", "L'ÉCOLE D'INGÉNIEURS DU NUMÉRIQUE", LYON, l, "commune", af, &["326"]),
        d("93000000008", "CACES FORMATION SUD", AIX, a, "commune", af, &["311"]),
        d("93000000009", "SECOURISME ET PREVENTION 13", MRS, m, "commune", af, &["344"]),
        d(
            "76000000010",
            "COMPTA EXPERT SAS",
            ("31000", "TOULOUSE", "31", "76"),
            Some((43.6047, 1.4442)),
            "commune",
            &[ActionsFormation, Vae],
            &["314"],
        ),
        d("11000000011", "ST MARTIN CONSEIL", PARIS, p, "commune", &[BilansCompetences], &["315"]),
        d("93000000012", "FORMATION FANTOME", MRS, m, "commune", &[], &["324"]),
        d(
            "93000000013",
            "BUREAUTIQUE REGIONALE",
            ("", "", "", "93"),
            Some((43.9, 6.0)),
            "region",
            af,
            &["324"],
        ),
        d(
            "93000000014",
            "BUREAUTIQUE DEPARTEMENTALE",
            ("", "", "13", "93"),
            Some((43.5, 5.1)),
            "departement",
            af,
            &["324"],
        ),
        d("93000000015", "MARTIN BUREAUTIQUE", MRS, m, "commune", af, &["324"]),
        d("93000000016", "HYGIENE ALIMENTAIRE CONSULTING", MRS, m2, "commune", af, &["221"]),
        d(
            "11000000017",
            "AFPA ÎLE-DE-FRANCE",
            PARIS,
            p,
            "commune",
            &[ActionsFormation, Vae, Apprentissage],
            &["200", "232"],
        ),
        d("84000000018", "COIFFURE ET BEAUTÉ ACADEMY", LYON, l, "commune", af, &["336"]),
        d("11000000019", "CABINET RH ET TALENTS", PARIS, p, "commune", &[BilansCompetences], &["315"]),
        d(
            "93000000020",
            "TRANSPORTS LOGISTIQUE MEDITERRANEE",
            ("13200", "ARLES", "13", "93"),
            Some((43.6766, 4.6278)),
            "code_postal",
            af,
            &["311"],
        ),
        d("84000000021", "ÉCOLE DE CONDUITE DES ALPES", LYON, l, "commune", af, &["311"]),
        d("11000000022", "ENGLISH FOR BUSINESS", PARIS, p, "commune", af, &["136"]),
        d("93000000023", "DUPOND FORMATIONS", AIX, a, "commune", af, &["326"]),
        d("93000000024", "CENTRE DE FORMATION MARSEILLE PROVENCE", MRS, m, "commune", af, &["333"]),
        d("84000000025", "PAO GRAPHISME STUDIO", LYON, l, "commune", af, &["322"]),
        d("11000000026", "SÉCURITÉ INCENDIE SSIAP PARIS", PARIS, p, "commune", af, &["344"]),
        d("11000000027", "FRANÇAIS LANGUE ÉTRANGÈRE ACCUEIL", PARIS, p, "commune", af, &["136"]),
        d("84000000028", "BAFA ANIMATION JEUNESSE", LYON, l, "commune", af, &["335"]),
        d("11000000029", "TOEIC PREPARATION CENTER", PARIS, p, "commune", af, &["136"]),
        d(
            "76000000030",
            "QU'IMPORTE LE CHEMIN",
            ("31000", "TOULOUSE", "31", "76"),
            Some((43.6047, 1.4442)),
            "commune",
            af,
            &["413"],
        ),
        d("93000000031", "GESTES ET POSTURES PRAP SUD", MRS, m, "commune", af, &["344"]),
        d("93000000032", "NO GEO BUREAUTIQUE", ("", "", "", ""), None, "aucune", af, &["324"]),
        d("84000000033", "MAÇONNERIE ET BÂTIMENT RHÔNE", LYON, l, "commune", af, &["232"]),
        d("11000000034", "CYBERSÉCURITÉ EXPERTS", PARIS, p, "commune", af, &["326"]),
        d(
            "76000000035",
            "L'ATELIER DE L'ESTHÉTIQUE",
            ("31000", "TOULOUSE", "31", "76"),
            Some((43.6047, 1.4442)),
            "commune",
            af,
            &["336"],
        ),
    ]
}

fn index() -> &'static SearchIndex {
    static IDX: OnceLock<SearchIndex> = OnceLock::new();
    IDX.get_or_init(|| {
        // Cargo's per-target scratch directory: a static never drops, so a temporary directory
        // would leak one index per run. Rebuilding swaps the previous one out.
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("relevance-index");
        SearchIndex::build(&dir, docs()).unwrap();
        SearchIndex::open_with(&dir, Box::new(Gazetteer)).unwrap()
    })
}

/// Run a query line: the text, then `|` options (`lieu=`, `rayon=`, `cat=`, `theme=`, `dept=`,
/// `region=`, `tous`, `tri=`, `latlon=lat,lon`).
fn run(line: &str) -> annuaire_search::SearchResults {
    let mut parts = line.split('|');
    let mut q = SearchQuery::text(parts.next().unwrap().trim());
    q.par_page = 100;
    for opt in parts.map(str::trim) {
        let (k, v) = opt.split_once('=').unwrap_or((opt, ""));
        match k {
            "lieu" => q.lieu = Some(v.into()),
            "rayon" => q.rayon_km = Some(v.parse().unwrap()),
            "cat" => q.categories.push(v.parse().unwrap()),
            "theme" => q.thematiques.push(v.into()),
            "dept" => q.departement = Some(v.into()),
            "region" => q.region = Some(v.into()),
            "tous" => q.inclure_non_certifies = true,
            "tri" => q.tri = v.parse::<Tri>().unwrap(),
            "latlon" => {
                let (a, b) = v.split_once(',').unwrap();
                q.lat = Some(a.parse().unwrap());
                q.lon = Some(b.parse().unwrap());
            }
            _ => panic!("unknown option {k}"),
        }
    }
    index().search(&q).unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn check(line: &str, expect: &str) {
    let r = run(line);
    let ndas: Vec<&str> = r.resultats.iter().map(|h| h.nda.as_str()).collect();
    let short: Vec<String> =
        r.resultats.iter().take(5).map(|h| format!("{} {}", h.nda, h.denomination)).collect();
    let ctx =
        || format!("query {line:?} → total {} {:?}, top: {short:#?}", r.total, r.interpretation.libelle);
    for e in expect.split_whitespace() {
        let (k, v) = e.split_once(':').unwrap_or((e, ""));
        match k {
            "1" => assert_eq!(ndas.first().copied(), Some(v), "{e} failed: {}", ctx()),
            "top3" => assert!(ndas.iter().take(3).any(|n| *n == v), "{e} failed: {}", ctx()),
            "has" => assert!(ndas.contains(&v), "{e} failed: {}", ctx()),
            "not" => assert!(!ndas.contains(&v), "{e} failed: {}", ctx()),
            "total" => assert_eq!(r.total, v.parse::<usize>().unwrap(), "{e} failed: {}", ctx()),
            "none" => assert_eq!(r.total, 0, "{e} failed: {}", ctx()),
            "lieu" => assert_eq!(
                r.interpretation.lieu.as_ref().map(|p| p.nom.as_str()),
                (v != "-").then_some(v),
                "{e} failed: {}",
                ctx()
            ),
            "texte" => assert_eq!(r.interpretation.texte, v.replace('_', " "), "{e} failed: {}", ctx()),
            "order" => {
                let pos: Vec<usize> = v
                    .split(',')
                    .map(|n| {
                        ndas.iter().position(|x| *x == n).unwrap_or_else(|| panic!("{n} absent: {}", ctx()))
                    })
                    .collect();
                assert!(pos.windows(2).all(|w| w[0] < w[1]), "{e} failed: {}", ctx());
            }
            _ => panic!("unknown expectation {e}"),
        }
    }
}

macro_rules! cases {
    ($name:ident { $($q:literal => $e:literal,)* }) => {
        #[test]
        fn $name() {
            $( check($q, $e); )*
        }
    };
}

cases!(names_accents_case_legal_forms {
    "dupont formation" => "1:93000000001",
    "SARL DUPONT FORMATION" => "1:93000000001",
    "Dupont Formation SARL" => "1:93000000001",
    "sarl dupont" => "1:93000000001",
    "dupont" => "1:93000000001",
    "académie des langues vivantes" => "1:11000000006",
    "academie des langues vivantes" => "1:11000000006",
    "ACADEMIE LANGUES" => "1:11000000006",
    "ecole ingenieurs numerique" => "1:84000000007",
    "l'école d'ingénieurs du numérique" => "1:84000000007",
    "école d’ingénieurs" => "1:84000000007",
    "ingenieurs du numerique" => "1:84000000007",
    "compta expert" => "1:76000000010",
    "compta expert sas" => "1:76000000010",
    "SAS COMPTA EXPERT" => "1:76000000010",
    "afpa" => "1:11000000017",
    "afpa ile de france" => "1:11000000017",
    "AFPA Île-de-France" => "1:11000000017",
    "coiffure beaute academy" => "1:84000000018",
    "coiffure et beauté" => "1:84000000018",
    "qu'importe le chemin" => "1:76000000030",
    "importe chemin" => "1:76000000030",
    "l atelier de l esthetique" => "1:76000000035",
    "atelier esthétique" => "1:76000000035",
    "maconnerie batiment rhone" => "1:84000000033",
    "MAÇONNERIE ET BÂTIMENT" => "1:84000000033",
    "francais langue etrangere" => "1:11000000027",
    "cybersecurite experts" => "1:11000000034",
    "cybersécurité" => "1:11000000034",
    "transports logistique mediterranee" => "1:93000000020",
    "english for business" => "1:11000000022",
    "cabinet rh et talents" => "1:11000000019",
    "pao graphisme studio" => "1:84000000025",
    "gestes et postures" => "1:93000000031",
    "93000000001" => "1:93000000001",
    "9300000000100012" => "1:93000000001",
});

cases!(saint_and_st {
    "st martin conseil" => "1:11000000011",
    "saint martin conseil" => "1:11000000011",
    "SAINT-MARTIN" => "1:11000000011",
    "ste martin" => "1:11000000011",
    "st martin" => "1:11000000011",
});

cases!(typos {
    "dupont formaton" => "1:93000000001",
    "dupnot formation" => "top3:93000000001",
    "acadmie langues" => "1:11000000006",
    "academie langeus vivantes" => "1:11000000006",
    "ingenieur numerique" => "1:84000000007",
    "ecole ingenieures numerique" => "1:84000000007",
    "cybersecuriter" => "1:11000000034",
    "maconerie batiment" => "1:84000000033",
    "mediteranee logistique" => "1:93000000020",
    "secourisme prevension" => "1:93000000009",
    "coifure beaute" => "1:84000000018",
    "academi des langues" => "1:11000000006",
    "afpq" => "1:11000000017", // nothing has "afpq": one typo allowed from 4 letters as a last resort
    "dupnt" => "1:93000000001",
    "lyon afpq" => "1:84000000002 has:11000000017", // no doc has both: any word
    "cacez" => "1:93000000008",
    "bafa animaton jeunesse" => "1:84000000028",
});

cases!(prefixes {
    "dup" => "has:93000000001 has:93000000023",
    "dupont form" => "1:93000000001",
    "academie lang" => "1:11000000006",
    "ecole ingen" => "1:84000000007",
    "cyber" => "1:11000000034",
    "transports logis" => "1:93000000020",
    "coiffure bea" => "1:84000000018",
});

cases!(exact_above_fuzzy {
    "dupont" => "order:93000000001,93000000023",
    "dupond" => "order:93000000023,93000000001",
    "dupond formations" => "1:93000000023",
    "dupont formation" => "order:93000000001,93000000023",
});

cases!(generic_words_weigh_little {
    "formation dupont" => "1:93000000001",
    "centre dupont" => "1:93000000001",
    "organisme bafa" => "1:84000000028",
    "conseil excel" => "1:93000000005",
    "formation" => "has:93000000001 has:93000000003 not:93000000012",
});

cases!(acronyms_and_synonyms {
    "caces" => "1:93000000008",
    "CACES" => "1:93000000008",
    "sst" => "has:93000000009",
    "secourisme" => "1:93000000009",
    "prap" => "1:93000000031",
    "haccp" => "1:93000000016",
    "hygiène alimentaire" => "1:93000000016",
    "fle" => "has:11000000027",
    "toeic" => "1:11000000029",
    "bafa" => "1:84000000028",
    "rh" => "1:11000000019",
    "ressources humaines" => "has:11000000019 has:11000000011",
    "pao" => "1:84000000025",
    "compta" => "1:76000000010",
    "comptabilité" => "has:76000000010",
    "info" => "has:84000000007 has:93000000001",
    "sécu" => "has:11000000026 has:93000000009",
    "secu incendie" => "1:11000000026",
    "ssiap" => "1:11000000026",
    "cyber" => "has:11000000034",
    "excel" => "1:93000000005 has:93000000015",
    "word" => "has:93000000005 has:93000000015",
    "bureautique" => "has:93000000015 has:93000000005",
    "anglais" => "has:11000000022 has:11000000029 has:11000000006",
    "english" => "1:11000000022",
});

cases!(topic_words {
    "informatique" => "has:93000000001 has:84000000007 has:93000000023 not:93000000005",
    "langues" => "has:11000000006 has:11000000022 has:11000000029",
    "securite" => "has:11000000026 has:93000000009",
    "transport" => "has:93000000020 has:84000000021 has:93000000008",
    "logistique" => "1:93000000020",
    "coiffure" => "1:84000000018 has:76000000035",
    "esthétique" => "has:76000000035 has:84000000018",
    "btp" => "has:84000000033 has:11000000017",
    "batiment" => "1:84000000033",
    "sante" => "none",
    "management" => "has:84000000002",
    "commerce" => "has:84000000002",
    "developpement personnel" => "has:76000000030",
    "enseignement" => "has:93000000003",
    "animation" => "has:84000000028",
});

cases!(place_words_in_names {
    "CCI Lyon Métropole" => "1:84000000002 lieu:-",
    "cci lyon metropole" => "1:84000000002",
    "cci lyon" => "1:84000000002",
    "Institut de Formation de Marseille" => "1:93000000003 lieu:-",
    "institut formation marseille" => "1:93000000003",
    "Lycée Saint-Étienne" => "1:76000000004 lieu:-",
    "lycee st etienne" => "1:76000000004",
    "lycee saint etienne" => "1:76000000004",
    "centre de formation marseille provence" => "1:93000000024",
    "afpa paris" => "1:11000000017",
});

cases!(text_and_place {
    "formation excel marseille" => "1:93000000005 lieu:Marseille texte:excel",
    "excel marseille" => "1:93000000005 lieu:Marseille texte:excel",
    "excel à marseille" => "1:93000000005 lieu:Marseille texte:excel",
    "bureautique marseille" => "lieu:Marseille has:93000000005 has:93000000015 not:93000000013 not:93000000014 not:93000000032",
    "bureautique lyon" => "none lieu:Lyon",
    "caces marseille" => "1:93000000008 lieu:Marseille",
    "caces aix en provence" => "1:93000000008 lieu:Aix-en-Provence",
    "caces lyon" => "not:93000000008 lieu:Lyon",
    "marseille" => "lieu:Marseille texte: has:93000000001 has:93000000003 not:84000000002 not:93000000012",
    "dupont paris" => "none lieu:Paris",
    "informatique lyon" => "1:84000000007 lieu:Lyon",
    "secourisme 13001" => "1:93000000009",
    "bureautique bouches du rhone" => "has:93000000014 has:93000000015 not:93000000013 lieu:Bouches-du-Rhône",
    "excel | lieu=Paris" => "none lieu:Paris",
    "excel lyon | lieu=Marseille" => "1:93000000005 lieu:Marseille",
    "excel | lieu=Marseille" => "1:93000000005",
    "excel marseille | lieu=Lyon" => "none",
    "dupont arles" => "none lieu:Arles", // no Dupont near Arles, and no name with both words
    "secourisme arles" => "none lieu:Arles",
    "transports arles" => "1:93000000020 lieu:Arles",
    "logistique mediterranee arles" => "1:93000000020",
    "academie paris" => "1:11000000006 lieu:Paris",
    "langues vivantes paris" => "1:11000000006",
    "english paris" => "1:11000000022 lieu:Paris",
    "formation toulouse" => "lieu:Toulouse texte: total:3 has:76000000010 not:93000000001",
    "centre de formation marseille" => "1:93000000024 lieu:-", // a name has all the words
    "formation aix en provence" => "lieu:Aix-en-Provence texte: has:93000000008 has:93000000023",
    "esthetique toulouse" => "1:76000000035 lieu:Toulouse",
    "coiffure lyon" => "1:84000000018 lieu:Lyon",
    "coiffure à lyon" => "1:84000000018 lieu:Lyon texte:coiffure",
    "coiffure pres de lyon" => "1:84000000018 lieu:Lyon texte:coiffure",
    "cci saint etienne" => "1:84000000002",
    "anglais cahors" => "none lieu:Cahors",
    "lycee cahors" => "1:76000000004 lieu:Cahors",
});

cases!(radius_and_distance {
    "caces | lieu=Marseille | rayon=20" => "not:93000000008",
    "caces | lieu=Marseille | rayon=30" => "1:93000000008",
    "| lieu=Marseille | rayon=1" => "has:93000000001 has:93000000009 not:93000000003 not:93000000005",
    "| lieu=Marseille | rayon=10" => "has:93000000003 has:93000000005 not:93000000008",
    "| lieu=Marseille | rayon=50" => "has:93000000008 not:93000000020 not:93000000013 not:93000000014 not:93000000032",
    "| lieu=Marseille | rayon=1000" => "not:93000000013 not:93000000014 not:93000000032 has:11000000006",
    "| lieu=Marseille | rayon=80 | tri=distance" => "order:93000000001,93000000003,93000000008,93000000020",
    "| lieu=Marseille | rayon=80" => "order:93000000001,93000000003,93000000008,93000000020",
    "formation | lieu=Marseille | rayon=50 | tri=distance" => "order:93000000001,93000000003,93000000008",
    "| latlon=43.5297,5.4474 | rayon=5" => "total:2 has:93000000008 has:93000000023",
    "| latlon=48.8566,2.3522 | rayon=1" => "has:11000000006 has:11000000011 total:9",
    "| latlon=48.8566,2.3522 | rayon=1 | tous" => "has:11000000006",
    "bureautique | lieu=Bouches-du-Rhône" => "has:93000000014 not:93000000013",
    "bureautique | lieu=Provence" => "has:93000000013 has:93000000014 has:93000000015",
});

cases!(filters {
    "formation | tous" => "has:93000000012",
    "fantome" => "none",
    "fantome | tous" => "1:93000000012",
    "| cat=vae" => "total:2 has:76000000010 has:11000000017",
    "| cat=bilans_competences" => "total:2 has:11000000011 has:11000000019",
    "| cat=apprentissage" => "total:3",
    "| cat=apprentissage | cat=vae" => "total:4",
    "| cat=actions_formation | dept=69" => "has:84000000002 not:76000000004",
    "| dept=13" => "has:93000000014 not:93000000013 has:93000000020 not:93000000012",
    "| dept=13 | tous" => "has:93000000012",
    "| region=93" => "has:93000000013 has:93000000014 has:93000000001",
    "| region=76" => "has:76000000004 has:76000000010 has:76000000030 has:76000000035 total:4",
    "| dept=99" => "none",
    "| theme=langues" => "has:11000000006 has:11000000022 has:11000000027 has:11000000029 total:4",
    "| theme=langues | theme=coiffure-esthetique" => "total:6",
    "anglais | theme=langues | dept=75" => "has:11000000022",
    "| theme=securite | region=93" => "has:93000000009 has:93000000031 not:11000000026",
    "| tri=nom" => "order:11000000006,11000000017,84000000028",
});

#[test]
fn facets_count_the_whole_result_set() {
    let r = run("| region=93");
    let get =
        |v: &[annuaire_search::FacetValue], k: &str| v.iter().find(|f| f.valeur == k).map_or(0, |f| f.nombre);
    assert_eq!(r.total, r.facettes.regions.iter().map(|f| f.nombre).sum::<usize>());
    assert_eq!(get(&r.facettes.regions, "93"), r.total);
    assert_eq!(get(&r.facettes.departements, "13"), r.total - 1); // the region-only doc
    assert_eq!(get(&r.facettes.thematiques, "bureautique"), 4);
    assert_eq!(get(&r.facettes.categories, "actions_formation"), r.total);
    assert_eq!(get(&r.facettes.categories, "vae"), 0);
    let r = run("| cat=vae");
    assert_eq!(get(&r.facettes.categories, "vae"), 2);
    assert_eq!(get(&r.facettes.categories, "actions_formation"), 2);
    assert_eq!(get(&r.facettes.categories, "apprentissage"), 1);
    // Sorted by count, then value.
    let r = run("");
    let n: Vec<usize> = r.facettes.thematiques.iter().map(|f| f.nombre).collect();
    assert!(n.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn paging_is_stable_and_complete() {
    for tri in ["pertinence", "nom", "distance"] {
        let mut all = Vec::new();
        let line = format!("formation | lieu=Marseille | rayon=1000 | tri={tri}");
        let total = run(&line).total;
        for page in 1..=total.div_ceil(3) + 1 {
            let mut q = SearchQuery::text("formation");
            q.lieu = Some("Marseille".into());
            q.rayon_km = Some(1000.0);
            q.tri = tri.parse().unwrap();
            q.page = page;
            q.par_page = 3;
            let r = index().search(&q).unwrap();
            assert_eq!(r.total, total);
            all.extend(r.resultats.into_iter().map(|h| h.nda));
        }
        let full: Vec<String> = run(&line).resultats.into_iter().map(|h| h.nda).collect();
        assert_eq!(all, full, "{tri}");
    }
}

#[test]
fn interpretation_labels() {
    let l = |q: &str| run(q).interpretation.libelle;
    assert_eq!(l("excel marseille"), "« excel » autour de Marseille (30 km)");
    assert_eq!(l("excel | lieu=Marseille | rayon=12.5"), "« excel » autour de Marseille (12.5 km)");
    assert_eq!(l("excel"), "« excel »");
    assert_eq!(l(""), "tous les organismes");
    assert_eq!(l("marseille"), "autour de Marseille (30 km)");
    assert_eq!(l("caces arles"), "« caces » autour d’Arles (30 km)");
    assert_eq!(l("caces aix en provence"), "« caces » autour d’Aix-en-Provence (30 km)");
    assert_eq!(l("| latlon=43.5,5.4"), "autour de 43.5000, 5.4000 (30 km)");
    assert_eq!(
        l("bureautique bouches du rhone"),
        "« bureautique » dans le département Bouches-du-Rhône (13)"
    );
    let r = run("Sécurité incendie à Marseille");
    assert_eq!(r.interpretation.texte, "Sécurité incendie");
}

#[test]
fn hits_carry_distance_topics_and_scopes() {
    let r = run("caces | lieu=Marseille");
    let h = &r.resultats[0];
    assert_eq!(h.thematiques, ["transport-logistique"]);
    assert_eq!(h.categories, [Categorie::ActionsFormation]);
    let d = h.distance_km.unwrap();
    assert!((20.0..30.0).contains(&d), "{d}");
    assert!(run("caces").resultats[0].distance_km.is_none());
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let idx = index();
    let mut q = SearchQuery::text("x");
    q.rayon_km = Some(-1.0);
    assert!(idx.search(&q).is_err());
    let mut q = SearchQuery::text("x");
    q.lieu = Some("Atlantide".into());
    assert_eq!(idx.search(&q).unwrap_err().to_string(), "lieu inconnu : « Atlantide »");
    let mut q = SearchQuery::text("x");
    q.thematiques.push("cuisine-moleculaire".into());
    assert!(idx.search(&q).unwrap_err().to_string().starts_with("thématique inconnue"));
    let mut q = SearchQuery::text("x");
    q.lat = Some(91.0);
    q.lon = Some(0.0);
    assert!(idx.search(&q).is_err());
    let mut q = SearchQuery::text("dupont");
    q.page = 0;
    q.par_page = 0;
    assert_eq!(idx.search(&q).unwrap().resultats.len(), 1);
}

#[test]
fn autocomplete() {
    let s = |p: &str| -> Vec<String> { index().suggest(p, 5).unwrap().into_iter().map(|s| s.nda).collect() };
    assert_eq!(s("dupo")[..2], ["93000000023", "93000000001"]); // same rank: by name
    assert_eq!(s("dupond"), ["93000000023"]);
    assert_eq!(s("acad"), ["11000000006", "84000000018"]); // académie, then academy
    assert!(s("bur").contains(&"93000000015".to_string()));
    assert_eq!(s("cci lyon m"), ["84000000002"]);
    assert!(s("fantome").is_empty(), "non-certified providers are not suggested");
    assert!(s("").is_empty());
    assert!(s("   ").is_empty());
    assert!(s("zzzz").is_empty());
    assert_eq!(index().suggest("d", 1).unwrap().len(), 1);
}

#[test]
fn generated_name_variants_find_their_provider() {
    // Every fixture name, transformed the ways people type it.
    let mut n = 0;
    for doc in docs().into_iter().filter(|d| !d.categories.is_empty()) {
        let name = &doc.nom_affichage;
        let variants = [name.to_lowercase(), analysis::fold(name), doc.denomination.clone()];
        for v in variants {
            let r = index().search(&SearchQuery::text(&v)).unwrap();
            assert_eq!(r.resultats.first().map(|h| h.nda.as_str()), Some(doc.nda.as_str()), "{v:?}");
            n += 1;
        }
    }
    assert!(n > 90);
}

mod fuzz {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_text_is_answered(text in "\\PC{0,40}", page in 0usize..5, par_page in 0usize..5) {
            let mut q = annuaire_search::SearchQuery::text(&text);
            q.page = page;
            q.par_page = par_page;
            let r = super::index().search(&q).unwrap();
            prop_assert!(r.resultats.len() <= par_page.max(1));
            let _ = super::index().suggest(&text, 5).unwrap();
        }

        #[test]
        fn french_looking_text_is_answered(text in "[a-zA-Zéèàçô' -]{0,30}") {
            let r = super::index().search(&annuaire_search::SearchQuery::text(&text)).unwrap();
            prop_assert!(r.total >= r.resultats.len());
        }
    }
}

#[test]
fn json_shape() {
    let mut q = SearchQuery::text("caces marseille");
    q.par_page = 2;
    let r = index().search(&q).unwrap();
    insta::assert_json_snapshot!(r);
}
