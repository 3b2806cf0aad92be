//! Writing providers as rows of the official file, with the quirks recorded line by line, and
//! the broken rows of known kinds.

use crate::reference::reference;
use crate::world::{Force, LA_POSTE, LEGAL_FORMS, Provider, QUOTED, SOLE_TRADER, Spelling, World};
use crate::{GenConfig, HEADER, Quirk, QuirkKind};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;

/// Reason keys of broken rows, in the order they are spread through a file.
pub(crate) const BROKEN_KINDS: [&str; 9] =
    ["nda", "siret", "siren", "date", "booleen", "compte", "colonnes", "guillemet", "doublon"];

/// Push one field and its `;`. Quoted when asked, and always when the text needs it.
fn field(out: &mut String, s: &str, quote: bool) -> bool {
    let quote = quote || s.contains([';', '"', '\n']);
    if quote {
        out.push('"');
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
    out.push(';');
    quote
}

fn date(out: &mut String, d: NaiveDate) {
    let _ = write!(out, "{:02}/{:02}/{};", d.day(), d.month(), d.year());
}

/// Render one row (without line ending); returns whether any field was quoted.
pub(crate) fn row(p: &Provider, out: &mut String) -> bool {
    let quote = p.flags & QUOTED != 0;
    let _ = write!(out, "{:011};", p.nda);
    field(out, p.precedents.as_deref().unwrap_or(""), false);
    let mut quoted = field(out, &p.name, quote);
    let _ = write!(out, "{:09};{:014};", p.siren, p.siret);
    match &p.address {
        Some(a) => {
            quoted |= field(out, &a.voie, quote);
            let cp = std::str::from_utf8(&a.cp).unwrap_or("");
            out.push_str(if a.cp_lost_zero { &cp[1..] } else { cp });
            out.push(';');
            quoted |= field(out, &a.ville, quote);
        }
        None => out.push_str(";;;"),
    }
    out.push(char::from(p.region[0]));
    out.push(char::from(p.region[1]));
    out.push(';');
    for bit in 0..4 {
        out.push_str(if p.certs & (1 << bit) != 0 {
            "true"
        } else if p.certs == 0 && p.false_empty {
            ""
        } else {
            "false"
        });
        out.push(';');
    }
    match &p.foreign {
        Some(f) => {
            for x in f.iter() {
                quoted |= field(out, x, false);
            }
        }
        None => out.push_str(";;;;;"),
    }
    match &p.declaration {
        Some(d) => {
            for x in d.dates {
                date(out, x);
            }
            for code in d.specs {
                if code == 0 {
                    out.push_str(";;");
                } else {
                    let _ = write!(out, "{code};");
                    quoted |= field(out, reference().nsf_label(code), false);
                }
            }
            let _ = write!(out, "{};{};{};", d.counts[0], d.counts[1], d.counts[2]);
        }
        None => out.push_str(";;;;;;;;;;;;"),
    }
    quoted
}

/// Legal form as a reader would spot it: first or last word of the name.
fn legal_form(name: &str) -> Option<&'static str> {
    let name = name.trim();
    let first = name.split(' ').next().unwrap_or("");
    let last = name.rsplit(' ').next().unwrap_or("");
    LEGAL_FORMS.iter().copied().find(|f| *f == first || *f == last)
}

fn row_quirks(p: &Provider, quoted: bool, line: u64, out: &mut Vec<Quirk>) {
    let mut push = |kind| out.push(Quirk { line, nda: format!("{:011}", p.nda), kind });
    if p.flags & LA_POSTE != 0 {
        push(QuirkKind::LaPoste);
    }
    if p.flags & SOLE_TRADER != 0 {
        push(QuirkKind::SoleTrader);
    }
    if let Some(f) = legal_form(&p.name) {
        push(QuirkKind::LegalForm(f));
    }
    match &p.address {
        None => push(QuirkKind::NoAddress),
        Some(a) => {
            if a.cp_lost_zero {
                let fixed = String::from_utf8_lossy(&a.cp).into_owned();
                push(QuirkKind::PostalCodeRepaired { raw: fixed[1..].to_string(), fixed });
            }
            match a.spelling {
                Spelling::Cedex => push(QuirkKind::Cedex),
                Spelling::Arrondissement => push(QuirkKind::ArrondissementSpelling),
                Spelling::Saint => push(QuirkKind::SaintAbbreviated),
                Spelling::Plain => {}
            }
        }
    }
    if p.foreign.is_some() {
        push(QuirkKind::ForeignRepresented);
    }
    if quoted {
        push(QuirkKind::QuotedField);
    }
    if p.precedents.is_some() {
        push(QuirkKind::Precedents);
    }
    if p.name != p.name.trim() {
        push(QuirkKind::PaddedText);
    }
    if p.declaration.is_none() {
        push(QuirkKind::NoDeclaration);
    }
}

/// A broken row of `kind`, and the NDA text it carries. Every NDA is fresh (it never appears in
/// a valid row of any snapshot) except for `doublon`, the second occurrence of a row above it.
fn broken(w: &mut World, kind: &'static str, written: &[usize]) -> (String, String) {
    let mut line = String::with_capacity(320);
    if kind == "doublon" {
        let i = written[w.rng.below(written.len())];
        let mut dup = w.providers[i].clone();
        // A different name, so that a reader keeping the second occurrence shows a rename.
        dup.name = format!("{} BIS", dup.name.trim());
        row(&dup, &mut line);
        return (format!("{:011}", dup.nda), line);
    }
    let p = w.new_provider(Force::Plain);
    row(&p, &mut line);
    let nda = format!("{:011}", p.nda);
    // A plain row has no quoted field, so `;` splits it exactly.
    let mut f: Vec<String> = line.split(';').map(str::to_string).collect();
    let mut nda_text = nda.clone();
    match kind {
        "nda" => {
            nda_text = if w.rng.chance(0.5) {
                nda[..10].to_string()
            } else {
                format!("{}AB{}", &nda[..2], &nda[4..])
            };
            f[0] = nda_text.clone();
        }
        "siret" => {
            let last = (f[4].as_bytes()[13] - b'0' + 1) % 10;
            f[4] = format!("{}{last}", &f[4][..13]);
        }
        "siren" => {
            let last = (f[3].as_bytes()[8] - b'0' + 1) % 10;
            let siren = format!("{}{last}", &f[3][..8]);
            // The SIRET is rebuilt on the bad SIREN with a valid key: only the SIREN is wrong.
            let prefix = format!("{siren}{}", &f[4][9..13]);
            let key = (0..10).find(|d| crate::luhn_ok(&format!("{prefix}{d}"))).unwrap_or(0);
            f[4] = format!("{prefix}{key}");
            f[3] = siren;
        }
        "date" => {
            const IMPOSSIBLE: [&str; 4] = ["31/02/2024", "30/02/2025", "31/04/2025", "29/02/2025"];
            f[18 + w.rng.below(3)] = w.rng.pick(&IMPOSSIBLE).to_string();
        }
        "booleen" => f[9] = "oui".to_string(),
        "compte" => {
            f[27 + 2 * w.rng.below(2)] = w.rng.pick(&["-5", "douze", "-12", "3,5"]).to_string();
        }
        "colonnes" => {
            // Fields lost at the end, the trailing `;` kept like on every line.
            f.truncate(25);
            f.push(String::new());
        }
        "guillemet" => {
            // An opening quote, then quotes that close nothing: not valid CSV quoting.
            f[2] = format!("\"{} \"{}\" FORMATION\"", w.rng.pick(&["ECOLE", "INSTITUT", "CENTRE"]), p.name);
        }
        _ => {}
    }
    (nda_text, f.join(";"))
}

pub(crate) struct Rendered {
    pub(crate) csv: Vec<u8>,
    pub(crate) quirks: Vec<Quirk>,
    pub(crate) certified_rows: usize,
    pub(crate) rejected_rows: usize,
}

pub(crate) fn header(cfg: &GenConfig) -> String {
    if cfg.leading_space_header {
        // The old variant: a space after each separator (`; denomination`).
        let names: Vec<&str> = HEADER.trim_end_matches(';').split(';').collect();
        format!("{};", names.join("; "))
    } else {
        HEADER.to_string()
    }
}

pub(crate) fn snapshot(w: &mut World, cfg: &GenConfig) -> Rendered {
    let eol = if cfg.crlf { "\r\n" } else { "\n" };
    let listed = std::mem::take(&mut w.listed);
    let mut text = String::with_capacity(listed.len() * 330 + 4096);
    if cfg.bom {
        text.push('\u{feff}');
    }
    text.push_str(&header(cfg));
    text.push_str(eol);
    let n_broken = if cfg.broken_rows { (listed.len() / 2000).max(BROKEN_KINDS.len()) } else { 0 };
    // Broken row b goes after data row slot(b): evenly spread, and never first (a duplicate
    // needs a row above it).
    let slot = |b: usize| ((b + 1) * listed.len() / (n_broken + 1)).min(listed.len().saturating_sub(1));
    let mut quirks = Vec::with_capacity(listed.len());
    let mut line: u64 = 1;
    let mut certified = 0;
    let mut next_broken = 0;
    for (pos, &i) in listed.iter().enumerate() {
        let p = &w.providers[i];
        line += 1;
        let quoted = row(p, &mut text);
        text.push_str(eol);
        certified += usize::from(p.certified());
        row_quirks(p, quoted, line, &mut quirks);
        while next_broken < n_broken && slot(next_broken) == pos {
            let kind = BROKEN_KINDS[next_broken % BROKEN_KINDS.len()];
            let (nda, bad) = broken(w, kind, &listed[..=pos]);
            text.push_str(&bad);
            text.push_str(eol);
            line += 1;
            quirks.push(Quirk { line, nda, kind: QuirkKind::Rejected(kind) });
            next_broken += 1;
        }
    }
    w.listed = listed;
    Rendered { csv: text.into_bytes(), quirks, certified_rows: certified, rejected_rows: next_broken }
}
