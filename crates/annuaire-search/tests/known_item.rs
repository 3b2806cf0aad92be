//! Known-item test at national scale: from how people type a provider's name, is it first?
//!
//! By default it runs on 20,000 generated rows so the test suite stays fast; the national-scale
//! figures in BENCHMARKS.md come from
//! `KNOWN_ITEM_ROWS=160000 cargo test --release -p annuaire-search --test known_item -- --nocapture`.
//! Targets: rank 1 in at least 97% of cases, top 10 in at least 99.5%. A name shared by several
//! providers cannot be told apart from its text alone, so a case also counts as found when the
//! provider ranked first has exactly the same (folded) name; the strict figure is printed too.

#[path = "support/generated.rs"]
mod generated;
#[path = "support/synth.rs"]
mod synth;

use std::collections::HashMap;

use annuaire_search::{SearchIndex, SearchQuery, analysis};

#[test]
fn known_item() {
    let rows: usize = std::env::var("KNOWN_ITEM_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    // KNOWN_ITEM_DATA=synth uses the stand-in generator of tests/support/synth.rs instead.
    let docs = if std::env::var("KNOWN_ITEM_DATA").as_deref() == Ok("synth") {
        synth::docs(rows, 42)
    } else {
        generated::docs(rows)
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    SearchIndex::build(&dir, docs.clone()).unwrap();
    let idx = SearchIndex::open(&dir).unwrap();
    let name_of: HashMap<&str, String> =
        docs.iter().map(|d| (d.nda.as_str(), analysis::fold(&d.nom_affichage))).collect();

    let mut rng = synth::Rng::new(2024);
    let (mut n, mut first, mut strict, mut top10) = (0, 0, 0, 0);
    let mut by_kind: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut misses = Vec::new();
    while n < 3000 {
        let doc = &docs[rng.below(docs.len())];
        if doc.categories.is_empty() {
            continue;
        }
        let (q, kind) = synth::variant(&mut rng, doc);
        let mut query = SearchQuery::text(&q);
        query.par_page = 10;
        let r = idx.search(&query).unwrap();
        let ranks: Vec<&str> = r.resultats.iter().map(|h| h.nda.as_str()).collect();
        let target = analysis::fold(&doc.nom_affichage);
        let pos = ranks.iter().position(|x| *x == doc.nda);
        let same_name_first = ranks.first().is_some_and(|x| name_of[x] == target);
        n += 1;
        let e = by_kind.entry(kind).or_default();
        e.0 += 1;
        if pos == Some(0) {
            strict += 1;
        }
        if pos == Some(0) || same_name_first {
            first += 1;
            e.1 += 1;
        } else if misses.len() < 25 {
            misses.push(format!(
                "{q:?} → want {} got {:?}",
                doc.nom_affichage,
                r.resultats.first().map(|h| &h.denomination)
            ));
        }
        if pos.is_some() || ranks.iter().any(|x| name_of[x] == target) {
            top10 += 1;
        }
    }
    let pct = |x: usize| 100.0 * x as f64 / n as f64;
    println!("known-item over {n} queries on {} docs ({rows} rows asked):", docs.len());
    println!("  rank 1: {:.2}% (strict, exact NDA: {:.2}%)", pct(first), pct(strict));
    println!("  top 10: {:.2}%", pct(top10));
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    for (k, (t, ok)) in kinds {
        println!("  {k:<22} {ok}/{t}");
    }
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(pct(first) >= 97.0, "rank 1 {:.2}%", pct(first));
    assert!(pct(top10) >= 99.5, "top 10 {:.2}%", pct(top10));
}
