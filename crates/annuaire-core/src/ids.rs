//! Identifiers of the official list: NDA, SIREN, SIRET and postal codes.
//!
//! The checks are the ones the administrations themselves apply, so that a row we reject is one
//! that no funder could match either: an NDA is 11 digits; SIREN and SIRET carry a Luhn check
//! digit, except the establishments of La Poste, whose SIRETs are numbered past the Luhn space
//! and instead have a digit sum that is a multiple of 5.

/// SIREN of La Poste, the one documented exception to the SIRET Luhn rule.
pub const SIREN_LA_POSTE: &str = "356000000";

/// True when `s` is exactly `len` ASCII digits.
pub fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Luhn checksum over ASCII digits (the rightmost digit is the check digit).
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// An NDA (numéro de déclaration d'activité) is 11 digits.
pub fn nda_ok(s: &str) -> bool {
    is_digits(s, 11)
}

/// SIREN: 9 digits with a Luhn check digit.
pub fn siren_ok(s: &str) -> bool {
    is_digits(s, 9) && luhn_ok(s)
}

/// SIRET: 14 digits with a Luhn check digit, or La Poste's digit-sum rule.
pub fn siret_ok(s: &str) -> bool {
    if !is_digits(s, 14) {
        return false;
    }
    if luhn_ok(s) {
        return true;
    }
    s.starts_with(SIREN_LA_POSTE) && s.bytes().map(|b| u32::from(b - b'0')).sum::<u32>() % 5 == 0
}

/// Outcome of reading a postal code from the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostalCode {
    Empty,
    Valid(String),
    /// Spreadsheet round-trips dropped the leading zero (`1000` for `01000`), or spaces crept in.
    Repaired(String),
    Invalid,
}

/// Normalise a postal code: 5 digits, repairing the known lost-zero and spacing damage.
pub fn postal_code(raw: &str) -> PostalCode {
    let t = raw.trim();
    if t.is_empty() {
        return PostalCode::Empty;
    }
    if is_digits(t, 5) {
        return PostalCode::Valid(t.to_string());
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if is_digits(&compact, 5) {
        return PostalCode::Repaired(compact);
    }
    if is_digits(&compact, 4) && compact != "0000" {
        return PostalCode::Repaired(format!("0{compact}"));
    }
    PostalCode::Invalid
}

/// INSEE region codes are two digits; some exports drop the padding of overseas ones ("1").
pub fn region_code(raw: &str) -> Option<String> {
    let t = raw.trim();
    match t.len() {
        1 if t.as_bytes()[0].is_ascii_digit() => Some(format!("0{t}")),
        2 if t.bytes().all(|b| b.is_ascii_digit()) => Some(t.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(f: fn(&str) -> bool, input: &str, expected: bool) {
        assert_eq!(f(input), expected, "{input:?}");
    }

    #[test]
    fn identifiers() {
        check(siren_ok, "732829320", true); // a real SIREN (Luhn)
        check(siren_ok, "732829321", false);
        check(siren_ok, "73282932", false);
        check(siren_ok, "73282932a", false);
        check(siren_ok, "", false);
        check(siret_ok, "73282932000074", true);
        check(siret_ok, "73282932000075", false);
        check(siret_ok, "7328293200007", false);
        // La Poste: fails Luhn but digit sum is a multiple of 5.
        check(siret_ok, "35600000000024", true);
        check(luhn_ok, "35600000000024", false);
        check(siret_ok, "35600000000000", false);
        check(siret_ok, "35600000000015", true);
        // The exception is La Poste's alone.
        check(siret_ok, "73282932000024", false);
        check(siren_ok, SIREN_LA_POSTE, true);
        check(nda_ok, "11755555575", true);
        check(nda_ok, "1175555557", false);
        check(nda_ok, "117555555751", false);
        check(nda_ok, "11A55555575", false);
        check(luhn_ok, "", false);
    }

    #[test]
    fn postal_codes() {
        let cases = [
            ("75011", PostalCode::Valid("75011".into())),
            (" 75011 ", PostalCode::Valid("75011".into())),
            ("1000", PostalCode::Repaired("01000".into())),
            ("75 011", PostalCode::Repaired("75011".into())),
            ("", PostalCode::Empty),
            ("   ", PostalCode::Empty),
            ("750", PostalCode::Invalid),
            ("ABCDE", PostalCode::Invalid),
            ("0000", PostalCode::Invalid),
            ("750111", PostalCode::Invalid),
        ];
        for (raw, want) in cases {
            assert_eq!(postal_code(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn region_codes() {
        assert_eq!(region_code("1").as_deref(), Some("01"));
        assert_eq!(region_code("11").as_deref(), Some("11"));
        assert_eq!(region_code(" 84 ").as_deref(), Some("84"));
        assert_eq!(region_code(""), None);
        assert_eq!(region_code("1a"), None);
        assert_eq!(region_code("123"), None);
    }

    proptest::proptest! {
        #[test]
        fn luhn_detects_any_single_digit_change(base in "[0-9]{8}", pos in 0usize..9, delta in 1u8..10) {
            // Build a valid SIREN from 8 digits, then alter one digit: Luhn must catch it.
            let check = (0..10u8).map(|d| format!("{base}{d}")).find(|s| luhn_ok(s)).unwrap();
            let mut bytes = check.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let altered = String::from_utf8(bytes).unwrap();
            proptest::prop_assert!(!luhn_ok(&altered));
        }
    }
}
