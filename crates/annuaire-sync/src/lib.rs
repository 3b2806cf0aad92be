//! The import pipeline: fetch → read → check → geocode → compare → store.
//!
//! This is the only writer of source data. Every step before [`Store::apply`] is side-effect
//! free apart from the compressed raw copy of the file, so a refused file (bad header, truncated
//! download, shrunken list) leaves the store exactly as it was. The CLI and the server's
//! scheduled syncs both call [`sync`].

use annuaire_core::history::{self, Diff};
use annuaire_core::{ChangeType, Organisme};
use annuaire_fetch::{FetchError, FetchOptions, FetchOutcome};
use annuaire_geo::{Geocode, Places, Precision};
use annuaire_search::{IndexSource, SearchIndex};
use annuaire_sources::liste_of::{self, ListError, Rejet};
use annuaire_store::{
    FaultPoint, GeoColumns, NewSnapshot, OrganismeRecord, RowIssue, SnapshotInfo, Store, StoreError,
};
use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// data.gouv.fr resource of the official list; it redirects to the ministry's current file.
pub const OFFICIAL_URL: &str = "https://www.data.gouv.fr/fr/datasets/r/ac59a0f5-fa83-4b82-bf12-3c5806d4f19f";

/// Below this share of the previous snapshot's valid rows, a file is taken for a truncated or
/// broken download. The real list moves by well under 1% a week, and its yearly purge of late
/// filers by a few percent.
pub const SHRINK_THRESHOLD: f64 = 0.8;

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Path or http(s) URL; the official list when `None`.
    pub from: Option<String>,
    pub date: Option<NaiveDate>,
    pub accept_shrink: bool,
    pub fetch: FetchOptions,
    /// The file comes from the synthetic generator: recorded so no page presents it as real.
    pub synthetic: bool,
    pub fault: FaultPoint,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            from: None,
            date: None,
            accept_shrink: false,
            fetch: FetchOptions::default(),
            synthetic: false,
            fault: FaultPoint::None,
        }
    }
}

/// Errors of a sync. Each one leaves the stored data unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("téléchargement impossible : {0}")]
    Fetch(#[from] FetchError),
    #[error("fichier refusé : {0}")]
    List(#[from] ListError),
    #[error(
        "fichier refusé : {valides} lignes valides contre {precedent} dans la liste précédente \
         (moins de {pct} %) ; téléchargement tronqué ? Relancez avec --accept-shrink si c'est voulu",
        pct = (SHRINK_THRESHOLD * 100.0) as u32
    )]
    Shrink { valides: usize, precedent: i64 },
    #[error("date du fichier {date} antérieure à la dernière synchronisation ({last})")]
    DateOrder { date: NaiveDate, last: NaiveDate },
    #[error("erreur de stockage : {0}")]
    Store(#[from] StoreError),
    #[error("erreur d'entrée-sortie : {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "statut", rename_all = "snake_case")]
pub enum SyncOutcome {
    /// Nothing written: the server answered 304, or the file is byte-identical to the last one.
    Inchange {
        raison: String,
        derniere_synchro: Option<SnapshotInfo>,
    },
    Importe(SyncReport),
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub snapshot_id: i64,
    pub date: NaiveDate,
    pub source: String,
    pub sha256: String,
    pub fichier_brut: Option<String>,
    pub lignes: u64,
    pub valides: usize,
    pub certifies: usize,
    pub rejetees: usize,
    pub corrections: usize,
    pub inchanges: usize,
    pub changements: BTreeMap<&'static str, usize>,
    /// Every rejected row, with line, reason and raw text.
    pub rejets: Vec<Rejet>,
    pub synthetique: bool,
    pub duree_ms: u128,
    /// Time per step, in order, for operators (where a slow sync spends its time).
    pub etapes_ms: Vec<(&'static str, u128)>,
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// Import one snapshot of the list.
pub async fn sync<S: Store>(
    store: &S,
    data_dir: &Path,
    opts: &SyncOptions,
) -> Result<SyncOutcome, SyncError> {
    let started = Instant::now();
    // The place tables take a few hundred milliseconds to load: do it on the other core while
    // the file is fetched and read.
    let preload = std::thread::spawn(|| {
        Places::get();
    });
    let mut etapes: Vec<(&'static str, u128)> = Vec::new();
    let mut lap = Instant::now();
    let mut step = |name: &'static str| {
        etapes.push((name, lap.elapsed().as_millis()));
        lap = Instant::now();
    };
    let latest = store.latest_snapshot().await?;
    let source = opts.from.clone().unwrap_or_else(|| OFFICIAL_URL.to_string());

    let (bytes, etag, last_modified, source_date) = if is_url(&source) {
        let tmp = data_dir.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        let mut fo = opts.fetch.clone();
        // Conditional GET only against the same source; a new URL must be read in full.
        if let Some(l) = latest.as_ref().filter(|l| l.source == source) {
            fo.etag = l.etag.clone();
            fo.last_modified = l.last_modified.clone();
        }
        match annuaire_fetch::fetch(&source, &tmp, &fo).await? {
            FetchOutcome::NotModified => {
                return Ok(SyncOutcome::Inchange {
                    raison: "la source répond 304 (non modifiée)".into(),
                    derniere_synchro: latest,
                });
            }
            FetchOutcome::Fetched(f) => {
                let bytes = std::fs::read(&f.path);
                let _ = std::fs::remove_file(&f.path);
                (bytes?, f.etag, f.last_modified, f.last_modified_date)
            }
        }
    } else {
        let path = PathBuf::from(&source);
        let bytes = annuaire_fetch::read_source_file(&path, opts.fetch.max_bytes)?;
        (bytes, None, None, None)
    };

    step("lecture");
    let sha256 = hex(&Sha256::digest(&bytes));
    step("sha256");
    if let Some(l) = latest.as_ref().filter(|l| l.sha256 == sha256) {
        return Ok(SyncOutcome::Inchange {
            raison: format!("contenu identique à la liste du {}", l.date.format("%d/%m/%Y")),
            derniere_synchro: latest,
        });
    }
    let date = opts.date.or(source_date).unwrap_or_else(|| chrono::Local::now().date_naive());
    if let Some(l) = &latest {
        if date < l.date {
            return Err(SyncError::DateOrder { date, last: l.date });
        }
    }

    // Archive the raw file on the other core while this one reads it.
    let raw_rel = format!("raw/{}-{}.csv.gz", date, &sha256[..12]);
    let raw_abs = data_dir.join(&raw_rel);
    let (parsed, archived) = std::thread::scope(|s| {
        let archiver = s.spawn(|| -> std::io::Result<()> {
            if raw_abs.exists() {
                return Ok(());
            }
            if let Some(dir) = raw_abs.parent() {
                std::fs::create_dir_all(dir)?;
            }
            annuaire_fetch::gzip_to(&bytes, &raw_abs)
        });
        let parsed = liste_of::parse(&bytes);
        let archived = archiver.join().unwrap_or_else(|_| Err(std::io::Error::other("archiver panicked")));
        (parsed, archived)
    });
    step("analyse_et_archive");
    let parsed = parsed?;
    archived?;
    drop(bytes);

    if let Some(l) = &latest {
        if !opts.accept_shrink && (parsed.organismes.len() as f64) < SHRINK_THRESHOLD * l.valides as f64 {
            return Err(SyncError::Shrink { valides: parsed.organismes.len(), precedent: l.valides });
        }
    }

    let valides = parsed.organismes.len();
    let certifies = parsed.organismes.iter().filter(|o| o.certifications.any()).count();
    let rows: Vec<(Organisme, u64)> = parsed
        .organismes
        .into_iter()
        .map(|o| {
            let fp = history::fingerprint(&o);
            (o, fp)
        })
        .collect();
    step("empreintes");
    let known = store.known().await?;
    let previous = store.previous(&history::needs_previous(&known, &rows)).await?;
    let still_listed: HashSet<String> = parsed.rejets.iter().filter_map(|r| r.nda.clone()).collect();
    step("etat_precedent");
    let diff = history::diff(date, &known, &previous, rows, &still_listed);
    step("comparaison");
    drop(previous);
    drop(known);

    let _ = preload.join();
    let geo = geocode(&diff);
    step("geocodage");
    let rejets: Vec<RowIssue> = parsed
        .rejets
        .iter()
        .map(|r| RowIssue {
            ligne: r.ligne as i64,
            nda: r.nda.clone(),
            motif: r.motif.to_string(),
            message: r.message.clone(),
            brut: Some(r.brut.clone()),
        })
        .collect();
    let corrections: Vec<RowIssue> = parsed
        .corrections
        .iter()
        .map(|c| RowIssue {
            ligne: c.ligne as i64,
            nda: Some(c.nda.clone()),
            motif: c.champ.to_string(),
            message: c.avant.clone(),
            brut: c.apres.clone(),
        })
        .collect();
    let snapshot = NewSnapshot {
        date,
        source: source.clone(),
        etag,
        last_modified,
        sha256: sha256.clone(),
        raw_path: Some(raw_rel.clone()),
        lignes: parsed.lignes as i64,
        valides: valides as i64,
        synthetique: opts.synthetic,
    };
    if opts.fault != FaultPoint::None {
        store.inject_fault(opts.fault);
    }
    let snapshot_id = store.apply(&snapshot, &diff, &geo, &rejets, &corrections).await?;
    step("ecriture");

    Ok(SyncOutcome::Importe(SyncReport {
        snapshot_id,
        date,
        source,
        sha256,
        fichier_brut: Some(raw_rel),
        lignes: parsed.lignes,
        valides,
        certifies,
        rejetees: parsed.rejets.len(),
        corrections: parsed.corrections.len(),
        inchanges: diff.unchanged,
        changements: count_changes(&diff),
        rejets: parsed.rejets,
        synthetique: opts.synthetic,
        duree_ms: started.elapsed().as_millis(),
        etapes_ms: etapes,
    }))
}

fn count_changes(diff: &Diff) -> BTreeMap<&'static str, usize> {
    ChangeType::ALL.into_iter().map(|t| (t.as_str(), diff.count(t))).collect()
}

/// Geocode what changed; unchanged rows keep their stored location.
fn geocode(diff: &Diff) -> HashMap<String, GeoColumns> {
    let places = Places::get();
    diff.upserts
        .iter()
        .map(|u| {
            let a = &u.org.adresse;
            let g = places.geocode(a.code_postal.as_deref(), a.ville.as_deref(), a.code_region.as_deref());
            (
                u.org.nda.clone(),
                GeoColumns {
                    code_commune: g.code_commune,
                    lat: g.lat,
                    lon: g.lon,
                    precision_geo: Some(g.precision.as_str().to_string()),
                    departement: g.departement,
                },
            )
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Where the search index lives inside the data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

/// Rebuild the search index from the store: every listed provider, located as stored. The
/// build is atomic (annuaire-search swaps directories), so a failure keeps the previous index and
/// searches never see a half-built one. Returns the number of documents indexed.
pub async fn reindex<S: Store>(store: &S, data_dir: &Path) -> Result<usize, ReindexError> {
    // The snapshot is read before and after the documents: a sync committing in between (another
    // process) would make the recorded source wrong, so the read is retried.
    loop {
        let before = store.latest_snapshot().await?;
        let docs = index_documents(store).await?;
        let after = store.latest_snapshot().await?;
        if before.as_ref().map(|s| s.id) != after.as_ref().map(|s| s.id) {
            continue;
        }
        let n = docs.len();
        SearchIndex::build_from(&index_dir(data_dir), docs, &index_source(after.as_ref()))?;
        return Ok(n);
    }
}

/// What an index built from the store at `snapshot` records as its source.
pub fn index_source(snapshot: Option<&SnapshotInfo>) -> IndexSource {
    IndexSource {
        snapshot_id: snapshot.map(|s| s.id),
        snapshot_date: snapshot.map(|s| s.date.to_string()),
        synthetique: snapshot.is_some_and(|s| s.synthetique),
    }
}

/// The search document of a stored provider, located as stored.
pub fn search_doc(r: &OrganismeRecord) -> annuaire_search::SearchDoc {
    let geo = Geocode {
        code_commune: r.geo.code_commune.clone(),
        lat: r.geo.lat,
        lon: r.geo.lon,
        precision: r.geo.precision_geo.as_deref().and_then(|p| p.parse().ok()).unwrap_or(Precision::Aucune),
        raison: String::new(),
        departement: r.geo.departement.clone(),
        region: r.org.adresse.code_region.clone(),
    };
    annuaire_search::doc_from(&r.org, &geo)
}

/// Every listed provider as a search document.
async fn index_documents<S: Store>(store: &S) -> Result<Vec<annuaire_search::SearchDoc>, StoreError> {
    let mut docs = Vec::with_capacity(170_000);
    store
        .for_each_organisme(false, |r| {
            docs.push(search_doc(&r));
            Ok(())
        })
        .await?;
    Ok(docs)
}

#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    #[error("lecture du stockage : {0}")]
    Store(#[from] StoreError),
    #[error("construction de l'index : {0}")]
    Index(#[from] annuaire_search::SearchError),
}
