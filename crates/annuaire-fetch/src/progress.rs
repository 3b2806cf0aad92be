//! One-line download progress on stderr.

use std::io::Write;
use std::time::{Duration, Instant};

const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// Redraws a single `\r`-updated line, at most ~10 times per second so that a fast local download does not
/// spend its time writing to the terminal. Does nothing when disabled (stderr is not a terminal).
pub(crate) struct Progress {
    enabled: bool,
    total: Option<u64>,
    last_draw: Option<Instant>,
    drawn: bool,
}

impl Progress {
    pub(crate) fn new(enabled: bool, total: Option<u64>) -> Self {
        Progress { enabled, total, last_draw: None, drawn: false }
    }

    pub(crate) fn update(&mut self, done: u64) {
        if !self.enabled || self.last_draw.is_some_and(|t| t.elapsed() < MIN_INTERVAL) {
            return;
        }
        self.draw(done);
    }

    /// Draws the final state, whatever the throttle says, and ends the line.
    pub(crate) fn finish(&mut self, done: u64) {
        if self.enabled {
            self.draw(done);
            self.end_line();
        }
    }

    fn draw(&mut self, done: u64) {
        self.last_draw = Some(Instant::now());
        self.drawn = true;
        // ESC[K clears what a longer previous line left behind; only ever sent to a terminal.
        let _ = write!(std::io::stderr().lock(), "\r{}\x1b[K", progress_line(done, self.total));
    }

    fn end_line(&mut self) {
        if self.drawn {
            self.drawn = false;
            let _ = writeln!(std::io::stderr().lock());
        }
    }
}

impl Drop for Progress {
    /// On an error the caller's message must not be glued to the progress line.
    fn drop(&mut self) {
        self.end_line();
    }
}

/// `Téléchargement : 12,3 Mo / 38,2 Mo (32 %)`, or without total and percentage when the size is unknown.
pub(crate) fn progress_line(done: u64, total: Option<u64>) -> String {
    match total {
        Some(total) if total > 0 => {
            let pct = (u128::from(done) * 100 / u128::from(total)).min(100);
            format!("Téléchargement : {} / {} ({pct} %)", megabytes(done), megabytes(total))
        }
        _ => format!("Téléchargement : {}", megabytes(done)),
    }
}

/// French decimal megabytes (10^6, comma separator), one decimal.
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_add(50_000) / 100_000;
    format!("{},{} Mo", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let cases = [
            (0, Some(38_200_000), "Téléchargement : 0,0 Mo / 38,2 Mo (0 %)"),
            (12_300_000, Some(38_200_000), "Téléchargement : 12,3 Mo / 38,2 Mo (32 %)"),
            (38_200_000, Some(38_200_000), "Téléchargement : 38,2 Mo / 38,2 Mo (100 %)"),
            (40_000_000, Some(38_200_000), "Téléchargement : 40,0 Mo / 38,2 Mo (100 %)"),
            (1_249_999, None, "Téléchargement : 1,2 Mo"),
            (5, Some(0), "Téléchargement : 0,0 Mo"),
            (u64::MAX, Some(u64::MAX), "Téléchargement : 18446744073709,5 Mo / 18446744073709,5 Mo (100 %)"),
        ];
        for (done, total, want) in cases {
            assert_eq!(progress_line(done, total), want, "{done} / {total:?}");
        }
    }
}
