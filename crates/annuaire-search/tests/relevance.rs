//! Relevance cases: one line each, all through `check`.
//!
//! The fixture is a small hand-written directory and a fixed gazetteer, so every expectation can
//! be read off the table below. Expectation mini-language (space-separated, all must hold):
//! `1:NDA` first result; `top3:NDA` within the first three; `has:NDA` anywhere in the results;
//! `not:NDA` absent; `total:N` exact total; `none` no result; `lieu:Nom` place read; `texte:xxx`
//! text read (underscores for spaces); `order:A,B,C` these NDAs in this relative order;
//! `at:N:NDA` the N-th result; `count:N` results on the page; `rayon:R` radius read (`-` for
//! none); `facet:KIND:VALUE=N` the count of a facet value (0 when absent).

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
        place(Commune, "33063", "Bordeaux", 44.8378, -0.5792),
        place(Commune, "59350", "Lille", 50.6292, 3.0573),
        place(Commune, "35238", "Rennes", 48.1173, -1.6778),
        place(Commune, "67482", "Strasbourg", 48.5734, 7.7521),
        place(Commune, "69266", "Villeurbanne", 45.7719, 4.8902),
        place(Departement, "33", "Gironde", 44.85, -0.58),
        place(Region, "53", "Bretagne", 48.2, -2.9),
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
const BDX: (&str, &str, &str, &str) = ("33000", "BORDEAUX", "33", "75");
const LILLE: (&str, &str, &str, &str) = ("59000", "LILLE", "59", "32");
const RENNES: (&str, &str, &str, &str) = ("35000", "RENNES", "35", "53");
const STRAS: (&str, &str, &str, &str) = ("67000", "STRASBOURG", "67", "44");

/// Degrees of latitude for a distance in km (the engine's great circle: radius 6371.0088 km).
fn km_north(km: f64) -> f64 {
    km / (6371.0088 * std::f64::consts::PI / 180.0)
}

fn docs() -> Vec<SearchDoc> {
    use Categorie::*;
    let af = &[ActionsFormation][..];
    let m = Some((43.2965, 5.3698));
    let m2 = Some((43.33, 5.40)); // ~5 km from the centre of Marseille
    let l = Some((45.7640, 4.8357));
    let p = Some((48.8566, 2.3522));
    let a = Some((43.5297, 5.4474)); // Aix, ~26 km from Marseille
    let bdx = Some((44.8378, -0.5792));
    let lil = Some((50.6292, 3.0573));
    let ren = Some((48.1173, -1.6778));
    let stx = Some((48.5734, 7.7521));
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
        d("75000000036", "EURL MARTIN INFORMATIQUE", BDX, bdx, "commune", af, &["326"]),
        d("75000000037", "MARTINE FORMATION CONSEIL", BDX, bdx, "commune", af, &["333"]),
        d("32000000038", "LANGUES ET CULTURES DU NORD", LILLE, lil, "commune", af, &["136"]),
        d("53000000039", "SASU BREIZH DIGITAL", RENNES, ren, "commune", af, &["326"]),
        d("44000000040", "HACCP ALSACE HYGIENE", STRAS, stx, "commune", af, &["221"]),
        // 9.9 and 10.1 km due north of the centre of Lyon: either side of a 10 km radius.
        d(
            "84000000041",
            "ATELIER DU BOIS NORD",
            LYON,
            Some((45.7640 + km_north(9.9), 4.8357)),
            "commune",
            af,
            &["232"],
        ),
        d(
            "84000000042",
            "ATELIER DU BOIS LOINTAIN",
            LYON,
            Some((45.7640 + km_north(10.1), 4.8357)),
            "commune",
            af,
            &["232"],
        ),
        d("53000000043", "ÉCOLE SAINTE-ANNE", RENNES, ren, "commune", af, &["100"]),
        d("32000000044", "SST SECOURS NORD", LILLE, lil, "commune", af, &["344"]),
        d("75000000045", "PRÉVENTION DES RISQUES AQUITAINE", BDX, bdx, "commune", af, &["344"]),
        d("44000000046", "CARISTE PRO EST", STRAS, stx, "commune", af, &["311"]),
        d("32000000047", "TRADUCTION ET INTERPRÉTARIAT", LILLE, lil, "commune", af, &["136"]),
        d("53000000048", "ASSOCIATION BAFA BRETAGNE", RENNES, ren, "commune", af, &["335"]),
        d("75000000049", "COMPTABILITÉ GESTION BORDELAISE", BDX, bdx, "commune", af, &["314"]),
        d(
            "84000000050",
            "LEFEBVRE & FILS",
            ("69100", "VILLEURBANNE", "69", "84"),
            Some((45.7719, 4.8902)),
            "commune",
            af,
            &["311"],
        ),
        d("32000000051", "ANCIEN ORGANISME DU NORD", LILLE, lil, "commune", &[], &["326"]),
        // Known only to their region or department: never in a radius, always in those filters.
        d(
            "53000000052",
            "BRETAGNE COMPETENCES REGION",
            ("", "", "", "53"),
            Some((48.2, -2.9)),
            "region",
            af,
            &["326"],
        ),
        d(
            "75000000053",
            "GIRONDE FORMATIONS DEPARTEMENT",
            ("", "", "33", "75"),
            Some((44.85, -0.58)),
            "departement",
            af,
            &["326"],
        ),
        d("75000000054", "HORIZON EMPLOI BORDEAUX", BDX, bdx, "commune", af, &["415"]),
        d("32000000055", "HORIZON EMPLOI LILLE", LILLE, lil, "commune", af, &["415"]),
        d("75000000056", "WORD ET EXCEL ACADEMIE", BDX, bdx, "commune", af, &["324"]),
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
/// `region=`, `tous`, `tri=`, `latlon=lat,lon`, `page=`, `pp=` for the page size, 100 otherwise).
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
            "page" => q.page = v.parse().unwrap(),
            "pp" => q.par_page = v.parse().unwrap(),
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
            "rayon" => assert_eq!(
                r.interpretation.rayon_km,
                (v != "-").then(|| v.parse::<f64>().unwrap()),
                "{e} failed: {}",
                ctx()
            ),
            "count" => assert_eq!(r.resultats.len(), v.parse::<usize>().unwrap(), "{e} failed: {}", ctx()),
            "at" => {
                let (n, nda) = v.split_once(':').unwrap();
                let n: usize = n.parse().unwrap();
                assert_eq!(ndas.get(n - 1).copied(), Some(nda), "{e} failed: {}", ctx());
            }
            "facet" => {
                // facet:KIND:VALUE=N, N = 0 for a value absent from the facet.
                let (kind, rest) = v.split_once(':').unwrap();
                let (value, n) = rest.split_once('=').unwrap();
                let f = &r.facettes;
                let list = match kind {
                    "thematiques" => &f.thematiques,
                    "categories" => &f.categories,
                    "departements" => &f.departements,
                    "regions" => &f.regions,
                    _ => panic!("unknown facet {kind}"),
                };
                let got = list.iter().find(|x| x.valeur == value).map_or(0, |x| x.nombre);
                assert_eq!(got, n.parse::<usize>().unwrap(), "{e} failed: {} {list:?}", ctx());
            }
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

/// One test per group; every case of the group runs, and the failures are listed together.
macro_rules! cases {
    ($name:ident { $($q:literal => $e:literal,)* }) => {
        #[test]
        fn $name() {
            let mut failed: Vec<&str> = Vec::new();
            $( if std::panic::catch_unwind(|| check($q, $e)).is_err() { failed.push($q); } )*
            assert!(failed.is_empty(), "{} case(s) failed: {failed:?}", failed.len());
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
    "haccp" => "1:44000000040 has:93000000016", // the name with the acronym, then its synonym
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
    // Generic words and a place: the place, unless a name is exactly those words.
    "centre de formation marseille" => "lieu:Marseille texte: has:93000000024 has:93000000001",
    "institut de formation marseille" => "1:93000000003 lieu:-",
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
    "| theme=langues" => "has:11000000006 has:11000000022 has:11000000027 has:11000000029 has:32000000047 total:6",
    "| theme=langues | theme=coiffure-esthetique" => "total:8",
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
fn browsing_pages_follow_names() {
    // Without text or centre, every filter combination lists providers by name, and pages of
    // any size put together give the whole list (the engine reads pages off a name-ordered
    // walk or a sort depending on the filters; both must agree).
    for filters in
        ["", "| tous", "| region=75", "| cat=actions_formation", "| theme=informatique | tous", "| dept=13"]
    {
        let full = run(filters);
        assert!(full.total > 3, "{filters}");
        let names: Vec<String> = full.resultats.iter().map(|h| analysis::fold(&h.denomination)).collect();
        assert!(names.windows(2).all(|w| w[0] <= w[1]), "{filters}: {names:?}");
        for size in [1, 4, 7] {
            let mut all = Vec::new();
            for page in 1..=full.total.div_ceil(size) {
                let r = run(&format!("{filters} | pp={size} | page={page}"));
                assert_eq!(r.total, full.total);
                all.extend(r.resultats.into_iter().map(|h| h.nda));
            }
            let want: Vec<String> = full.resultats.iter().map(|h| h.nda.clone()).collect();
            assert_eq!(all, want, "{filters} by {size}");
        }
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
    // Académie first (its first word), then academy and académie as third words, by name.
    assert_eq!(s("acad"), ["11000000006", "84000000018", "75000000056"]);
    assert!(s("bur").contains(&"93000000015".to_string()));
    assert_eq!(s("cci lyon m"), ["84000000002"]);
    assert!(s("fantome").is_empty(), "non-certified providers are not suggested");
    assert!(s("").is_empty());
    assert!(s("   ").is_empty());
    assert!(s("zzzz").is_empty());
    assert_eq!(index().suggest("d", 1).unwrap().len(), 1);
}

#[test]
fn suggestions_match_a_brute_force_ranking() {
    // The engine answers short prefixes from lists made at open and multi-word prefixes from
    // the rarest word's entries; both must give what ranking every candidate would: whole
    // words first, then the word's position, the name's length in words, the name's order.
    let all = docs();
    let mut by_name: Vec<&SearchDoc> = all.iter().collect();
    by_name.sort_by(|a, b| {
        analysis::fold(&a.nom_affichage).cmp(&analysis::fold(&b.nom_affichage)).then(a.nda.cmp(&b.nda))
    });
    let terms = |d: &SearchDoc| {
        let mut t = analysis::terms(&d.denomination);
        for w in analysis::terms(&d.nom_affichage) {
            if !t.contains(&w) {
                t.push(w);
            }
        }
        t
    };
    let expected = |others: &[&str], last: &str, limit: usize| -> Vec<String> {
        // (not a whole word, word position, words in the name, name order), NDA.
        type Key<'a> = ((bool, usize, usize, usize), &'a str);
        let mut keys: Vec<Key> = Vec::new();
        for (rank, d) in by_name.iter().enumerate().filter(|(_, d)| !d.categories.is_empty()) {
            let name = terms(d);
            if !others.iter().all(|o| name.iter().any(|n| n.starts_with(o))) {
                continue;
            }
            let best = name
                .iter()
                .enumerate()
                .filter(|(_, n)| n.starts_with(last))
                .map(|(j, n)| (n.len() != last.len(), j))
                .min();
            if let Some((whole, j)) = best {
                keys.push(((whole, j, name.len(), rank), &d.nda));
            }
        }
        keys.sort();
        keys.into_iter().take(limit).map(|(_, n)| n.to_string()).collect()
    };
    let mut prefixes: Vec<String> = Vec::new();
    for d in &all {
        for w in terms(d) {
            for k in 1..=3.min(w.len()) {
                prefixes.push(w[..k].to_string());
            }
        }
    }
    prefixes.sort();
    prefixes.dedup();
    assert!(prefixes.len() > 100);
    for p in &prefixes {
        // What is typed is read as words are ("st" is "saint").
        let last = analysis::words(p).concat();
        for limit in [1, 5, 8] {
            let got: Vec<String> = index().suggest(p, limit).unwrap().into_iter().map(|s| s.nda).collect();
            assert_eq!(got, expected(&[], &last, limit), "{p:?} limit {limit}");
        }
        for other in ["formation", "martin", "lyon"] {
            let got: Vec<String> =
                index().suggest(&format!("{other} {p}"), 5).unwrap().into_iter().map(|s| s.nda).collect();
            assert_eq!(got, expected(&[other], &last, 5), "{other} {p}");
        }
    }
}

#[test]
fn filters_apply_before_the_reranking() {
    // 300 namesakes in Paris and one near Marseille: a search around Marseille must rank the
    // provider it shows with the name-matching bonus, not leave it out of the few hundred best
    // of the whole country that get one (it comes last of the country by NDA).
    let mut all: Vec<SearchDoc> = (0..300)
        .map(|i| {
            let p = Some((48.8566, 2.3522));
            d(&format!("11{i:09}"), "ALPHA", PARIS, p, "commune", &[Categorie::ActionsFormation], &["326"])
        })
        .collect();
    all.push(d(
        "93999999999",
        "ALPHA",
        MRS,
        Some((43.2965, 5.3698)),
        "commune",
        &[Categorie::ActionsFormation],
        &["326"],
    ));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("rerank-index");
    SearchIndex::build(&dir, all).unwrap();
    let idx = SearchIndex::open_with(&dir, Box::new(Gazetteer)).unwrap();
    let mut q = SearchQuery::text("alpha");
    q.lieu = Some("Marseille".into());
    let r = idx.search(&q).unwrap();
    assert_eq!(r.total, 1);
    let paris = idx.search(&SearchQuery::text("alpha")).unwrap().resultats[0].score;
    // The same name, the same words: the same score but for the proximity boost.
    assert!(r.resultats[0].score >= paris, "{} < {paris}", r.resultats[0].score);
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

cases!(accents_both_ways {
    "comptabilite gestion bordelaise" => "1:75000000049",
    "COMPTABILITÉ GESTION BORDELAISE" => "1:75000000049",
    "Comptabilité Gestion" => "1:75000000049",
    "comptabilitè gestion" => "1:75000000049", // the wrong accent folds the same
    "prevention des risques aquitaine" => "1:75000000045",
    "PRÉVENTION RISQUES" => "1:75000000045",
    "prévèntion risques" => "1:75000000045",
    "traduction et interpretariat" => "1:32000000047",
    "traduction interprétariat" => "1:32000000047",
    "ecole sainte anne" => "1:53000000043",
    "École Sainte-Anne" => "1:53000000043",
    "ÉCOLE SAINTE ANNE" => "1:53000000043",
    "securite incendie ssiap" => "1:11000000026",
    "sécurité incendie ssiap" => "1:11000000026",
    "SECURITE INCENDIE" => "1:11000000026",
    "maconnerie" => "1:84000000033",
    "maçonnerie" => "1:84000000033",
    "francais langue etrangere accueil" => "1:11000000027",
    "français langue étrangère accueil" => "1:11000000027",
    "coiffure beaute" => "1:84000000018",
    "coiffure beauté" => "1:84000000018",
    "cyber sécurité experts" => "has:11000000034",
    "academie des langues" => "1:11000000006",
    "Académie des Langues" => "1:11000000006",
    "ACADÉMIE DES LANGUES" => "1:11000000006",
    "ile de france afpa" => "1:11000000017",
    "île-de-france afpa" => "1:11000000017",
    "mediterranée" => "1:93000000020",
    "méditerranée transports" => "1:93000000020",
    "breizh digital" => "1:53000000039",
});

cases!(typo_budget {
    // Under 5 letters: no typo, except 4 letters as a last resort when nothing else matches.
    "pao studio" => "1:84000000025",
    "pso" => "none", // 3 letters: never a typo (PAO)
    "ssf" => "none",
    "btb" => "none",
    "fils" => "1:84000000050",
    "breiz digital" => "1:53000000039", // "breiz" is a prefix of breizh, not a typo
    // 5 to 8 letters: one typo.
    "dupomt formation" => "1:93000000001",
    "dupnot formation" => "top3:93000000001", // a swap counts as one
    "duppnt formation" => "1:93000000001",
    "dxpxnt" => "none", // two typos in 6 letters
    "bredzh digital" => "1:53000000039",
    "bafa animatoin" => "1:84000000028",
    "hygeine alsace" => "1:44000000040",
    "lefebvre fills" => "1:84000000050",
    "cariste pro estt" => "1:44000000046",
    // From 9 letters: two typos.
    "mediteranee transports" => "1:93000000020",
    "mediteranne transports" => "1:93000000020",
    "mxditxrranee transports" => "1:93000000020",
    "mxdxtxrranee" => "none", // three typos
    "comptabilte gestion" => "1:75000000049",
    "comptbilte gestion" => "1:75000000049",
    "interpretarait traduction" => "1:32000000047",
    "cybersecurit experts" => "1:11000000034",
    "academie langues vivantess" => "1:11000000006",
    "vivntes langues" => "1:11000000006",
    "bordelaize gestion" => "1:75000000049",
});

cases!(elisions {
    "l'atelier de l'esthétique" => "1:76000000035",
    "l’atelier de l’esthétique" => "1:76000000035",
    "atelier de l esthetique" => "1:76000000035",
    "L'ÉCOLE D'INGÉNIEURS" => "1:84000000007",
    "d'ingénieurs du numérique" => "1:84000000007",
    "d’ingénieurs" => "1:84000000007",
    "qu'importe" => "1:76000000030",
    "qu’importe le chemin" => "1:76000000030",
    "l'ecole sainte-anne" => "1:53000000043",
    "d'excel" => "has:93000000005 has:75000000056",
    "l'anglais" => "has:11000000022 has:11000000029",
    "l'informatique à Bordeaux" => "lieu:Bordeaux texte:l'informatique has:75000000036 not:53000000039",
});

cases!(acronyms_and_synonyms_more {
    "caces" => "has:44000000046", // cariste is a CACES synonym
    "caces strasbourg" => "1:44000000046 lieu:Strasbourg",
    "cariste" => "1:44000000046 has:93000000008",
    "chariot elevateur" => "has:93000000008 has:44000000046",
    "sst" => "1:32000000044 has:93000000009",
    "sst lille" => "1:32000000044 lieu:Lille",
    "secouriste" => "has:93000000009 has:32000000044",
    "prap" => "has:75000000045 has:93000000031",
    "prap bordeaux" => "1:75000000045 lieu:Bordeaux",
    "gestes postures" => "1:93000000031",
    "haccp strasbourg" => "1:44000000040 lieu:Strasbourg",
    "hygiene alimentaire" => "has:93000000016 has:44000000040",
    "fle" => "has:11000000027 has:32000000038 has:32000000047",
    "fle lille" => "has:32000000038 has:32000000047 not:11000000027 lieu:Lille",
    "toeic" => "1:11000000029 has:11000000022",
    "toefl" => "has:11000000029 has:11000000022",
    "bafa" => "1:84000000028 has:53000000048",
    "bafa rennes" => "1:53000000048 lieu:Rennes",
    "animateur" => "has:84000000028 has:53000000048",
    "rh" => "has:11000000011 has:11000000019",
    "drh" => "has:11000000019 has:11000000011",
    "ressources humaines paris" => "has:11000000019 has:11000000011 lieu:Paris",
    "pao" => "has:84000000025",
    "infographie" => "has:84000000025",
    "compta" => "has:75000000049 has:76000000010",
    "compta bordeaux" => "1:75000000049 lieu:Bordeaux",
    "comptable" => "has:75000000049 has:76000000010",
    "info" => "has:75000000036 has:53000000039 has:11000000034",
    "info bordeaux" => "1:75000000036 lieu:Bordeaux not:53000000039",
    "sécu" => "has:32000000044 has:75000000045",
    "secu lille" => "1:32000000044 lieu:Lille",
    "cyber" => "1:11000000034 has:84000000007",
    "cybersecurite" => "1:11000000034",
    "excel" => "has:75000000056 has:93000000015 has:93000000005",
    "word" => "has:75000000056 has:93000000015",
    "word bordeaux" => "1:75000000056 lieu:Bordeaux",
    "powerpoint" => "has:93000000015 has:75000000056",
    "tableur" => "has:93000000015",
    "bureautique bordeaux" => "1:75000000056 lieu:Bordeaux",
    "anglais" => "has:32000000038 has:32000000047 has:11000000027",
    "anglais lille" => "has:32000000038 has:32000000047 lieu:Lille",
    "english" => "has:11000000029 has:11000000006",
    "allemand" => "has:11000000006 has:32000000038",
    "espagnol paris" => "has:11000000006 has:11000000022 not:32000000038 lieu:Paris",
    "ssiap paris" => "1:11000000026 lieu:-", // a name holds both words
    "digital" => "1:53000000039 has:75000000036",
    "numerique" => "has:84000000007 has:53000000039",
    "web" => "has:84000000007 has:53000000039",
});

cases!(topic_words_without_the_word_in_the_name {
    "informatique" => "has:53000000039 has:53000000052 has:75000000036 not:32000000051",
    "informatique | tous" => "has:32000000051",
    "langues" => "has:32000000047 has:32000000038",
    "traduction" => "1:32000000047 has:11000000006",
    "securite" => "has:32000000044 has:75000000045",
    "transport" => "has:44000000046 has:84000000050",
    "btp" => "has:84000000041 has:84000000042",
    "batiment lyon" => "1:84000000033 has:84000000041 lieu:Lyon",
    "bois" => "top3:84000000041 top3:84000000042",
    "hotellerie" => "has:44000000040 has:93000000016",
    "restauration strasbourg" => "1:44000000040 lieu:Strasbourg",
    "agriculture" => "has:44000000040",
    "orientation" => "has:75000000054 has:32000000055",
    "insertion lille" => "1:32000000055 lieu:Lille",
    "animation rennes" => "1:53000000048 lieu:Rennes",
    "enseignement bordeaux" => "1:75000000037 lieu:Bordeaux",
    "pedagogie" => "has:75000000037 has:93000000003",
    "savoirs de base" => "has:53000000043 has:75000000054",
    "remise a niveau" => "has:53000000043",
    "ressources humaines" => "has:11000000019 has:11000000011 not:93000000001",
    "hygiène alimentaire strasbourg" => "1:44000000040 lieu:Strasbourg",
    "chariot élévateur" => "has:93000000008 has:44000000046",
    "secretariat" => "has:75000000056 has:93000000015",
    "comptabilite" => "has:76000000010 has:75000000049",
});

cases!(legal_forms {
    "eurl martin informatique" => "1:75000000036",
    "martin informatique eurl" => "1:75000000036",
    "martin informatique" => "1:75000000036",
    "EURL Martin Informatique" => "1:75000000036",
    "sasu breizh" => "1:53000000039",
    "breizh digital sasu" => "1:53000000039",
    "SAS BREIZH DIGITAL" => "1:53000000039", // the wrong form does not hide the name
    "sarl compta expert" => "1:76000000010",
    "compta expert eurl" => "1:76000000010",
    "eurl" => "1:75000000036",
    "sarl" => "1:93000000001",
    "dupont sarl" => "1:93000000001",
    "dupond sarl" => "1:93000000023",
});

cases!(saint_and_st_more {
    "ecole ste anne" => "1:53000000043",
    "ecole st anne" => "1:53000000043",
    "sainte anne" => "1:53000000043",
    "ste-anne" => "1:53000000043",
    "st-martin" => "1:11000000011",
    "saint martin conseil paris" => "1:11000000011",
    "lycee st-etienne" => "1:76000000004",
    "st etienne lycee" => "1:76000000004",
    "STE ANNE" => "1:53000000043",
});

cases!(radius_edges {
    "| lieu=Lyon | rayon=10" => "has:84000000041 not:84000000042",
    "| lieu=Lyon | rayon=10.2" => "has:84000000041 has:84000000042",
    "| lieu=Lyon | rayon=9.8" => "not:84000000041 not:84000000042 has:84000000002",
    "atelier bois | lieu=Lyon | rayon=10" => "1:84000000041 total:1",
    "atelier du bois | lieu=Lyon | rayon=10.2 | tri=distance" => "order:84000000041,84000000042 total:2",
    "| latlon=45.7640,4.8357 | rayon=10" => "has:84000000041 not:84000000042",
    "| latlon=45.7640,4.8357 | rayon=10.1001" => "has:84000000042",
    "| latlon=45.7640,4.8357 | rayon=10.0999" => "not:84000000042",
    "| lieu=Villeurbanne | rayon=1" => "total:1 1:84000000050",
    "| lieu=Lyon | rayon=5 | tri=distance" => "order:84000000002,84000000050",
    "| lieu=Lyon | rayon=5" => "order:84000000002,84000000050", // nearest first without text
    "bois | lieu=Lyon | rayon=20 | tri=distance" => "order:84000000041,84000000042",
    "| lieu=Bordeaux | rayon=50" => "has:75000000036 not:75000000053",
    "| lieu=Rennes | rayon=200" => "has:53000000039 not:53000000052",
    "| latlon=48.2,-2.9 | rayon=5" => "none", // only a region-precision provider sits there
    "| latlon=44.85,-0.58 | rayon=1" => "none",
    "excel | lieu=Bordeaux | rayon=12" => "1:75000000056 rayon:12",
    "excel bordeaux" => "1:75000000056 rayon:30 lieu:Bordeaux texte:excel",
    "| latlon=44.8378,-0.5792" => "rayon:30 has:75000000036",
});

cases!(region_and_department_precision {
    "bretagne competences region" => "1:53000000052",
    "gironde formations departement" => "1:75000000053",
    "| dept=33" => "has:75000000053 total:7",
    "| region=75" => "has:75000000053 total:7",
    "| region=53" => "has:53000000052 total:4",
    "| dept=35" => "not:53000000052 total:3",
    "informatique | dept=35" => "has:53000000039 not:53000000052",
    "informatique | region=53" => "has:53000000039 has:53000000052 total:2",
    "| theme=informatique | lieu=Bretagne" => "has:53000000039 has:53000000052 total:2 rayon:-",
    "informatique bretagne" => "has:53000000039 has:53000000052 lieu:Bretagne rayon:-",
    "| lieu=Gironde" => "has:75000000053 total:7",
    "formation gironde" => "has:75000000053 total:7 lieu:Gironde texte:",
    "informatique gironde" => "has:75000000036 has:75000000053 lieu:Gironde rayon:-",
    "informatique bordeaux" => "has:75000000036 not:75000000053 lieu:Bordeaux rayon:30",
    "formation rennes" => "lieu:Rennes texte: total:3 not:53000000052",
    "| region=53 | lieu=Rennes" => "total:3 not:53000000052",
});

cases!(filters_more {
    "| cat=actions_formation | region=32" => "total:4",
    "| cat=actions_formation | region=32 | tous" => "total:4 not:32000000051",
    "| region=32 | tous" => "total:5 has:32000000051",
    "| region=32" => "total:4 not:32000000051",
    "| theme=securite | dept=59" => "1:32000000044 total:1",
    "| theme=langues | region=32" => "total:2",
    "| theme=informatique | theme=bureautique | region=75" => "total:3",
    "| cat=vae | region=75" => "none",
    "| cat=vae | cat=bilans_competences" => "total:4",
    "excel | dept=33" => "1:75000000056 total:1",
    "| region=84 | dept=69" => "has:84000000041 has:84000000050 not:76000000004",
    "| region=84 | dept=13" => "none",
    "| dept=2A" => "none",
    "| region=99" => "none",
    "| theme=sport-animation" => "total:2 has:53000000048",
    "| theme=savoirs-de-base" => "has:53000000043 has:75000000054 has:32000000055 has:76000000004",
    "| theme=informatique | tous | region=32" => "total:1 1:32000000051",
    "ancien organisme du nord" => "none",
    "ancien organisme du nord | tous" => "1:32000000051",
    "| cat=apprentissage | tri=nom" => "order:11000000017,84000000002,76000000004",
    "informatique | cat=vae" => "none",
    "| cat=bilans_competences | theme=ressources-humaines" => "total:2",
});

cases!(facet_counts {
    "| region=75" => "facet:regions:75=7 facet:departements:33=7 facet:thematiques:informatique=2 facet:categories:actions_formation=7 facet:categories:vae=0",
    "| region=53" => "facet:departements:35=3 facet:thematiques:informatique=2 facet:thematiques:sport-animation=1",
    "| dept=59" => "facet:thematiques:informatique=0 facet:thematiques:langues=2 facet:thematiques:securite=1",
    "| dept=59 | tous" => "facet:thematiques:informatique=1 facet:departements:59=5",
    "informatique" => "facet:regions:75=2 facet:regions:53=2 facet:thematiques:informatique=8",
    "informatique | tous" => "facet:thematiques:informatique=9 facet:regions:32=1",
    "| theme=langues" => "facet:thematiques:langues=6 facet:regions:11=4 facet:regions:32=2",
    "| cat=vae" => "facet:categories:vae=2 facet:categories:apprentissage=1 facet:thematiques:comptabilite-gestion=1",
    "| lieu=Lyon | rayon=10" => "facet:departements:69=9 facet:thematiques:btp=2 facet:regions:84=9",
    "| lieu=Lyon | rayon=10.2" => "facet:thematiques:btp=3",
    "| lieu=Bordeaux" => "facet:departements:33=6 facet:thematiques:informatique=1",
    "| lieu=Gironde" => "facet:departements:33=7 facet:thematiques:informatique=2",
    "| lieu=Bretagne" => "facet:regions:53=4 facet:departements:35=3",
    "excel" => "facet:thematiques:bureautique=6",
    "horizon emploi" => "facet:thematiques:savoirs-de-base=2 facet:regions:75=1 facet:regions:32=1",
    "caces" => "facet:thematiques:transport-logistique=5 facet:departements:67=1",
    "| region=93 | theme=bureautique" => "facet:departements:13=3 facet:regions:93=4",
    "| theme=hotellerie-restauration" => "facet:thematiques:agriculture=2 facet:thematiques:hotellerie-restauration=2",
    "| cat=bilans_competences" => "facet:thematiques:ressources-humaines=2 facet:categories:actions_formation=0",
    "fantome | tous" => "facet:categories:actions_formation=0 facet:thematiques:bureautique=1",
});

cases!(sorting {
    "horizon emploi | tri=nom" => "order:75000000054,32000000055",
    "horizon emploi | lieu=Lille | rayon=1000 | tri=distance" => "order:32000000055,75000000054",
    "horizon emploi | lieu=Bordeaux | rayon=1000 | tri=distance" => "order:75000000054,32000000055",
    "horizon emploi | lieu=Lille | rayon=1000" => "1:32000000055", // the proximity boost decides
    "horizon emploi | lieu=Bordeaux | rayon=1000" => "1:75000000054",
    "horizon emploi lille" => "1:32000000055 lieu:-",
    "horizon emploi bordeaux" => "1:75000000054 lieu:-",
    "| region=75 | tri=nom" => "at:1:75000000049 at:2:75000000053 at:3:75000000054 at:7:75000000056",
    "| region=75 | tri=pertinence" => "at:1:75000000049 at:7:75000000056", // no text: by name
    "| region=75 | tri=distance" => "at:1:75000000049", // no centre: by name
    "informatique | tri=nom" => "order:53000000039,53000000052,84000000007",
    "| lieu=Bordeaux | rayon=1000 | tri=nom" => "order:11000000006,11000000017",
    "formation | lieu=Paris | rayon=1000 | tri=distance" => "order:11000000017,93000000001",
    // Same place: nearest first, then by name.
    "| lieu=Lille | rayon=1000 | tri=distance" => "order:32000000055,32000000038,32000000044,32000000047",
});

cases!(paging {
    "| region=75 | tri=nom | pp=3" => "count:3 at:1:75000000049 at:3:75000000054 total:7",
    "| region=75 | tri=nom | pp=3 | page=2" => "count:3 at:1:75000000036 total:7",
    "| region=75 | tri=nom | pp=3 | page=3" => "count:1 at:1:75000000056 total:7",
    "| region=75 | tri=nom | pp=3 | page=4" => "count:0 total:7",
    "| region=75 | pp=0" => "count:1 at:1:75000000049",
    "| region=75 | page=0 | pp=2" => "count:2 at:1:75000000049",
    "| tous | pp=10000" => "count:56 total:56",
    "| pp=20000" => "count:54 total:54", // at most 10,000 a page
    "| tous | pp=10 | page=6" => "count:6 total:56",
    "informatique | pp=2 | page=2" => "count:2",
    "horizon emploi | pp=1 | page=2 | tri=nom" => "count:1 at:1:32000000055",
});

cases!(place_words_in_names_more {
    "word et excel academie" => "1:75000000056 lieu:-",
    "excel lille" => "none lieu:Lille",
    "langues et cultures du nord" => "1:32000000038",
    "emploi lille" => "1:32000000055 lieu:-",
    "emploi bordeaux" => "1:75000000054 lieu:-",
    "cariste strasbourg" => "1:44000000046 lieu:Strasbourg",
    "rennes" => "lieu:Rennes texte: has:53000000039 not:53000000052",
    "association bafa bretagne" => "1:53000000048 lieu:-",
    "bafa bretagne" => "1:53000000048",
    "lefebvre et fils" => "1:84000000050",
    "lefebvre & fils" => "1:84000000050",
    "lefebvre villeurbanne" => "1:84000000050 lieu:Villeurbanne",
    "comptabilite gestion bordelaise bordeaux" => "1:75000000049",
    "haccp alsace hygiene strasbourg" => "1:44000000040",
});
