//! SQLite backend (sqlx), the embedded default.
//!
//! WAL mode lets readers (the server, `annuaire show`) run while a sync writes, and makes a killed
//! writer harmless: an uncommitted transaction is simply absent from the log on the next open.
//! Writes are batched into multi-row statements because per-row round trips through sqlx's worker
//! thread would dominate a 160,000-row import.

use crate::{
    ChangeQuery, ChangeRecord, FaultPoint, GeoColumns, LastChange, NewSnapshot, OrganismeRecord, RegionCount,
    Result, RowIssue, SnapshotInfo, Stats, Store, StoreError,
};
use annuaire_core::history::{Diff, Known, Previous};
use annuaire_core::{ChangeType, Organisme};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{ConnectOptions, QueryBuilder, Row, Sqlite, SqlitePool};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// Migrations are compiled in so the binary needs no files beside it.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
    (2, "changements_nda_lie", include_str!("../migrations/sqlite/0002_changements_nda_lie.sql")),
];

/// SQLite caps bound parameters per statement (32,766 since 3.32); batches stay well under.
const BATCH: usize = 500;

#[derive(Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    fault: AtomicU8,
}

/// `last_seen` is only written when a provider leaves the list: for listed ones it is the date of
/// the latest snapshot, derived here, so a sync does not rewrite every row just to move a date.
const ORG_COLUMNS: &str = "nda, data, present, first_seen, \
     CASE WHEN present = 1 THEN (SELECT date FROM snapshots ORDER BY id DESC LIMIT 1) ELSE last_seen END \
     AS last_seen, certified_since, nda_predecesseur, \
     nda_successeur, code_commune, lat, lon, precision_geo, departement";

impl SqliteStore {
    /// Open (creating if needed) the database file and bring its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode survives any process crash; only a power cut can lose the last
            // committed transaction, never corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            // Whole-table reads (a sync's comparison, a server loading its data) take seconds by
            // design: sqlx's slow-statement warning would fire on every one of them.
            .log_slow_statements(log::LevelFilter::Debug, Duration::from_secs(1));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?;
        let migrator = Migrator {
            migrations: Cow::Owned(
                MIGRATIONS
                    .iter()
                    .map(|(v, d, sql)| {
                        Migration::new(
                            *v,
                            Cow::Borrowed(*d),
                            MigrationType::Simple,
                            Cow::Borrowed(*sql),
                            false,
                        )
                    })
                    .collect(),
            ),
            ..Migrator::DEFAULT
        };
        migrator.run(&pool).await?;
        Ok(SqliteStore { pool, fault: AtomicU8::new(0) })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn date_of(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn opt_date(row: &SqliteRow, col: &str) -> Option<NaiveDate> {
    row.try_get::<Option<String>, _>(col).ok().flatten().as_deref().and_then(date_of)
}

fn req_date(row: &SqliteRow, col: &str) -> NaiveDate {
    opt_date(row, col).unwrap_or_default()
}

fn snapshot_from(row: &SqliteRow) -> Result<SnapshotInfo> {
    Ok(SnapshotInfo {
        id: row.try_get("id")?,
        date: req_date(row, "date"),
        source: row.try_get("source")?,
        etag: row.try_get("etag")?,
        last_modified: row.try_get("last_modified")?,
        sha256: row.try_get("sha256")?,
        raw_path: row.try_get("raw_path")?,
        lignes: row.try_get("lignes")?,
        valides: row.try_get("valides")?,
        rejetees: row.try_get("rejetees")?,
        corrections: row.try_get("corrections")?,
        certifies: row.try_get("certifies")?,
        changements: row.try_get("changements")?,
        synthetique: row.try_get("synthetique")?,
        imported_at: row.try_get("imported_at")?,
    })
}

fn record_from(row: &SqliteRow) -> Result<OrganismeRecord> {
    let nda: String = row.try_get("nda")?;
    let data: String = row.try_get("data")?;
    let org: Organisme = serde_json::from_str(&data).map_err(|source| StoreError::Corrupt { nda, source })?;
    Ok(OrganismeRecord {
        org,
        present: row.try_get("present")?,
        first_seen: req_date(row, "first_seen"),
        last_seen: req_date(row, "last_seen"),
        certified_since: opt_date(row, "certified_since"),
        nda_predecesseur: row.try_get("nda_predecesseur")?,
        nda_successeur: row.try_get("nda_successeur")?,
        geo: GeoColumns {
            code_commune: row.try_get("code_commune")?,
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
            precision_geo: row.try_get("precision_geo")?,
            departement: row.try_get("departement")?,
        },
    })
}

fn change_from(row: &SqliteRow) -> Result<ChangeRecord> {
    let json = |col: &str| -> Result<Option<serde_json::Value>> {
        let s: Option<String> = row.try_get(col)?;
        Ok(s.and_then(|s| serde_json::from_str(&s).ok()))
    };
    let kind: String = row.try_get("type")?;
    Ok(ChangeRecord {
        id: row.try_get("id")?,
        nda: row.try_get("nda")?,
        // The column only ever receives ChangeType strings; an unknown one means a newer
        // binary wrote it, and "nouveau" is the least misleading reading.
        kind: kind.parse().unwrap_or(ChangeType::Nouveau),
        date: req_date(row, "date"),
        avant: json("avant")?,
        apres: json("apres")?,
        nda_lie: row.try_get("nda_lie")?,
        nom: row.try_get("nom")?,
    })
}

/// Fingerprints are u64 but SQLite integers are i64: store the bit pattern.
fn fp_to_db(fp: u64) -> i64 {
    i64::from_ne_bytes(fp.to_ne_bytes())
}

fn fp_from_db(v: i64) -> u64 {
    u64::from_ne_bytes(v.to_ne_bytes())
}

impl Store for SqliteStore {
    async fn latest_snapshot(&self) -> Result<Option<SnapshotInfo>> {
        let row = sqlx::query("SELECT * FROM snapshots ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(snapshot_from).transpose()
    }

    async fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let rows = sqlx::query("SELECT * FROM snapshots ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter().map(snapshot_from).collect()
    }

    async fn known(&self) -> Result<HashMap<String, Known>> {
        let mut out = HashMap::new();
        let mut rows =
            sqlx::query_as::<_, (String, i64, bool)>("SELECT nda, fingerprint, present FROM organismes")
                .fetch(&self.pool);
        while let Some((nda, fp, present)) = rows.try_next().await? {
            out.insert(nda, Known { fingerprint: fp_from_db(fp), present });
        }
        Ok(out)
    }

    async fn previous(&self, ndas: &[String]) -> Result<HashMap<String, Previous>> {
        let mut out = HashMap::with_capacity(ndas.len());
        for chunk in ndas.chunks(BATCH) {
            let mut q =
                QueryBuilder::<Sqlite>::new(format!("SELECT {ORG_COLUMNS} FROM organismes WHERE nda IN ("));
            let mut sep = q.separated(", ");
            for nda in chunk {
                sep.push_bind(nda);
            }
            q.push(")");
            for row in q.build().fetch_all(&self.pool).await? {
                let r = record_from(&row)?;
                out.insert(
                    r.org.nda.clone(),
                    Previous {
                        present: r.present,
                        first_seen: r.first_seen,
                        last_seen: r.last_seen,
                        certified_since: r.certified_since,
                        org: r.org,
                    },
                );
            }
        }
        Ok(out)
    }

    async fn apply<'a>(
        &'a self,
        snap: &'a NewSnapshot,
        diff: &'a Diff,
        geo: &'a HashMap<String, GeoColumns>,
        rejets: &'a [RowIssue],
        corrections: &'a [RowIssue],
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let previous_date =
            sqlx::query_scalar::<_, String>("SELECT date FROM snapshots ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(last) = previous_date.as_deref().and_then(date_of) {
            if snap.date < last {
                return Err(StoreError::DateOrder { new: snap.date, last });
            }
        }
        let date = snap.date.to_string();
        let snapshot_id: i64 = sqlx::query_scalar(
            "INSERT INTO snapshots (date, source, etag, last_modified, sha256, raw_path, lignes, valides, \
             rejetees, corrections, certifies, changements, synthetique, imported_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
        )
        .bind(&date)
        .bind(&snap.source)
        .bind(&snap.etag)
        .bind(&snap.last_modified)
        .bind(&snap.sha256)
        .bind(&snap.raw_path)
        .bind(snap.lignes)
        .bind(snap.valides)
        .bind(rejets.len() as i64)
        .bind(corrections.len() as i64)
        .bind(diff.changes.len() as i64)
        .bind(snap.synthetique)
        .bind(chrono::Utc::now().to_rfc3339())
        .fetch_one(&mut *tx)
        .await?;

        // Upserts: new, changed and returning providers.
        let empty_geo = GeoColumns::default();
        for chunk in diff.upserts.chunks(BATCH) {
            // Serialised per batch so a first import never holds 160,000 JSON strings at once.
            let jchunk: Vec<String> =
                chunk.iter().map(|u| serde_json::to_string(&u.org).unwrap_or_default()).collect();
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO organismes (nda, siren, siret, denomination, code_postal, code_region, certifie, \
                 actions_formation, bilans_competences, vae, apprentissage, present, first_seen, last_seen, \
                 certified_since, nda_predecesseur, code_commune, lat, lon, precision_geo, departement, \
                 fingerprint, data) ",
            );
            q.push_values(chunk.iter().zip(&jchunk), |mut b, (u, json)| {
                let o = &u.org;
                let c = &o.certifications;
                let g = geo.get(&o.nda).unwrap_or(&empty_geo);
                b.push_bind(&o.nda)
                    .push_bind(&o.siren)
                    .push_bind(&o.siret)
                    .push_bind(&o.denomination)
                    .push_bind(&o.adresse.code_postal)
                    .push_bind(&o.adresse.code_region)
                    .push_bind(c.any())
                    .push_bind(c.actions_formation)
                    .push_bind(c.bilans_competences)
                    .push_bind(c.vae)
                    .push_bind(c.apprentissage)
                    .push_bind(true)
                    .push_bind(u.first_seen.to_string())
                    .push_bind(&date)
                    .push_bind(u.certified_since.map(|d| d.to_string()))
                    .push_bind(&u.nda_predecesseur)
                    .push_bind(&g.code_commune)
                    .push_bind(g.lat)
                    .push_bind(g.lon)
                    .push_bind(&g.precision_geo)
                    .push_bind(&g.departement)
                    .push_bind(fp_to_db(u.fingerprint))
                    .push_bind(json);
            });
            q.push(
                " ON CONFLICT (nda) DO UPDATE SET siren = excluded.siren, siret = excluded.siret, \
                 denomination = excluded.denomination, code_postal = excluded.code_postal, \
                 code_region = excluded.code_region, certifie = excluded.certifie, \
                 actions_formation = excluded.actions_formation, bilans_competences = excluded.bilans_competences, \
                 vae = excluded.vae, apprentissage = excluded.apprentissage, present = 1, \
                 last_seen = excluded.last_seen, certified_since = excluded.certified_since, \
                 code_commune = excluded.code_commune, lat = excluded.lat, lon = excluded.lon, \
                 precision_geo = excluded.precision_geo, departement = excluded.departement, \
                 fingerprint = excluded.fingerprint, data = excluded.data",
            );
            q.build().execute(&mut *tx).await?;
        }

        // Leavers keep the date they were last seen: the previous snapshot's.
        let previous_date = previous_date.unwrap_or_else(|| date.clone());
        for chunk in diff.disappeared.chunks(BATCH) {
            let mut q = QueryBuilder::<Sqlite>::new("UPDATE organismes SET present = 0, last_seen = ");
            q.push_bind(&previous_date).push(" WHERE nda IN (");
            let mut sep = q.separated(", ");
            for nda in chunk {
                sep.push_bind(nda);
            }
            q.push(")");
            q.build().execute(&mut *tx).await?;
        }
        for (old, new) in &diff.transfers {
            sqlx::query("UPDATE organismes SET nda_successeur = ? WHERE nda = ?")
                .bind(new)
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }

        for chunk in diff.changes.chunks(BATCH) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO changements (snapshot_id, date, nda, type, avant, apres, nda_lie) ",
            );
            q.push_values(chunk, |mut b, c| {
                b.push_bind(snapshot_id)
                    .push_bind(&date)
                    .push_bind(&c.nda)
                    .push_bind(c.kind.as_str())
                    .push_bind(c.avant.as_ref().map(|v| v.to_string()))
                    .push_bind(c.apres.as_ref().map(|v| v.to_string()))
                    .push_bind(&c.nda_lie);
            });
            q.build().execute(&mut *tx).await?;
        }
        for (table, issues) in [("rejets", rejets), ("corrections", corrections)] {
            for chunk in issues.chunks(BATCH) {
                let cols = if table == "rejets" {
                    "INSERT INTO rejets (snapshot_id, ligne, nda, motif, message, brut) "
                } else {
                    "INSERT INTO corrections (snapshot_id, ligne, nda, champ, avant, apres) "
                };
                let mut q = QueryBuilder::<Sqlite>::new(cols);
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(snapshot_id)
                        .push_bind(r.ligne)
                        .push_bind(r.nda.as_deref().unwrap_or(""))
                        .push_bind(&r.motif)
                        .push_bind(&r.message)
                        .push_bind(&r.brut);
                });
                q.build().execute(&mut *tx).await?;
            }
        }
        sqlx::query(
            "UPDATE snapshots SET \
               certifies = (SELECT count(*) FROM organismes WHERE present = 1 AND certifie = 1) WHERE id = ?",
        )
        .bind(snapshot_id)
        .execute(&mut *tx)
        .await?;

        if self.fault.swap(0, Ordering::SeqCst) == 1 {
            return Err(StoreError::Injected("before commit"));
        }
        tx.commit().await?;
        Ok(snapshot_id)
    }

    async fn stats(&self) -> Result<Stats> {
        let (organismes, certifies, af, bc, vae, app, connus): (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT coalesce(sum(present), 0), coalesce(sum(present AND certifie), 0), \
             coalesce(sum(present AND actions_formation), 0), coalesce(sum(present AND bilans_competences), 0), \
             coalesce(sum(present AND vae), 0), coalesce(sum(present AND apprentissage), 0), count(*) \
             FROM organismes",
        )
        .fetch_one(&self.pool)
        .await?;
        let par_region = sqlx::query_as::<_, (Option<String>, i64, i64)>(
            "SELECT code_region, count(*), coalesce(sum(certifie), 0) FROM organismes WHERE present = 1 \
             GROUP BY code_region ORDER BY code_region",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(code_region, organismes, certifies)| RegionCount { code_region, organismes, certifies })
        .collect();
        let par_precision_geo = sqlx::query_as::<_, (Option<String>, i64)>(
            "SELECT precision_geo, count(*) FROM organismes WHERE present = 1 GROUP BY precision_geo \
             ORDER BY count(*) DESC",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(p, n)| (p.unwrap_or_else(|| "non_calculee".into()), n))
        .collect();
        let snapshots: i64 =
            sqlx::query_scalar("SELECT count(*) FROM snapshots").fetch_one(&self.pool).await?;
        let changements: i64 =
            sqlx::query_scalar("SELECT count(*) FROM changements").fetch_one(&self.pool).await?;
        Ok(Stats {
            organismes,
            certifies,
            par_categorie: std::collections::BTreeMap::from([
                ("actions_formation".into(), af),
                ("bilans_competences".into(), bc),
                ("vae".into(), vae),
                ("apprentissage".into(), app),
            ]),
            par_region,
            par_precision_geo,
            connus,
            derniere_synchro: self.latest_snapshot().await?,
            snapshots,
            changements,
        })
    }

    async fn changes(&self, q: &ChangeQuery) -> Result<Vec<ChangeRecord>> {
        let mut b = QueryBuilder::<Sqlite>::new(
            "SELECT c.id, c.nda, c.type, c.date, c.avant, c.apres, c.nda_lie, \
             json_extract(o.data, '$.nom_affichage') AS nom \
             FROM changements c LEFT JOIN organismes o ON o.nda = c.nda WHERE 1 = 1",
        );
        if let Some(since) = q.since {
            b.push(" AND c.date >= ").push_bind(since.to_string());
        }
        if !q.kinds.is_empty() {
            b.push(" AND c.type IN (");
            let mut sep = b.separated(", ");
            for k in &q.kinds {
                sep.push_bind(k.as_str());
            }
            b.push(")");
        }
        if let Some(nda) = &q.nda {
            b.push(" AND (c.nda = ")
                .push_bind(nda.clone())
                .push(" OR c.nda_lie = ")
                .push_bind(nda.clone())
                .push(")");
        }
        if let Some(r) = &q.region {
            b.push(" AND o.code_region = ").push_bind(r.clone());
        }
        if let Some(d) = &q.departement {
            b.push(" AND o.departement = ").push_bind(d.clone());
        }
        if let Some(max) = q.max_snapshot_id {
            b.push(" AND c.snapshot_id <= ").push_bind(max);
        }
        b.push(" ORDER BY c.id DESC LIMIT ")
            .push_bind(q.limit.max(0))
            .push(" OFFSET ")
            .push_bind(q.offset.max(0));
        let rows = b.build().fetch_all(&self.pool).await?;
        rows.iter().map(change_from).collect()
    }

    async fn organisme(&self, nda: &str) -> Result<Option<OrganismeRecord>> {
        let row = sqlx::query(&format!("SELECT {ORG_COLUMNS} FROM organismes WHERE nda = ?"))
            .bind(nda)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record_from).transpose()
    }

    async fn by_siren_or_siret(&self, id: &str) -> Result<Vec<OrganismeRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS} FROM organismes WHERE siret = ?1 OR siren = ?1 ORDER BY nda"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from).collect()
    }

    async fn for_each_organisme<F>(&self, include_absent: bool, mut f: F) -> Result<u64>
    where
        F: FnMut(OrganismeRecord) -> std::io::Result<()> + Send,
    {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organismes {} ORDER BY nda",
            if include_absent { "" } else { "WHERE present = 1" }
        );
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        let mut n = 0;
        while let Some(row) = rows.try_next().await? {
            f(record_from(&row)?)?;
            n += 1;
        }
        Ok(n)
    }

    fn inject_fault(&self, point: FaultPoint) {
        self.fault.store(u8::from(point == FaultPoint::BeforeCommit), Ordering::SeqCst);
    }

    async fn last_changes(&self, max_snapshot_id: Option<i64>) -> Result<HashMap<String, LastChange>> {
        // SQLite fills bare columns from the row that holds max(id): the latest change per NDA.
        let mut rows = sqlx::query_as::<_, (String, String, String, i64)>(
            "SELECT nda, type, date, max(id) FROM changements WHERE snapshot_id <= ? GROUP BY nda",
        )
        .bind(max_snapshot_id.unwrap_or(i64::MAX))
        .fetch(&self.pool);
        let mut out = HashMap::new();
        while let Some((nda, kind, date, _)) = rows.try_next().await? {
            if let (Ok(kind), Some(date)) = (kind.parse(), date_of(&date)) {
                out.insert(nda, LastChange { kind, date });
            }
        }
        Ok(out)
    }

    async fn rejets(&self, snapshot_id: i64) -> Result<Vec<RowIssue>> {
        let rows = sqlx::query_as::<_, (i64, Option<String>, String, String, String)>(
            "SELECT ligne, nda, motif, message, brut FROM rejets WHERE snapshot_id = ? ORDER BY ligne",
        )
        .bind(snapshot_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(ligne, nda, motif, message, brut)| RowIssue {
                ligne,
                nda: nda.filter(|n| !n.is_empty()),
                motif,
                message,
                brut: Some(brut),
            })
            .collect())
    }
}
