use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong while fetching or reading a source file.
///
/// Each message is self-contained (it already includes the underlying cause), so the binary can print it
/// with `{}` alone; nothing is exposed through `source()` to avoid printing causes twice.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },

    #[error("cannot connect to {url}: {reason}")]
    Connect { url: String, reason: String },

    #[error("{kind} while downloading {url}")]
    Timeout { url: String, kind: TimeoutKind },

    #[error("too many redirects (more than {max}) starting from {url}")]
    TooManyRedirects { url: String, max: usize },

    #[error("{url} answered HTTP {status}{}", reason.map(|r| format!(" {r}")).unwrap_or_default())]
    Status { url: String, status: u16, reason: Option<&'static str> },

    #[error("download of {url} was cut short: received {received} bytes{}", expected.map(|e| format!(" of {e}")).unwrap_or_default())]
    Truncated { url: String, received: u64, expected: Option<u64> },

    /// A gzip stream (Content-Encoding or a `.gz` body/file) that is corrupt or ends early.
    #[error("cannot decode {from}: {reason}")]
    Decode { from: String, reason: String },

    /// `size` is known when announced up front (Content-Length, file size); otherwise the limit was
    /// crossed while streaming or decompressing.
    #[error("{from} is too large: {} (limit {limit} bytes)", size.map(|s| format!("{s} bytes")).unwrap_or_else(|| "more than the limit".to_owned()))]
    TooLarge { from: String, size: Option<u64>, limit: u64 },

    #[error("HTTP error while downloading {url}: {reason}")]
    Http { url: String, reason: String },

    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
}

/// Which time limit was hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// TCP/TLS connection not established within `connect_timeout`.
    Connect(Duration),
    /// No data (headers or body chunk) for `read_timeout`.
    Read(Duration),
    /// The whole download exceeded `total_timeout`.
    Total(Duration),
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeoutKind::Connect(d) => write!(f, "connection not established within {d:?}"),
            TimeoutKind::Read(d) => write!(f, "no data received for {d:?}"),
            TimeoutKind::Total(d) => write!(f, "total time limit of {d:?} exceeded"),
        }
    }
}

/// Innermost message of an error chain: reqwest's top-level text ("error sending request for url …") says
/// little, the root cause ("Connection refused") is what a user can act on.
pub(crate) fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}
