//! Downloads against a local server that misbehaves on demand.

mod server;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use annuaire_fetch::{FetchError, FetchOptions, FetchOutcome, Fetched, TimeoutKind, fetch};
use flate2::Compression;
use flate2::write::GzEncoder;
use server::{Body, Reply, Server};
use sha2::{Digest, Sha256};

const CSV: &[u8] = "siren;nda;raison sociale\n123456789;11755555555;FORMATION PLUS\n".as_bytes();

fn gz(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// Deterministic, poorly compressible bytes, so that sizes and cut points are meaningful.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

fn opts() -> FetchOptions {
    FetchOptions {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(20),
        ..FetchOptions::default()
    }
}

fn dir_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

/// Serves `reply` at `path`, fetches it and returns the download, after checking that the file holds
/// `expected` and that its size and hash are reported correctly.
async fn check_fetched(
    name: &str,
    path: &str,
    reply: Reply,
    opts: &FetchOptions,
    expected: &[u8],
) -> Fetched {
    let server = Server::start(move |_| reply.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = fetch(&server.url(path), dir.path(), opts).await;
    let Ok(FetchOutcome::Fetched(f)) = outcome else { panic!("{name}: {outcome:?}") };
    assert_eq!(std::fs::read(&f.path).unwrap(), expected, "{name}: content");
    assert_eq!(f.bytes, expected.len() as u64, "{name}: bytes");
    assert_eq!(f.sha256, sha256_hex(expected), "{name}: sha256");
    assert_eq!(f.final_url, server.url(path), "{name}: final_url");
    assert_eq!(f.path.parent(), Some(dir.path()), "{name}: path");
    assert_eq!(dir_entries(dir.path()).len(), 1, "{name}: only the result in dest_dir");
    f
}

/// Serves `reply`, expects the fetch to fail and leave nothing behind, and returns the error.
async fn check_error(name: &str, reply: Reply, opts: &FetchOptions) -> FetchError {
    let server = Server::start(move |_| reply.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let outcome = fetch(&server.url("/liste.csv"), dir.path(), opts).await;
    let Err(err) = outcome else { panic!("{name}: expected an error, got {outcome:?}") };
    assert_eq!(dir_entries(dir.path()), Vec::<String>::new(), "{name}: leftover files ({err})");
    err
}

#[tokio::test]
async fn plain_200_records_metadata() {
    let reply = Reply::ok(CSV)
        .header("Content-Type", "text/csv; charset=utf-8")
        .header("ETag", "\"v1\"")
        .header("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
    let f = check_fetched("plain", "/liste.csv", reply, &opts(), CSV).await;
    assert_eq!(f.etag.as_deref(), Some("\"v1\""));
    assert_eq!(f.last_modified.as_deref(), Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert_eq!(f.last_modified_date, chrono::NaiveDate::from_ymd_opt(2015, 10, 21));
    assert_eq!(f.content_type.as_deref(), Some("text/csv; charset=utf-8"));
    assert!(!f.was_gzip);
    let file_name = f.path.file_name().unwrap().to_str().unwrap();
    assert_eq!(file_name, format!("{}-liste.csv", &f.sha256[..12]));
}

#[tokio::test]
async fn request_headers_without_validators() {
    let server = Server::start(|_| Reply::ok(CSV)).await;
    let dir = tempfile::tempdir().unwrap();
    fetch(&server.url("/x"), dir.path(), &opts()).await.unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.method, "GET");
    assert_eq!(req.header("user-agent"), Some(annuaire_fetch::default_user_agent().as_str()));
    assert!(req.header("accept-encoding").is_some_and(|v| v.contains("gzip")), "{req:?}");
    assert_eq!(req.header("if-none-match"), None);
    assert_eq!(req.header("if-modified-since"), None);
}

#[tokio::test]
async fn body_variants_are_decoded() {
    let big = noise(300_000);
    // (name, served path, reply, expected decoded content, body was a gzip file)
    let cases: Vec<(&str, &str, Reply, Vec<u8>, bool)> = vec![
        ("content-length", "/liste.csv", Reply::ok(CSV), CSV.to_vec(), false),
        (
            "until close",
            "/liste.csv",
            Reply::with_body(200, Body::UntilClose(CSV.to_vec())),
            CSV.to_vec(),
            false,
        ),
        ("chunked", "/liste.csv", Reply::with_body(200, Body::Chunked(big.clone())), big.clone(), false),
        ("large", "/liste.csv", Reply::ok(big.clone()), big.clone(), false),
        ("empty", "/liste.csv", Reply::ok(Vec::new()), Vec::new(), false),
        ("one byte like gzip magic", "/x", Reply::ok(vec![0x1f]), vec![0x1f], false),
        (
            "content-encoding gzip",
            "/liste.csv",
            Reply::ok(gz(&big)).header("Content-Encoding", "gzip"),
            big.clone(),
            false,
        ),
        (
            "content-encoding gzip, chunked",
            "/liste.csv",
            Reply::with_body(200, Body::Chunked(gz(CSV))).header("Content-Encoding", "gzip"),
            CSV.to_vec(),
            false,
        ),
        (
            ".gz body as application/gzip",
            "/liste.csv.gz",
            Reply::ok(gz(&big)).header("Content-Type", "application/gzip"),
            big.clone(),
            true,
        ),
        (
            ".gz body as octet-stream, no extension",
            "/download",
            Reply::ok(gz(CSV)).header("Content-Type", "application/octet-stream"),
            CSV.to_vec(),
            true,
        ),
        (
            ".gz body also content-encoded",
            "/liste.csv.gz",
            Reply::ok(gz(&gz(CSV))).header("Content-Encoding", "gzip"),
            CSV.to_vec(),
            true,
        ),
    ];
    for (name, path, reply, expected, was_gzip) in cases {
        let f = check_fetched(name, path, reply, &opts(), &expected).await;
        assert_eq!(f.was_gzip, was_gzip, "{name}");
        let file_name = f.path.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(!file_name.ends_with(".gz"), "{name}: decoded file keeps .gz: {file_name}");
    }
}

#[tokio::test]
async fn conditional_requests() {
    const ETAG: &str = "\"v1\"";
    const DATE: &str = "Wed, 21 Oct 2015 07:28:00 GMT";
    // (name, etag sent, last-modified sent, expect NotModified)
    let cases = [
        ("etag matches", Some(ETAG), None, true),
        ("date matches", None, Some(DATE), true),
        ("both match", Some(ETAG), Some(DATE), true),
        ("etag changed", Some("\"v0\""), None, false),
        ("no validators", None, None, false),
        // An invalid stored value is skipped, not fatal.
        ("invalid etag", Some("bad\nvalue"), None, false),
    ];
    for (name, etag, date, not_modified) in cases {
        let server = Server::start(|req| {
            let matches = req.header("if-none-match") == Some(ETAG)
                || (req.header("if-none-match").is_none() && req.header("if-modified-since") == Some(DATE));
            if matches { Reply::status(304) } else { Reply::ok(CSV).header("ETag", ETAG) }
        })
        .await;
        let dir = tempfile::tempdir().unwrap();
        let o =
            FetchOptions { etag: etag.map(str::to_owned), last_modified: date.map(str::to_owned), ..opts() };
        let outcome = fetch(&server.url("/liste.csv"), dir.path(), &o).await.unwrap();
        assert_eq!(matches!(outcome, FetchOutcome::NotModified), not_modified, "{name}: {outcome:?}");
        let req = &server.requests()[0];
        let sent_etag = etag.filter(|e| !e.contains('\n'));
        assert_eq!(req.header("if-none-match"), sent_etag, "{name}");
        assert_eq!(req.header("if-modified-since"), date, "{name}");
        if not_modified {
            assert_eq!(dir_entries(dir.path()), Vec::<String>::new(), "{name}: 304 writes nothing");
        }
    }
}

#[tokio::test]
async fn unsolicited_304_is_an_error() {
    let err = check_error("304", Reply::status(304), &opts()).await;
    assert!(matches!(err, FetchError::Status { status: 304, .. }), "{err}");
}

#[tokio::test]
async fn redirect_chain_is_followed_with_validators() {
    let server = Server::start(|req| match req.path.as_str() {
        "/datasets/r/abc" => Reply::redirect(301, "/step2"),
        "/step2" => Reply::redirect(302, "/step3"),
        "/step3" => Reply::redirect(307, "/step4"),
        "/step4" => Reply::redirect(308, "/files/liste.csv"),
        "/files/liste.csv" => Reply::ok(CSV).header("ETag", "\"v2\""),
        _ => Reply::status(404),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let o = FetchOptions { etag: Some("\"v1\"".into()), ..opts() };
    let outcome = fetch(&server.url("/datasets/r/abc"), dir.path(), &o).await.unwrap();
    let FetchOutcome::Fetched(f) = outcome else { panic!("{outcome:?}") };
    assert_eq!(f.final_url, server.url("/files/liste.csv"));
    assert_eq!(f.etag.as_deref(), Some("\"v2\""));
    assert_eq!(std::fs::read(&f.path).unwrap(), CSV);
    let requests = server.requests();
    let paths: Vec<_> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/datasets/r/abc", "/step2", "/step3", "/step4", "/files/liste.csv"]);
    // The validator must reach the server that actually holds the file.
    assert_eq!(requests[4].header("if-none-match"), Some("\"v1\""));
}

#[tokio::test]
async fn too_many_redirects() {
    let server = Server::start(|_| Reply::redirect(302, "/loop")).await;
    let dir = tempfile::tempdir().unwrap();
    let o = FetchOptions { max_redirects: 3, ..opts() };
    let err = fetch(&server.url("/loop"), dir.path(), &o).await.unwrap_err();
    assert!(matches!(err, FetchError::TooManyRedirects { max: 3, .. }), "{err}");
    assert_eq!(server.requests().len(), 4);
    assert_eq!(dir_entries(dir.path()), Vec::<String>::new());
}

#[tokio::test]
async fn http_errors() {
    for status in [400, 403, 404, 410, 500, 502, 503] {
        let err = check_error("status", Reply::status(status).header("Content-Length", "0"), &opts()).await;
        let FetchError::Status { status: got, url, .. } = &err else { panic!("{status}: {err}") };
        assert_eq!(*got, status);
        assert!(url.ends_with("/liste.csv"));
        assert!(err.to_string().contains(&status.to_string()), "{err}");
    }
}

#[tokio::test]
async fn broken_bodies() {
    let big = noise(100_000);
    let gz_big = gz(&big);
    let half = |b: &[u8]| b[..b.len() / 2].to_vec();
    type Expect = fn(&FetchError) -> bool;
    let truncated: Expect = |e| matches!(e, FetchError::Truncated { .. });
    let decode: Expect = |e| matches!(e, FetchError::Decode { .. });
    let cases: Vec<(&str, Reply, Expect)> = vec![
        (
            "content-length 1000, 500 sent",
            Reply::with_body(200, Body::Cut { announced: Some(1000), sent: noise(500) }),
            |e| matches!(e, FetchError::Truncated { received: 500, expected: Some(1000), .. }),
        ),
        (
            "large body cut",
            Reply::with_body(200, Body::Cut { announced: Some(big.len()), sent: half(&big) }),
            truncated,
        ),
        ("chunked cut", Reply::with_body(200, Body::ChunkedCut(half(&big))), truncated),
        (
            "content-encoding gzip cut",
            Reply::with_body(200, Body::Cut { announced: Some(gz_big.len()), sent: half(&gz_big) })
                .header("Content-Encoding", "gzip"),
            truncated,
        ),
        (
            "content-encoding gzip cut, no length",
            Reply::with_body(200, Body::UntilClose(half(&gz_big))).header("Content-Encoding", "gzip"),
            truncated,
        ),
        ("content-encoding gzip garbage", Reply::ok(noise(5000)).header("Content-Encoding", "gzip"), decode),
        // Without a length, a cut .gz body is only detectable by its missing gzip trailer.
        ("gz body cut, no length", Reply::with_body(200, Body::UntilClose(half(&gz_big))), decode),
        ("gz body garbage after magic", Reply::ok([&[0x1f, 0x8b][..], &noise(5000)].concat()), decode),
        ("gz body with trailing garbage", Reply::ok([gz(CSV), b"garbage".to_vec()].concat()), decode),
    ];
    for (name, reply, expect) in cases {
        let err = check_error(name, reply, &opts()).await;
        assert!(expect(&err), "{name}: {err:?}");
    }
}

#[tokio::test]
async fn timeouts() {
    let short = FetchOptions {
        connect_timeout: Duration::from_millis(200),
        read_timeout: Duration::from_millis(300),
        ..opts()
    };
    let total = FetchOptions { total_timeout: Duration::from_millis(500), ..opts() };
    // (name, reply, options, expected kind)
    let cases = [
        (
            "stall mid-body",
            Reply::with_body(200, Body::Stall { announced: Some(10_000), sent: noise(4000) }),
            &short,
            TimeoutKind::Read(Duration::from_millis(300)),
        ),
        (
            "stall mid-body, no length",
            Reply::with_body(200, Body::Stall { announced: None, sent: noise(4000) }),
            &short,
            TimeoutKind::Read(Duration::from_millis(300)),
        ),
        ("no headers", Reply::silent(), &short, TimeoutKind::Read(Duration::from_millis(500))),
        (
            "trickle beyond total",
            Reply::with_body(200, Body::Trickle { bytes: noise(100), every: Duration::from_millis(50) }),
            &total,
            TimeoutKind::Total(Duration::from_millis(500)),
        ),
    ];
    for (name, reply, o, kind) in cases {
        let start = Instant::now();
        let err = check_error(name, reply, o).await;
        let elapsed = start.elapsed();
        assert!(matches!(&err, FetchError::Timeout { kind: k, .. } if *k == kind), "{name}: {err:?}");
        assert!(elapsed < Duration::from_secs(4), "{name}: took {elapsed:?}");
    }
}

#[tokio::test]
async fn size_limits() {
    let limit = 10_000;
    let o = FetchOptions { max_bytes: limit, ..opts() };
    let zeros = vec![0u8; 1_000_000];
    // (name, reply, size expected in the error: Some when refused from Content-Length)
    let cases = [
        ("by content-length", Reply::ok(noise(20_000)), Some(20_000)),
        ("streamed, no length", Reply::with_body(200, Body::UntilClose(noise(20_000))), None),
        ("streamed, chunked", Reply::with_body(200, Body::Chunked(noise(20_000))), None),
        ("gz body bomb", Reply::ok(gz(&zeros)), None),
        ("content-encoding bomb", Reply::ok(gz(&zeros)).header("Content-Encoding", "gzip"), None),
    ];
    for (name, reply, size) in cases {
        let err = check_error(name, reply, &o).await;
        assert!(
            matches!(err, FetchError::TooLarge { size: s, limit: 10_000, .. } if s == size),
            "{name}: {err:?}"
        );
    }
    let at_limit = noise(limit as usize);
    check_fetched("exactly at limit", "/x", Reply::ok(at_limit.clone()), &o, &at_limit).await;
}

#[tokio::test]
async fn connection_and_url_errors() {
    // A port that was just free: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let err = fetch(&format!("http://127.0.0.1:{port}/x"), dir.path(), &opts()).await.unwrap_err();
    assert!(matches!(err, FetchError::Connect { .. }), "{err:?}");

    for url in ["not a url", "ftp://127.0.0.1/x", ""] {
        let err = fetch(url, dir.path(), &opts()).await.unwrap_err();
        assert!(matches!(err, FetchError::InvalidUrl { .. }), "{url}: {err:?}");
    }
    assert_eq!(dir_entries(dir.path()), Vec::<String>::new());
}

/// TLS cannot be tested end to end offline, but an https URL must reach a TLS handshake (which fails
/// against a peer answering in plain HTTP) rather than be refused as unsupported.
#[tokio::test]
async fn https_is_supported() {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/x", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await;
    });
    let dir = tempfile::tempdir().unwrap();
    let err = fetch(&url, dir.path(), &opts()).await.unwrap_err();
    assert!(matches!(err, FetchError::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn missing_dest_dir_is_an_io_error() {
    let server = Server::start(|_| Reply::ok(CSV)).await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let err = fetch(&server.url("/x"), &missing, &opts()).await.unwrap_err();
    assert!(matches!(err, FetchError::Io { .. }), "{err:?}");
}

#[tokio::test]
async fn progress_does_not_disturb_the_download() {
    let big = noise(500_000);
    let reply = Reply::with_body(200, Body::Chunked(big.clone()));
    let o = FetchOptions { progress: true, ..opts() };
    check_fetched("progress", "/liste.csv", reply, &o, &big).await;
}
