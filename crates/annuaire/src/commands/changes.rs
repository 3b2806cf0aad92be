//! `annuaire changes`: the change log, newest first.

use crate::cli::{ChangesArgs, Cli};
use crate::output::{data_dir, fr_date, open_store, print_json, runtime};
use annuaire_core::ChangeType;
use annuaire_store::{ChangeQuery, Store};

pub fn run(cli: &Cli, args: &ChangesArgs) -> anyhow::Result<()> {
    let kinds = args.types.iter().map(|t| t.parse::<ChangeType>()).collect::<Result<Vec<_>, _>>()?;
    let dir = data_dir(cli.data_dir.as_deref())?;
    let q = ChangeQuery { since: args.since, kinds, limit: args.limit, ..ChangeQuery::default() };
    let changes = runtime()?.block_on(async {
        let store = open_store(&dir).await?;
        anyhow::Ok(store.changes(&q).await?)
    })?;
    if args.json {
        return print_json(&changes);
    }
    for c in &changes {
        let fmt =
            |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "—".into());
        println!(
            "{} {} {:<18} {} → {}  {}",
            fr_date(c.date),
            c.nda,
            c.kind.as_str(),
            fmt(&c.avant),
            fmt(&c.apres),
            c.nom.as_deref().unwrap_or("")
        );
    }
    if changes.is_empty() {
        println!("Aucun changement.");
    }
    Ok(())
}
