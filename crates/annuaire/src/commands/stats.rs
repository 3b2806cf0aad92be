//! `annuaire stats`: what the store holds and how fresh it is.

use crate::cli::{Cli, JsonArg};
use crate::output::{data_dir, fr_date, n, open_store, print_json, runtime};
use annuaire_store::Store;

pub fn run(cli: &Cli, args: &JsonArg) -> anyhow::Result<()> {
    let dir = data_dir(cli.data_dir.as_deref())?;
    let stats = runtime()?.block_on(async {
        let store = open_store(&dir).await?;
        anyhow::Ok(store.stats().await?)
    })?;
    if args.json {
        return print_json(&stats);
    }
    match &stats.derniere_synchro {
        None => {
            println!("Aucune synchronisation : lancez `annuaire sync`.");
            return Ok(());
        }
        Some(s) => {
            println!(
                "Liste du {}{} — synchronisée le {} ({} instantanés, source {})",
                fr_date(s.date),
                if s.synthetique { " (données SYNTHÉTIQUES)" } else { "" },
                s.imported_at.get(..10).unwrap_or(&s.imported_at),
                stats.snapshots,
                s.source
            );
            println!("Lignes rejetées au dernier import : {}", n(s.rejetees));
        }
    }
    println!("Organismes listés : {} (connus au total : {})", n(stats.organismes), n(stats.connus));
    println!("Certifiés Qualiopi : {}", n(stats.certifies));
    let mut cats: Vec<_> = stats.par_categorie.iter().collect();
    cats.sort();
    for (c, v) in cats {
        println!("  {c} : {}", n(*v));
    }
    println!("Par région (listés / certifiés) :");
    for r in &stats.par_region {
        println!("  {} : {} / {}", r.code_region.as_deref().unwrap_or("?"), n(r.organismes), n(r.certifies));
    }
    println!("Géocodage (précision) :");
    for (p, v) in &stats.par_precision_geo {
        println!("  {p} : {}", n(*v));
    }
    println!("Changements enregistrés : {}", n(stats.changements));
    Ok(())
}
