//! Resolver and suggest latency, load time and memory of the reference data.
//! Run: `cargo run --release -p annuaire-geo --example bench`

use annuaire_geo::Places;
use std::hint::black_box;
use std::time::Instant;

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn percentiles(mut ns: Vec<u128>) -> (f64, f64) {
    ns.sort_unstable();
    let at = |q: f64| ns[((ns.len() as f64 - 1.0) * q) as usize] as f64 / 1000.0;
    (at(0.5), at(0.99))
}

fn main() {
    let before = rss_kb();
    let t = Instant::now();
    let places = Places::get();
    let load = t.elapsed();
    let after = rss_kb();
    println!(
        "load: {:.1} ms, RSS +{:.1} MB ({} communes)",
        load.as_secs_f64() * 1000.0,
        (after - before) as f64 / 1024.0,
        places.communes().len()
    );

    // What people type: cities in every spelling, arrondissements, codes, areas, typos, misses.
    let queries = [
        "Marseille",
        "marseille",
        "Paris 11e",
        "lyon 3eme",
        "Saint-Étienne",
        "st etienne",
        "Toulouse",
        "bordeaux",
        "13008",
        "75011",
        "69441",
        "69",
        "2A",
        "971",
        "Bouches-du-Rhône",
        "Île-de-France",
        "IDF",
        "PACA",
        "Bretagne",
        "Alsace",
        "Nantes",
        "lille",
        "Saint-Denis",
        "Valence",
        "aix en provence",
        "clermont ferrand",
        "Rennes",
        "Grenoble",
        "Montpellier",
        "Strasbourg",
        "Nice",
        "Le Havre",
        "Reims",
        "Dijon",
        "Angers",
        "Brest",
        "marsielle",
        "toulouze",
        "xyzzy",
        "formation",
    ];
    let rounds = 500;
    let mut times = Vec::with_capacity(queries.len() * rounds);
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            black_box(places.resolve(black_box(q), 10));
            times.push(t.elapsed().as_nanos());
        }
    }
    let (p50, p99) = percentiles(times);
    println!("resolve: {} queries, p50 {p50:.1} µs, p99 {p99:.1} µs", queries.len() * rounds);

    let prefixes = [
        "m", "ma", "mar", "mars", "par", "pa", "tou", "st e", "saint", "bor", "ly", "l", "nan", "gre", "13",
        "750", "ile", "bre", "aix", "cl",
    ];
    let mut times = Vec::with_capacity(prefixes.len() * rounds);
    for _ in 0..rounds {
        for q in &prefixes {
            let t = Instant::now();
            black_box(places.suggest(black_box(q), 10));
            times.push(t.elapsed().as_nanos());
        }
    }
    let (p50, p99) = percentiles(times);
    println!("suggest: {} prefixes, p50 {p50:.1} µs, p99 {p99:.1} µs", prefixes.len() * rounds);

    let rows = [
        (Some("75011"), Some("PARIS"), Some("11")),
        (Some("69441"), Some("LYON CEDEX 03"), Some("84")),
        (Some("1000"), Some("BOURG EN BRESSE"), Some("84")),
        (Some("42100"), Some("ST ETIENNE"), Some("84")),
        (None, None, Some("93")),
        (Some("13013"), Some("MARSEILLE 13EME"), Some("93")),
    ];
    let mut times = Vec::new();
    for _ in 0..rounds * 5 {
        for (cp, v, r) in rows {
            let t = Instant::now();
            black_box(places.geocode(cp, v, r));
            times.push(t.elapsed().as_nanos());
        }
    }
    let (p50, p99) = percentiles(times);
    println!("geocode: p50 {p50:.1} µs, p99 {p99:.1} µs");
}
