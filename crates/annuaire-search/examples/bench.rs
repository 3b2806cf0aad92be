//! Benchmark of the engine at national scale (160,000 providers by default).
//!
//! `cargo run --release -p annuaire-search --example bench [-- ROWS]`
//!
//! Builds the index in a temporary directory, then times four query classes in process: text
//! (names as people type them, and topic words), topic + place + radius + facets, autocomplete,
//! and empty-text browsing with filters. Prints build time, index size, resident memory, and
//! p50/p90/p99/max per class.

#[path = "../tests/support/generated.rs"]
mod generated;
#[path = "../tests/support/synth.rs"]
mod synth;

use std::time::{Duration, Instant};

use annuaire_core::Categorie;
use annuaire_search::{SearchIndex, SearchQuery, Tri};

fn dir_size(p: &std::path::Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(p).unwrap().flatten() {
        let m = e.metadata().unwrap();
        total += if m.is_dir() { dir_size(&e.path()) } else { m.len() };
    }
    total
}

fn rss_kb(key: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// CPU seconds used by the whole process so far (every thread), from /proc: on a shared machine
/// the wall time of the build depends on the load, its CPU time much less.
fn cpu_s() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = s.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Time one call (wall clock: on this shared machine, the load average is printed alongside).
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let s = Instant::now();
    let out = f();
    (out, s.elapsed())
}

fn report(name: &str, mut t: Vec<Duration>) {
    t.sort();
    let p = |q: f64| t[((t.len() as f64 * q) as usize).min(t.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{name:<28} n={:<5} p50={:.3} ms  p90={:.3} ms  p99={:.3} ms  max={:.3} ms",
        t.len(),
        p(0.50),
        p(0.90),
        p(0.99),
        t.last().unwrap().as_secs_f64() * 1000.0
    );
}

fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(160_000);
    // Second argument `synth`: the stand-in data of tests/support/synth.rs (all rows with
    // coordinates, 90% certified) instead of the project's generator.
    let synthetic = std::env::args().nth(2).as_deref() == Some("synth");
    let t = Instant::now();
    let docs = if synthetic { synth::docs(rows, 42) } else { generated::docs(rows) };
    println!(
        "data             {} ({:.1} s to generate)",
        if synthetic { "synth" } else { "annuaire-testdata" },
        t.elapsed().as_secs_f64()
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");

    // The store hands documents over by value; cloning them is not part of the build.
    let input = docs.clone();
    let cpu0 = cpu_s();
    let ((), build) = timed(|| SearchIndex::build(&dir, input).unwrap());
    let build_cpu = cpu_s() - cpu0;
    if std::env::var("BENCH_BUILD_ONLY").is_ok() {
        println!("index build      {:.2} s ({build_cpu:.2} s CPU)", build.as_secs_f64());
        return;
    }
    let rss_before = rss_kb("VmRSS:");
    let t = Instant::now();
    let idx = SearchIndex::open(&dir).unwrap();
    let open = t.elapsed();
    println!("documents        {}", idx.len());
    println!("index build      {:.2} s ({build_cpu:.2} s CPU)", build.as_secs_f64());
    println!("index open       {:.2} s", open.as_secs_f64());
    println!("index size       {:.1} MB", dir_size(&std::fs::canonicalize(&dir).unwrap()) as f64 / 1e6);

    let certified: Vec<&annuaire_search::SearchDoc> =
        docs.iter().filter(|d| !d.categories.is_empty()).collect();
    let mut rng = synth::Rng::new(7);
    let n = 2000;
    let topic_words = [
        "excel",
        "anglais",
        "informatique",
        "caces",
        "management",
        "compta",
        "sst",
        "coiffure",
        "formation management",
        "securite incendie",
        "langues",
        "ressources humaines",
        "bureautique",
        "rh",
    ];
    let texts: Vec<String> = (0..n)
        .map(|i| {
            if i % 4 == 0 {
                topic_words[rng.below(topic_words.len())].to_string()
            } else {
                {
                    let d = certified[rng.below(certified.len())];
                    synth::variant(&mut rng, d).0
                }
            }
        })
        .collect();
    let slugs: Vec<&str> = annuaire_search::thematiques().iter().map(|t| t.slug).collect();
    let geo: Vec<(f64, f64)> = docs.iter().filter_map(|d| Some((d.lat?, d.lon?))).take(5000).collect();
    let prefixes: Vec<String> = (0..n)
        .map(|_| {
            let d = certified[rng.below(certified.len())];
            let f = annuaire_search::analysis::fold(&d.nom_affichage);
            let k = (2 + rng.below(10)).min(f.len());
            f.chars().take(k).collect()
        })
        .collect();

    // Warm-up: page cache, lazily built tables, first touches of the side arrays.
    for t in texts.iter().take(200) {
        let _ = idx.search(&SearchQuery::text(t)).unwrap();
    }
    for p in prefixes.iter().take(200) {
        let _ = idx.suggest(p, 8).unwrap();
    }
    for tri in [Tri::Nom, Tri::Pertinence] {
        let _ = idx.search(&SearchQuery { tri, inclure_non_certifies: true, ..Default::default() }).unwrap();
    }

    let mut hits = 0usize;
    let mut wall = Vec::new();
    let (mut names, mut topics) = (Vec::new(), Vec::new());
    for (i, t) in texts.iter().enumerate() {
        let (r, w) = timed(|| idx.search(&SearchQuery::text(t)).unwrap());
        wall.push(w);
        if i % 4 == 0 {
            topics.push(w)
        } else {
            names.push(w)
        }
        hits += r.total;
    }
    report("text", wall);
    report("  of which names", names);
    report("  of which topic words", topics);

    let mut wall = Vec::new();
    let (mut no_text, mut with_text) = (Vec::new(), Vec::new());
    for i in 0..n {
        let (lat, lon) = geo[rng.below(geo.len())];
        let q = SearchQuery {
            thematiques: vec![slugs[i % slugs.len()].to_string()],
            lat: Some(lat),
            lon: Some(lon),
            rayon_km: Some([10.0, 30.0, 50.0][i % 3]),
            text: if i % 2 == 0 { String::new() } else { topic_words[i % topic_words.len()].to_string() },
            ..Default::default()
        };
        let (r, w) = timed(|| idx.search(&q).unwrap());
        wall.push(w);
        if q.text.is_empty() {
            no_text.push(w)
        } else {
            with_text.push(w)
        }
        hits += r.facettes.departements.len();
    }
    report("topic+place+radius+facets", wall);
    report("  of which without text", no_text);
    report("  of which with a topic word", with_text);

    let mut wall = Vec::new();
    for p in &prefixes {
        let (r, w) = timed(|| idx.suggest(p, 8).unwrap());
        wall.push(w);
        hits += r.len();
    }
    report("autocomplete", wall);

    let depts = ["75", "13", "69", "33", "59", "31", "44", "2A"];
    let mut wall = Vec::new();
    for i in 0..n {
        let mut q = SearchQuery {
            tri: [Tri::Nom, Tri::Pertinence][i % 2],
            page: 1 + rng.below(20),
            ..Default::default()
        };
        match i % 4 {
            0 => q.departement = Some(depts[i % depts.len()].to_string()),
            1 => q.categories = vec![Categorie::Vae],
            2 => q.region = Some("84".to_string()),
            _ => q.inclure_non_certifies = true,
        }
        let (r, w) = timed(|| idx.search(&q).unwrap());
        wall.push(w);
        hits += r.total;
    }
    report("browsing (empty text)", wall);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average     {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));

    println!(
        "resident memory  {:.0} MB (peak {:.0} MB; {:.0} MB before opening, data generation included)",
        rss_kb("VmRSS:") as f64 / 1024.0,
        rss_kb("VmHWM:") as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
    println!("(checksum {hits})");
}
