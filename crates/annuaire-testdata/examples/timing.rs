//! Times the generation of a national-scale SYNTHETIC series:
//! `cargo run --release -p annuaire-testdata --example timing [ROWS] [SNAPSHOTS]`.

use annuaire_testdata::{GenConfig, generate};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rows = args.next().and_then(|a| a.parse().ok()).unwrap_or(160_000);
    let snapshots = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let t = Instant::now();
    let series = generate(&GenConfig { rows, snapshots, ..GenConfig::default() });
    let elapsed = t.elapsed();
    for s in &series.snapshots {
        println!(
            "{}: {} bytes, {} valid rows, {} certified, {} expected changes, {} quirks",
            s.date,
            s.csv.len(),
            s.valid_rows,
            s.certified_rows,
            s.expected_changes.len(),
            s.quirks.len()
        );
    }
    if let Some(last) = series.snapshots.last() {
        for kind in annuaire_testdata::CHANGE_KINDS {
            let n = last.expected_changes.iter().filter(|c| c.kind == kind).count();
            println!("  last transition: {kind} {n}");
        }
    }
    println!("generated {rows} rows x {snapshots} snapshots in {:.2} s", elapsed.as_secs_f64());
}
