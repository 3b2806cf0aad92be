//! Topics, the NSF → topic table and synonyms, read from the data files in `data/search/`.
//!
//! The files are compiled in so the engine cannot start with a taxonomy different from the one
//! its index was built with; they are parsed once, on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::analysis;

const THEMATIQUES_CSV: &str = include_str!("../../../data/search/thematiques.csv");
const NSF_CSV: &str = include_str!("../../../data/search/nsf_thematiques.csv");
const SYNONYMES_CSV: &str = include_str!("../../../data/search/synonymes.csv");

/// A user-facing topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Thematique {
    pub slug: &'static str,
    pub libelle: &'static str,
}

/// One expansion of a typed word or phrase.
#[derive(Debug, Default)]
pub(crate) struct Expansion {
    /// Alternative phrases, each a list of folded terms.
    pub equivalents: Vec<Vec<String>>,
    /// Topic indexes the word designates.
    pub topics: Vec<usize>,
}

pub(crate) struct Lexicon {
    pub thematiques: Vec<Thematique>,
    pub nsf: HashMap<&'static str, Vec<usize>>,
    /// Folded trigger phrase (terms joined by a space) → expansion.
    pub expansions: HashMap<String, Expansion>,
    /// Longest trigger phrase, in terms.
    pub max_phrase: usize,
}

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(';').map(str::trim).collect())
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut thematiques = Vec::new();
        let mut keywords: Vec<(usize, &str)> = Vec::new();
        for (i, row) in rows(THEMATIQUES_CSV).enumerate() {
            thematiques.push(Thematique { slug: row[0], libelle: row.get(1).copied().unwrap_or(row[0]) });
            for kw in row.get(2).copied().unwrap_or("").split('|') {
                keywords.push((i, kw));
            }
        }
        let index: HashMap<&str, usize> = thematiques.iter().enumerate().map(|(i, t)| (t.slug, i)).collect();
        let topics_of = |list: &str| -> Vec<usize> {
            list.split('|').filter_map(|s| index.get(s.trim()).copied()).collect()
        };
        let nsf = rows(NSF_CSV).map(|row| (row[0], topics_of(row.get(1).copied().unwrap_or("")))).collect();

        let mut expansions: HashMap<String, Expansion> = HashMap::new();
        let mut max_phrase = 1;
        let mut key_of = |phrase: &str| -> Option<String> {
            let terms = analysis::terms(phrase);
            if terms.is_empty() {
                return None;
            }
            max_phrase = max_phrase.max(terms.len());
            Some(terms.join(" "))
        };
        for (topic, kw) in keywords {
            if let Some(key) = key_of(kw) {
                let e = expansions.entry(key).or_default();
                if !e.topics.contains(&topic) {
                    e.topics.push(topic);
                }
            }
        }
        for row in rows(SYNONYMES_CSV) {
            let Some(key) = key_of(row[0]) else { continue };
            let e = expansions.entry(key).or_default();
            for eq in row.get(1).copied().unwrap_or("").split('|') {
                let terms = analysis::terms(eq);
                if !terms.is_empty() && !e.equivalents.contains(&terms) {
                    e.equivalents.push(terms);
                }
            }
            for t in topics_of(row.get(2).copied().unwrap_or("")) {
                if !e.topics.contains(&t) {
                    e.topics.push(t);
                }
            }
        }
        Lexicon { thematiques, nsf, expansions, max_phrase }
    })
}

/// The topic taxonomy, in display order.
pub fn thematiques() -> &'static [Thematique] {
    &lexicon().thematiques
}

/// Topic slugs for a list of NSF codes (deduplicated, in taxonomy order).
pub fn thematiques_for<S: AsRef<str>>(nsf_codes: impl IntoIterator<Item = S>) -> Vec<&'static str> {
    let mask = topic_mask(nsf_codes);
    let lex = lexicon();
    (0..lex.thematiques.len()).filter(|i| mask & (1 << i) != 0).map(|i| lex.thematiques[i].slug).collect()
}

/// Topics of NSF codes as a bitset over the taxonomy (it has fewer than 32 topics).
pub(crate) fn topic_mask<S: AsRef<str>>(nsf_codes: impl IntoIterator<Item = S>) -> u32 {
    let lex = lexicon();
    let mut mask = 0u32;
    for code in nsf_codes {
        // Codes come as "326" or sometimes "326t"/"326 " in the list: the group is the 3 digits.
        let code = code.as_ref().trim();
        let code = code.get(..3).unwrap_or(code);
        if let Some(ts) = lex.nsf.get(code) {
            for t in ts {
                mask |= 1 << t;
            }
        }
    }
    mask
}

pub(crate) fn topic_index(slug: &str) -> Option<usize> {
    lexicon().thematiques.iter().position(|t| t.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_size_and_slugs() {
        let t = thematiques();
        assert!((20..=25).contains(&t.len()), "{}", t.len());
        assert!(t.len() <= 28, "topics live in the low 28 bits of the engine's per-provider word");
        for th in t {
            assert!(th.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", th.slug);
        }
    }

    #[test]
    fn every_reference_nsf_code_is_mapped() {
        let reference = include_str!("../../../data/reference/nsf_groupes_specialites_dgefp.csv");
        let lex = lexicon();
        let mut n = 0;
        for line in reference.lines().skip(1).filter(|l| !l.is_empty()) {
            let code = line.split(',').next().unwrap();
            let topics = lex.nsf.get(code).unwrap_or_else(|| panic!("NSF {code} missing from the table"));
            assert!(!topics.is_empty(), "NSF {code} maps to no known topic");
            n += 1;
        }
        assert_eq!(n, lex.nsf.len(), "the table has codes that are not in the reference file");
        // Every synonym's topics and every table topic exist (topics_of drops unknown slugs).
        for row in rows(NSF_CSV) {
            assert_eq!(row[1].split('|').count(), lex.nsf[row[0]].len(), "unknown slug in {row:?}");
        }
        for row in rows(SYNONYMES_CSV) {
            for slug in row[2].split('|').filter(|s| !s.is_empty()) {
                assert!(topic_index(slug).is_some(), "unknown slug {slug}");
            }
        }
    }

    #[test]
    fn nsf_codes_to_topics() {
        assert_eq!(thematiques_for(["326"]), ["informatique"]);
        assert_eq!(thematiques_for(["136", "324"]), ["bureautique", "langues"]);
        assert_eq!(thematiques_for(["999"]), Vec::<&str>::new());
        assert_eq!(thematiques_for(["221"]), ["hotellerie-restauration", "agriculture"]);
    }

    #[test]
    fn synonyms_expand() {
        let lex = lexicon();
        let compta = &lex.expansions["compta"];
        assert!(compta.equivalents.contains(&vec!["comptabilite".to_string()]));
        assert_eq!(compta.topics, [topic_index("comptabilite-gestion").unwrap()]);
        assert!(lex.expansions["anglais"].topics.contains(&topic_index("langues").unwrap()));
        assert!(lex.expansions.contains_key("ressources humaines"));
    }
}
