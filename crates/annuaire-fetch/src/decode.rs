//! Gzip sniffing and size-limited copying, shared by downloads and local files.

use std::fs::File;
use std::io::{self, BufWriter, Cursor, Read, Write};
use std::path::Path;

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;

use crate::FetchError;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Why [`copy_decoded`] stopped.
#[derive(Debug)]
pub(crate) enum CopyError {
    /// Reading the raw input failed (for downloads: the network side gave up, see `Aborted`).
    Read(io::Error),
    /// The input is gzip but the stream is corrupt or ends early.
    Decode(io::Error),
    /// The decoded output would exceed the limit.
    TooLarge,
    Write(io::Error),
}

/// Copies `input` to `out`, gunzipping it when it starts with the gzip magic, and stops as soon as more
/// than `max_bytes` decoded bytes have been produced (the limit is checked on decoded bytes so that a
/// small gzip bomb cannot fill the disk or memory). Returns the decoded size and whether it was gzip.
pub(crate) fn copy_decoded(
    mut input: impl Read,
    out: &mut impl Write,
    max_bytes: u64,
) -> Result<(u64, bool), CopyError> {
    let mut head = [0u8; 2];
    let mut filled = 0;
    while filled < head.len() {
        match input.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(CopyError::Read(e)),
        }
    }
    let is_gzip = head[..filled] == GZIP_MAGIC;
    let chained = Cursor::new(head).take(filled as u64).chain(input);
    let mut source: Box<dyn Read> =
        if is_gzip { Box::new(MultiGzDecoder::new(chained)) } else { Box::new(chained) };

    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_gzip && is_decode_error(&e) => return Err(CopyError::Decode(e)),
            Err(e) => return Err(CopyError::Read(e)),
        };
        total += n as u64;
        if total > max_bytes {
            return Err(CopyError::TooLarge);
        }
        out.write_all(&buf[..n]).map_err(CopyError::Write)?;
    }
    Ok((total, is_gzip))
}

/// flate2 reports corrupt data as InvalidInput/InvalidData and a stream cut short as UnexpectedEof;
/// anything else came from the underlying reader.
fn is_decode_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
    )
}

/// Reads a local source file and returns its decoded content, transparently gunzipping it when it starts
/// with the gzip magic bytes (`1f 8b`), whatever its name. The decoded size is limited to `max_bytes`.
pub fn read_source_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
    let io_err = |error| FetchError::Io { path: path.to_owned(), error };
    let from = || path.display().to_string();
    let file = File::open(path).map_err(io_err)?;
    let len = file.metadata().map_err(io_err)?.len();
    // A plain file larger than the limit can be refused without reading it; a gzip one cannot.
    let mut out = Vec::with_capacity(len.min(max_bytes).try_into().unwrap_or(0));
    match copy_decoded(io::BufReader::new(file), &mut out, max_bytes) {
        Ok(_) => Ok(out),
        Err(CopyError::TooLarge) => Err(FetchError::TooLarge { from: from(), size: None, limit: max_bytes }),
        Err(CopyError::Decode(e)) => Err(FetchError::Decode { from: from(), reason: gzip_reason(&e) }),
        Err(CopyError::Read(e) | CopyError::Write(e)) => Err(io_err(e)),
    }
}

pub(crate) fn gzip_reason(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        "gzip stream ends early (truncated file?)".to_owned()
    } else {
        format!("invalid gzip stream: {e}")
    }
}

/// Writes `bytes` gzip-compressed (fast level: this archives every raw snapshot, speed matters more than
/// the last few percent) to `dest`, atomically: a temporary file in the same directory is renamed over
/// `dest` only once complete and synced, so a crash never leaves a half-written archive.
pub fn gzip_to(bytes: &[u8], dest: &Path) -> io::Result<()> {
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new().prefix(".annuaire-gz-").suffix(".part").tempfile_in(dir)?;
    let mut enc = GzEncoder::new(BufWriter::new(tmp), Compression::fast());
    enc.write_all(bytes)?;
    let tmp = enc.finish()?.into_inner().map_err(io::IntoInnerError::into_error)?;
    tmp.as_file().sync_all()?;
    tmp.persist(dest).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn copy_decoded_cases() {
        let plain = b"siren;nda\n123;456\n".to_vec();
        let mut two_members = gz(b"abc");
        two_members.extend(gz(b"def"));
        let truncated = {
            let g = gz(&plain);
            g[..g.len() - 6].to_vec()
        };
        // (name, input, max, expected output or error tag)
        type Case<'a> = (&'a str, Vec<u8>, u64, Result<&'a [u8], &'a str>);
        let cases: Vec<Case> = vec![
            ("empty", vec![], 10, Ok(b"")),
            ("one byte", vec![0x1f], 10, Ok(&[0x1f])),
            ("plain", plain.clone(), 100, Ok(&plain)),
            ("plain at limit", plain.clone(), plain.len() as u64, Ok(&plain)),
            ("plain over limit", plain.clone(), plain.len() as u64 - 1, Err("too large")),
            ("gzip", gz(&plain), 100, Ok(&plain)),
            ("gzip multi-member", two_members, 100, Ok(b"abcdef")),
            ("gzip over limit", gz(&[b'a'; 10_000]), 9_999, Err("too large")),
            ("gzip truncated", truncated, 100, Err("decode")),
            ("gzip garbage", vec![0x1f, 0x8b, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], 100, Err("decode")),
        ];
        for (name, input, max, expected) in cases {
            let mut out = Vec::new();
            let got = copy_decoded(&input[..], &mut out, max);
            match (got, expected) {
                (Ok((n, _)), Ok(want)) => {
                    assert_eq!(out, want, "{name}");
                    assert_eq!(n, want.len() as u64, "{name}");
                }
                (Err(CopyError::TooLarge), Err("too large")) | (Err(CopyError::Decode(_)), Err("decode")) => {
                }
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }
}
