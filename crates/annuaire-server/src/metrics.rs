//! Prometheus metrics in the text exposition format, without a metrics crate: a few atomic
//! counters and one latency histogram per route are all the server needs.
//!
//! Route labels are route templates (`/api/v1/organismes/{nda}`), never raw paths, so the number
//! of series stays bounded whatever clients request.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::generation::Generation;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Default)]
struct Route {
    /// By status code.
    status: RwLock<BTreeMap<u16, Arc<AtomicU64>>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// Sum of latencies in microseconds.
    sum_us: AtomicU64,
}

#[derive(Default)]
pub struct Metrics {
    routes: RwLock<BTreeMap<(String, &'static str), Arc<Route>>>,
    rate_limited: AtomicU64,
    syncs_ok: AtomicU64,
    syncs_failed: AtomicU64,
    index_documents: AtomicU64,
    index_bytes: AtomicU64,
    snapshot_id: AtomicI64,
    snapshot_date: AtomicI64,
    generation_loaded: AtomicI64,
    last_sync_ok: AtomicI64,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn method_label(m: &axum::http::Method) -> &'static str {
    match m.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "PATCH" => "PATCH",
        _ => "other",
    }
}

impl Metrics {
    pub fn observe(&self, route: &str, method: &axum::http::Method, status: u16, elapsed: Duration) {
        let key = (route.to_string(), method_label(method));
        let existing = self.routes.read().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        let r = match existing {
            Some(r) => r,
            None => self.routes.write().unwrap_or_else(|e| e.into_inner()).entry(key).or_default().clone(),
        };
        let counter = r.status.read().unwrap_or_else(|e| e.into_inner()).get(&status).cloned();
        let counter = match counter {
            Some(c) => c,
            None => r.status.write().unwrap_or_else(|e| e.into_inner()).entry(status).or_default().clone(),
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let secs = elapsed.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            r.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        r.count.fetch_add(1, Ordering::Relaxed);
        r.sum_us.fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub fn sync_finished(&self, ok: bool) {
        if ok {
            self.syncs_ok.fetch_add(1, Ordering::Relaxed);
            self.last_sync_ok.store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
        } else {
            self.syncs_failed.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn generation_installed(&self, g: &Generation) {
        self.index_documents.store(g.index.len() as u64, Ordering::Relaxed);
        self.index_bytes.store(g.index_bytes, Ordering::Relaxed);
        self.snapshot_id.store(g.snapshot_id().unwrap_or(0), Ordering::Relaxed);
        let date = g
            .snapshot
            .as_ref()
            .and_then(|s| s.date.and_hms_opt(0, 0, 0))
            .map_or(0, |d| d.and_utc().timestamp());
        self.snapshot_date.store(date, Ordering::Relaxed);
        self.generation_loaded.store(g.loaded_at.timestamp(), Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self, synchronizing: bool) -> String {
        let mut out = String::with_capacity(8192);
        let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
        out.push_str("# HELP annuaire_http_requests_total HTTP requests answered, by route template, method and status.\n");
        out.push_str("# TYPE annuaire_http_requests_total counter\n");
        for ((route, method), r) in routes.iter() {
            for (status, c) in r.status.read().unwrap_or_else(|e| e.into_inner()).iter() {
                let _ = writeln!(
                    out,
                    "annuaire_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {}",
                    escape(route),
                    c.load(Ordering::Relaxed)
                );
            }
        }
        out.push_str("# HELP annuaire_http_request_duration_seconds Time to answer, by route template.\n");
        out.push_str("# TYPE annuaire_http_request_duration_seconds histogram\n");
        for ((route, method), r) in routes.iter() {
            let labels = format!("route=\"{}\",method=\"{method}\"", escape(route));
            let mut cumulative = 0;
            for (i, b) in BUCKETS.iter().enumerate() {
                cumulative += r.buckets[i].load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "annuaire_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {cumulative}"
                );
            }
            let count = r.count.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "annuaire_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
            );
            let sum = r.sum_us.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(out, "annuaire_http_request_duration_seconds_sum{{{labels}}} {sum}");
            let _ = writeln!(out, "annuaire_http_request_duration_seconds_count{{{labels}}} {count}");
        }
        let mut gauge = |name: &str, help: &str, kind: &str, value: String| {
            let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n");
        };
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed).to_string();
        let load_i = |a: &AtomicI64| a.load(Ordering::Relaxed).to_string();
        gauge(
            "annuaire_rate_limited_total",
            "Requests refused with 429.",
            "counter",
            load(&self.rate_limited),
        );
        gauge("annuaire_syncs_total", "Syncs that ended without error.", "counter", load(&self.syncs_ok));
        gauge(
            "annuaire_sync_failures_total",
            "Syncs that failed (the previous data stayed).",
            "counter",
            load(&self.syncs_failed),
        );
        gauge(
            "annuaire_last_sync_success_timestamp_seconds",
            "Unix time of the last successful sync (0: none since start).",
            "gauge",
            load_i(&self.last_sync_ok),
        );
        gauge(
            "annuaire_sync_in_progress",
            "1 while a sync runs.",
            "gauge",
            u8::from(synchronizing).to_string(),
        );
        gauge(
            "annuaire_index_documents",
            "Providers in the search index.",
            "gauge",
            load(&self.index_documents),
        );
        gauge(
            "annuaire_index_size_bytes",
            "Size of the search index on disk.",
            "gauge",
            load(&self.index_bytes),
        );
        gauge("annuaire_snapshot_id", "Store snapshot being served.", "gauge", load_i(&self.snapshot_id));
        gauge(
            "annuaire_snapshot_date_timestamp_seconds",
            "Date of the official list being served (midnight UTC).",
            "gauge",
            load_i(&self.snapshot_date),
        );
        gauge(
            "annuaire_generation_loaded_timestamp_seconds",
            "Unix time the data being served was loaded.",
            "gauge",
            load_i(&self.generation_loaded),
        );
        if let Some(rss) = resident_bytes() {
            gauge(
                "annuaire_resident_memory_bytes",
                "Resident set size of the process.",
                "gauge",
                rss.to_string(),
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Resident set size from /proc (Linux only).
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
