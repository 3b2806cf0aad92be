//! `annuaire search` and `annuaire reindex`.

use crate::cli::{Cli, SearchArgs};
use crate::output::{data_dir, n, open_store, print_json, runtime};
use annuaire_core::Categorie;
use annuaire_search::{SearchIndex, SearchQuery};
use anyhow::{Context, bail};

pub fn run(cli: &Cli, args: &SearchArgs) -> anyhow::Result<()> {
    if args.limit == 0 || args.limit > 100 {
        bail!("--limit doit être compris entre 1 et 100");
    }
    let query = SearchQuery {
        text: args.text.clone(),
        lieu: args.lieu.clone(),
        lat: args.lat,
        lon: args.lon,
        rayon_km: args.rayon_km,
        categories: args.categories.iter().map(|c| c.parse::<Categorie>()).collect::<Result<_, _>>()?,
        thematiques: args.thematiques.clone(),
        departement: args.departement.clone(),
        region: args.region.clone(),
        inclure_non_certifies: args.inclure_non_certifies,
        tri: args.tri.parse()?,
        page: args.page.max(1),
        par_page: args.limit,
    };
    let dir = annuaire_sync::index_dir(&data_dir(cli.data_dir.as_deref())?);
    let index = SearchIndex::open(&dir)
        .context("index de recherche absent : lancez `annuaire sync` ou `annuaire reindex`")?;
    let results = index.search(&query)?;
    if args.json {
        return print_json(&results);
    }
    println!("{} résultat(s) — {}", n(results.total as u64), results.interpretation.libelle);
    for h in &results.resultats {
        let cats: Vec<&str> = h.categories.iter().map(|c| c.libelle()).collect();
        println!(
            "  {} — {} {}{} [{}] NDA {}",
            h.denomination,
            h.code_postal.as_deref().unwrap_or(""),
            h.commune.as_deref().unwrap_or(""),
            h.distance_km.map(|d| format!(" ({d:.1} km)")).unwrap_or_default(),
            if cats.is_empty() { "non certifié".to_string() } else { cats.join(", ") },
            h.nda
        );
    }
    Ok(())
}

pub fn reindex(cli: &Cli) -> anyhow::Result<()> {
    let dir = data_dir(cli.data_dir.as_deref())?;
    let count = runtime()?.block_on(async {
        let store = open_store(&dir).await?;
        anyhow::Ok(annuaire_sync::reindex(&store, &dir).await?)
    })?;
    println!("index reconstruit : {} organismes", n(count as u64));
    Ok(())
}
