//! Table-driven cases, one per line, through one `check` helper per entry point.

use crate::*;

/// What a case expects of a ranked answer.
#[derive(Debug, Default)]
pub(super) struct Expect {
    first: Option<(PlaceKind, &'static str)>,
    among: Vec<(PlaceKind, &'static str)>,
    nothing: bool,
}

fn kind(k: &str) -> PlaceKind {
    match k {
        "commune" => PlaceKind::Commune,
        "arrondissement" => PlaceKind::Arrondissement,
        "departement" => PlaceKind::Departement,
        "region" => PlaceKind::Region,
        "code_postal" => PlaceKind::CodePostal,
        _ => panic!("unknown kind {k}"),
    }
}

/// The first place is this one.
fn expect_first(k: &str, code: &'static str) -> Expect {
    Expect { first: Some((kind(k), code)), ..Expect::default() }
}

/// This place is among the answers, wherever.
fn expect_among(k: &str, code: &'static str) -> Expect {
    Expect { among: vec![(kind(k), code)], ..Expect::default() }
}

fn expect_nothing() -> Expect {
    Expect { nothing: true, ..Expect::default() }
}

impl Expect {
    /// And this place is among the answers too.
    fn and(mut self, k: &str, code: &'static str) -> Expect {
        self.among.push((kind(k), code));
        self
    }

    fn verify(&self, what: &str, got: &[Place]) {
        let shown: Vec<String> =
            got.iter().map(|x| format!("{}:{} {}", x.kind.as_str(), x.code, x.nom)).collect();
        if self.nothing {
            assert!(got.is_empty(), "{what} should find nothing: {shown:?}");
        }
        if let Some((k, code)) = self.first {
            let first = got.first().map(|x| (x.kind, x.code.as_str()));
            assert_eq!(first, Some((k, code)), "{what}: {shown:?}");
        }
        for (k, code) in &self.among {
            assert!(
                got.iter().any(|x| x.kind == *k && x.code == *code),
                "{what} lacks {k:?} {code}: {shown:?}"
            );
        }
    }
}

fn check(text: &str, want: Expect) {
    want.verify(&format!("resolve({text:?})"), &Places::get().resolve(text, 10));
}

fn check_suggest(prefix: &str, want: Expect) {
    want.verify(&format!("suggest({prefix:?})"), &Places::get().suggest(prefix, 8));
}

/// `cp`, `ville`, `region` as in the official list ("" for absent); the expected precision and
/// commune ("" when none).
fn check_geo(cp: &str, ville: &str, region: &str, precision: &str, commune: &str) {
    let opt = |s: &'static str| if s.is_empty() { None } else { Some(s) };
    let (cp, ville, region): (&'static str, &'static str, &'static str) =
        (cp.to_string().leak(), ville.to_string().leak(), region.to_string().leak());
    let g = Places::get().geocode(opt(cp), opt(ville), opt(region));
    assert_eq!(
        (g.precision.as_str(), g.code_commune.as_deref().unwrap_or("")),
        (precision, commune),
        "geocode({cp:?}, {ville:?}, {region:?}) = {g:?}"
    );
    if matches!(g.precision, Precision::Region | Precision::Aucune) {
        assert!(
            g.lat.is_none() && g.lon.is_none() && g.code_commune.is_none(),
            "invented coordinates: {g:?}"
        );
    } else {
        assert!(g.lat.is_some() && g.lon.is_some() && g.departement.is_some(), "{g:?}");
    }
}

#[test]
fn communes_in_every_spelling() {
    check("Marseille", expect_first("commune", "13055"));
    check("MARSEILLE", expect_first("commune", "13055"));
    check("  marseille  ", expect_first("commune", "13055"));
    check("Le Havre", expect_first("commune", "76351"));
    check("LE HAVRE", expect_first("commune", "76351"));
    check("Le-Havre", expect_first("commune", "76351"));
    check("le_havre", expect_first("commune", "76351"));
    check("Saint-Étienne", expect_first("commune", "42218"));
    check("saint etienne", expect_first("commune", "42218"));
    check("SAINT ETIENNE", expect_first("commune", "42218"));
    check("St Etienne", expect_first("commune", "42218"));
    check("st-etienne", expect_first("commune", "42218"));
    check("ST-ÉTIENNE", expect_first("commune", "42218"));
    check("Saint Étienne", expect_first("commune", "42218"));
    check("saint-étienne", expect_first("commune", "42218"));
    check("St. Etienne", expect_first("commune", "42218"));
    check("Aix-en-Provence", expect_first("commune", "13001"));
    check("aix en provence", expect_first("commune", "13001"));
    check("Aix en-Provence", expect_first("commune", "13001"));
    check("Clermont-Ferrand", expect_first("commune", "63113"));
    check("Besançon", expect_first("commune", "25056"));
    check("besancon", expect_first("commune", "25056"));
    check("Orléans", expect_first("commune", "45234"));
    check("Nîmes", expect_first("commune", "30189"));
    check("NÎMES", expect_first("commune", "30189"));
    check("Évry-Courcouronnes", expect_first("commune", "91228"));
    check("L'Haÿ-les-Roses", expect_first("commune", "94038"));
    check("l hay les roses", expect_first("commune", "94038"));
    check("L’Haÿ-les-Roses", expect_first("commune", "94038"));
    check("lhay les roses", expect_first("commune", "94038"));
    check("Villeneuve-d'Ascq", expect_first("commune", "59009"));
    check("villeneuve d ascq", expect_first("commune", "59009"));
    check("villeneuve d'ascq", expect_first("commune", "59009"));
    check("villeneuve-d’ascq", expect_first("commune", "59009"));
    check("Sainte-Geneviève-des-Bois", expect_first("commune", "91549"));
    check("ste genevieve des bois", expect_first("commune", "91549"));
    check("STE-GENEVIEVE-DES-BOIS", expect_first("commune", "91549"));
    check("Châlons-en-Champagne", expect_first("commune", "51108"));
    check("Bastia", expect_first("commune", "2B033"));
    check("Pointe-à-Pitre", expect_first("commune", "97120"));
    check("pointe a pitre", expect_first("commune", "97120"));
    check("Vénissieux", expect_first("commune", "69259"));
    check("Œuilly", expect_among("commune", "51410"));
    check("oeuilly", expect_among("commune", "51410"));
    check("Saint-Maur-des-Fossés", expect_first("commune", "94068"));
    check("St Maur des Fosses", expect_first("commune", "94068"));
    check("Rochelle", expect_first("commune", "17300"));
    check("Bourg en Bresse", expect_first("commune", "01053"));
    check("bourg-en-bresse", expect_first("commune", "01053"));
    check("Charleville-Mézières", expect_first("commune", "08105"));
    check("charleville mezieres", expect_first("commune", "08105"));
    check("Les Sables-d'Olonne", expect_first("commune", "85194"));
    check("les sables d olonne", expect_first("commune", "85194"));
    check("Les Trois Lacs", expect_first("commune", "27676"));
}

#[test]
fn former_and_la_poste_names() {
    check("Bellegarde-sur-Valserine", expect_first("commune", "01033"));
    check("OCHIAZ", expect_first("commune", "01033"));
    check("Tosny", expect_first("commune", "27676"));
    check("Octeville", expect_first("commune", "50129"));
    check("Tourlaville", expect_first("commune", "50129"));
    check("Seynod", expect_first("commune", "74010"));
    check("Annecy-le-Vieux", expect_first("commune", "74010"));
    check("Hellemmes-Lille", expect_first("commune", "59350"));
    check("Lomme", expect_first("commune", "59350"));
}

#[test]
fn big_cities_as_typed() {
    // The most populous communes, typed lower case without accents, and in La Poste style.
    check("marseille", expect_first("commune", "13055"));
    check("lyon", expect_first("commune", "69123"));
    check("toulouse", expect_first("commune", "31555"));
    check("TOULOUSE", expect_first("commune", "31555"));
    check("nice", expect_first("commune", "06088"));
    check("nantes", expect_first("commune", "44109"));
    check("NANTES", expect_first("commune", "44109"));
    check("montpellier", expect_first("commune", "34172"));
    check("strasbourg", expect_first("commune", "67482"));
    check("STRASBOURG", expect_first("commune", "67482"));
    check("bordeaux", expect_first("commune", "33063"));
    check("lille", expect_first("commune", "59350"));
    check("LILLE", expect_first("commune", "59350"));
    check("rennes", expect_first("commune", "35238"));
    check("reims", expect_first("commune", "51454"));
    check("REIMS", expect_first("commune", "51454"));
    check("toulon", expect_first("commune", "83137"));
    check("saint etienne", expect_first("commune", "42218"));
    check("ST ETIENNE", expect_first("commune", "42218"));
    check("le havre", expect_first("commune", "76351"));
    check("dijon", expect_first("commune", "21231"));
    check("DIJON", expect_first("commune", "21231"));
    check("grenoble", expect_first("commune", "38185"));
    check("angers", expect_first("commune", "49007"));
    check("ANGERS", expect_first("commune", "49007"));
    check("villeurbanne", expect_first("commune", "69266"));
    check("saint denis", expect_first("commune", "97411"));
    check("ST DENIS", expect_first("commune", "97411"));
    check("nimes", expect_first("commune", "30189"));
    check("clermont ferrand", expect_first("commune", "63113"));
    check("CLERMONT FERRAND", expect_first("commune", "63113"));
    check("aix en provence", expect_first("commune", "13001"));
    check("le mans", expect_first("commune", "72181"));
    check("LE MANS", expect_first("commune", "72181"));
    check("brest", expect_first("commune", "29019"));
    check("tours", expect_first("commune", "37261"));
    check("TOURS", expect_first("commune", "37261"));
    check("amiens", expect_first("commune", "80021"));
    check("annecy", expect_first("commune", "74010"));
    check("ANNECY", expect_first("commune", "74010"));
    check("limoges", expect_first("commune", "87085"));
    check("boulogne billancourt", expect_first("commune", "92012"));
    check("BOULOGNE BILLANCOURT", expect_first("commune", "92012"));
    check("metz", expect_first("commune", "57463"));
    check("besancon", expect_first("commune", "25056"));
    check("BESANCON", expect_first("commune", "25056"));
    check("perpignan", expect_first("commune", "66136"));
    check("orleans", expect_first("commune", "45234"));
    check("ORLEANS", expect_first("commune", "45234"));
    check("rouen", expect_first("commune", "76540"));
    check("montreuil", expect_first("commune", "93048"));
    check("MONTREUIL", expect_first("commune", "93048"));
    check("argenteuil", expect_first("commune", "95018"));
    check("mulhouse", expect_first("commune", "68224"));
    check("MULHOUSE", expect_first("commune", "68224"));
    check("caen", expect_first("commune", "14118"));
    check("nancy", expect_first("commune", "54395"));
    check("NANCY", expect_first("commune", "54395"));
    check("saint paul", expect_first("commune", "97415"));
    check("ST PAUL", expect_first("commune", "97415"));
    check("tourcoing", expect_first("commune", "59599"));
    check("roubaix", expect_first("commune", "59512"));
    check("nanterre", expect_first("commune", "92050"));
    check("NANTERRE", expect_first("commune", "92050"));
    check("vitry sur seine", expect_first("commune", "94081"));
    check("creteil", expect_first("commune", "94028"));
    check("CRETEIL", expect_first("commune", "94028"));
    check("avignon", expect_first("commune", "84007"));
    check("poitiers", expect_first("commune", "86194"));
    check("POITIERS", expect_first("commune", "86194"));
    check("aubervilliers", expect_first("commune", "93001"));
    check("asnieres sur seine", expect_first("commune", "92004"));
    check("ASNIERES SUR SEINE", expect_first("commune", "92004"));
    check("colombes", expect_first("commune", "92025"));
    check("dunkerque", expect_first("commune", "59183"));
    check("DUNKERQUE", expect_first("commune", "59183"));
    check("aulnay sous bois", expect_first("commune", "93005"));
    check("saint pierre", expect_first("commune", "97416"));
    check("ST PIERRE", expect_first("commune", "97416"));
    check("versailles", expect_first("commune", "78646"));
    check("courbevoie", expect_first("commune", "92026"));
    check("COURBEVOIE", expect_first("commune", "92026"));
    check("le tampon", expect_first("commune", "97422"));
    check("beziers", expect_first("commune", "34032"));
    check("BEZIERS", expect_first("commune", "34032"));
    check("rueil malmaison", expect_first("commune", "92063"));
    check("cherbourg en cotentin", expect_first("commune", "50129"));
    check("CHERBOURG EN COTENTIN", expect_first("commune", "50129"));
    check("champigny sur marne", expect_first("commune", "94017"));
    check("la rochelle", expect_first("commune", "17300"));
    check("LA ROCHELLE", expect_first("commune", "17300"));
    check("pau", expect_first("commune", "64445"));
    check("fort de france", expect_first("commune", "97209"));
    check("FORT DE FRANCE", expect_first("commune", "97209"));
    check("antibes", expect_first("commune", "06004"));
    check("saint maur des fosses", expect_first("commune", "94068"));
    check("ST MAUR DES FOSSES", expect_first("commune", "94068"));
    check("merignac", expect_first("commune", "33281"));
    check("ajaccio", expect_first("commune", "2A004"));
    check("AJACCIO", expect_first("commune", "2A004"));
    check("cannes", expect_first("commune", "06029"));
    check("saint nazaire", expect_first("commune", "44184"));
    check("ST NAZAIRE", expect_first("commune", "44184"));
    check("mamoudzou", expect_first("commune", "97611"));
    check("drancy", expect_first("commune", "93029"));
    check("DRANCY", expect_first("commune", "93029"));
    check("noisy le grand", expect_first("commune", "93051"));
    check("colmar", expect_first("commune", "68066"));
    check("COLMAR", expect_first("commune", "68066"));
    check("issy les moulineaux", expect_first("commune", "92040"));
    check("cergy", expect_first("commune", "95127"));
    check("CERGY", expect_first("commune", "95127"));
    check("calais", expect_first("commune", "62193"));
    check("levallois perret", expect_first("commune", "92044"));
    check("LEVALLOIS PERRET", expect_first("commune", "92044"));
    check("venissieux", expect_first("commune", "69259"));
    check("evry courcouronnes", expect_first("commune", "91228"));
    check("EVRY COURCOURONNES", expect_first("commune", "91228"));
    check("cayenne", expect_first("commune", "97302"));
    check("pessac", expect_first("commune", "33318"));
    check("PESSAC", expect_first("commune", "33318"));
    check("valence", expect_first("commune", "26362"));
    check("bourges", expect_first("commune", "18033"));
    check("BOURGES", expect_first("commune", "18033"));
    check("ivry sur seine", expect_first("commune", "94041"));
    check("quimper", expect_first("commune", "29232"));
    check("QUIMPER", expect_first("commune", "29232"));
    check("clichy", expect_first("commune", "92024"));
    check("antony", expect_first("commune", "92002"));
    check("ANTONY", expect_first("commune", "92002"));
    check("troyes", expect_first("commune", "10387"));
    check("la seyne sur mer", expect_first("commune", "83126"));
    check("LA SEYNE SUR MER", expect_first("commune", "83126"));
    check("montauban", expect_first("commune", "82121"));
    check("villeneuve d ascq", expect_first("commune", "59009"));
    check("VILLENEUVE D ASCQ", expect_first("commune", "59009"));
    check("pantin", expect_first("commune", "93055"));
    check("neuilly sur seine", expect_first("commune", "92051"));
    check("NEUILLY SUR SEINE", expect_first("commune", "92051"));
    check("chambery", expect_first("commune", "73065"));
    check("niort", expect_first("commune", "79191"));
    check("NIORT", expect_first("commune", "79191"));
    check("sarcelles", expect_first("commune", "95585"));
    check("le blanc mesnil", expect_first("commune", "93007"));
    check("LE BLANC MESNIL", expect_first("commune", "93007"));
    check("maisons alfort", expect_first("commune", "94046"));
    check("lorient", expect_first("commune", "56121"));
    check("LORIENT", expect_first("commune", "56121"));
    check("beauvais", expect_first("commune", "60057"));
    check("saint andre", expect_first("commune", "97409"));
    check("ST ANDRE", expect_first("commune", "97409"));
    check("villejuif", expect_first("commune", "94076"));
    check("narbonne", expect_first("commune", "11262"));
    check("NARBONNE", expect_first("commune", "11262"));
    check("frejus", expect_first("commune", "83061"));
    check("meaux", expect_first("commune", "77284"));
    check("MEAUX", expect_first("commune", "77284"));
    check("la roche sur yon", expect_first("commune", "85191"));
    check("bobigny", expect_first("commune", "93008"));
    check("BOBIGNY", expect_first("commune", "93008"));
    check("hyeres", expect_first("commune", "83069"));
    check("epinay sur seine", expect_first("commune", "93031"));
    check("EPINAY SUR SEINE", expect_first("commune", "93031"));
    check("chelles", expect_first("commune", "77108"));
    check("cholet", expect_first("commune", "49099"));
    check("CHOLET", expect_first("commune", "49099"));
    check("vannes", expect_first("commune", "56260"));
    check("saint louis", expect_first("commune", "97414"));
    check("ST LOUIS", expect_first("commune", "97414"));
    check("bondy", expect_first("commune", "93010"));
    check("clamart", expect_first("commune", "92023"));
    check("CLAMART", expect_first("commune", "92023"));
    check("saint quentin", expect_first("commune", "02691"));
    check("ST QUENTIN", expect_first("commune", "02691"));
    check("les abymes", expect_first("commune", "97101"));
    check("corbeil essonnes", expect_first("commune", "91174"));
    check("cagnes sur mer", expect_first("commune", "06027"));
    check("CAGNES SUR MER", expect_first("commune", "06027"));
    check("bayonne", expect_first("commune", "64102"));
    check("sevran", expect_first("commune", "93071"));
    check("SEVRAN", expect_first("commune", "93071"));
    check("vaulx en velin", expect_first("commune", "69256"));
    check("sartrouville", expect_first("commune", "78586"));
    check("SARTROUVILLE", expect_first("commune", "78586"));
    check("saint ouen sur seine", expect_first("commune", "93070"));
    check("ST OUEN SUR SEINE", expect_first("commune", "93070"));
    check("fontenay sous bois", expect_first("commune", "94033"));
    check("arles", expect_first("commune", "13004"));
    check("massy", expect_first("commune", "91377"));
    check("MASSY", expect_first("commune", "91377"));
    check("gennevilliers", expect_first("commune", "92036"));
    check("vincennes", expect_first("commune", "94080"));
    check("VINCENNES", expect_first("commune", "94080"));
    check("laval", expect_first("commune", "53130"));
    check("suresnes", expect_first("commune", "92073"));
    check("SURESNES", expect_first("commune", "92073"));
    check("saint laurent du maroni", expect_first("commune", "97311"));
    check("ST LAURENT DU MARONI", expect_first("commune", "97311"));
    check("albi", expect_first("commune", "81004"));
    check("saint herblain", expect_first("commune", "44162"));
    check("ST HERBLAIN", expect_first("commune", "44162"));
    check("grasse", expect_first("commune", "06069"));
    check("martigues", expect_first("commune", "13056"));
    check("saint priest", expect_first("commune", "69290"));
    check("ST PRIEST", expect_first("commune", "69290"));
    check("bastia", expect_first("commune", "2B033"));
    check("montrouge", expect_first("commune", "92049"));
    check("MONTROUGE", expect_first("commune", "92049"));
    check("aubagne", expect_first("commune", "13005"));
    check("saint malo", expect_first("commune", "35288"));
    check("ST MALO", expect_first("commune", "35288"));
    check("les sables d olonne", expect_first("commune", "85194"));
    check("evreux", expect_first("commune", "27229"));
    check("EVREUX", expect_first("commune", "27229"));
    check("la courneuve", expect_first("commune", "93027"));
    check("carcassonne", expect_first("commune", "11069"));
    check("CARCASSONNE", expect_first("commune", "11069"));
    check("blois", expect_first("commune", "41018"));
    check("charleville mezieres", expect_first("commune", "08105"));
    check("CHARLEVILLE MEZIERES", expect_first("commune", "08105"));
    check("choisy le roi", expect_first("commune", "94022"));
    check("brive la gaillarde", expect_first("commune", "19031"));
    check("BRIVE LA GAILLARDE", expect_first("commune", "19031"));
    check("meudon", expect_first("commune", "92048"));
    check("livry gargan", expect_first("commune", "93046"));
    check("LIVRY GARGAN", expect_first("commune", "93046"));
    check("belfort", expect_first("commune", "90010"));
    check("rosny sous bois", expect_first("commune", "93064"));
    check("ROSNY SOUS BOIS", expect_first("commune", "93064"));
    check("alfortville", expect_first("commune", "94002"));
    check("chalon sur saone", expect_first("commune", "71076"));
    check("CHALON SUR SAONE", expect_first("commune", "71076"));
    check("noisy le sec", expect_first("commune", "93053"));
    check("salon de provence", expect_first("commune", "13103"));
    check("SALON DE PROVENCE", expect_first("commune", "13103"));
    check("sete", expect_first("commune", "34301"));
}

#[test]
fn arrondissements() {
    check("Paris 11", expect_first("arrondissement", "75111"));
    check("Paris 11e", expect_first("arrondissement", "75111"));
    check("paris 11eme", expect_first("arrondissement", "75111"));
    check("PARIS 11EME", expect_first("arrondissement", "75111"));
    check("Paris 11ème", expect_first("arrondissement", "75111"));
    check("paris 11 e", expect_first("arrondissement", "75111"));
    check("paris 11-e", expect_first("arrondissement", "75111"));
    check("Paris 11ieme", expect_first("arrondissement", "75111"));
    check("Paris XIe", expect_first("arrondissement", "75111"));
    check("PARIS XVI", expect_first("arrondissement", "75116"));
    check("Paris Ier", expect_first("arrondissement", "75101"));
    check("Paris I", expect_nothing());
    check("Paris XXI", expect_nothing());
    check("11e arrondissement de Paris", expect_first("arrondissement", "75111"));
    check("Paris 11e Arrondissement", expect_first("arrondissement", "75111"));
    check("Paris 1er", expect_first("arrondissement", "75101"));
    check("Paris 1re", expect_first("arrondissement", "75101"));
    check("paris 1", expect_first("arrondissement", "75101"));
    check("paris 01", expect_first("arrondissement", "75101"));
    check("Paris 16e", expect_first("arrondissement", "75116"));
    check("Paris 20e", expect_first("arrondissement", "75120"));
    check("paris 20 arrondissement", expect_first("arrondissement", "75120"));
    // Not an arrondissement, nor a department narrowing the name: the city itself.
    check("Paris 21", expect_first("commune", "75056"));
    check("Paris 0", expect_first("commune", "75056"));
    check("Paris 111", expect_nothing());
    check("Lyon 3", expect_first("arrondissement", "69383"));
    check("Lyon 3e", expect_first("arrondissement", "69383"));
    check("Lyon 3ème", expect_first("arrondissement", "69383"));
    check("lyon 3eme", expect_first("arrondissement", "69383"));
    check("LYON 03", expect_first("arrondissement", "69383"));
    check("LYON 9E", expect_first("arrondissement", "69389"));
    check("Lyon 1er Arrondissement", expect_first("arrondissement", "69381"));
    check("Lyon 10", expect_first("commune", "69123"));
    check("Lyon Cedex 07", expect_first("arrondissement", "69387"));
    check("Marseille 13e", expect_first("arrondissement", "13213"));
    check("marseille 13", expect_first("arrondissement", "13213"));
    check("MARSEILLE 13EME", expect_first("arrondissement", "13213"));
    check("Marseille 1er", expect_first("arrondissement", "13201"));
    check("marseille 16e", expect_first("arrondissement", "13216"));
    check("Marseille 17", expect_first("commune", "13055"));
    check("Paris", expect_among("commune", "75056").and("arrondissement", "75101"));
    check("Lyon", expect_first("commune", "69123").and("arrondissement", "69381"));
    check("Marseille", expect_first("commune", "13055").and("arrondissement", "13201"));
    check("75111", expect_first("arrondissement", "75111"));
    check("69383", expect_first("arrondissement", "69383"));
    check("13213", expect_first("arrondissement", "13213")); // INSEE code, not the postal code 13013
}

#[test]
fn codes() {
    check("13008", expect_first("code_postal", "13008").and("arrondissement", "13208"));
    check("13 008", expect_first("code_postal", "13008"));
    check("75011", expect_first("code_postal", "75011").and("arrondissement", "75111"));
    check("75116", expect_first("code_postal", "75116").and("arrondissement", "75116"));
    check("69003", expect_first("code_postal", "69003").and("arrondissement", "69383"));
    check("01000", expect_first("code_postal", "01000").and("commune", "01053"));
    check("42000", expect_first("code_postal", "42000").and("commune", "42218"));
    check("97400", expect_first("code_postal", "97400").and("commune", "97411"));
    check("93200", expect_first("code_postal", "93200").and("commune", "93066"));
    check("20000", expect_first("code_postal", "20000").and("commune", "2A004"));
    check("20200", expect_first("code_postal", "20200").and("commune", "2B033"));
    check("97490", expect_first("code_postal", "97490"));
    check("97600", expect_first("code_postal", "97600").and("commune", "97611"));
    check("69441", expect_first("departement", "69")); // CEDEX
    check("75700", expect_first("departement", "75")); // CEDEX
    check("13272", expect_first("departement", "13")); // CEDEX
    check("92081", expect_first("departement", "92")); // CEDEX (La Défense)
    check("97489", expect_first("departement", "974")); // CEDEX overseas
    check("00000", expect_nothing());
    check("99999", expect_nothing());
    check("98000", expect_nothing()); // Monaco
    check("2A004", expect_first("commune", "2A004"));
    check("2a004", expect_first("commune", "2A004"));
    check("2B033", expect_first("commune", "2B033"));
    check("42218", expect_first("commune", "42218")); // INSEE code that is no postal code
    check("75056", expect_first("commune", "75056"));
    check("13", expect_first("departement", "13"));
    check("69", expect_first("departement", "69"));
    check("75", expect_first("departement", "75"));
    check("01", expect_first("departement", "01"));
    check("1", expect_first("departement", "01"));
    check("9", expect_first("departement", "09"));
    check("2A", expect_first("departement", "2A"));
    check("2a", expect_first("departement", "2A"));
    check("2B", expect_first("departement", "2B"));
    check("971", expect_first("departement", "971"));
    check("972", expect_first("departement", "972"));
    check("973", expect_first("departement", "973"));
    check("974", expect_first("departement", "974"));
    check("976", expect_first("departement", "976"));
    check("975", expect_nothing());
    check("96", expect_nothing());
    check("20", expect_nothing());
    check("100", expect_nothing());
    check("0", expect_nothing());
}

#[test]
fn departments() {
    check("Bouches-du-Rhône", expect_first("departement", "13"));
    check("bouches du rhone", expect_first("departement", "13"));
    check("BOUCHES DU RHONE", expect_first("departement", "13"));
    check("Rhône", expect_first("departement", "69"));
    check("rhone", expect_first("departement", "69"));
    check("Seine-Saint-Denis", expect_first("departement", "93"));
    check("seine st denis", expect_first("departement", "93"));
    check("Hauts-de-Seine", expect_first("departement", "92"));
    check("Val-de-Marne", expect_first("departement", "94"));
    check("Val d'Oise", expect_first("departement", "95"));
    check("Nord", expect_first("departement", "59"));
    check("Finistère", expect_first("departement", "29"));
    check("finistere", expect_first("departement", "29"));
    check("Côtes-d'Armor", expect_first("departement", "22"));
    check("cotes d armor", expect_first("departement", "22"));
    check("Corse-du-Sud", expect_first("departement", "2A"));
    check("Haute-Corse", expect_first("departement", "2B"));
    check("Pyrénées-Atlantiques", expect_first("departement", "64"));
    check("Territoire de Belfort", expect_first("departement", "90"));
    check("Guyane", expect_first("region", "03").and("departement", "973"));
    check("Paris", expect_first("departement", "75").and("commune", "75056"));
    check("Vienne", expect_first("departement", "86").and("commune", "38544"));
    check("Département du Rhône", expect_first("departement", "69"));
    check("departement 13", expect_nothing());
    check("Bouche du Rhone", expect_first("departement", "13")); // one typo
}

#[test]
fn regions_and_aliases() {
    check("Guadeloupe", expect_first("region", "01").and("departement", "971"));
    check("La Réunion", expect_first("region", "04").and("departement", "974"));
    check("Réunion", expect_first("region", "04"));
    check("reunion", expect_first("region", "04"));
    check("Mayotte", expect_first("region", "06"));
    check("Martinique", expect_first("region", "02"));
    check("Île-de-France", expect_first("region", "11"));
    check("ile de france", expect_first("region", "11"));
    check("Ile-de-France", expect_first("region", "11"));
    check("IDF", expect_first("region", "11"));
    check("idf", expect_first("region", "11"));
    check("Région parisienne", expect_first("region", "11"));
    check("PACA", expect_first("region", "93"));
    check("paca", expect_first("region", "93"));
    check("Provence-Alpes-Côte d'Azur", expect_first("region", "93"));
    check("provence alpes cote d azur", expect_first("region", "93"));
    check("Région Sud", expect_first("region", "93"));
    check("Côte d'Azur", expect_first("region", "93"));
    check("ARA", expect_first("region", "84"));
    check("AURA", expect_first("region", "84"));
    check("aura", expect_first("region", "84"));
    check("Auvergne-Rhône-Alpes", expect_first("region", "84"));
    check("auvergne rhone alpes", expect_first("region", "84"));
    check("BFC", expect_first("region", "27"));
    check("Bourgogne-Franche-Comté", expect_first("region", "27"));
    check("bourgogne franche comte", expect_first("region", "27"));
    check("HDF", expect_first("region", "32"));
    check("Hauts-de-France", expect_first("region", "32"));
    check("Grand Est", expect_first("region", "44"));
    check("grand-est", expect_first("region", "44"));
    check("GRAND EST", expect_first("region", "44"));
    check("Nouvelle-Aquitaine", expect_first("region", "75"));
    check("nouvelle aquitaine", expect_first("region", "75"));
    check("Occitanie", expect_first("region", "76"));
    check("Normandie", expect_first("region", "28"));
    check("Bretagne", expect_first("region", "53").and("commune", "36024"));
    check("BZH", expect_first("region", "53"));
    check("Pays de la Loire", expect_first("region", "52"));
    check("Pays de Loire", expect_first("region", "52"));
    check("Centre-Val de Loire", expect_first("region", "24"));
    check("Centre", expect_first("region", "24"));
    check("CVL", expect_first("region", "24"));
    check("Corse", expect_first("region", "94"));
    check("Région Bretagne", expect_first("region", "53"));
    check("region occitanie", expect_first("region", "76"));
}

#[test]
fn regions_before_2016() {
    check("Alsace", expect_first("region", "44"));
    check("Lorraine", expect_first("region", "44"));
    check("Champagne-Ardenne", expect_first("region", "44"));
    check("champagne ardenne", expect_first("region", "44"));
    check("Aquitaine", expect_first("region", "75"));
    check("Limousin", expect_first("region", "75"));
    check("Poitou-Charentes", expect_first("region", "75"));
    check("Midi-Pyrénées", expect_first("region", "76"));
    check("midi pyrenees", expect_first("region", "76"));
    check("Languedoc-Roussillon", expect_first("region", "76"));
    check("Nord-Pas-de-Calais", expect_first("region", "32"));
    check("Picardie", expect_first("region", "32"));
    check("Basse-Normandie", expect_first("region", "28"));
    check("Haute-Normandie", expect_first("region", "28"));
    check("Bourgogne", expect_first("region", "27"));
    check("Franche-Comté", expect_first("region", "27"));
    check("Auvergne", expect_first("region", "84"));
    check("Rhône-Alpes", expect_first("region", "84"));
    check("rhone alpes", expect_first("region", "84"));
}

#[test]
fn ambiguous_names_ranked_by_population() {
    check("Saint-Denis", expect_first("commune", "97411").and("commune", "93066"));
    check("saint denis", expect_first("commune", "97411").and("commune", "93066"));
    check("ST DENIS", expect_first("commune", "97411").and("commune", "93066"));
    check("Valence", expect_first("commune", "26362").and("commune", "82186"));
    check("Saint-Pierre", expect_first("commune", "97416").and("commune", "97225"));
    check("Saint-Paul", expect_first("commune", "97415"));
    check("Saint-Louis", expect_first("commune", "97414").and("commune", "68297"));
    check("Montreuil", expect_first("commune", "93048").and("commune", "62588"));
    check("Aix", expect_among("commune", "13001"));
    check("Villeneuve", expect_among("commune", "59009"));
}

#[test]
fn names_narrowed_by_a_code() {
    check("Saint-Denis 93", expect_first("commune", "93066"));
    check("Saint-Denis (93)", expect_first("commune", "93066"));
    check("saint denis 974", expect_first("commune", "97411"));
    check("Valence 82", expect_first("commune", "82186"));
    check("Valence (26)", expect_first("commune", "26362"));
    check("Saint-Pierre 972", expect_first("commune", "97225"));
    check("Montreuil 62", expect_first("commune", "62588"));
    check("Ajaccio 2A", expect_first("commune", "2A004"));
    check("13008 Marseille", expect_first("arrondissement", "13208"));
    check("Marseille 13008", expect_first("arrondissement", "13208"));
    check("75011 Paris", expect_first("arrondissement", "75111"));
    check("69003 lyon", expect_first("arrondissement", "69383"));
    check("93200 Saint-Denis", expect_first("commune", "93066"));
    check("97400 St Denis", expect_first("commune", "97411"));
    check("Saint-Denis 99", expect_first("commune", "97411"));
    check("formation 13", expect_nothing());
    check("xyzzy 93", expect_nothing());
}

#[test]
fn typos_from_five_letters() {
    check("marsielle", expect_first("commune", "13055"));
    check("marseile", expect_first("commune", "13055"));
    check("toulouze", expect_first("commune", "31555"));
    check("bordaux", expect_first("commune", "33063"));
    check("strasbour", expect_first("commune", "67482"));
    check("grenoblle", expect_first("commune", "38185"));
    check("montpelier", expect_first("commune", "34172"));
    check("nanets", expect_first("commune", "44109")); // transposition
    check("lyonn", expect_first("commune", "69123"));
    check("bretgne", expect_first("region", "53"));
    check("occitani", expect_first("region", "76"));
    check("normandei", expect_first("region", "28"));
    check("besanson", expect_first("commune", "25056"));
    check("perpignant", expect_first("commune", "66136"));
    check("st etiene", expect_first("commune", "42218"));
    check("finistaire", expect_nothing()); // two edits
    // Under five letters, no typo is tolerated.
    check("lyn", expect_nothing());
    check("nic", expect_nothing());
    check("paru", expect_nothing());
    // Two typos are too many.
    check("mrasielle", expect_nothing());
    check("tuolouze", expect_nothing());
}

#[test]
fn nonsense_resolves_to_nothing() {
    check("", expect_nothing());
    check(" ", expect_nothing());
    check("xyzzy", expect_nothing());
    check("qwertyuiop", expect_nothing());
    check("formation", expect_nothing());
    check("excel", expect_nothing());
    check("!!!", expect_nothing());
    check("12345678", expect_nothing());
    check("azertyazerty", expect_nothing());
    check("zzzzz", expect_nothing());
    check("123", expect_nothing());
    check("abcdefghij", expect_nothing());
    check("le", expect_nothing());
    check("de la", expect_nothing());
    check("saint", expect_nothing());
    check("'", expect_nothing());
    check("-", expect_nothing());
    check("€", expect_nothing());
    check("🙂", expect_nothing());
    check("SELECT * FROM", expect_nothing());
    check("<html>", expect_nothing());
    check("comptabilité gestion", expect_nothing());
    check("informatique", expect_nothing());
    check("cedex", expect_nothing());
    check(&"a".repeat(10_000), expect_nothing());
    check_suggest(&"a".repeat(10_000), expect_nothing());
}

#[test]
fn suggest() {
    check_suggest("mars", expect_first("commune", "13055"));
    check_suggest("Mars", expect_first("commune", "13055"));
    check_suggest("MARS", expect_first("commune", "13055"));
    check_suggest("mar", expect_first("commune", "13055"));
    check_suggest("marseille", expect_first("commune", "13055").and("arrondissement", "13213"));
    check_suggest("marseille 1", expect_among("arrondissement", "13201"));
    check_suggest("par", expect_first("commune", "75056").and("departement", "75"));
    check_suggest("paris 1", expect_among("arrondissement", "75111"));
    check_suggest("mart", expect_first("region", "02"));
    check_suggest("tou", expect_first("commune", "31555"));
    check_suggest("bord", expect_first("commune", "33063"));
    check_suggest("st eti", expect_first("commune", "42218"));
    check_suggest("saint-ét", expect_first("commune", "42218"));
    check_suggest("SAINT ET", expect_first("commune", "42218"));
    check_suggest("saint d", expect_first("commune", "97411").and("commune", "93066"));
    check_suggest("lyo", expect_first("commune", "69123"));
    check_suggest("nan", expect_first("commune", "44109"));
    check_suggest("stras", expect_first("commune", "67482"));
    check_suggest("ile de", expect_first("region", "11"));
    check_suggest("île-de", expect_first("region", "11"));
    check_suggest("bouches", expect_first("departement", "13"));
    check_suggest("aix en", expect_first("commune", "13001"));
    check_suggest("aix", expect_first("commune", "13001"));
    check_suggest("clermont", expect_first("commune", "63113"));
    check_suggest("greno", expect_first("commune", "38185"));
    check_suggest("la roch", expect_first("commune", "17300"));
    check_suggest("rochel", expect_first("commune", "17300"));
    check_suggest("villeurb", expect_first("commune", "69266"));
    check_suggest("boulogne b", expect_first("commune", "92012"));
    check_suggest("paca", expect_first("region", "93"));
    check_suggest("bretag", expect_first("region", "53"));
    check_suggest("13", expect_first("departement", "13").and("code_postal", "13001"));
    check_suggest("130", expect_first("code_postal", "13001"));
    check_suggest("1300", expect_first("code_postal", "13001"));
    check_suggest("13008", expect_first("code_postal", "13008"));
    check_suggest("750", expect_first("code_postal", "75001"));
    check_suggest("97", expect_first("departement", "971"));
    check_suggest("2a", expect_first("departement", "2A"));
    check_suggest("marsielle", expect_first("commune", "13055")); // typo, nothing by prefix
    check_suggest("xyzzy", expect_nothing());
    check_suggest("", expect_nothing());
    check_suggest("  ", expect_nothing());
    check_suggest("99", expect_nothing());
}

#[test]
fn suggest_respects_the_limit() {
    for (prefix, limit) in [("par", 5), ("m", 1), ("saint", 20), ("13", 3), ("l", 8)] {
        assert_eq!(Places::get().suggest(prefix, limit).len(), limit, "{prefix}");
        assert!(Places::get().resolve("Saint-Denis", limit).len() <= limit);
    }
    assert!(Places::get().suggest("par", 0).is_empty());
    assert!(Places::get().resolve("Paris", 0).is_empty());
}

#[test]
fn geocoder_paris_lyon_marseille() {
    check_geo("75011", "PARIS", "11", "commune", "75111");
    check_geo("75011", "Paris", "11", "commune", "75111");
    check_geo("75011", "PARIS 11", "11", "commune", "75111");
    check_geo("75011", "PARIS 11EME", "11", "commune", "75111");
    check_geo("75011", "PARIS 11E ARRONDISSEMENT", "11", "commune", "75111");
    check_geo("75001", "PARIS 1ER", "11", "commune", "75101");
    check_geo("75016", "PARIS", "11", "commune", "75116");
    check_geo("75116", "PARIS", "11", "commune", "75116");
    check_geo("75116", "PARIS 16", "11", "commune", "75116");
    check_geo("75020", "PARIS", "", "commune", "75120");
    check_geo("75011", "", "11", "commune", "75111");
    check_geo("", "PARIS 15", "11", "commune", "75115");
    check_geo("", "75011 PARIS", "11", "commune", "75111");
    check_geo("75000", "PARIS", "11", "commune", "75056");
    check_geo("69003", "LYON", "84", "commune", "69383");
    check_geo("69003", "LYON 3E", "84", "commune", "69383");
    check_geo("69003", "Lyon 3ème", "84", "commune", "69383");
    check_geo("69003", "LYON 03", "84", "commune", "69383");
    check_geo("69009", "LYON", "84", "commune", "69389");
    check_geo("13013", "MARSEILLE", "93", "commune", "13213");
    check_geo("13013", "MARSEILLE 13EME", "93", "commune", "13213");
    check_geo("13008", "Marseille", "93", "commune", "13208");
    check_geo("13001", "MARSEILLE 1ER", "93", "commune", "13201");
}

#[test]
fn geocoder_cedex() {
    check_geo("69441", "LYON CEDEX 03", "84", "commune", "69383");
    check_geo("75700", "PARIS CEDEX 07", "11", "commune", "75107");
    check_geo("75543", "PARIS CEDEX 11", "11", "commune", "75111");
    check_geo("13272", "MARSEILLE CEDEX 08", "93", "commune", "13208");
    check_geo("31062", "TOULOUSE CEDEX 9", "76", "commune", "31555");
    check_geo("33076", "BORDEAUX CEDEX", "75", "commune", "33063");
    check_geo("44042", "NANTES CEDEX 1", "52", "commune", "44109");
    check_geo("92081", "PARIS LA DEFENSE CEDEX", "11", "departement", "");
    check_geo("44042", "", "52", "departement", "");
    check_geo("44042", "CEDEX", "52", "departement", "");
    check_geo("38042", "GRENOBLE CEDEX 9", "84", "commune", "38185");
    check_geo("35042", "RENNES CEDEX", "53", "commune", "35238");
}

#[test]
fn geocoder_spellings_and_lost_zeros() {
    check_geo("1000", "BOURG EN BRESSE", "84", "commune", "01053");
    check_geo("1000", "Bourg-en-Bresse", "84", "commune", "01053");
    check_geo("01000", "BOURG-EN-BRESSE", "84", "commune", "01053");
    check_geo("6000", "NICE", "93", "commune", "06088");
    check_geo("2000", "LAON", "32", "commune", "02408");
    check_geo(" 06000 ", " Nice ", "93", "commune", "06088");
    check_geo("42100", "ST ETIENNE", "84", "commune", "42218");
    check_geo("42000", "SAINT-ETIENNE", "84", "commune", "42218");
    check_geo("42000", "Saint-Étienne", "84", "commune", "42218");
    check_geo("35400", "ST MALO", "53", "commune", "35288");
    check_geo("91700", "STE GENEVIEVE DES BOIS", "11", "commune", "91549");
    check_geo("13100", "AIX EN PROVENCE", "93", "commune", "13001");
    check_geo("13090", "AIX-EN-PROVENCE", "93", "commune", "13001");
    check_geo("59650", "VILLENEUVE D ASCQ", "32", "commune", "59009");
    check_geo("59650", "VILLENEUVE-D'ASCQ", "32", "commune", "59009");
    check_geo("85000", "LA ROCHE SUR YON", "52", "commune", "85191");
    check_geo("20000", "AJACCIO", "94", "commune", "2A004");
    check_geo("20090", "AJACCIO", "94", "commune", "2A004");
    check_geo("20200", "BASTIA", "94", "commune", "2B033");
    check_geo("97200", "FORT DE FRANCE", "02", "commune", "97209");
    check_geo("97200", "FORT DE FRANCE", "2", "commune", "97209");
    check_geo("97300", "CAYENNE", "03", "commune", "97302");
    check_geo("97600", "MAMOUDZOU", "06", "commune", "97611");
    check_geo("97110", "POINTE A PITRE", "01", "commune", "97120");
    check_geo("97400", "ST DENIS", "04", "commune", "97411");
    check_geo("93200", "ST DENIS", "11", "commune", "93066");
    check_geo("38000", "GRENOBLLE", "84", "commune", "38185"); // typo in the city
}

#[test]
fn geocoder_merged_and_renamed_communes() {
    check_geo("01200", "OCHIAZ", "84", "commune", "01033");
    check_geo("01200", "BELLEGARDE SUR VALSERINE", "84", "commune", "01033");
    check_geo("27700", "TOSNY", "28", "commune", "27676");
    check_geo("27940", "VENABLES", "28", "commune", "27676");
    check_geo("27700", "LES TROIS LACS", "28", "commune", "27676");
    check_geo("50130", "OCTEVILLE", "28", "commune", "50129");
    check_geo("74600", "SEYNOD", "84", "commune", "74010");
    check_geo("74940", "ANNECY LE VIEUX", "84", "commune", "74010");
    check_geo("59160", "LOMME", "32", "commune", "59350");
}

#[test]
fn geocoder_disagreements_and_gaps() {
    // Postal code and city disagree: the city inside the postal code's department wins.
    check_geo("13002", "AIX EN PROVENCE", "93", "commune", "13001");
    check_geo("69001", "VILLEURBANNE", "84", "commune", "69266");
    check_geo("42000", "ST CHAMOND", "84", "commune", "42207");
    // A city elsewhere in France: the postal code wins, at postal-code precision.
    check_geo("13001", "LYON", "93", "code_postal", "13201");
    // Unknown city: the postal code's main commune, at postal-code precision.
    check_geo("42000", "XYZZY", "84", "code_postal", "42218");
    check_geo("13100", "", "93", "code_postal", "13001");
    check_geo("01000", "", "84", "code_postal", "01053");
    check_geo("05170", "", "93", "commune", "05096");
    // City only.
    check_geo("", "TOULOUSE", "76", "commune", "31555");
    check_geo("", "SAINT DENIS", "04", "commune", "97411");
    check_geo("", "SAINT DENIS", "11", "commune", "93066");
    check_geo("", "SAINT DENIS", "", "commune", "97411");
    check_geo("", "VALENCE", "76", "commune", "82186");
    // No usable address: region only, never coordinates.
    check_geo("", "", "84", "region", "");
    check_geo("", "", "1", "region", "");
    check_geo("", "", "04", "region", "");
    check_geo("", "  ", "93", "region", "");
    check_geo("ABCDE", "", "11", "region", "");
    check_geo("", "XYZZY", "11", "region", "");
    check_geo("", "", "", "aucune", "");
    check_geo("", "", "99", "aucune", "");
    check_geo("99999", "NULLE PART", "", "aucune", "");
    check_geo("98000", "MONACO", "", "aucune", "");
}

#[test]
fn distances() {
    let (paris, marseille) = ((48.8566, 2.3522), (43.2965, 5.3698));
    let d = haversine_km(paris.0, paris.1, marseille.0, marseille.1);
    assert!((d - 661.0).abs() < 5.0, "{d}");
    assert!(haversine_km(1.0, 1.0, 1.0, 1.0).abs() < 1e-9);
    // A quarter of the equator.
    assert!((haversine_km(0.0, 0.0, 0.0, 90.0) - 10_007.5).abs() < 1.0);
    let b = bbox(paris.0, paris.1, 30.0);
    assert!(b.contains(paris.0, paris.1));
    assert!(!b.contains(marseille.0, marseille.1));
    assert!(bbox(89.99, 0.0, 50.0).contains(89.9, 170.0));
}

#[test]
fn fold_forms() {
    for (input, want) in [
        ("Saint-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("L’Haÿ-les-Roses", "l hay les roses"),
        ("  ŒUVRE   d'art ", "oeuvre d art"),
        ("Île-de-France", "ile de france"),
        ("ÇA", "ca"),
        ("Paris (11e)", "paris 11e"),
        ("a_b/c.d", "a b c d"),
        ("", ""),
    ] {
        assert_eq!(fold(input), want, "{input}");
    }
    assert_eq!(place_key("ST ETIENNE"), "saint etienne");
    assert_eq!(place_key("Ste-Foy"), "sainte foy");
    assert_eq!(place_key("CHALONS S/ MARNE"), "chalons sur marne");
    assert_eq!(place_key("BAR S/AUBE"), "bar sur aube");
    assert_eq!(place_key("Lens/Liévin"), "lens lievin");
    assert_eq!(place_key("Stella"), "stella");
}

#[test]
fn precision_names() {
    for p in Precision::ALL {
        assert_eq!(p.as_str().parse::<Precision>(), Ok(p));
        assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
    }
    assert!("exacte".parse::<Precision>().is_err());
    assert_eq!(serde_json::to_value(PlaceKind::CodePostal).unwrap(), "code_postal");
    let place = &Places::get().resolve("Paris 11e", 1)[0];
    let json = serde_json::to_value(place).unwrap();
    for field in ["type", "code", "nom", "departement", "region", "lat", "lon", "rayon_km"] {
        assert!(json.get(field).is_some(), "{field} in {json}");
    }
    assert_eq!(json["type"], "arrondissement");
}

#[test]
fn radii() {
    let first = |t: &str| Places::get().resolve(t, 1).remove(0);
    assert_eq!(first("Paris 11e").rayon_km, 3.0);
    assert_eq!(first("Lyon 3e").rayon_km, 5.0);
    assert_eq!(first("Marseille").rayon_km, 30.0);
    assert_eq!(first("Valence").rayon_km, 20.0);
    assert_eq!(first("Tosny").rayon_km, 15.0);
    let cp = first("01000");
    assert!(cp.rayon_km >= 10.0 && cp.rayon_km < 30.0, "{cp:?}");
    let idf = first("IDF");
    assert!(idf.rayon_km > 30.0 && idf.rayon_km < 150.0, "{idf:?}");
    assert!((idf.lat - 48.85).abs() < 0.5 && (idf.lon - 2.35).abs() < 0.5, "{idf:?}");
}
