//! The OpenAPI description (`crates/annuaire-server/openapi.json`, served at
//! `/api/v1/openapi.json`) against the real server.
//!
//! - `document_matches_router`: the document is OpenAPI 3.1.0, and documents exactly the routes
//!   and methods of `router.rs` under `/api/v1` (plus the operational routes it describes).
//! - `served_api_conforms`: starts `annuaire serve --demo` on a free port, checks that the served
//!   document is the compiled one and that every documented operation reaches its handler, then
//!   validates the document (openapi-spec-validator) and runs schemathesis against the server:
//!   no 5xx, and no status, content type, body or header outside the description.
//!
//! schemathesis lives in a private virtualenv installed by `scripts/setup/schemathesis.sh`
//! (`target/venv-schemathesis`, or `$ANNUAIRE_VENV`). Without it the test fails and says so;
//! `ANNUAIRE_SKIP_CONFORMANCE=1` skips the run (and only the run). `ANNUAIRE_CONFORMANCE_EXAMPLES`
//! (examples per operation, default 600: about two minutes on two cores) and
//! `ANNUAIRE_CONFORMANCE_SEED` change the run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;

const DOCUMENT: &str = include_str!("../../annuaire-server/openapi.json");
const ROUTER: &str = include_str!("../../annuaire-server/src/router.rs");
const API_PREFIX: &str = "/api/v1";
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// The conformance checks; the last three also hold: undocumented methods get 405 with a
/// correct Allow header, and the admin actions refuse requests without their token.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance,\
                      unsupported_method,allow_header_conformance,ignored_auth";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("openapi.json is not valid JSON")
}

/// Every `.route("path", get(…).post(…))` of the router source, as (path, methods), split into
/// the routes of the `api` router (nested under `/api/v1`) and the others.
fn router_routes() -> (BTreeMap<String, BTreeSet<String>>, BTreeMap<String, BTreeSet<String>>) {
    let start = ROUTER.find("let api = Router::new()").expect("router.rs: no `let api = Router::new()`");
    let end = start + ROUTER[start..].find(".fallback(").expect("router.rs: the api router has no fallback");
    let parse = |src: &str| {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut rest = src;
        while let Some(i) = rest.find(".route(") {
            rest = &rest[i + ".route(".len()..];
            let q1 = rest.find('"').unwrap();
            let q2 = q1 + 1 + rest[q1 + 1..].find('"').unwrap();
            let path = rest[q1 + 1..q2].to_string();
            // The arguments, up to the matching parenthesis.
            let mut depth = 1;
            let mut close = rest.len();
            for (j, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = j;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let args = &rest[q2 + 1..close];
            let methods: BTreeSet<String> = METHODS
                .iter()
                .filter(|m| {
                    args.match_indices(&format!("{m}(")).any(|(k, _)| {
                        k == 0 || !args[..k].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
                    })
                })
                .map(|m| m.to_string())
                .collect();
            assert!(!methods.is_empty(), "router.rs: no method recognised for {path}: {args}");
            out.entry(path).or_default().extend(methods);
            rest = &rest[close..];
        }
        out
    };
    let api = parse(&ROUTER[start..end]).into_iter().map(|(p, m)| (format!("{API_PREFIX}{p}"), m)).collect();
    let others = parse(&format!("{}{}", &ROUTER[..start], &ROUTER[end..]));
    (api, others)
}

fn documented(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(p, item)| {
            let methods =
                item.as_object().unwrap().keys().filter(|k| METHODS.contains(&k.as_str())).cloned().collect();
            (p.clone(), methods)
        })
        .collect()
}

#[test]
fn document_matches_router() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let (api, others) = router_routes();
    assert!(api.len() >= 10, "router.rs parsed badly: {api:?}");
    let docs = documented(&doc);
    let documented_api: BTreeMap<_, _> =
        docs.iter().filter(|(p, _)| p.starts_with(API_PREFIX)).map(|(p, m)| (p.clone(), m.clone())).collect();
    assert_eq!(
        api, documented_api,
        "the routes of router.rs under {API_PREFIX} (left) and the paths of openapi.json (right) differ"
    );
    for (path, methods) in docs.iter().filter(|(p, _)| !p.starts_with(API_PREFIX)) {
        assert_eq!(others.get(path), Some(methods), "{path} is documented but router.rs serves it otherwise");
    }
    // Every operation says what its errors look like.
    for (path, methods) in &docs {
        for m in methods {
            let op = &doc["paths"][path][m];
            assert!(op["operationId"].is_string(), "{m} {path}: no operationId");
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{m} {path}: no responses");
        }
    }
}

// ------------------------------------------------------------------------------------------------
// The real server.

/// `annuaire serve` in a child process, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(token: &str) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_annuaire"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["serve", "--demo", "--demo-rows", "3000", "--addr", "127.0.0.1:0", "--rate-limit", "0"])
            .args(["--admin-token", token])
            .env("ANNUAIRE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting annuaire serve");
        // Read stderr to the end (a full pipe would block the server), keeping the last lines.
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("annuaire écoute sur http://").nth(1)
                        && let Some(addr) = rest.split_whitespace().next()
                    {
                        let _ = tx.send(addr.to_string());
                    }
                    let mut l = log.lock().unwrap();
                    l.push(line);
                    if l.len() > 200 {
                        l.remove(0);
                    }
                }
            });
        }
        let mut server = Server { child, addr: "127.0.0.1:0".parse().unwrap(), log, _dir: dir };
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => server.addr = a.parse().unwrap_or_else(|e| panic!("address {a}: {e}")),
            Err(_) => panic!("the server did not say where it listens:\n{}", server.log()),
        }
        let deadline = Instant::now() + Duration::from_secs(300);
        loop {
            if let Ok(r) = server.request("GET", "/readyz", &[], b"")
                && r.status == 200
            {
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server stopped ({status}):\n{}", server.log());
            }
            assert!(Instant::now() < deadline, "the server was not ready in time:\n{}", server.log());
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// One HTTP/1.1 request on its own connection.
    fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Answer> {
        let mut s = TcpStream::connect(self.addr)?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        Answer::parse(&raw).ok_or_else(|| std::io::Error::other("unreadable HTTP answer"))
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn parse(raw: &[u8]) -> Option<Answer> {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&raw[..split]).ok()?;
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
            let mut out = Vec::new();
            let mut rest = &body[..];
            loop {
                let eol = rest.windows(2).position(|w| w == b"\r\n")?;
                let size = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).ok()?.trim(), 16).ok()?;
                if size == 0 {
                    break;
                }
                out.extend_from_slice(rest.get(eol + 2..eol + 2 + size)?);
                rest = rest.get(eol + 4 + size..)?;
            }
            body = out;
        }
        Some(Answer { status, headers, body })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// A token nobody can guess, without a random-number crate.
fn random_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..4u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
        h.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// Where the setup script puts the tools.
fn venv() -> PathBuf {
    std::env::var_os("ANNUAIRE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/venv-schemathesis"))
}

fn run_tool(cmd: &mut Command, what: &str) -> (bool, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

/// A request that reaches each documented operation's handler: concrete path parameters and,
/// for POST, a body the operation accepts.
fn sample_request(path: &str, method: &str) -> (String, Vec<(&'static str, &'static str)>, Vec<u8>) {
    let target = path.replace("{nda}", "11000000000");
    let target = match target.as_str() {
        "/api/v1/lieux" | "/api/v1/lieux/resolution" => format!("{target}?q=lyon"),
        "/api/v1/organismes" => format!("{target}?siren=732829320"),
        _ => target,
    };
    if method == "post" {
        (target, vec![("Content-Type", "application/json")], br#"{"identifiants": ["732829320"]}"#.to_vec())
    } else {
        (target, vec![], Vec::new())
    }
}

#[test]
fn served_api_conforms() {
    let token = random_token();
    let server = Server::start(&token);
    let doc = document();

    // The served document is the compiled one.
    let served = server.request("GET", "/api/v1/openapi.json", &[], b"").unwrap();
    assert_eq!(served.status, 200);
    assert!(served.header("content-type").is_some_and(|c| c.starts_with("application/json")));
    assert_eq!(served.json(), doc, "the served document differs from openapi.json");

    // Every documented operation reaches a handler: never the fallback's 404 nor a 405.
    let fallback = "Aucune ressource à cette adresse";
    for (path, methods) in documented(&doc) {
        for m in methods {
            let (target, headers, body) = sample_request(&path, &m);
            let a = server.request(&m.to_ascii_uppercase(), &target, &headers, &body).unwrap();
            let line =
                format!("{m} {target} → {} {}", a.status, a.text().chars().take(300).collect::<String>());
            assert!(a.status != 405 && a.status < 500, "{line}");
            assert!(!(a.status == 404 && a.text().contains(fallback)), "{line}");
            let responses = &doc["paths"][&path][&m]["responses"];
            assert!(responses.get(a.status.to_string()).is_some(), "undocumented status: {line}");
        }
    }

    conformance_run(&server, &served.body);
    admin_actions(&server, &token);
}

/// openapi-spec-validator, then schemathesis against the running server.
fn conformance_run(server: &Server, document: &[u8]) {
    let bin = venv().join("bin");
    let schemathesis = bin.join("schemathesis");
    if std::env::var("ANNUAIRE_SKIP_CONFORMANCE").is_ok_and(|v| v == "1") {
        eprintln!("SKIPPED: the OpenAPI conformance run (ANNUAIRE_SKIP_CONFORMANCE=1)");
        return;
    }
    assert!(
        schemathesis.exists(),
        "schemathesis is not installed in {}: run scripts/setup/schemathesis.sh \
         (or set ANNUAIRE_SKIP_CONFORMANCE=1 to skip the conformance run)",
        bin.display()
    );
    let work = tempfile::tempdir().unwrap();
    let spec = work.path().join("openapi.json");
    std::fs::write(&spec, document).unwrap();
    let (ok, out) =
        run_tool(Command::new(bin.join("openapi-spec-validator")).arg(&spec), "openapi-spec-validator");
    assert!(ok, "openapi-spec-validator refuses the document:\n{out}");

    let examples = env_number("ANNUAIRE_CONFORMANCE_EXAMPLES", 600);
    let seed = env_number("ANNUAIRE_CONFORMANCE_SEED", 20261201);
    let started = Instant::now();
    let (ok, out) = run_tool(
        Command::new(&schemathesis)
            .current_dir(work.path())
            .arg("run")
            .arg(server.url("/api/v1/openapi.json"))
            .args(["--checks", CHECKS])
            .args(["--max-examples", &examples.to_string()])
            // One worker: hypothesis is not thread-safe on every Python (runtime errors on 3.11).
            .args(["--seed", &seed.to_string(), "--workers", "1"])
            .args(["--generation-database", "none", "--request-timeout", "30", "--no-color"])
            .env("NO_COLOR", "1"),
        "schemathesis",
    );
    let summary: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("generated") || l.contains("Schemathesis v") || l.contains("===="))
        .collect();
    eprintln!(
        "schemathesis ({examples} examples per operation, seed {seed}) in {:.0} s:\n{}",
        started.elapsed().as_secs_f64(),
        summary.join("\n")
    );
    if !ok {
        // The whole output goes to a file; the failure shows its report part, bounded.
        let saved = workspace().join("target/schemathesis-output.txt");
        let _ = std::fs::write(&saved, &out);
        let report = out.find("=== FAILURES ===").or_else(|| out.find("=== ERRORS ===")).unwrap_or(0);
        let report: String = out[report..].chars().take(40_000).collect();
        panic!(
            "schemathesis found answers outside the OpenAPI description (whole output in {}):\n{report}\n\
             --- server log ---\n{}",
            saved.display(),
            server.log()
        );
    }
}

/// Admin: refused with a wrong token, started with the configured one (202), or busy (409).
fn admin_actions(server: &Server, token: &str) {
    let admin = "/api/v1/admin/reindexation";
    let bearer = format!("Bearer {token}");
    let a = server.request("POST", admin, &[("Authorization", "Bearer nope")], b"").unwrap();
    assert_eq!((a.status, a.json()["erreur"]["code"].as_str()), (401, Some("non_autorise")));
    let a = server.request("POST", admin, &[("Authorization", &bearer)], b"").unwrap();
    assert_eq!(a.status, 202, "{}", a.text());
    assert_eq!(a.json()["statut"], "lance");
    let a = server.request("POST", admin, &[("Authorization", &bearer)], b"").unwrap();
    match a.status {
        202 => assert_eq!(a.json()["statut"], "lance"),
        409 => assert_eq!(a.json()["erreur"]["code"], "deja_en_cours"),
        other => panic!("admin: {other} {}", a.text()),
    }
}
