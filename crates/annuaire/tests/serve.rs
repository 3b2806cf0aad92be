//! `annuaire serve` as a process: the first start, scheduled syncs, readiness and shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_annuaire");

/// Kills the server when a test ends, even on panic.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `annuaire serve` on a free port and return once it printed its address.
fn start(data: &std::path::Path, extra: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--addr", "127.0.0.1:0", "--rate-limit", "0"])
        .args(extra)
        .env("ANNUAIRE_LOG", "warn")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines.next().expect("server exited before listening").unwrap();
        if let Some(rest) = line.strip_prefix("annuaire écoute sur http://") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

/// A plain HTTP/1.1 GET: (status, body).
fn http_get(addr: &str, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    let status = raw.split_whitespace().nth(1)?.parse().ok()?;
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

fn wait_ready(server: &Server, limit: Duration) {
    let t = Instant::now();
    while t.elapsed() < limit {
        if let Some((200, _)) = http_get(&server.addr, "/readyz") {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("not ready after {limit:?}");
}

fn testdata(dir: &std::path::Path) -> std::path::PathBuf {
    let out = Command::new(BIN)
        .args(["testdata", "--rows", "400", "--snapshots", "1", "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = String::from_utf8(out.stdout).unwrap().lines().next().unwrap().to_string();
    std::path::PathBuf::from(file)
}

#[test]
fn a_first_start_without_the_source_says_what_to_do() {
    let data = tempfile::tempdir().unwrap();
    // Nothing listens on port 1: the download fails at once, as it does offline.
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data.path())
        .args(["serve", "--addr", "127.0.0.1:0", "--from", "http://127.0.0.1:1/liste.csv"])
        .env("ANNUAIRE_LOG", "off")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("aucune donnée locale"), "{err}");
    assert!(err.contains("--from FICHIER") && err.contains("--demo"), "{err}");
    assert!(err.contains("No local data"), "{err}");
}

#[test]
fn first_start_from_a_file_then_scheduled_syncs_then_graceful_stop() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = testdata(files.path());
    let server =
        start(data.path(), &["--from", file.to_str().unwrap(), "--synthetique", "--sync-every", "1s"]);
    wait_ready(&server, Duration::from_secs(120));
    let (status, body) = http_get(&server.addr, "/api/v1/stats").unwrap();
    assert_eq!(status, 200, "{body}");
    let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(stats["organismes"].as_i64().unwrap() > 300, "{stats}");
    assert_eq!(stats["synchronisation"]["resultat"], "importe");
    // The scheduler syncs again within seconds; the file has not changed.
    let t = Instant::now();
    loop {
        let (_, body) = http_get(&server.addr, "/api/v1/stats").unwrap();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        if v["synchronisation"]["resultat"] == "inchange" {
            assert_eq!(v["snapshots"], 1);
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(30), "no scheduled sync: {v}");
        std::thread::sleep(Duration::from_millis(200));
    }
    // SIGTERM: the server stops accepting and exits cleanly.
    let mut server = server;
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let t = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_restart_serves_the_stored_data_without_syncing() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = testdata(files.path());
    {
        let server =
            start(data.path(), &["--from", file.to_str().unwrap(), "--synthetique", "--sync-every", "0"]);
        wait_ready(&server, Duration::from_secs(120));
    }
    // The source is gone: a restart must not need it.
    std::fs::remove_file(&file).unwrap();
    let server = start(data.path(), &["--from", file.to_str().unwrap(), "--sync-every", "0"]);
    wait_ready(&server, Duration::from_secs(60));
    let (status, body) = http_get(&server.addr, "/api/v1/recherche?q=formation").unwrap();
    assert_eq!(status, 200, "{body}");
    // Imported with --synthetique: every answer still says so after a restart.
    assert!(body.contains("\"synthetique\":true"), "{body}");
}
