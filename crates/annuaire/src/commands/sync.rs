//! `annuaire sync`: import one snapshot of the official list.

use crate::cli::{Cli, SyncArgs};
use crate::output::{data_dir, fr_date, n, open_store, print_json, runtime};
use annuaire_fetch::{FetchError, FetchOptions};
use annuaire_store::FaultPoint;
use annuaire_sync::{SyncError, SyncOptions, SyncOutcome};
use anyhow::bail;
use std::io::IsTerminal;
use std::time::Duration;

pub fn run(cli: &Cli, args: &SyncArgs) -> anyhow::Result<()> {
    let dir = data_dir(cli.data_dir.as_deref())?;
    let opts = SyncOptions {
        from: args.from.clone(),
        date: args.date,
        accept_shrink: args.accept_shrink,
        synthetic: args.synthetique,
        fetch: FetchOptions {
            max_bytes: args.max_size_mb.saturating_mul(1024 * 1024),
            total_timeout: Duration::from_secs(args.timeout_s),
            progress: !args.json && std::io::stderr().is_terminal(),
            ..FetchOptions::default()
        },
        // Test hook for the atomicity tests; documented in ARCHITECTURE.md.
        fault: match std::env::var("ANNUAIRE_TEST_FAULT").as_deref() {
            Ok("before-commit") => FaultPoint::BeforeCommit,
            _ => FaultPoint::None,
        },
    };
    let outcome = runtime()?.block_on(async {
        let store = open_store(&dir).await?;
        let r = annuaire_sync::sync(&store, &dir, &opts).await;
        // The index is derived from the store: rebuild it after an import, or when it is missing.
        let needs_index = !args.sans_index
            && (matches!(r, Ok(SyncOutcome::Importe(_)))
                || (r.is_ok() && !annuaire_sync::index_dir(&dir).exists()));
        let indexed = if needs_index { Some(annuaire_sync::reindex(&store, &dir).await) } else { None };
        store.close().await;
        anyhow::Ok((r, indexed))
    })?;
    let (outcome, indexed) = outcome;
    if let Some(Err(e)) = &indexed {
        bail!("données synchronisées, mais l'index de recherche n'a pas pu être reconstruit : {e}");
    }
    let outcome = match outcome {
        Ok(o) => o,
        Err(e @ SyncError::Fetch(FetchError::Connect { .. } | FetchError::Timeout { .. })) => {
            bail!(
                "{e}\n  Hors ligne ? Importez un fichier local avec --from FICHIER (CSV ou .gz), \
                 ou générez des données SYNTHÉTIQUES avec `annuaire testdata --out DOSSIER`."
            )
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        return print_json(&outcome);
    }
    match outcome {
        SyncOutcome::Inchange { raison, .. } => println!("inchangé : {raison}"),
        SyncOutcome::Importe(r) => {
            println!(
                "Liste du {} importée{} en {} ms",
                fr_date(r.date),
                if r.synthetique { " (données SYNTHÉTIQUES)" } else { "" },
                r.duree_ms
            );
            println!(
                "  {} lignes, {} valides dont {} certifiées, {} rejetées, {} corrigées, {} inchangées",
                n(r.lignes),
                n(r.valides as u64),
                n(r.certifies as u64),
                n(r.rejetees as u64),
                n(r.corrections as u64),
                n(r.inchanges as u64)
            );
            let changes: Vec<String> = r
                .changements
                .iter()
                .filter(|(_, c)| **c > 0)
                .map(|(t, c)| format!("{t} {}", n(*c as u64)))
                .collect();
            println!(
                "  changements : {}",
                if changes.is_empty() { "aucun".into() } else { changes.join(", ") }
            );
            let steps: Vec<String> = r.etapes_ms.iter().map(|(s, ms)| format!("{s} {ms}")).collect();
            println!("  étapes (ms) : {}", steps.join(", "));
            for rej in r.rejets.iter().take(20) {
                println!("  rejet ligne {} ({}) : {}", rej.ligne, rej.motif, rej.message);
            }
            if r.rejets.len() > 20 {
                println!("  … et {} autres rejets (--json pour la liste complète)", r.rejets.len() - 20);
            }
        }
    }
    Ok(())
}
