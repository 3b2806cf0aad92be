//! How one snapshot of the list changes what we know: the change types and when each applies.
//!
//! The comparison is split in two so a store never has to load every full record: a cheap
//! fingerprint per NDA says which rows changed ([`needs_previous`]), and only those previous
//! records are fetched for [`diff`]. The semantics are those of the product, not of the file:
//! - a provider absent from a snapshot is `disparu`, not decertified (the list drops late filers);
//! - a new NDA that names an absent NDA as its predecessor is one `transfere`, not `nouveau` plus
//!   `disparu`;
//! - `certifie` / `decertifie` describe crossing the 0-scope line while listed; scope-level events
//!   only describe changes between two certified states, so a feed never says the same thing twice.
//! - `certified_since` is the start of the current certified streak, the only public proxy for a
//!   certificate date. On a first import it is the import date: a "certified at least since" bound.

use crate::model::{Adresse, Categorie, ChangeType, Organisme};
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

/// What the store keeps about every NDA ever seen, small enough to load in full at each sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub fingerprint: u64,
    pub present: bool,
}

/// The previous full state of one NDA, fetched only when needed.
#[derive(Debug, Clone)]
pub struct Previous {
    pub org: Organisme,
    pub present: bool,
    pub first_seen: NaiveDate,
    pub last_seen: NaiveDate,
    pub certified_since: Option<NaiveDate>,
}

/// One entry of the append-only change log.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub nda: String,
    pub kind: ChangeType,
    pub avant: Option<Value>,
    pub apres: Option<Value>,
    /// The other NDA of a transfer.
    pub nda_lie: Option<String>,
}

/// A record to insert or overwrite.
#[derive(Debug, Clone)]
pub struct Upsert {
    pub org: Organisme,
    pub fingerprint: u64,
    pub first_seen: NaiveDate,
    pub certified_since: Option<NaiveDate>,
    pub nda_predecesseur: Option<String>,
}

/// Everything one snapshot does to the store.
#[derive(Debug, Default)]
pub struct Diff {
    pub upserts: Vec<Upsert>,
    /// Listed before, absent now.
    pub disappeared: Vec<String>,
    /// (old NDA, new NDA) links created by transfers.
    pub transfers: Vec<(String, String)>,
    pub changes: Vec<Change>,
    pub unchanged: usize,
}

impl Diff {
    pub fn count(&self, kind: ChangeType) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

/// FNV-1a over the canonical JSON of a record: stable across runs and platforms, which a
/// `std` hasher does not promise, so it can be stored.
pub fn fingerprint(org: &Organisme) -> u64 {
    let bytes = serde_json::to_vec(org).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The NDAs whose previous full record [`diff`] needs: changed or returning rows, the
/// predecessors named by new NDAs, and the providers that left (their last name goes in the log).
pub fn needs_previous(known: &HashMap<String, Known>, rows: &[(Organisme, u64)]) -> Vec<String> {
    let listed: HashSet<&str> = rows.iter().map(|(o, _)| o.nda.as_str()).collect();
    let mut out: Vec<String> = known
        .iter()
        .filter(|(nda, k)| k.present && !listed.contains(nda.as_str()))
        .map(|(nda, _)| nda.clone())
        .collect();
    for (org, fp) in rows {
        match known.get(&org.nda) {
            Some(k) if k.present && k.fingerprint == *fp => {}
            Some(_) => out.push(org.nda.clone()),
            None => out.extend(org.ndas_precedents.iter().filter(|p| known.contains_key(*p)).cloned()),
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Compare a snapshot with what is known.
///
/// `still_listed` holds NDAs whose rows were rejected this time: they are in the list, so they
/// must not be reported as gone; their stored record is simply kept.
pub fn diff(
    date: NaiveDate,
    known: &HashMap<String, Known>,
    previous: &HashMap<String, Previous>,
    rows: Vec<(Organisme, u64)>,
    still_listed: &HashSet<String>,
) -> Diff {
    let mut d = Diff::default();
    // Owned: `rows` is consumed below while this set is still consulted.
    let listed_now: HashSet<String> =
        rows.iter().map(|(o, _)| o.nda.clone()).chain(still_listed.iter().cloned()).collect();
    let mut transferred_from: HashSet<String> = HashSet::new();

    for (org, fp) in rows {
        match known.get(&org.nda) {
            Some(k) if k.present && k.fingerprint == fp => d.unchanged += 1,
            Some(_) => match previous.get(&org.nda) {
                Some(prev) => {
                    if !prev.present {
                        d.changes.push(Change {
                            nda: org.nda.clone(),
                            kind: ChangeType::Reapparu,
                            avant: Some(json!({ "derniere_apparition": prev.last_seen })),
                            apres: Some(json!({ "denomination": org.denomination })),
                            nda_lie: None,
                        });
                    }
                    compare(&prev.org, &org, &mut d.changes);
                    let certified_since = match (prev.org.certifications.any(), org.certifications.any()) {
                        (_, false) => None,
                        (true, true) => prev.certified_since.or(Some(date)),
                        (false, true) => Some(date),
                    };
                    d.upserts.push(Upsert {
                        org,
                        fingerprint: fp,
                        first_seen: prev.first_seen,
                        certified_since,
                        nda_predecesseur: None,
                    });
                }
                // The store did not hand over a record it said it had: treat as unchanged
                // rather than invent history.
                None => d.unchanged += 1,
            },
            None => {
                let predecessor = org
                    .ndas_precedents
                    .iter()
                    .find(|p| *p != &org.nda && known.contains_key(*p) && !listed_now.contains(*p))
                    .cloned();
                let mut certified_since = org.certifications.any().then_some(date);
                if let Some(p) = &predecessor {
                    // The certificate belongs to the organisation, not to its NDA: a transfer
                    // keeps the streak when both sides are certified.
                    if let Some(prev) = previous.get(p) {
                        if org.certifications.any() && prev.org.certifications.any() {
                            certified_since = prev.certified_since.or(certified_since);
                        }
                    }
                    d.changes.push(Change {
                        nda: org.nda.clone(),
                        kind: ChangeType::Transfere,
                        avant: Some(json!({ "nda": p })),
                        apres: Some(json!({ "nda": org.nda, "denomination": org.denomination })),
                        nda_lie: Some(p.clone()),
                    });
                    d.transfers.push((p.clone(), org.nda.clone()));
                    transferred_from.insert(p.clone());
                } else {
                    d.changes.push(Change {
                        nda: org.nda.clone(),
                        kind: ChangeType::Nouveau,
                        avant: None,
                        apres: Some(json!({
                            "denomination": org.denomination,
                            "categories": org.certifications.list(),
                        })),
                        nda_lie: None,
                    });
                }
                d.upserts.push(Upsert {
                    org,
                    fingerprint: fp,
                    first_seen: date,
                    certified_since,
                    nda_predecesseur: predecessor,
                });
            }
        }
    }

    let mut gone: Vec<&String> =
        known.iter().filter(|(nda, k)| k.present && !listed_now.contains(*nda)).map(|(nda, _)| nda).collect();
    gone.sort();
    for nda in gone {
        d.disappeared.push(nda.clone());
        if !transferred_from.contains(nda) {
            d.changes.push(Change {
                nda: nda.clone(),
                kind: ChangeType::Disparu,
                avant: previous.get(nda).map(|p| json!({ "denomination": p.org.denomination })),
                apres: None,
                nda_lie: None,
            });
        }
    }
    d
}

/// Field-level events between two versions of one listed provider.
fn compare(before: &Organisme, after: &Organisme, out: &mut Vec<Change>) {
    let nda = &after.nda;
    let (b, a) = (&before.certifications, &after.certifications);
    let event = |kind, avant, apres| Change { nda: nda.clone(), kind, avant, apres, nda_lie: None };
    match (b.any(), a.any()) {
        (false, true) => out.push(event(ChangeType::Certifie, Some(json!(b.list())), Some(json!(a.list())))),
        (true, false) => {
            out.push(event(ChangeType::Decertifie, Some(json!(b.list())), Some(json!(a.list()))))
        }
        (true, true) => {
            for c in Categorie::ALL {
                match (b.has(c), a.has(c)) {
                    (false, true) => out.push(event(ChangeType::CategorieAjoutee, None, Some(json!(c)))),
                    (true, false) => out.push(event(ChangeType::CategorieRetiree, Some(json!(c)), None)),
                    _ => {}
                }
            }
        }
        (false, false) => {}
    }
    if before.denomination != after.denomination {
        out.push(event(
            ChangeType::Renomme,
            Some(json!(before.denomination)),
            Some(json!(after.denomination)),
        ));
    }
    if before.adresse != after.adresse {
        out.push(event(
            ChangeType::AdresseModifiee,
            Some(adresse_json(&before.adresse)),
            Some(adresse_json(&after.adresse)),
        ));
    }
}

fn adresse_json(a: &Adresse) -> Value {
    json!({
        "voie": a.voie,
        "code_postal": a.code_postal,
        "ville": a.ville,
        "code_region": a.code_region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Certifications;

    fn org(nda: &str, name: &str, cats: &[Categorie], cp: &str) -> Organisme {
        let mut c = Certifications::default();
        for x in cats {
            c.set(*x, true);
        }
        Organisme {
            nda: nda.into(),
            ndas_precedents: vec![],
            denomination: name.into(),
            nom_affichage: name.into(),
            forme_juridique: None,
            siren: None,
            siret: None,
            adresse: Adresse {
                code_postal: Some(cp.into()),
                code_region: Some("11".into()),
                ..Adresse::default()
            },
            certifications: c,
            organisme_etranger: None,
            date_derniere_declaration: None,
            debut_exercice: None,
            fin_exercice: None,
            specialites: vec![],
            nb_stagiaires: None,
            nb_stagiaires_confies: None,
            effectif_formateurs: None,
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Run `before` (already stored, all present unless `absent`) against `after`, and return
    /// the events as "nda:type[:detail]" strings.
    fn check(before: &[(Organisme, bool)], after: Vec<Organisme>, want: &[&str]) -> Diff {
        let known: HashMap<String, Known> = before
            .iter()
            .map(|(o, present)| (o.nda.clone(), Known { fingerprint: fingerprint(o), present: *present }))
            .collect();
        let rows: Vec<(Organisme, u64)> = after
            .into_iter()
            .map(|o| {
                let f = fingerprint(&o);
                (o, f)
            })
            .collect();
        let need = needs_previous(&known, &rows);
        let previous: HashMap<String, Previous> = before
            .iter()
            .filter(|(o, _)| need.contains(&o.nda))
            .map(|(o, present)| {
                (
                    o.nda.clone(),
                    Previous {
                        org: o.clone(),
                        present: *present,
                        first_seen: d("2026-01-01"),
                        last_seen: d("2026-01-08"),
                        certified_since: o.certifications.any().then(|| d("2026-01-01")),
                    },
                )
            })
            .collect();
        let out = diff(d("2026-02-01"), &known, &previous, rows, &HashSet::new());
        let mut got: Vec<String> = out
            .changes
            .iter()
            .map(|c| {
                let detail = match c.kind {
                    ChangeType::CategorieAjoutee => {
                        c.apres.as_ref().and_then(|v| v.as_str()).map(str::to_string)
                    }
                    ChangeType::CategorieRetiree => {
                        c.avant.as_ref().and_then(|v| v.as_str()).map(str::to_string)
                    }
                    ChangeType::Transfere => c.nda_lie.clone(),
                    _ => None,
                };
                match detail {
                    Some(x) => format!("{}:{}:{x}", c.nda, c.kind),
                    None => format!("{}:{}", c.nda, c.kind),
                }
            })
            .collect();
        got.sort();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want);
        out
    }

    use Categorie::*;

    #[test]
    fn change_types() {
        let a = org("11000000001", "A", &[ActionsFormation], "75001");
        let b = org("11000000002", "B", &[], "75002");
        check(&[(a.clone(), true)], vec![a.clone()], &[]);
        check(&[], vec![a.clone()], &["11000000001:nouveau"]);
        check(&[(a.clone(), true)], vec![], &["11000000001:disparu"]);
        check(&[(a.clone(), false)], vec![a.clone()], &["11000000001:reapparu"]);
        check(&[(a.clone(), false)], vec![], &[]);
        check(
            &[(b.clone(), true)],
            vec![org("11000000002", "B", &[Vae], "75002")],
            &["11000000002:certifie"],
        );
        check(&[(a.clone(), true)], vec![org("11000000001", "A", &[], "75001")], &["11000000001:decertifie"]);
        check(
            &[(a.clone(), true)],
            vec![org("11000000001", "A", &[Vae, BilansCompetences], "75001")],
            &[
                "11000000001:categorie_ajoutee:vae",
                "11000000001:categorie_ajoutee:bilans_competences",
                "11000000001:categorie_retiree:actions_formation",
            ],
        );
        check(
            &[(a.clone(), true)],
            vec![org("11000000001", "A2", &[ActionsFormation], "75001")],
            &["11000000001:renomme"],
        );
        check(
            &[(a.clone(), true)],
            vec![org("11000000001", "A2", &[ActionsFormation], "69001")],
            &["11000000001:renomme", "11000000001:adresse_modifiee"],
        );
        check(
            &[(a.clone(), false)],
            vec![org("11000000001", "A", &[], "75001")],
            &["11000000001:reapparu", "11000000001:decertifie"],
        );
    }

    #[test]
    fn transfers() {
        let old = org("11000000001", "A", &[ActionsFormation], "75001");
        let mut new = org("84000000009", "A", &[ActionsFormation], "69001");
        new.ndas_precedents = vec!["11000000001".into()];
        // Predecessor leaves in the same snapshot: one transfer, no disparu.
        let out = check(&[(old.clone(), true)], vec![new.clone()], &["84000000009:transfere:11000000001"]);
        assert_eq!(out.disappeared, vec!["11000000001".to_string()]);
        assert_eq!(out.transfers, vec![("11000000001".to_string(), "84000000009".to_string())]);
        // The streak is kept across the transfer.
        assert_eq!(out.upserts[0].certified_since, Some(d("2026-01-01")));
        // Predecessor already gone earlier.
        check(&[(old.clone(), false)], vec![new.clone()], &["84000000009:transfere:11000000001"]);
        // Predecessor still listed: not a transfer.
        check(&[(old.clone(), true)], vec![old.clone(), new.clone()], &["84000000009:nouveau"]);
        // Unknown predecessor: just new.
        check(&[], vec![new], &["84000000009:nouveau"]);
    }

    #[test]
    fn certified_since_follows_streaks() {
        let b = org("11000000002", "B", &[], "75002");
        let out =
            check(&[(b, true)], vec![org("11000000002", "B", &[Vae], "75002")], &["11000000002:certifie"]);
        assert_eq!(out.upserts[0].certified_since, Some(d("2026-02-01")));
        let a = org("11000000001", "A", &[ActionsFormation], "75001");
        let out = check(
            &[(a, true)],
            vec![org("11000000001", "A", &[ActionsFormation, Vae], "75001")],
            &["11000000001:categorie_ajoutee:vae"],
        );
        assert_eq!(out.upserts[0].certified_since, Some(d("2026-01-01")));
        assert_eq!(out.upserts[0].first_seen, d("2026-01-01"));
    }

    #[test]
    fn rejected_rows_keep_their_provider_listed() {
        let a = org("11000000001", "A", &[ActionsFormation], "75001");
        let known = HashMap::from([(a.nda.clone(), Known { fingerprint: fingerprint(&a), present: true })]);
        let out = diff(d("2026-02-01"), &known, &HashMap::new(), vec![], &HashSet::from([a.nda.clone()]));
        assert!(out.changes.is_empty());
        assert!(out.disappeared.is_empty());
    }

    #[test]
    fn fingerprint_is_stable_and_sensitive() {
        let a = org("11000000001", "A", &[ActionsFormation], "75001");
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
        assert_ne!(fingerprint(&a), fingerprint(&org("11000000001", "A", &[Vae], "75001")));
    }
}
