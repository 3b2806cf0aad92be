//! French phrasing of topics and places for the titles of the landing pages: "Formations en
//! informatique et numérique à Nice", "… dans le bâtiment et les travaux publics au Havre", "…
//! dans les Alpes-Maritimes (06)", "… en Gironde (33)".
//!
//! The prepositions and articles are written out per topic and per department: no short rule
//! gets "dans l'Ain", "en Isère", "dans la Manche" and "dans les Vosges" all right, and a table
//! of a hundred codes is easier to check than a rule with as many exceptions. The topic labels
//! stay in `data/search/thematiques.csv` (the engine's list); only how a sentence introduces
//! them lives here.

/// What follows "Formations" for a topic: "en langues", "dans le social, …". A topic added to
/// the engine's list later reads "en {libellé}" until it gets its own phrase here.
pub fn formations_en(slug: &str, libelle: &str) -> String {
    phrase_thematique(slug).map_or_else(|| format!("en {}", lowercase_first(libelle)), str::to_string)
}

fn phrase_thematique(slug: &str) -> Option<&'static str> {
    Some(match slug {
        "informatique" => "en informatique et numérique",
        "bureautique" => "en bureautique et secrétariat",
        "langues" => "en langues",
        "management" => "en management et direction",
        "comptabilite-gestion" => "en comptabilité, gestion et finance",
        "ressources-humaines" => "en ressources humaines",
        "commerce-vente" => "en commerce, vente et marketing",
        "communication" => "en communication, médias et édition",
        "sante" => "en santé",
        "social-petite-enfance" => "dans le social, l'aide à la personne et la petite enfance",
        "securite" => "en sécurité, prévention et secourisme",
        "transport-logistique" => "en transport et logistique",
        "btp" => "dans le bâtiment et les travaux publics",
        "industrie" => "dans l'industrie, la mécanique et l'électricité",
        "environnement-energie" => "en énergie, environnement et urbanisme",
        "hotellerie-restauration" => "en hôtellerie, restauration et tourisme",
        "coiffure-esthetique" => "en coiffure et esthétique",
        "agriculture" => "dans l'agriculture, l'agroalimentaire et les métiers de la nature",
        "arts-culture" => "en arts, culture et patrimoine",
        "sport-animation" => "en sport, animation et loisirs",
        "developpement-personnel" => "en développement personnel",
        "enseignement-formation" => "de formateurs et en enseignement",
        "droit-juridique" => "en droit",
        "savoirs-de-base" => "aux savoirs de base, à l'insertion et à l'orientation",
        "sciences" => "en sciences",
        _ => return None,
    })
}

/// "à Marseille", "au Havre", "aux Sables-d'Olonne", "à La Rochelle".
pub fn a_la_commune(nom: &str) -> String {
    if let Some(rest) = nom.strip_prefix("Le ") {
        format!("au {rest}")
    } else if let Some(rest) = nom.strip_prefix("Les ") {
        format!("aux {rest}")
    } else {
        format!("à {nom}")
    }
}

/// "dans le Rhône (69)", "dans les Alpes-Maritimes (06)", "dans l'Ain (01)", "en Gironde (33)",
/// "à La Réunion (974)"; "dans le département X (code)" for a code this table does not know.
pub fn dans_le_departement(code: &str, nom: &str) -> String {
    match preposition_departement(code) {
        Some(p) => format!("{p}{nom} ({code})"),
        None => format!("dans le département {nom} ({code})"),
    }
}

/// The words before a department's name, as French usage has them (the department's own usage
/// when two coexist, as "en Aveyron" and "dans l'Aveyron").
fn preposition_departement(code: &str) -> Option<&'static str> {
    Some(match code {
        "04" | "05" | "06" | "08" | "13" | "22" | "40" | "64" | "65" | "66" | "78" | "79" | "88" | "92" => {
            "dans les "
        }
        "01" | "02" | "03" | "10" | "11" | "27" | "34" | "36" | "60" | "61" | "89" => "dans l'",
        "14" | "15" | "18" | "25" | "29" | "30" | "32" | "39" | "41" | "45" | "46" | "47" | "56" | "59"
        | "62" | "63" | "67" | "68" | "69" | "81" | "82" | "83" | "84" | "90" | "94" | "95" => "dans le ",
        "23" | "26" | "42" | "50" | "51" | "55" | "58" | "72" | "80" | "86" => "dans la ",
        "07" | "09" | "12" | "16" | "17" | "19" | "21" | "24" | "28" | "2A" | "2B" | "31" | "33" | "35"
        | "37" | "38" | "43" | "44" | "48" | "49" | "52" | "53" | "54" | "57" | "70" | "71" | "73" | "74"
        | "76" | "77" | "85" | "87" | "91" | "93" | "971" | "972" | "973" => "en ",
        "75" | "974" | "976" => "à ",
        _ => return None,
    })
}

pub fn lowercase_first(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_and_department_has_its_phrase() {
        for t in annuaire_search::thematiques() {
            assert!(
                phrase_thematique(t.slug).is_some(),
                "topic « {} » has no phrase: add how titles say it (\"en …\") to phrase_thematique",
                t.slug
            );
        }
        for d in annuaire_geo::Places::get().departements() {
            assert!(preposition_departement(&d.code).is_some(), "{} {}", d.code, d.nom);
        }
    }

    #[test]
    fn phrases() {
        assert_eq!(
            formations_en("informatique", "Informatique et numérique"),
            "en informatique et numérique"
        );
        assert_eq!(formations_en("nouveau-theme", "Nouveau thème"), "en nouveau thème");
        assert_eq!(a_la_commune("Nice"), "à Nice");
        assert_eq!(a_la_commune("Le Havre"), "au Havre");
        assert_eq!(a_la_commune("Les Sables-d'Olonne"), "aux Sables-d'Olonne");
        assert_eq!(a_la_commune("La Rochelle"), "à La Rochelle");
        assert_eq!(a_la_commune("L'Isle-d'Espagnac"), "à L'Isle-d'Espagnac");
        let d = |code: &str, nom: &str| dans_le_departement(code, nom);
        assert_eq!(d("06", "Alpes-Maritimes"), "dans les Alpes-Maritimes (06)");
        assert_eq!(d("69", "Rhône"), "dans le Rhône (69)");
        assert_eq!(d("01", "Ain"), "dans l'Ain (01)");
        assert_eq!(d("2A", "Corse-du-Sud"), "en Corse-du-Sud (2A)");
        assert_eq!(d("33", "Gironde"), "en Gironde (33)");
        assert_eq!(d("50", "Manche"), "dans la Manche (50)");
        assert_eq!(d("974", "La Réunion"), "à La Réunion (974)");
        assert_eq!(d("99", "Ailleurs"), "dans le département Ailleurs (99)");
    }
}
