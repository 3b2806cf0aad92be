//! Display names: from the official ALL CAPS text to something a person can read.
//!
//! The official `denomination` is kept verbatim elsewhere; this only derives a readable form and
//! the legal form found in it. Most names are typed in capitals, so case is rebuilt word by word:
//! known acronyms (and vowel-less words, which are almost always acronyms) stay in capitals,
//! French function words go to lower case, the rest is capitalised. Names already typed in mixed
//! case are trusted as is.

/// Legal forms recognised at the start or end of a name, with their canonical spelling.
const LEGAL_FORMS: &[&str] = &[
    "SARL", "SAS", "SASU", "EURL", "SA", "SCOP", "SCIC", "SCI", "SNC", "SELARL", "SELAS", "SELAFA", "SCP",
    "EIRL", "EI", "GIE", "SEM", "SCA", "SARLU", "SAEM", "SPL", "EPIC",
];

/// Acronyms of the training world that must keep their capitals.
const ACRONYMS: &[&str] = &[
    "AFPA",
    "AFTRAL",
    "AFORP",
    "APAVE",
    "BAFA",
    "BAFD",
    "BTP",
    "BTS",
    "CACES",
    "CAP",
    "CCI",
    "CFA",
    "CFAI",
    "CFPPA",
    "CMA",
    "CNAM",
    "CNFPT",
    "CRM",
    "DAO",
    "CAO",
    "PAO",
    "EHPAD",
    "ESAT",
    "ESC",
    "FLE",
    "GEIQ",
    "GRETA",
    "HACCP",
    "IFAS",
    "IFSI",
    "IRTS",
    "IUT",
    "MFR",
    "PME",
    "PRAP",
    "RH",
    "SNCF",
    "SST",
    "TPE",
    "UIMM",
    "UFR",
    "IAE",
    "INSA",
    "ISTEC",
    "IFOCOP",
    "CESI",
    "AFDAS",
    "ADN",
    "DRH",
    "QSE",
    "HSE",
    "IT",
    "SSIAP",
    "TOEIC",
    "TOEFL",
    "VAE",
    "EPSCP",
    "ENSAM",
    "GRETA-CFA",
    "CIBC",
    "APEC",
    "UNADEL",
    "FNAIM",
    "ESSEC",
    "HEC",
    "EDHEC",
    "IAE",
    "CPF",
    "OPCO",
    "URSSAF",
];

/// Words written in lower case inside a name.
const SMALL_WORDS: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "a", "à", "sur", "pour", "par", "d", "l",
    "un", "une", "dans", "sous", "ou",
];

/// Civilities that prefix sole traders' names in the list.
const CIVILITIES: &[&str] =
    &["MONSIEUR", "MADAME", "MADEMOISELLE", "M", "M.", "MR", "MR.", "MME", "MME.", "MLLE", "MLLE."];

/// The readable form of an official name and the legal form found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName {
    pub nom: String,
    pub forme_juridique: Option<String>,
}

/// Derive the display form of an official `denomination`.
pub fn display_name(official: &str) -> DisplayName {
    let mut words: Vec<&str> = official.split_whitespace().collect();
    let mut forme = None;

    // The legal form is a whole word at either end, possibly dotted or in parentheses.
    if words.len() > 1 {
        if let Some(f) = legal_form(words[0]) {
            forme = Some(f);
            words.remove(0);
        } else if let Some(f) = words.last().and_then(|w| legal_form(w)) {
            forme = Some(f);
            words.pop();
        }
    }
    // "SARL - FORMATION PLUS": drop the separator the form left behind.
    while words.len() > 1 && matches!(words[0], "-" | "–" | ":" | ",") {
        words.remove(0);
    }
    while words.len() > 1 && matches!(words[words.len() - 1], "-" | "–" | ":" | ",") {
        words.pop();
    }
    // Sole traders: "MONSIEUR JEAN DUPONT" reads better as "Jean Dupont".
    if words.len() > 2 && CIVILITIES.contains(&words[0].to_uppercase().as_str()) {
        words.remove(0);
    }

    let joined = words.join(" ");
    let has_lower = joined.chars().any(char::is_lowercase);
    let nom = if has_lower { joined } else { title_case(&joined) };
    DisplayName { nom, forme_juridique: forme }
}

fn legal_form(word: &str) -> Option<String> {
    let bare: String =
        word.chars().filter(|c| !matches!(c, '.' | '(' | ')' | ',')).collect::<String>().to_uppercase();
    LEGAL_FORMS.iter().find(|f| **f == bare).map(|f| f.to_string())
}

fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (wi, word) in text.split(' ').enumerate() {
        if wi > 0 {
            out.push(' ');
        }
        // Hyphens, apostrophes and slashes join pieces that are cased on their own.
        let mut piece = String::new();
        let mut first_piece = wi == 0;
        for ch in word.chars() {
            if matches!(ch, '-' | '\'' | '’' | '/' | '(' | ')' | '"' | '&' | '.') {
                out.push_str(&case_piece(&piece, first_piece, ch == '\'' || ch == '’'));
                out.push(ch);
                if !piece.is_empty() {
                    first_piece = false;
                }
                piece.clear();
            } else {
                piece.push(ch);
            }
        }
        out.push_str(&case_piece(&piece, first_piece, false));
    }
    out
}

fn case_piece(piece: &str, first: bool, before_apostrophe: bool) -> String {
    if piece.is_empty() {
        return String::new();
    }
    let upper = piece.to_uppercase();
    if ACRONYMS.contains(&upper.as_str()) || LEGAL_FORMS.contains(&upper.as_str()) || is_roman(&upper) {
        return upper;
    }
    let letters: Vec<char> = piece.chars().filter(|c| c.is_alphabetic()).collect();
    let has_digit = piece.chars().any(|c| c.is_ascii_digit());
    let has_vowel = letters.iter().any(|c| "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸaeiouyàâäéèêëîïôöùûüÿ".contains(*c));
    // Vowel-less words of two or more letters are acronyms ("BTP", "RH") in this corpus.
    if letters.len() >= 2 && !has_vowel {
        return upper;
    }
    // "3D", "B2B", "4X4" are codes; "1ER", "11EME" are ordinals and read in lower case.
    let ordinal = piece.trim_start_matches(|c: char| c.is_ascii_digit()).to_lowercase();
    if has_digit && letters.len() <= 2 && !matches!(ordinal.as_str(), "e" | "er" | "re" | "eme" | "ème") {
        return upper;
    }
    let lower = piece.to_lowercase();
    if !first && (SMALL_WORDS.contains(&lower.as_str()) || (before_apostrophe && lower.len() == 1)) {
        return lower;
    }
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => lower,
    }
}

fn is_roman(w: &str) -> bool {
    matches!(w, "II" | "III" | "IV" | "VI" | "VII" | "VIII" | "IX" | "XI" | "XII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(official: &str, nom: &str, forme: Option<&str>) {
        let got = display_name(official);
        assert_eq!(got.nom, nom, "{official:?}");
        assert_eq!(got.forme_juridique.as_deref(), forme, "{official:?}");
    }

    #[test]
    fn display_names() {
        check("SARL FORMATION PLUS", "Formation Plus", Some("SARL"));
        check("FORMATION PLUS SARL", "Formation Plus", Some("SARL"));
        check("FORMATION PLUS (SAS)", "Formation Plus", Some("SAS"));
        check("S.A.R.L. FORMATION PLUS", "Formation Plus", Some("SARL"));
        check("SARL - FORMATION PLUS", "Formation Plus", Some("SARL"));
        check("SASU ACME", "Acme", Some("SASU"));
        check("EURL DUPONT CONSEIL", "Dupont Conseil", Some("EURL"));
        check("SAS", "SAS", None);
        check("CCI LYON METROPOLE", "CCI Lyon Metropole", None);
        check("GRETA DES HAUTS DE FRANCE", "GRETA des Hauts de France", None);
        check("AFPA", "AFPA", None);
        check("CENTRE DE FORMATION CACES BTP", "Centre de Formation CACES BTP", None);
        check("L'INSTITUT DE LA FORMATION", "L'Institut de la Formation", None);
        check("ECOLE D'INGENIEURS", "Ecole d'Ingenieurs", None);
        check("LYCEE SAINT-ETIENNE", "Lycee Saint-Etienne", None);
        check("ÉCOLE SUPÉRIEURE DE COMMERCE", "École Supérieure de Commerce", None);
        check("MONSIEUR JEAN DUPONT", "Jean Dupont", None);
        check("MADAME MARIE MARTIN", "Marie Martin", None);
        check("DUPONT JEAN", "Dupont Jean", None);
        check("Madame Marie Martin", "Marie Martin", None);
        check("Formation & Co", "Formation & Co", None);
        check("RH PARTNERS", "RH Partners", None);
        check("ASSOCIATION LES AMIS DU LIVRE", "Association les Amis du Livre", None);
        check("FORMATIONS 3D", "Formations 3D", None);
        check("B2B ACADEMY", "B2B Academy", None);
        check("LYCEE DU 1ER MAI", "Lycee du 1er Mai", None);
        check("HENRI IV FORMATION", "Henri IV Formation", None);
        check("  SARL   ESPACES  MULTIPLES ", "Espaces Multiples", Some("SARL"));
        check("A ET B FORMATION", "A et B Formation", None);
        check("", "", None);
    }
}
