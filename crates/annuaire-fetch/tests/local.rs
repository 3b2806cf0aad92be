//! Local source files and snapshot archives.

use std::io::{Read, Write};
use std::path::Path;

use annuaire_fetch::{FetchError, gzip_to, read_source_file};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

const CSV: &[u8] = "\u{feff}siren;nda\r\n123456789;11755555555;\r\n".as_bytes();

fn gz(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn read_source_file_cases() {
    let gz_csv = gz(CSV);
    let bomb = gz(&vec![b'a'; 1_000_000]);
    type Expect = Result<&'static [u8], fn(&FetchError) -> bool>;
    let too_large: fn(&FetchError) -> bool = |e| matches!(e, FetchError::TooLarge { limit: 1000, .. });
    let decode: fn(&FetchError) -> bool = |e| matches!(e, FetchError::Decode { .. });
    // (file name, content, max_bytes, expected)
    let cases: Vec<(&str, Vec<u8>, u64, Expect)> = vec![
        ("plain.csv", CSV.to_vec(), 1000, Ok(CSV)),
        ("empty.csv", Vec::new(), 1000, Ok(b"")),
        ("liste.csv.gz", gz_csv.clone(), 1000, Ok(CSV)),
        // The magic bytes decide, not the name.
        ("liste.csv", gz_csv.clone(), 1000, Ok(CSV)),
        ("plain-named.gz", CSV.to_vec(), 1000, Ok(CSV)),
        ("at-limit.csv", CSV.to_vec(), CSV.len() as u64, Ok(CSV)),
        ("over-limit.csv", vec![b'x'; 1001], 1000, Err(too_large)),
        ("bomb.csv.gz", bomb, 1000, Err(too_large)),
        ("truncated.csv.gz", gz_csv[..gz_csv.len() - 4].to_vec(), 1000, Err(decode)),
        ("corrupt.csv.gz", [&gz_csv[..12], &[0xff; 40][..]].concat(), 1000, Err(decode)),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, content, max, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &content).unwrap();
        match (read_source_file(&path, max), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{name}"),
            (Err(err), Err(check)) => {
                assert!(check(&err), "{name}: {err:?}");
                assert!(err.to_string().contains(name), "{name}: message names the file: {err}");
            }
            (got, _) => panic!("{name}: unexpected {got:?}"),
        }
    }
}

#[test]
fn read_source_file_missing() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_source_file(&dir.path().join("absent.csv"), 1000).unwrap_err();
    assert!(matches!(err, FetchError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("absent.csv"), "{err}");
}

#[test]
fn gzip_to_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("2024-05-01.csv.gz");
    let big: Vec<u8> = CSV.iter().copied().cycle().take(2_000_000).collect();
    for content in [CSV.to_vec(), Vec::new(), big] {
        gzip_to(&content, &dest).unwrap();
        let raw = std::fs::read(&dest).unwrap();
        assert_eq!(&raw[..2], &[0x1f, 0x8b]);
        let mut decoded = Vec::new();
        GzDecoder::new(&raw[..]).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, content);
        assert_eq!(read_source_file(&dest, u64::MAX).unwrap(), content);
        // Overwrites in place, leaves no temporary file.
        assert_eq!(entries(dir.path()), ["2024-05-01.csv.gz"]);
    }
}

#[test]
fn gzip_to_missing_dir_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    assert!(gzip_to(CSV, &dir.path().join("missing/x.gz")).is_err());
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}
