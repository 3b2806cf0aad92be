//! French text analysis, done in plain Rust before anything reaches tantivy.
//!
//! Index and query go through the very same functions, so a word typed with or without accents,
//! capitals or elisions lands on the same term. Tantivy only splits the prepared text on spaces:
//! keeping the analysis here makes it testable on its own and lets the query side reason about
//! each word (generic, legal form, typo budget) instead of receiving opaque tokens.

use std::cell::RefCell;

use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, WhitespaceTokenizer};

/// Elided articles and pronouns dropped before an apostrophe ("l'école", "qu'il", "d’Azur").
const ELISIONS: &[&str] = &["l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu"];

/// Function words that carry no meaning in a provider's name or a query. Kept short on purpose:
/// the usual French lists contain words such as "est" or "sud" that are real name parts here.
macro_rules! stop_words {
    () => {
        "a" | "au"
            | "aux"
            | "avec"
            | "ce"
            | "ces"
            | "d"
            | "dans"
            | "de"
            | "des"
            | "du"
            | "en"
            | "et"
            | "l"
            | "la"
            | "le"
            | "les"
            | "leur"
            | "leurs"
            | "ou"
            | "par"
            | "pour"
            | "sa"
            | "se"
            | "ses"
            | "son"
            | "sur"
            | "un"
            | "une"
            | "the"
            | "of"
            | "and"
    };
}

/// Words present in thousands of names: they still match, but must not decide the ranking.
macro_rules! generic_words {
    () => {
        "formation"
            | "formations"
            | "organisme"
            | "organismes"
            | "centre"
            | "centres"
            | "conseil"
            | "conseils"
            | "institut"
            | "ecole"
            | "association"
            | "groupe"
            | "societe"
            | "entreprise"
            | "cabinet"
            | "services"
            | "service"
            | "france"
            | "formateur"
            | "consulting"
            | "agence"
            | "academie"
            | "pro"
            | "professionnelle"
            | "professionnel"
    };
}

/// Legal forms, folded; typed or not, they must not change which provider comes first.
macro_rules! legal_forms {
    () => {
        "sarl"
            | "sas"
            | "sasu"
            | "eurl"
            | "sa"
            | "scop"
            | "scic"
            | "sci"
            | "snc"
            | "selarl"
            | "selas"
            | "selafa"
            | "scp"
            | "eirl"
            | "ei"
            | "gie"
            | "sem"
            | "sca"
            | "sarlu"
            | "saem"
            | "spl"
            | "epic"
    };
}

/// Lowercase, remove accents, turn punctuation into spaces and drop elisions.
///
/// Apostrophes are handled before punctuation so that "l'institut" loses its article but
/// "aujourd'hui" (not an elision prefix) just splits in two.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_start = 0usize; // byte offset in `out` of the current word
    for ch in text.chars() {
        if ch == '\'' || ch == '’' || ch == '`' || ch == 'ʼ' {
            if ELISIONS.contains(&&out[word_start..]) {
                out.truncate(word_start);
            } else {
                out.push(' ');
                word_start = out.len();
            }
            continue;
        }
        if ch.is_alphanumeric() {
            push_folded(&mut out, ch);
        } else {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            word_start = out.len();
        }
    }
    let trimmed = out.trim_end();
    trimmed.to_string()
}

fn push_folded(out: &mut String, ch: char) {
    let mapped: &str = match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ñ' | 'Ñ' => "n",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        _ => {
            for lc in ch.to_lowercase() {
                // Other scripts keep their letters; combining marks are dropped.
                if !('\u{300}'..='\u{36f}').contains(&lc) {
                    out.push(lc);
                }
            }
            return;
        }
    };
    out.push_str(mapped);
}

/// Folded words, with "st"/"ste" read as "saint"/"sainte" (both spellings are common in names and
/// in what people type).
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            _ => w.to_string(),
        })
        .collect()
}

/// Folded words without stop words: what names and queries are matched on.
pub fn terms(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| !is_stop_word(w)).collect()
}

pub fn is_stop_word(w: &str) -> bool {
    matches!(w, stop_words!())
}

pub fn is_generic(w: &str) -> bool {
    matches!(w, generic_words!())
}

pub fn is_legal_form(w: &str) -> bool {
    // A `match` compiles to a switch on length and bytes: these run for every word of every
    // reranked name.
    matches!(w, legal_forms!())
}

/// Typo budget by word length: none under 5 letters, 1 from 5, 2 from 9.
pub fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The typo budget used only when nothing matches with the normal one: one typo from 4 letters.
pub fn relaxed_typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        4 => 1,
        _ => typo_budget(word),
    }
}

thread_local! {
    static STEMMER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(WhitespaceTokenizer::default()).filter(Stemmer::new(Language::French)).build(),
    );
}

/// Snowball French stem of one folded word. Digits and very short words are kept whole: stemming
/// "13" or "rh" only creates collisions.
pub fn stem(word: &str) -> String {
    if word.len() <= 3 || word.bytes().any(|b| b.is_ascii_digit()) {
        return word.to_string();
    }
    STEMMER.with(|s| {
        let mut analyzer = s.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        let mut out = String::new();
        while let Some(tok) = stream.next() {
            out.push_str(&tok.text);
        }
        if out.is_empty() { word.to_string() } else { out }
    })
}

/// Shared with the place resolver, which needs the same bounded typo distance.
pub use annuaire_geo::distance_within;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_cases() {
        let cases = [
            ("L'École d’Ingénieurs", "ecole ingenieurs"),
            ("CŒUR DE FRANCE", "coeur de france"),
            ("Qu'il fasse", "il fasse"),
            ("aujourd'hui", "aujourd hui"),
            ("A.F.P.A. - Centre", "a f p a centre"),
            ("  ", ""),
            ("Saint-Étienne", "saint etienne"),
            ("ÇA VA", "ca va"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "{input}");
        }
    }

    #[test]
    fn words_read_saint() {
        assert_eq!(words("Lycée St-Étienne"), ["lycee", "saint", "etienne"]);
        assert_eq!(words("STE MARIE"), ["sainte", "marie"]);
    }

    #[test]
    fn stems_group_inflections() {
        assert_eq!(stem("formations"), stem("formation"));
        assert_eq!(stem("informatique"), stem("informatiques"));
        assert_eq!(stem("comptable"), stem("comptables"));
        assert_eq!(stem("13"), "13");
    }

    #[test]
    fn typo_budget_by_length() {
        assert_eq!(typo_budget("caces"), 1);
        assert_eq!(typo_budget("sst"), 0);
        assert_eq!(typo_budget("formation"), 2);
        assert_eq!(typo_budget("lyon"), 0);
    }

    #[test]
    fn bounded_distance() {
        assert_eq!(distance_within("formation", "fromation", 2), 1);
        assert_eq!(distance_within("martin", "martine", 1), 1);
        assert_eq!(distance_within("abc", "xyz", 1), 2);
        assert_eq!(distance_within("", "ab", 2), 2);
    }
}
