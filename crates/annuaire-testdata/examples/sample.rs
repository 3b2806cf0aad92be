//! Writes a small SYNTHETIC series to a directory, to look at:
//! `cargo run -p annuaire-testdata --example sample -- DIR [ROWS]`.

use annuaire_testdata::{GenConfig, write_series};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "testdata-sample".to_string());
    let rows = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000);
    for path in write_series(std::path::Path::new(&dir), &GenConfig { rows, ..GenConfig::default() })? {
        println!("{}", path.display());
    }
    Ok(())
}
