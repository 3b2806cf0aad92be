//! Robust download of a source file over HTTP(S), as used by `annuaire sync` to fetch the official list
//! of training providers (a ~40 MB CSV behind a data.gouv.fr redirect) and later by website enrichment.
//!
//! [`fetch`] streams the body straight to a temporary file in the destination directory while hashing it,
//! follows redirects, makes conditional requests (ETag / Last-Modified) so that an unchanged source costs
//! one round-trip, decodes gzip whether it comes as `Content-Encoding` or as a `.gz` body, and enforces
//! size and time limits. The result is either "not modified" or a complete, decoded file renamed into
//! place: a failed, truncated or cancelled download never leaves a partial file behind.
//! [`read_source_file`] does the same decoding for local files and [`gzip_to`] archives raw snapshots.

mod decode;
mod error;
mod httpdate;
mod progress;

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{StatusCode, redirect};
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;
use tokio::sync::mpsc;
use tokio::time::Instant;

pub use decode::{gzip_to, read_source_file};
pub use error::{FetchError, TimeoutKind};
pub use httpdate::parse_http_date;

use decode::{CopyError, copy_decoded, gzip_reason};
use error::root_cause;
use progress::Progress;

/// Default limit on the decoded size of a download: ten times the official list's current size.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// How many body chunks may wait between the network and the disk writer; bounds memory while letting
/// decompression and hashing overlap with the download.
const CHANNEL_CHUNKS: usize = 16;

/// Settings of one download. Use `..FetchOptions::default()` and set what differs.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// ETag of the previous snapshot, sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Raw `Last-Modified` value of the previous snapshot, sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// Limit on the body size, checked on the announced Content-Length, on the received bytes and on the
    /// decoded bytes (so a small gzip bomb is stopped too).
    pub max_bytes: u64,
    pub connect_timeout: Duration,
    /// Longest silence allowed while waiting for the response headers or the next body chunk.
    pub read_timeout: Duration,
    /// Limit on the whole download, redirects included.
    pub total_timeout: Duration,
    pub max_redirects: usize,
    /// Draw a progress line on stderr; pass `std::io::stderr().is_terminal()`.
    pub progress: bool,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            etag: None,
            last_modified: None,
            max_bytes: DEFAULT_MAX_BYTES,
            connect_timeout: Duration::from_secs(15),
            read_timeout: Duration::from_secs(60),
            total_timeout: Duration::from_secs(15 * 60),
            max_redirects: 10,
            progress: false,
            user_agent: default_user_agent(),
        }
    }
}

/// `annuaire/<version> (+https://github.com/annuaire)`: identifies us to the data providers.
pub fn default_user_agent() -> String {
    format!("annuaire/{} (+https://github.com/annuaire)", env!("CARGO_PKG_VERSION"))
}

#[derive(Debug)]
pub enum FetchOutcome {
    /// The server answered 304 to our conditional request: the previous snapshot is still current.
    NotModified,
    Fetched(Fetched),
}

/// A completed download.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Complete, decoded content, in the destination directory. Named `<sha256 prefix>-<URL file name>`
    /// (without `.gz` once decoded), so different sources never overwrite each other.
    pub path: PathBuf,
    /// Decoded size.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the decoded content.
    pub sha256: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// UTC date of `last_modified`, when it is a valid HTTP-date.
    pub last_modified_date: Option<chrono::NaiveDate>,
    /// URL after redirects.
    pub final_url: String,
    pub content_type: Option<String>,
    /// The body itself was a gzip file (as opposed to gzip `Content-Encoding`, which is invisible here).
    pub was_gzip: bool,
}

/// Downloads `url` into a new file in `dest_dir` (which must exist), or returns
/// [`FetchOutcome::NotModified`] when the conditional headers from `opts` show the source is unchanged.
///
/// On any error no file is left in `dest_dir`; the same holds if the future is dropped, once the
/// background writer notices.
pub async fn fetch(url: &str, dest_dir: &Path, opts: &FetchOptions) -> Result<FetchOutcome, FetchError> {
    let clock = Clock::new(opts);
    let client = redirect_client(opts)
        .map_err(|e| FetchError::Http { url: url.to_owned(), reason: root_cause(&e) })?;

    let mut request = client.get(url);
    let mut conditional = false;
    // A stored validator that is not a valid header value (corrupted snapshot row) only costs us the
    // conditional request, so it is skipped rather than failing the sync.
    for (name, value) in
        [(header::IF_NONE_MATCH, &opts.etag), (header::IF_MODIFIED_SINCE, &opts.last_modified)]
    {
        if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            request = request.header(name, value);
            conditional = true;
        }
    }

    let headers_wait = opts.connect_timeout.saturating_add(opts.read_timeout);
    let mut response = clock
        .within(Some(headers_wait), request.send())
        .await
        .map_err(|kind| FetchError::Timeout { url: url.to_owned(), kind })?
        .map_err(|e| request_error(&e, url, opts))?;

    let final_url = response.url().to_string();
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED && conditional {
        return Ok(FetchOutcome::NotModified);
    }
    if !status.is_success() {
        return Err(FetchError::Status {
            url: final_url,
            status: status.as_u16(),
            reason: status.canonical_reason(),
        });
    }

    let headers = response.headers();
    let etag = header_string(headers, header::ETAG);
    let last_modified = header_string(headers, header::LAST_MODIFIED);
    let content_type = header_string(headers, header::CONTENT_TYPE);
    let last_modified_date = last_modified.as_deref().and_then(parse_http_date).map(|d| d.date_naive());
    let url_name = response.url().path_segments().and_then(|mut s| s.next_back()).unwrap_or("").to_owned();
    // None when reqwest decodes a Content-Encoding: the announced length is then the compressed one.
    let expected = response.content_length();
    if let Some(len) = expected.filter(|&len| len > opts.max_bytes) {
        return Err(FetchError::TooLarge { from: final_url, size: Some(len), limit: opts.max_bytes });
    }

    let io_err = |error| FetchError::Io { path: dest_dir.to_owned(), error };
    let tmp = tempfile::Builder::new()
        .prefix(".annuaire-fetch-")
        .suffix(".part")
        .tempfile_in(dest_dir)
        .map_err(io_err)?;

    // Decompression, hashing and disk writes are blocking work: they run on the blocking pool, fed
    // through a bounded channel so that a slow disk slows the download instead of filling memory.
    let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
    let writer = {
        let (from, dir, max) = (final_url.clone(), dest_dir.to_owned(), opts.max_bytes);
        tokio::task::spawn_blocking(move || write_body(ChannelReader::new(rx), tmp, max, &from, &dir))
    };

    let mut progress = Progress::new(opts.progress, expected);
    let streamed: Result<u64, Stop> = async {
        let mut received: u64 = 0;
        loop {
            let chunk = match clock.within(Some(opts.read_timeout), response.chunk()).await {
                Err(kind) => return Err(Stop::Fetch(FetchError::Timeout { url: final_url.clone(), kind })),
                Ok(Err(e)) => return Err(Stop::Fetch(body_error(&e, &final_url, received, expected))),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            received += chunk.len() as u64;
            if received > opts.max_bytes {
                let (from, limit) = (final_url.clone(), opts.max_bytes);
                return Err(Stop::Fetch(FetchError::TooLarge { from, size: None, limit }));
            }
            progress.update(received);
            match clock.within(None, tx.send(Msg::Data(chunk))).await {
                Err(kind) => return Err(Stop::Fetch(FetchError::Timeout { url: final_url.clone(), kind })),
                Ok(Err(_)) => return Err(Stop::Writer),
                Ok(Ok(())) => {}
            }
        }
        // hyper already rejects a body shorter than its Content-Length; this guards the invariant anyway.
        if let Some(expected) = expected.filter(|&e| e != received) {
            let url = final_url.clone();
            return Err(Stop::Fetch(FetchError::Truncated { url, received, expected: Some(expected) }));
        }
        progress.finish(received);
        // A closed channel here means the writer already failed; its error is collected below.
        let _ = tx.send(Msg::End).await;
        Ok(received)
    }
    .await;
    drop(tx);
    drop(progress);

    let join = |r: Result<Result<Written, FetchError>, tokio::task::JoinError>| {
        r.unwrap_or_else(|e| Err(io_err(io::Error::other(format!("download writer failed: {e}")))))
    };
    let written = match streamed {
        Ok(_) => join(writer.await)?,
        Err(Stop::Writer) => {
            return Err(match join(writer.await) {
                Err(e) => e,
                // Cannot happen (the writer only succeeds after `End`), but never persist a partial file.
                Ok(_) => {
                    FetchError::Http { url: final_url, reason: "download writer stopped early".to_owned() }
                }
            });
        }
        Err(Stop::Fetch(e)) => {
            // Wait for the writer to drop its temporary file, so the caller never sees a leftover.
            let _ = writer.await;
            return Err(e);
        }
    };

    let name = file_name(&written.sha256, &url_name, written.was_gzip);
    let path = dest_dir.join(name);
    written.tmp.persist(&path).map_err(|e| io_err(e.error))?;
    Ok(FetchOutcome::Fetched(Fetched {
        path,
        bytes: written.bytes,
        sha256: written.sha256,
        etag,
        last_modified,
        last_modified_date,
        final_url,
        content_type,
        was_gzip: written.was_gzip,
    }))
}

fn redirect_client(opts: &FetchOptions) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(opts.user_agent.clone())
        .connect_timeout(opts.connect_timeout)
        .redirect(redirect::Policy::limited(opts.max_redirects))
        .gzip(true)
        .build()
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn request_error(e: &reqwest::Error, url: &str, opts: &FetchOptions) -> FetchError {
    let url = e.url().map(|u| u.to_string()).unwrap_or_else(|| url.to_owned());
    if e.is_redirect() {
        FetchError::TooManyRedirects { url, max: opts.max_redirects }
    } else if e.is_builder() {
        FetchError::InvalidUrl { url, reason: root_cause(e) }
    } else if e.is_connect() && e.is_timeout() {
        FetchError::Timeout { url, kind: TimeoutKind::Connect(opts.connect_timeout) }
    } else if e.is_connect() {
        FetchError::Connect { url, reason: root_cause(e) }
    } else {
        FetchError::Http { url, reason: root_cause(e) }
    }
}

/// Errors while reading the body: a gzip Content-Encoding that fails to decode is a decode error,
/// anything else (early EOF, reset) means we did not get the whole body.
fn body_error(e: &reqwest::Error, url: &str, received: u64, expected: Option<u64>) -> FetchError {
    if e.is_decode() && !has_unexpected_eof(e) {
        FetchError::Decode { from: url.to_owned(), reason: root_cause(e) }
    } else {
        FetchError::Truncated { url: url.to_owned(), received, expected }
    }
}

fn has_unexpected_eof(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::UnexpectedEof) {
            return true;
        }
        cur = err.source();
    }
    false
}

/// Why the streaming loop stopped early.
enum Stop {
    Fetch(FetchError),
    /// The writer hung up: its own error explains why.
    Writer,
}

/// Time limits: each wait ends at the earlier of its idle limit and the overall deadline.
struct Clock {
    deadline: Option<Instant>,
    total: Duration,
}

impl Clock {
    fn new(opts: &FetchOptions) -> Self {
        // checked_add: a caller passing Duration::MAX means "no limit", not a panic.
        Clock { deadline: Instant::now().checked_add(opts.total_timeout), total: opts.total_timeout }
    }

    async fn within<F: Future>(&self, idle: Option<Duration>, fut: F) -> Result<F::Output, TimeoutKind> {
        let idle_at = idle.and_then(|d| Some((Instant::now().checked_add(d)?, TimeoutKind::Read(d))));
        let total_at = self.deadline.map(|d| (d, TimeoutKind::Total(self.total)));
        let limit = match (idle_at, total_at) {
            (Some(i), Some(t)) => Some(if i.0 < t.0 { i } else { t }),
            (i, t) => i.or(t),
        };
        match limit {
            Some((at, kind)) => tokio::time::timeout_at(at, fut).await.map_err(|_| kind),
            None => Ok(fut.await),
        }
    }
}

enum Msg<B> {
    Data(B),
    /// The body is complete. A channel closed without it means the download was abandoned.
    End,
}

/// Blocking `Read` over the chunks sent by the download loop.
struct ChannelReader<B> {
    rx: mpsc::Receiver<Msg<B>>,
    current: Option<B>,
    pos: usize,
    ended: bool,
}

impl<B> ChannelReader<B> {
    fn new(rx: mpsc::Receiver<Msg<B>>) -> Self {
        ChannelReader { rx, current: None, pos: 0, ended: false }
    }
}

impl<B: AsRef<[u8]>> Read for ChannelReader<B> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(chunk) = &self.current {
                let rest = chunk.as_ref().get(self.pos..).unwrap_or_default();
                if !rest.is_empty() {
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    self.pos += n;
                    return Ok(n);
                }
                self.current = None;
            }
            if self.ended {
                return Ok(0);
            }
            match self.rx.blocking_recv() {
                Some(Msg::Data(chunk)) => {
                    self.current = Some(chunk);
                    self.pos = 0;
                }
                Some(Msg::End) => self.ended = true,
                None => return Err(io::Error::new(io::ErrorKind::BrokenPipe, "download abandoned")),
            }
        }
    }
}

struct Written {
    tmp: NamedTempFile,
    bytes: u64,
    sha256: String,
    was_gzip: bool,
}

struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Runs on the blocking pool: decodes, hashes and writes the body into `tmp`, synced to disk. On error
/// `tmp` is dropped, which deletes it.
fn write_body<B: AsRef<[u8]>>(
    reader: ChannelReader<B>,
    tmp: NamedTempFile,
    max_bytes: u64,
    from: &str,
    dir: &Path,
) -> Result<Written, FetchError> {
    let io_err = |error| FetchError::Io { path: dir.to_owned(), error };
    let mut out = HashingWriter { inner: BufWriter::with_capacity(256 * 1024, tmp), hasher: Sha256::new() };
    let (bytes, was_gzip) = copy_decoded(reader, &mut out, max_bytes).map_err(|e| match e {
        CopyError::TooLarge => FetchError::TooLarge { from: from.to_owned(), size: None, limit: max_bytes },
        CopyError::Decode(e) => FetchError::Decode { from: from.to_owned(), reason: gzip_reason(&e) },
        CopyError::Read(e) => FetchError::Http { url: from.to_owned(), reason: e.to_string() },
        CopyError::Write(e) => io_err(e),
    })?;
    let HashingWriter { inner, hasher } = out;
    let tmp = inner.into_inner().map_err(|e| io_err(e.into_error()))?;
    // The file may become the only copy of this snapshot: make the rename that follows durable.
    tmp.as_file().sync_all().map_err(io_err)?;
    Ok(Written { tmp, bytes, sha256: hex(&hasher.finalize()), was_gzip })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `<12 hex of sha256>-<sanitised last URL segment>`: content-addressed so two sources (or two versions)
/// never collide, readable enough to recognise in the data directory.
fn file_name(sha256: &str, url_name: &str, was_gzip: bool) -> String {
    let mut name: String = url_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    if was_gzip {
        for suffix in [".gz", ".gzip"] {
            if name.len() > suffix.len() && name.to_ascii_lowercase().ends_with(suffix) {
                name.truncate(name.len() - suffix.len());
                break;
            }
        }
    }
    let name = name.trim_start_matches('.');
    let name = if name.is_empty() { "download" } else { name };
    format!("{}-{name}", sha256.get(..12).unwrap_or(sha256))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        let sha = "0123456789abcdef";
        let cases = [
            ("liste.csv", false, "0123456789ab-liste.csv"),
            ("liste.csv.gz", true, "0123456789ab-liste.csv"),
            ("LISTE.CSV.GZ", true, "0123456789ab-LISTE.CSV"),
            ("liste.csv.gz", false, "0123456789ab-liste.csv.gz"),
            (".gz", true, "0123456789ab-gz"),
            ("", false, "0123456789ab-download"),
            ("..", false, "0123456789ab-download"),
            ("a b/é?.csv", false, "0123456789ab-a_b___.csv"),
        ];
        for (url_name, gz, want) in cases {
            assert_eq!(file_name(sha, url_name, gz), want, "{url_name:?}");
        }
        assert_eq!(file_name(sha, &"x".repeat(500), false).len(), 13 + 80);
    }

    #[test]
    fn usable_from_spawned_tasks() {
        fn is_send<T: Send>(_: &T) {}
        fn is_send_sync<T: Send + Sync + 'static>() {}
        is_send(&fetch("http://127.0.0.1/", Path::new("."), &FetchOptions::default()));
        is_send_sync::<FetchError>();
    }

    #[test]
    fn error_messages() {
        let url = || "https://example.org/liste.csv".to_owned();
        let cases = [
            (
                FetchError::Status { url: url(), status: 404, reason: Some("Not Found") },
                "https://example.org/liste.csv answered HTTP 404 Not Found",
            ),
            (
                FetchError::Truncated { url: url(), received: 500, expected: Some(1000) },
                "download of https://example.org/liste.csv was cut short: received 500 bytes of 1000",
            ),
            (
                FetchError::TooLarge { from: url(), size: None, limit: 10 },
                "https://example.org/liste.csv is too large: more than the limit (limit 10 bytes)",
            ),
            (
                FetchError::TooLarge { from: url(), size: Some(20), limit: 10 },
                "https://example.org/liste.csv is too large: 20 bytes (limit 10 bytes)",
            ),
            (
                FetchError::Timeout { url: url(), kind: TimeoutKind::Read(Duration::from_millis(300)) },
                "no data received for 300ms while downloading https://example.org/liste.csv",
            ),
            (
                FetchError::TooManyRedirects { url: url(), max: 10 },
                "too many redirects (more than 10) starting from https://example.org/liste.csv",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
    }

    #[test]
    fn default_options() {
        let o = FetchOptions::default();
        assert_eq!(o.max_bytes, 512 << 20);
        assert!(o.user_agent.starts_with("annuaire/0."), "{}", o.user_agent);
    }
}
