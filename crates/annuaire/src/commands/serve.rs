//! `annuaire serve`: the main job. Binds first (so `/healthz` answers and `/readyz` says 503),
//! then loads the data, syncing from the official list on a first start, and keeps syncing on
//! schedule until SIGINT or SIGTERM.

use std::time::Duration;

use annuaire_fetch::{FetchError, FetchOptions};
use annuaire_server::state::SyncFailure;
use annuaire_server::{AppState, ServerConfig};
use annuaire_store::Store;
use annuaire_sync::{SyncError, SyncOptions};
use anyhow::{Context, bail};

use crate::cli::{Cli, ServeArgs};
use crate::output::{data_dir, open_store, runtime};

/// "24h", "30m", "90s", "2d", or a bare number of seconds; "0" means never.
pub fn parse_duration(text: &str) -> anyhow::Result<Option<Duration>> {
    let t = text.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 =
        num.parse().with_context(|| format!("durée invalide « {text} » (exemples : 24h, 30m, 0)"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" | "j" => n * 86_400,
        _ => bail!("durée invalide « {text} » (unités : s, m, h, d)"),
    };
    Ok((secs > 0).then(|| Duration::from_secs(secs)))
}

fn init_logging() {
    // ANNUAIRE_LOG=warn quiets the per-request lines.
    let level = match std::env::var("ANNUAIRE_LOG").as_deref() {
        Ok("off") => tracing_subscriber::filter::LevelFilter::OFF,
        Ok("error") => tracing_subscriber::filter::LevelFilter::ERROR,
        Ok("warn") => tracing_subscriber::filter::LevelFilter::WARN,
        Ok("debug") => tracing_subscriber::filter::LevelFilter::DEBUG,
        _ => tracing_subscriber::filter::LevelFilter::INFO,
    };
    let _ = tracing_subscriber::fmt().with_max_level(level).with_target(false).with_ansi(false).try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

pub fn run(cli: &Cli, args: &ServeArgs) -> anyhow::Result<()> {
    init_logging();
    let every = parse_duration(&args.sync_every)?;
    let base = data_dir(cli.data_dir.as_deref())?;
    // Demo data never mixes with real data.
    let dir = if args.demo { base.join("demo") } else { base };
    let config = ServerConfig {
        rate_limit: args.rate_limit,
        rate_burst: args.rate_burst.unwrap_or(args.rate_limit.saturating_mul(3)),
        trusted_proxies: args.trusted_proxies.clone(),
        admin_token: args.admin_token.clone().filter(|t| !t.trim().is_empty()),
        request_timeout: Duration::from_secs(args.timeout_s.max(1)),
        sync: SyncOptions {
            from: args.from.clone(),
            synthetic: args.synthetique,
            fetch: FetchOptions { progress: false, ..FetchOptions::default() },
            ..SyncOptions::default()
        },
        demo: args.demo,
        public_url: args.public_url.clone(),
        ..ServerConfig::default()
    };
    runtime()?.block_on(async move {
        let store = open_store(&dir).await?;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("impossible d'écouter sur {}", args.addr))?;
        let local = listener.local_addr()?;
        let state = AppState::new(store, dir.clone(), config);
        let server = tokio::spawn(annuaire_server::serve(state.clone(), listener, shutdown_signal()));
        eprintln!("annuaire écoute sur http://{local} (données : {})", dir.display());
        if let Err(e) = load(&state, args).await {
            server.abort();
            return Err(e);
        }
        eprintln!("prêt : http://{local}/");
        // Demo data is generated, not synced, unless a source was given explicitly.
        if let Some(every) = every.filter(|_| !args.demo || args.from.is_some()) {
            tokio::spawn(annuaire_server::scheduler(state.clone(), every));
        }
        server.await.context("serveur interrompu")?.context("serveur")?;
        state.store.close().await;
        Ok(())
    })
}

/// Data to serve: generated for `--demo`, synced on a first start, else what the store holds.
async fn load(state: &AppState, args: &ServeArgs) -> anyhow::Result<()> {
    if args.demo {
        eprintln!("génération des données SYNTHÉTIQUES de démonstration ({} organismes)…", args.demo_rows);
        annuaire_server::demo::prepare(&state.store, &state.data_dir, args.demo_rows, 3, 42)
            .await
            .context("préparation des données de démonstration")?;
    }
    if state.store.latest_snapshot().await?.is_some() {
        state.reload().await.context("chargement des données")?;
        return Ok(());
    }
    eprintln!(
        "première synchronisation depuis {}…",
        args.from.as_deref().unwrap_or("la liste officielle (data.gouv.fr)")
    );
    match state.sync_now().await {
        Ok(_) => Ok(()),
        Err(SyncFailure::Sync(
            e @ SyncError::Fetch(
                FetchError::Connect { .. } | FetchError::Timeout { .. } | FetchError::Status { .. },
            ),
        )) => bail!(
            "aucune donnée locale et la liste officielle est injoignable : {e}\n  \
             Hors ligne ? Lancez `annuaire serve --from FICHIER` (CSV ou .gz de la liste) ou \
             `annuaire serve --demo` (données synthétiques).\n  \
             No local data and the official list cannot be downloaded: start with --from FILE or --demo."
        ),
        Err(e) => Err(anyhow::Error::new(e).context("première synchronisation")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h").unwrap(), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("30m").unwrap(), Some(Duration::from_secs(1800)));
        assert_eq!(parse_duration("90").unwrap(), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("2d").unwrap(), Some(Duration::from_secs(172_800)));
        assert_eq!(parse_duration("0").unwrap(), None);
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("5y").is_err());
        assert!(parse_duration("").is_err());
    }
}
