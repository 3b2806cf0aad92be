//! French formatting of dates, numbers and distances for the pages.

use chrono::{DateTime, NaiveDate};
use maud::{Markup, html};

/// 31/12/2025.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `<time datetime="2025-12-31">31/12/2025</time>`: readable, and machine-readable for tools.
pub fn time(d: NaiveDate) -> Markup {
    html! { time datetime=(d.format("%Y-%m-%d").to_string()) { (date(d)) } }
}

/// An RFC 3339 timestamp as "31/12/2025 à 06:02 UTC"; the text itself when it does not parse.
pub fn timestamp(rfc3339: &str) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(&chrono::Utc).format("%d/%m/%Y à %H:%M UTC").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// 12 345, with the narrow no-break space French uses between thousands.
pub fn int(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A count with its noun, singular for 0 and 1 as French does: "1 organisme", "12 organismes".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{} {}", int(n as u64), if n <= 1 { singular } else { plural })
}

/// 12,3 km (one decimal under 100 km, none above).
pub fn km(d: f64) -> String {
    if !d.is_finite() {
        return String::new();
    }
    if d >= 100.0 {
        format!("{} km", int(d.round() as u64))
    } else {
        format!("{:.1} km", d).replace('.', ",")
    }
}

/// A radius as people say it: "30 km", "2,5 km".
pub fn radius(r: f64) -> String {
    if (r - r.round()).abs() < 1e-9 { format!("{} km", r.round() as i64) } else { km(r) }
}

/// "actions de formation, bilans de compétences et VAE".
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [head @ .., last] => {
            let head: Vec<&str> = head.iter().map(AsRef::as_ref).collect();
            format!("{} et {}", head.join(", "), last.as_ref())
        }
    }
}

/// Uppercase the first letter ("actions de formation" → "Actions de formation").
pub fn capitalise(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_forms() {
        assert_eq!(int(0u64), "0");
        assert_eq!(int(999u64), "999");
        assert_eq!(int(1234u64), "1\u{202f}234");
        assert_eq!(int(160_000u64), "160\u{202f}000");
        assert_eq!(int(1_234_567u64), "1\u{202f}234\u{202f}567");
        assert_eq!(count(0, "organisme", "organismes"), "0 organisme");
        assert_eq!(count(1, "organisme", "organismes"), "1 organisme");
        assert_eq!(count(2, "organisme", "organismes"), "2 organismes");
        assert_eq!(km(12.34), "12,3 km");
        assert_eq!(km(0.04), "0,0 km");
        assert_eq!(km(123.6), "124 km");
        assert_eq!(km(f64::NAN), "");
        assert_eq!(radius(30.0), "30 km");
        assert_eq!(radius(2.5), "2,5 km");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b et c");
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(capitalise("état"), "État");
        assert_eq!(date(NaiveDate::from_ymd_opt(2025, 3, 7).unwrap()), "07/03/2025");
        assert_eq!(timestamp("2025-03-07T06:02:09.123+00:00"), "07/03/2025 à 06:02 UTC");
        assert_eq!(timestamp("hier"), "hier");
    }
}
