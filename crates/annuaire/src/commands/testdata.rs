//! `annuaire testdata`: write a series of SYNTHETIC snapshots for tests, benchmarks and demos.

use crate::cli::TestdataArgs;
use annuaire_testdata::{GenConfig, write_series};
use anyhow::Context;

pub fn run(args: &TestdataArgs) -> anyhow::Result<()> {
    let cfg =
        GenConfig { seed: args.seed, rows: args.rows, snapshots: args.snapshots, ..GenConfig::default() };
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let files = write_series(&args.out, &cfg).context("writing synthetic snapshots")?;
    eprintln!("Données SYNTHÉTIQUES (générées, seed {}) :", args.seed);
    for f in files {
        println!("{}", f.display());
    }
    Ok(())
}
