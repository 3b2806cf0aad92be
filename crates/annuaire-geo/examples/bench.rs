//! Resolver, suggest and geocoder latency, load time and memory of the reference data.
//! Run: `cargo run --release -p annuaire-geo --example bench`

use annuaire_geo::Places;
use std::hint::black_box;
use std::time::Instant;

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn percentiles(mut ns: Vec<u128>) -> (f64, f64) {
    ns.sort_unstable();
    let at = |q: f64| ns[((ns.len() as f64 - 1.0) * q) as usize] as f64 / 1000.0;
    (at(0.5), at(0.99))
}

fn time<T>(rounds: usize, items: &[T], mut f: impl FnMut(&T)) -> (f64, f64) {
    let mut times = Vec::with_capacity(items.len() * rounds);
    for _ in 0..rounds {
        for it in items {
            let t = Instant::now();
            f(it);
            times.push(t.elapsed().as_nanos());
        }
    }
    percentiles(times)
}

fn main() {
    // The workspace forbids unsafe code, so no counting allocator: the resident set size before
    // and after loading, which includes the allocator's slack, is the honest upper bound.
    let rss0 = rss_kb();
    let t = Instant::now();
    let places = Places::get();
    let load = t.elapsed();
    let rss1 = rss_kb();
    println!(
        "load: {:.1} ms; RSS +{:.1} MB; {} communes and arrondissements",
        load.as_secs_f64() * 1000.0,
        (rss1 - rss0) as f64 / 1024.0,
        places.communes().len()
    );

    // What people type: cities in every spelling, arrondissements, codes, areas, namesakes with
    // a qualifier, typos, misses.
    let queries = [
        "Marseille",
        "marseille",
        "Paris 11e",
        "lyon 3eme",
        "Marseille 13e",
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
        "42218",
        "Bouches-du-Rhône",
        "Île-de-France",
        "IDF",
        "PACA",
        "Bretagne",
        "Alsace",
        "Nantes",
        "lille",
        "Saint-Denis",
        "Saint-Denis 93",
        "Valence",
        "13008 Marseille",
        "aix en provence",
        "Aix",
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
        "bordaux",
        "xyzzy",
        "formation",
    ];
    let rounds = 500;
    let (p50, p99) = time(rounds, &queries, |q| {
        black_box(places.resolve(black_box(q), 10));
    });
    println!("resolve: {} queries × {rounds}, p50 {p50:.1} µs, p99 {p99:.1} µs", queries.len());

    let prefixes = [
        "m", "ma", "mar", "mars", "par", "pa", "tou", "st e", "saint", "bor", "ly", "l", "nan", "gre", "13",
        "750", "ile", "bre", "aix", "cl", "roch", "val", "mont", "s",
    ];
    let (p50, p99) = time(rounds, &prefixes, |q| {
        black_box(places.suggest(black_box(q), 10));
    });
    println!("suggest: {} prefixes × {rounds}, p50 {p50:.1} µs, p99 {p99:.1} µs", prefixes.len());

    let rows = [
        (Some("75011"), Some("PARIS"), Some("11")),
        (Some("69441"), Some("LYON CEDEX 03"), Some("84")),
        (Some("1000"), Some("BOURG EN BRESSE"), Some("84")),
        (Some("42100"), Some("ST ETIENNE"), Some("84")),
        (None, None, Some("93")),
        (Some("13013"), Some("MARSEILLE 13EME"), Some("93")),
        (Some("13002"), Some("AIX EN PROVENCE"), Some("93")),
        (Some("01200"), Some("OCHIAZ"), Some("84")),
    ];
    let (p50, p99) = time(rounds * 5, &rows, |(cp, v, r)| {
        black_box(places.geocode(*cp, *v, *r));
    });
    println!("geocode: {} rows × {}, p50 {p50:.1} µs, p99 {p99:.1} µs", rows.len(), rounds * 5);
}
