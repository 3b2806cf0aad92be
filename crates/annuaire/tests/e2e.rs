//! The web pages in a real headless Chromium: starts `annuaire serve --demo` on a free port, waits
//! for `/readyz`, then runs `e2e/run.mjs` (playwright-core driving Debian's /usr/bin/chromium, with
//! an axe-core scan and screenshots in `target/e2e-screenshots/`, with the run's output in
//! `run.log` there).
//!
//! Needs `scripts/setup/browser.sh` (Chromium and e2e/node_modules); fails with that advice when
//! they are missing, unless `ANNUAIRE_SKIP_E2E=1`.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_annuaire");
const READY_WITHIN: Duration = Duration::from_secs(120);
const NODE_WITHIN: Duration = Duration::from_secs(300);
const STDERR_TAIL: usize = 40;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// `<target>/debug/annuaire` → `<target>`.
fn target_dir() -> PathBuf {
    Path::new(BIN)
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo_root().join("target"))
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// What is missing to run the browser tests, if anything.
fn missing_prerequisites(root: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = chromium();
    if !chromium.is_file() {
        missing.push(format!("Chromium ({})", chromium.display()));
    }
    for module in ["playwright-core/package.json", "axe-core/axe.min.js"] {
        if !root.join("e2e/node_modules").join(module).is_file() {
            missing.push(format!("e2e/node_modules/{module}"));
        }
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => missing.push("node (Node.js 20 or later)".to_string()),
    }
    missing
}

/// Sends a signal to a process, or to a process group when `pid` is negative.
fn signal(pid: i64, sig: &str) {
    let _ = Command::new("kill").arg(format!("-{sig}")).arg("--").arg(pid.to_string()).status();
}

/// Waits for a child up to `within`; None if it is still running.
fn wait_within(child: &mut Child, within: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + within;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// The running server: stopped (SIGTERM, then SIGKILL) when dropped, panics included.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<VecDeque<String>>>,
    _data: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let data = tempfile::tempdir().unwrap();
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(data.path())
            .args(["serve", "--demo", "--demo-rows", "3000", "--addr", "127.0.0.1:0", "--rate-limit", "0"])
            .env("ANNUAIRE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the annuaire binary");
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let (tx, rx) = mpsc::channel();
        {
            // Drains the server's stderr for its whole life (a full pipe would block it), keeps
            // the last lines for failure reports, and hands over the address it listens on.
            let pipe = child.stderr.take().unwrap();
            let tail = Arc::clone(&stderr);
            thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Some(rest) = line.strip_prefix("annuaire écoute sur http://") {
                        let addr = rest.split_whitespace().next().unwrap_or_default().to_string();
                        let _ = tx.send(addr);
                    }
                    let mut tail = tail.lock().unwrap();
                    if tail.len() == STDERR_TAIL {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            });
        }
        let addr = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the server did not print « annuaire écoute sur http://ADDR » within 30 s:\n{}",
                    stderr.lock().unwrap().iter().cloned().collect::<Vec<_>>().join("\n")
                );
            }
        };
        let addr: SocketAddr = addr.parse().unwrap_or_else(|e| panic!("server address « {addr} »: {e}"));
        Server { child, addr, stderr, _data: data }
    }

    fn stderr_tail(&self) -> String {
        self.stderr.lock().unwrap().iter().cloned().collect::<Vec<_>>().join("\n")
    }

    /// Waits for `GET /readyz` to answer 200 (the demo data is generated and imported first).
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited ({status}) before being ready:\n{}", self.stderr_tail());
            }
            if http_status(self.addr, "/readyz") == Some(200) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "GET /readyz did not answer 200 within {} s:\n{}",
                READY_WITHIN.as_secs(),
                self.stderr_tail()
            );
            thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            signal(i64::from(self.child.id()), "TERM");
            if wait_within(&mut self.child, Duration::from_secs(10)).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// The status code of a plain HTTP/1.1 GET, or None if the server does not answer.
fn http_status(addr: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream.set_write_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut head = [0u8; 32];
    let mut n = 0;
    while n < 12 {
        match stream.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    // "HTTP/1.1 200 OK"
    std::str::from_utf8(&head[..n]).ok()?.split_whitespace().nth(1)?.parse().ok()
}

/// Runs a command in its own process group, with a deadline; the whole group (Chromium
/// included) is killed if it overruns. Returns the status and the merged output.
fn run_with_deadline(mut cmd: Command, within: Duration) -> (Option<ExitStatus>, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("start node");
    let output = Arc::new(Mutex::new(String::new()));
    let readers: Vec<_> = [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ]
    .into_iter()
    .map(|pipe| {
        let output = Arc::clone(&output);
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                // Shown live with `--nocapture`.
                println!("{line}");
                let mut out = output.lock().unwrap();
                out.push_str(&line);
                out.push('\n');
            }
        })
    })
    .collect();
    let group = -i64::from(child.id());
    let status = wait_within(&mut child, within);
    if status.is_none() {
        signal(group, "TERM");
        if wait_within(&mut child, Duration::from_secs(5)).is_none() {
            signal(group, "KILL");
            let _ = child.wait();
        }
    }
    for r in readers {
        let _ = r.join();
    }
    let out = output.lock().unwrap().clone();
    (status, out)
}

#[test]
fn web_pages_in_headless_chromium() {
    if std::env::var("ANNUAIRE_SKIP_E2E").is_ok_and(|v| v == "1") {
        eprintln!("e2e skipped: ANNUAIRE_SKIP_E2E=1");
        return;
    }
    let root = repo_root();
    let missing = missing_prerequisites(&root);
    assert!(
        missing.is_empty(),
        "the browser end-to-end test needs {}: run scripts/setup/browser.sh \
         (or set ANNUAIRE_SKIP_E2E=1 to skip this test)",
        missing.join(", ")
    );

    let started = Instant::now();
    let mut server = Server::start();
    server.wait_ready();
    let ready_in = started.elapsed();

    let shots = target_dir().join("e2e-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut node = Command::new("node");
    node.arg(root.join("e2e/run.mjs"))
        .arg("--base")
        .arg(format!("http://{}", server.addr))
        .arg("--screenshots")
        .arg(&shots)
        .arg("--chromium")
        .arg(chromium())
        .current_dir(root.join("e2e"));
    let (status, output) = run_with_deadline(node, NODE_WITHIN);
    let _ = std::fs::write(shots.join("run.log"), &output);
    match status {
        Some(s) if s.success() => {}
        Some(s) => panic!(
            "e2e/run.mjs failed ({s}):\n{output}\n--- server stderr (last lines) ---\n{}",
            server.stderr_tail()
        ),
        None => panic!("e2e/run.mjs did not finish within {} s:\n{output}", NODE_WITHIN.as_secs()),
    }
    eprintln!(
        "e2e passed: server ready in {:.1} s, browser run {:.1} s; screenshots in {}",
        ready_in.as_secs_f64(),
        (started.elapsed() - ready_in).as_secs_f64(),
        shots.display()
    );
}
