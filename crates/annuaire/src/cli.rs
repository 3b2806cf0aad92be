//! The command line: every subcommand and option in one place.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "annuaire", version, about = "Annuaire des organismes de formation certifiés Qualiopi")]
pub struct Cli {
    /// Where the database, raw snapshots and index live.
    #[arg(long, global = true, env = "ANNUAIRE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the JSON API and the web directory (the main job).
    Serve(ServeArgs),
    /// Import one snapshot of the official list (default: the data.gouv.fr file).
    Sync(SyncArgs),
    /// Counts: providers listed, certified, per scope and region, last sync.
    Stats(JsonArg),
    /// The change log.
    Changes(ChangesArgs),
    /// One provider by NDA, SIRET or SIREN, with its history.
    Show(ShowArgs),
    /// Current state of every provider, as CSV or JSON Lines.
    Export(ExportArgs),
    /// Search providers: text, place and radius, scopes, topics (certified only by default).
    Search(SearchArgs),
    /// Rebuild the search index from the store (sync does it after each import).
    Reindex,
    /// French places: resolve what people type, or suggest while they type.
    #[command(subcommand)]
    Places(PlacesCommand),
    /// Write SYNTHETIC snapshots in the official format (tests, benchmarks, demos).
    Testdata(TestdataArgs),
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Local file (plain or .gz) or http(s) URL.
    #[arg(long)]
    pub from: Option<String>,
    /// Date of the snapshot (YYYY-MM-DD); default: the source's Last-Modified, else today.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Import even if the file has far fewer valid rows than the last snapshot.
    #[arg(long)]
    pub accept_shrink: bool,
    /// Mark the snapshot as synthetic (generated) data.
    #[arg(long)]
    pub synthetique: bool,
    /// Do not rebuild the search index after the import (run `annuaire reindex` later).
    #[arg(long)]
    pub sans_index: bool,
    /// Largest accepted file, in MB.
    #[arg(long, default_value_t = 512)]
    pub max_size_mb: u64,
    /// Give up on a download after this many seconds.
    #[arg(long, default_value_t = 900)]
    pub timeout_s: u64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Only changes on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<NaiveDate>,
    /// Only these types (repeatable): nouveau, disparu, reapparu, certifie, decertifie,
    /// categorie_ajoutee, categorie_retiree, renomme, adresse_modifiee, transfere.
    #[arg(long = "type")]
    pub types: Vec<String>,
    #[arg(long, default_value_t = 10_000)]
    pub limit: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// NDA (11 digits), SIRET (14) or SIREN (9).
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Include providers absent from the latest snapshot.
    #[arg(long)]
    pub inclure_absents: bool,
}

#[derive(Debug, Subcommand)]
pub enum PlacesCommand {
    Resolve(PlaceArgs),
    Suggest(PlaceArgs),
}

#[derive(Debug, Args)]
pub struct PlaceArgs {
    pub text: String,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TestdataArgs {
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 160_000)]
    pub rows: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of weekly snapshots.
    #[arg(long, default_value_t = 3)]
    pub snapshots: usize,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What people type: "formation excel marseille", "cybersécurité Île-de-France", "bilan de compétences 69".
    #[arg(default_value = "")]
    pub text: String,
    /// Place (commune, postal code, department, region); overrides a place read from the text.
    #[arg(long)]
    pub lieu: Option<String>,
    #[arg(long, requires = "lon")]
    pub lat: Option<f64>,
    #[arg(long, requires = "lat")]
    pub lon: Option<f64>,
    #[arg(long)]
    pub rayon_km: Option<f64>,
    /// Scope (repeatable): actions_formation, bilans_competences, vae, apprentissage.
    #[arg(long = "categorie")]
    pub categories: Vec<String>,
    /// Topic slug (repeatable).
    #[arg(long = "thematique")]
    pub thematiques: Vec<String>,
    #[arg(long)]
    pub departement: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    /// pertinence, distance or nom.
    #[arg(long, default_value = "pertinence")]
    pub tri: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Include providers without any certification scope.
    #[arg(long)]
    pub inclure_non_certifies: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Sync with the official list this often ("24h", "30m", "90s"; "0" never).
    #[arg(long, default_value = "24h")]
    pub sync_every: String,
    /// Source of syncs: a local file (CSV or .gz) or an http(s) URL; the official list by default.
    #[arg(long)]
    pub from: Option<String>,
    /// Mark what `--from` imports as SYNTHETIC (generated) data; every answer then says so.
    #[arg(long)]
    pub synthetique: bool,
    /// Serve generated SYNTHETIC data (in <data-dir>/demo), and say so on every answer.
    #[arg(long)]
    pub demo: bool,
    /// Providers in the generated demo list.
    #[arg(long, default_value_t = 160_000)]
    pub demo_rows: usize,
    /// Requests per second per client (0 turns limiting off).
    #[arg(long, default_value_t = 20)]
    pub rate_limit: u32,
    /// Requests a client may send at once before being limited (default: 3 × rate).
    #[arg(long)]
    pub rate_burst: Option<u32>,
    /// Reverse proxy whose X-Forwarded-For is trusted (repeatable).
    #[arg(long = "trusted-proxy")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Token for the admin actions (POST /api/v1/admin/…); they are off without one.
    #[arg(long, env = "ANNUAIRE_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Public base URL for canonical links, the sitemap and feeds ("https://annuaire.example.fr").
    #[arg(long, env = "ANNUAIRE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Longest time a request may take, in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout_s: u64,
}
