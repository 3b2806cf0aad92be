//! HTTP-date parsing (RFC 9110 §5.6.7) for Last-Modified.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Parses an HTTP-date in any of the three forms a recipient must accept: IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and
/// asctime (`Sun Nov  6 08:49:37 1994`). Returns `None` for anything else: a bad date from a server only
/// costs us the default snapshot date, never the download.
pub fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(dt) = DateTime::parse_from_rfc2822(value) {
        return Some(dt.with_timezone(&Utc));
    }
    // The weekday is redundant and servers get it wrong; chrono would reject the date for it.
    let (_, rest) = value.split_once([',', ' '])?;
    let rest = rest.trim();
    let formats = ["%d-%b-%y %H:%M:%S GMT", "%b %e %H:%M:%S %Y"];
    formats.iter().find_map(|f| NaiveDateTime::parse_from_str(rest, f).ok()).map(|dt| dt.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        let cases = [
            ("Sun, 06 Nov 1994 08:49:37 GMT", Some("1994-11-06T08:49:37")),
            ("Wed, 21 Oct 2015 07:28:00 GMT", Some("2015-10-21T07:28:00")),
            ("  Wed, 21 Oct 2015 23:59:59 GMT ", Some("2015-10-21T23:59:59")),
            ("Sunday, 06-Nov-94 08:49:37 GMT", Some("1994-11-06T08:49:37")),
            ("Sun Nov  6 08:49:37 1994", Some("1994-11-06T08:49:37")),
            ("Sun Nov 16 08:49:37 1994", Some("1994-11-16T08:49:37")),
            ("", None),
            ("yesterday", None),
            ("Wed, 32 Oct 2015 07:28:00 GMT", None),
        ];
        for (input, want) in cases {
            let got = parse_http_date(input).map(|d| d.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string());
            assert_eq!(got.as_deref(), want, "{input:?}");
        }
    }
}
