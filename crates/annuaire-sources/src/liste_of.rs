//! Reader of the DGEFP "Liste publique des organismes de formation" CSV.
//!
//! The file is `;`-separated UTF-8 with a trailing `;` on every line, sometimes a BOM and CRLF,
//! some quoted fields, and a few rows that are simply broken. Columns are found by header name
//! (the API names, or the labels of the Opendatasoft export) so a reordered or extended file still
//! reads. Quoting is handled per physical line on purpose: a general CSV reader that meets an
//! unterminated quote swallows the rest of the file, while here it costs at most that one row.

use annuaire_core::ids::{self, PostalCode};
use annuaire_core::model::{Adresse, Certifications, Organisme, OrganismeEtranger, Specialite};
use annuaire_core::name::display_name;
use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashSet;

/// A row that could not be imported, kept whole so it can be reported and replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejet {
    /// 1-based physical line of the file (the header is line 1).
    pub ligne: u64,
    /// The row's NDA when it is at least well-formed, so the provider is not taken for gone.
    pub nda: Option<String>,
    pub motif: &'static str,
    pub message: String,
    pub brut: String,
}

/// A value the reader repaired or dropped rather than reject the row for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub ligne: u64,
    pub nda: String,
    pub champ: &'static str,
    pub avant: String,
    pub apres: Option<String>,
}

#[derive(Debug, Default)]
pub struct ParsedList {
    pub organismes: Vec<Organisme>,
    pub rejets: Vec<Rejet>,
    pub corrections: Vec<Correction>,
    /// Data lines read (valid or not), excluding the header and blank lines.
    pub lignes: u64,
    pub bom: bool,
    pub crlf: bool,
    /// The file was not UTF-8 and was read as Latin-1.
    pub latin1: bool,
}

/// Why a whole file is refused. The stored data is never touched in that case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error("le fichier est vide")]
    Empty,
    #[error("le fichier n'est pas un CSV texte (octets binaires)")]
    NotText,
    #[error("en-tête invalide : colonnes obligatoires absentes : {}", .0.join(", "))]
    MissingColumns(Vec<&'static str>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Nda,
    NdaPrecedent,
    Denomination,
    Siren,
    Siret,
    Voie,
    CodePostal,
    Ville,
    CodeRegion,
    CertActions,
    CertBilans,
    CertVae,
    CertApprentissage,
    EtrDenomination,
    EtrVoie,
    EtrCodePostal,
    EtrVille,
    EtrPays,
    DateDeclaration,
    DebutExercice,
    FinExercice,
    SpecCode1,
    SpecLib1,
    SpecCode2,
    SpecLib2,
    SpecCode3,
    SpecLib3,
    NbStagiaires,
    NbStagiairesConfies,
    EffectifFormateurs,
}

const NCOLS: usize = 30;

/// Column names: the official file's, then the Opendatasoft export's labels (lowercased).
const COLUMNS: [(Col, &str, &str); NCOLS] = [
    (Col::Nda, "numerodeclarationactivite", "numéro déclaration activité"),
    (Col::NdaPrecedent, "numerosdeclarationactiviteprecedent", "numéro déclaration activité précédent"),
    (Col::Denomination, "denomination", "denomination"),
    (Col::Siren, "siren", "code siren"),
    (Col::Siret, "siretetablissementdeclarant", "siret etablissement déclarant"),
    (Col::Voie, "adressephysiqueorganismeformation.voie", "adresse organisme de formation"),
    (Col::CodePostal, "adressephysiqueorganismeformation.codepostal", "code postal organisme de formation"),
    (Col::Ville, "adressephysiqueorganismeformation.ville", "ville organisme de formation"),
    (Col::CodeRegion, "adressephysiqueorganismeformation.coderegion", "code région organisme de formation"),
    (Col::CertActions, "certifications.actionsdeformation", "actions de formations"),
    (Col::CertBilans, "certifications.bilansdecompetences", "bilans de compétences"),
    (Col::CertVae, "certifications.vae", "vae"),
    (
        Col::CertApprentissage,
        "certifications.actionsdeformationparapprentissage",
        "actions de formations par apprentissage",
    ),
    (
        Col::EtrDenomination,
        "organismeetrangerrepresente.denomination",
        "dénomination organisme etranger représenté",
    ),
    (Col::EtrVoie, "organismeetrangerrepresente.voie", "adresse organisme etranger représenté"),
    (
        Col::EtrCodePostal,
        "organismeetrangerrepresente.codepostal",
        "code postal organisme etranger représenté",
    ),
    (Col::EtrVille, "organismeetrangerrepresente.ville", "ville organisme etranger représenté"),
    (Col::EtrPays, "organismeetrangerrepresente.pays", "pays organisme etranger représenté"),
    (Col::DateDeclaration, "informationsdeclarees.datedernieredeclaration", "date dernière déclaration"),
    (Col::DebutExercice, "informationsdeclarees.debutexercice", "début d'exercice"),
    (Col::FinExercice, "informationsdeclarees.finexercice", "fin d'exercice"),
    (Col::SpecCode1, "informationsdeclarees.specialitesdeformation.codespecialite1", "code spécialité 1"),
    (
        Col::SpecLib1,
        "informationsdeclarees.specialitesdeformation.libellespecialite1",
        "libellé spécialité 1",
    ),
    (Col::SpecCode2, "informationsdeclarees.specialitesdeformation.codespecialite2", "code spécialité 2"),
    (
        Col::SpecLib2,
        "informationsdeclarees.specialitesdeformation.libellespecialite2",
        "libellé spécialité 2",
    ),
    (Col::SpecCode3, "informationsdeclarees.specialitesdeformation.codespecialite3", "code spécialité 3"),
    (
        Col::SpecLib3,
        "informationsdeclarees.specialitesdeformation.libellespecialite3",
        "libellé spécialité 3",
    ),
    (Col::NbStagiaires, "informationsdeclarees.nbstagiaires", "nombre de stagiaires"),
    (
        Col::NbStagiairesConfies,
        "informationsdeclarees.nbstagiairesconfiesparunautreof",
        "nombre de stagiaires confiés par un autre organisme de formation",
    ),
    (Col::EffectifFormateurs, "informationsdeclarees.effectifformateurs", "effectifs de formateurs"),
];

/// Without these a row cannot say who the provider is, where, or what it is certified for.
const REQUIRED: [Col; 12] = [
    Col::Nda,
    Col::Denomination,
    Col::Siren,
    Col::Siret,
    Col::Voie,
    Col::CodePostal,
    Col::Ville,
    Col::CodeRegion,
    Col::CertActions,
    Col::CertBilans,
    Col::CertVae,
    Col::CertApprentissage,
];

/// Longest raw text kept for a rejected row; a broken quote can glue lines together.
const MAX_RAW: usize = 4_000;
/// Physical lines a quoted field may span before the row is declared broken.
const MAX_CONTINUATION_LINES: usize = 3;

/// Read a whole file.
pub fn parse(bytes: &[u8]) -> Result<ParsedList, ListError> {
    let mut out = ParsedList::default();
    let mut bytes = bytes;
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        out.bom = true;
        bytes = rest;
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ListError::Empty);
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(ListError::NotText);
    }
    let text: Cow<str> = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            // Some exports of the ministry's files came out in Latin-1; reading them as such
            // loses nothing, unlike a lossy UTF-8 decode.
            out.latin1 = true;
            Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())
        }
    };

    let lines: Vec<&str> = text.split('\n').collect();
    out.crlf = lines.first().is_some_and(|l| l.ends_with('\r'));
    let line = |i: usize| lines[i].strip_suffix('\r').unwrap_or(lines[i]);

    let header_fields =
        split_line(line(0)).map_err(|_| ListError::MissingColumns(vec!["(en-tête illisible)"]))?;
    let layout = Layout::from_header(&header_fields)?;

    let mut seen: HashSet<String> = HashSet::new();
    let mut i = 1;
    while i < lines.len() {
        let start = i;
        let first = line(i);
        i += 1;
        if first.trim().is_empty() {
            continue;
        }
        out.lignes += 1;
        let ligne = start as u64 + 1;
        // A quoted field may legitimately hold a line break: when the quotes do not balance,
        // try joining the following lines, and keep the join only if it yields a whole record.
        let mut record: Cow<str> = Cow::Borrowed(first);
        if odd_quotes(first) {
            let mut candidate = first.to_string();
            let mut j = i;
            while j < lines.len() && j - start <= MAX_CONTINUATION_LINES {
                candidate.push('\n');
                candidate.push_str(line(j));
                j += 1;
                if !odd_quotes(&candidate) {
                    if split_line(&candidate).is_ok_and(|f| layout.width_ok(f.len())) {
                        record = Cow::Owned(candidate);
                        i = j;
                    }
                    break;
                }
            }
        }
        let parsed = split_line(&record);
        let reject = |motif, message: String, nda: Option<String>, raw: &str| Rejet {
            ligne,
            nda,
            motif,
            message,
            brut: truncate(raw, MAX_RAW),
        };
        match parsed {
            Err(_) => {
                let nda = first.split(';').next().map(|s| s.trim().trim_matches('"').to_string());
                out.rejets.push(reject(
                    "guillemet",
                    "guillemet non fermé ou mal placé".into(),
                    nda.filter(|n| ids::nda_ok(n)),
                    first,
                ));
            }
            Ok(fields) => match layout.read_row(&fields, ligne, &mut out.corrections) {
                Ok(org) => {
                    if seen.insert(org.nda.clone()) {
                        out.organismes.push(org);
                    } else {
                        let nda = org.nda.clone();
                        out.rejets.push(reject(
                            "doublon",
                            format!("NDA {nda} déjà présent plus haut dans le fichier"),
                            None,
                            &record,
                        ));
                    }
                }
                Err((motif, message)) => {
                    let nda = layout.get(&fields, Col::Nda).map(|s| s.trim().to_string());
                    out.rejets.push(reject(motif, message, nda.filter(|n| ids::nda_ok(n)), &record));
                }
            },
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SplitError {
    /// The line ended inside a quoted field.
    Unterminated,
    /// A closing quote followed by something other than `;`.
    Stray,
}

/// Split one record on `;`, honouring double-quoted fields with `""` escapes.
fn split_line(line: &str) -> Result<Vec<Cow<'_, str>>, SplitError> {
    let mut out = Vec::with_capacity(32);
    let bytes = line.as_bytes();
    let mut pos = 0;
    loop {
        if bytes.get(pos) == Some(&b'"') {
            let mut value = String::new();
            let mut seg_start = pos + 1;
            let mut j = pos + 1;
            loop {
                match memchr(b'"', &bytes[j..]) {
                    None => return Err(SplitError::Unterminated),
                    Some(k) => {
                        let q = j + k;
                        if bytes.get(q + 1) == Some(&b'"') {
                            value.push_str(&line[seg_start..=q]);
                            j = q + 2;
                            seg_start = j;
                        } else {
                            value.push_str(&line[seg_start..q]);
                            match bytes.get(q + 1) {
                                None => {
                                    out.push(Cow::Owned(value));
                                    return Ok(out);
                                }
                                Some(b';') => {
                                    out.push(Cow::Owned(value));
                                    pos = q + 2;
                                    break;
                                }
                                Some(_) => return Err(SplitError::Stray),
                            }
                        }
                    }
                }
            }
            if pos > bytes.len() {
                return Ok(out);
            }
            if pos == bytes.len() {
                out.push(Cow::Borrowed(""));
                return Ok(out);
            }
        } else {
            match memchr(b';', &bytes[pos..]) {
                Some(k) => {
                    out.push(Cow::Borrowed(&line[pos..pos + k]));
                    pos += k + 1;
                    if pos == bytes.len() {
                        out.push(Cow::Borrowed(""));
                        return Ok(out);
                    }
                }
                None => {
                    out.push(Cow::Borrowed(&line[pos..]));
                    return Ok(out);
                }
            }
        }
    }
}

fn odd_quotes(s: &str) -> bool {
    s.bytes().filter(|&b| b == b'"').count() % 2 == 1
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Where each known column sits in this file.
struct Layout {
    index: [Option<usize>; NCOLS],
    /// Fields a well-formed row has: with the trailing `;` or without it.
    widths: (usize, usize),
}

impl Layout {
    fn from_header(fields: &[Cow<str>]) -> Result<Layout, ListError> {
        let mut index = [None; NCOLS];
        for (pos, raw) in fields.iter().enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}').trim_matches('"').trim().to_lowercase();
            if let Some(c) = COLUMNS.iter().position(|(_, api, label)| *api == name || *label == name) {
                index[c].get_or_insert(pos);
            }
        }
        let missing: Vec<&'static str> = REQUIRED
            .iter()
            .filter(|c| index[**c as usize].is_none())
            .map(|c| COLUMNS[*c as usize].1)
            .collect();
        if !missing.is_empty() {
            return Err(ListError::MissingColumns(missing));
        }
        let named = fields.iter().rposition(|f| !f.trim().is_empty()).map_or(0, |p| p + 1);
        Ok(Layout { index, widths: (named, fields.len()) })
    }

    fn width_ok(&self, n: usize) -> bool {
        n == self.widths.0 || n == self.widths.1
    }

    fn get<'a>(&self, fields: &'a [Cow<str>], c: Col) -> Option<&'a str> {
        self.index[c as usize].and_then(|i| fields.get(i)).map(|f| f.as_ref())
    }

    /// Trimmed text, `None` when empty.
    fn text(&self, fields: &[Cow<str>], c: Col) -> Option<String> {
        self.get(fields, c).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    }

    fn read_row(
        &self,
        f: &[Cow<str>],
        ligne: u64,
        corrections: &mut Vec<Correction>,
    ) -> Result<Organisme, (&'static str, String)> {
        let n = f.len();
        let (named, full) = self.widths;
        // Extra trailing `;` are harmless; a shifted row leaves a value past the last column.
        let extra_empty = n > full && f[named..].iter().all(|x| x.trim().is_empty());
        if n != named && n != full && !extra_empty {
            return Err(("colonnes", format!("{n} champs au lieu de {named}")));
        }
        let nda = self.get(f, Col::Nda).unwrap_or("").trim();
        if !ids::nda_ok(nda) {
            return Err(("nda", format!("NDA invalide « {nda} » : 11 chiffres attendus")));
        }
        let nda = nda.to_string();
        let denomination =
            self.text(f, Col::Denomination).ok_or(("denomination", "dénomination vide".to_string()))?;
        let siren = self.text(f, Col::Siren);
        if let Some(s) = &siren {
            if !ids::siren_ok(s) {
                return Err(("siren", format!("SIREN invalide « {s} » (9 chiffres, clé de Luhn)")));
            }
        }
        let siret = self.text(f, Col::Siret);
        if let Some(s) = &siret {
            if !ids::siret_ok(s) {
                return Err(("siret", format!("SIRET invalide « {s} » (14 chiffres, clé de Luhn)")));
            }
            if let Some(sn) = &siren {
                if !s.starts_with(sn.as_str()) {
                    return Err(("siret", format!("le SIRET {s} n'appartient pas au SIREN {sn}")));
                }
            }
        }
        let mut fix = |champ, avant: &str, apres: Option<String>| {
            corrections.push(Correction { ligne, nda: nda.clone(), champ, avant: avant.to_string(), apres })
        };

        let code_postal = match self.get(f, Col::CodePostal).map(ids::postal_code) {
            None | Some(PostalCode::Empty) => None,
            Some(PostalCode::Valid(cp)) => Some(cp),
            Some(PostalCode::Repaired(cp)) => {
                fix("code_postal", self.get(f, Col::CodePostal).unwrap_or(""), Some(cp.clone()));
                Some(cp)
            }
            Some(PostalCode::Invalid) => {
                fix("code_postal", self.get(f, Col::CodePostal).unwrap_or(""), None);
                None
            }
        };
        let code_region = match self.text(f, Col::CodeRegion) {
            None => None,
            Some(raw) => {
                let r = ids::region_code(&raw);
                if r.as_deref() != Some(raw.as_str()) {
                    fix("code_region", &raw, r.clone());
                }
                r
            }
        };
        let mut ndas_precedents = Vec::new();
        if let Some(raw) = self.text(f, Col::NdaPrecedent) {
            for p in raw.split([',', ';', '|', ' ', '/']).map(str::trim).filter(|p| !p.is_empty()) {
                if ids::nda_ok(p) && p != nda {
                    ndas_precedents.push(p.to_string());
                } else if p != nda {
                    fix("nda_precedent", p, None);
                }
            }
        }

        let certifications = Certifications {
            actions_formation: self.boolean(f, Col::CertActions)?,
            bilans_competences: self.boolean(f, Col::CertBilans)?,
            vae: self.boolean(f, Col::CertVae)?,
            apprentissage: self.boolean(f, Col::CertApprentissage)?,
        };
        let etranger = OrganismeEtranger {
            denomination: self.text(f, Col::EtrDenomination),
            voie: self.text(f, Col::EtrVoie),
            code_postal: self.text(f, Col::EtrCodePostal),
            ville: self.text(f, Col::EtrVille),
            pays: self.text(f, Col::EtrPays),
        };
        let has_etranger = etranger.denomination.is_some()
            || etranger.voie.is_some()
            || etranger.code_postal.is_some()
            || etranger.ville.is_some()
            || etranger.pays.is_some();

        let mut specialites = Vec::new();
        for (c, l) in [
            (Col::SpecCode1, Col::SpecLib1),
            (Col::SpecCode2, Col::SpecLib2),
            (Col::SpecCode3, Col::SpecLib3),
        ] {
            if let Some(code) = self.text(f, c) {
                specialites.push(Specialite { code, libelle: self.text(f, l).unwrap_or_default() });
            }
        }
        let display = display_name(&denomination);
        Ok(Organisme {
            nda: nda.clone(),
            ndas_precedents,
            nom_affichage: display.nom,
            forme_juridique: display.forme_juridique,
            denomination,
            siren,
            siret,
            adresse: Adresse {
                voie: self.text(f, Col::Voie),
                code_postal,
                ville: self.text(f, Col::Ville),
                code_region,
            },
            certifications,
            organisme_etranger: has_etranger.then_some(etranger),
            date_derniere_declaration: self.date(f, Col::DateDeclaration)?,
            debut_exercice: self.date(f, Col::DebutExercice)?,
            fin_exercice: self.date(f, Col::FinExercice)?,
            specialites,
            nb_stagiaires: self.count(f, Col::NbStagiaires)?,
            nb_stagiaires_confies: self.count(f, Col::NbStagiairesConfies)?,
            effectif_formateurs: self.count(f, Col::EffectifFormateurs)?,
        })
    }

    fn boolean(&self, f: &[Cow<str>], c: Col) -> Result<bool, (&'static str, String)> {
        let raw = self.get(f, c).unwrap_or("").trim();
        if raw.is_empty() || raw.eq_ignore_ascii_case("false") {
            Ok(false)
        } else if raw.eq_ignore_ascii_case("true") {
            Ok(true)
        } else {
            Err(("booleen", format!("{} : « {raw} » au lieu de true, false ou vide", COLUMNS[c as usize].1)))
        }
    }

    fn date(&self, f: &[Cow<str>], c: Col) -> Result<Option<NaiveDate>, (&'static str, String)> {
        let raw = self.get(f, c).unwrap_or("").trim();
        if raw.is_empty() {
            return Ok(None);
        }
        parse_date(raw).map(Some).ok_or_else(|| {
            ("date", format!("{} : date invalide « {raw} » (JJ/MM/AAAA)", COLUMNS[c as usize].1))
        })
    }

    fn count(&self, f: &[Cow<str>], c: Col) -> Result<Option<u32>, (&'static str, String)> {
        let raw = self.get(f, c).unwrap_or("").trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse::<u32>().map(Some).map_err(|_| {
            ("compte", format!("{} : « {raw} » n'est pas un entier positif", COLUMNS[c as usize].1))
        })
    }
}

/// dd/mm/yyyy as published; ISO dates are accepted too since some mirrors convert them.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let b = raw.as_bytes();
    if b.len() == 10 && b[2] == b'/' && b[5] == b'/' {
        let n = |r: std::ops::Range<usize>| raw.get(r).and_then(|s| s.parse::<u32>().ok());
        return NaiveDate::from_ymd_opt(n(6..10)? as i32, n(3..5)?, n(0..2)?);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "numeroDeclarationActivite;numerosDeclarationActivitePrecedent;denomination;siren;siretEtablissementDeclarant;adressePhysiqueOrganismeFormation.voie;adressePhysiqueOrganismeFormation.codePostal;adressePhysiqueOrganismeFormation.ville;adressePhysiqueOrganismeFormation.codeRegion;certifications.actionsDeFormation;certifications.bilansDeCompetences;certifications.VAE;certifications.actionsDeFormationParApprentissage;organismeEtrangerRepresente.denomination;organismeEtrangerRepresente.voie;organismeEtrangerRepresente.codePostal;organismeEtrangerRepresente.ville;organismeEtrangerRepresente.pays;informationsDeclarees.dateDerniereDeclaration;informationsDeclarees.debutExercice;informationsDeclarees.finExercice;informationsDeclarees.specialitesDeFormation.codeSpecialite1;informationsDeclarees.specialitesDeFormation.libelleSpecialite1;informationsDeclarees.specialitesDeFormation.codeSpecialite2;informationsDeclarees.specialitesDeFormation.libelleSpecialite2;informationsDeclarees.specialitesDeFormation.codeSpecialite3;informationsDeclarees.specialitesDeFormation.libelleSpecialite3;informationsDeclarees.nbStagiaires;informationsDeclarees.nbStagiairesConfiesParUnAutreOF;informationsDeclarees.effectifFormateurs;";

    /// A valid row whose fields can be overridden by position.
    fn row(overrides: &[(usize, &str)]) -> String {
        let mut f: Vec<String> = [
            "11755555575",
            "",
            "SARL FORMATION PLUS",
            "732829320",
            "73282932000074",
            "12 RUE DE LA PAIX",
            "75002",
            "PARIS",
            "11",
            "true",
            "false",
            "",
            "false",
            "",
            "",
            "",
            "",
            "",
            "15/03/2025",
            "01/01/2024",
            "31/12/2024",
            "326",
            "Informatique",
            "",
            "",
            "",
            "",
            "120",
            "10",
            "4",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (i, v) in overrides {
            f[*i] = v.to_string();
        }
        f.join(";")
    }

    fn parse_rows(rows: &[String]) -> ParsedList {
        let mut text = String::from(HEADER);
        for r in rows {
            text.push('\n');
            text.push_str(r);
        }
        parse(text.as_bytes()).unwrap()
    }

    /// One row in, the expected outcome out: `Ok` with a check on the record, or the reject motif.
    fn check(overrides: &[(usize, &str)], want: Result<fn(&Organisme) -> bool, &str>) {
        let p = parse_rows(&[row(overrides)]);
        match want {
            Ok(pred) => {
                assert!(p.rejets.is_empty(), "{overrides:?}: {:?}", p.rejets);
                assert!(pred(&p.organismes[0]), "{overrides:?}: {:?}", p.organismes[0]);
            }
            Err(motif) => {
                assert!(p.organismes.is_empty(), "{overrides:?} should be rejected");
                assert_eq!(p.rejets[0].motif, motif, "{overrides:?}: {:?}", p.rejets[0]);
                assert_eq!(p.rejets[0].ligne, 2);
            }
        }
    }

    #[test]
    fn rows() {
        check(&[], Ok(|o| o.nda == "11755555575" && o.certifications.actions_formation));
        check(
            &[],
            Ok(|o| o.nom_affichage == "Formation Plus" && o.forme_juridique.as_deref() == Some("SARL")),
        );
        check(&[], Ok(|o| o.denomination == "SARL FORMATION PLUS"));
        check(&[], Ok(|o| o.specialites.len() == 1 && o.specialites[0].code == "326"));
        check(&[], Ok(|o| o.nb_stagiaires == Some(120) && o.effectif_formateurs == Some(4)));
        check(&[], Ok(|o| o.date_derniere_declaration == NaiveDate::from_ymd_opt(2025, 3, 15)));
        check(&[(0, " 11755555575 ")], Ok(|o| o.nda == "11755555575"));
        check(&[(0, "1175555557")], Err("nda"));
        check(&[(0, "11A55555575")], Err("nda"));
        check(&[(0, "")], Err("nda"));
        check(&[(2, "  ")], Err("denomination"));
        check(&[(3, "732829321")], Err("siren"));
        check(&[(4, "73282932000075")], Err("siret"));
        check(&[(4, "35600000000024")], Err("siret")); // La Poste SIRET under another SIREN
        check(
            &[(3, "356000000"), (4, "35600000000024")],
            Ok(|o| o.siret.as_deref() == Some("35600000000024")),
        );
        check(&[(3, ""), (4, "")], Ok(|o| o.siren.is_none() && o.siret.is_none()));
        check(&[(9, "TRUE"), (10, "True")], Ok(|o| o.certifications.bilans_competences));
        check(&[(9, ""), (10, ""), (11, ""), (12, "")], Ok(|o| !o.certifications.any()));
        check(&[(11, "oui")], Err("booleen"));
        check(&[(18, "31/02/2024")], Err("date"));
        check(
            &[(18, "2024-02-29")],
            Ok(|o| o.date_derniere_declaration == NaiveDate::from_ymd_opt(2024, 2, 29)),
        );
        check(&[(18, "")], Ok(|o| o.date_derniere_declaration.is_none()));
        check(&[(27, "-3")], Err("compte"));
        check(&[(27, "douze")], Err("compte"));
        check(&[(27, "")], Ok(|o| o.nb_stagiaires.is_none()));
        check(&[(6, "1000")], Ok(|o| o.adresse.code_postal.as_deref() == Some("01000")));
        check(&[(6, "ABCDE")], Ok(|o| o.adresse.code_postal.is_none()));
        check(&[(5, ""), (6, ""), (7, "")], Ok(|o| o.adresse.is_empty() && o.adresse.code_region.is_some()));
        check(&[(8, "1")], Ok(|o| o.adresse.code_region.as_deref() == Some("01")));
        check(&[(1, "84690000011")], Ok(|o| o.ndas_precedents == ["84690000011"]));
        check(&[(1, "84690000011, 93130000012")], Ok(|o| o.ndas_precedents.len() == 2));
        check(&[(1, "bad")], Ok(|o| o.ndas_precedents.is_empty()));
        check(
            &[(2, "\"FORMATION; ET \"\"CONSEIL\"\"\"")],
            Ok(|o| o.denomination == "FORMATION; ET \"CONSEIL\""),
        );
        check(&[(2, "FORMATION \"LE PHARE\"")], Ok(|o| o.denomination == "FORMATION \"LE PHARE\""));
        check(&[(2, "\"FORMATION \"LE PHARE\"\"")], Err("guillemet"));
        check(&[(13, "ACME LTD"), (17, "ROYAUME-UNI")], Ok(|o| o.organisme_etranger.is_some()));
        check(&[], Ok(|o| o.organisme_etranger.is_none()));
    }

    #[test]
    fn field_counts() {
        let short = row(&[]).rsplitn(3, ';').nth(2).unwrap().to_string();
        let p = parse_rows(&[short]);
        assert_eq!(p.rejets[0].motif, "colonnes");
        // Without the trailing `;` the row is still complete.
        let no_trailing = row(&[]).trim_end_matches(';').to_string();
        assert_eq!(parse_rows(&[no_trailing]).organismes.len(), 1);
        let extra = format!("{};;", row(&[]));
        assert_eq!(parse_rows(&[extra]).organismes.len(), 1);
        let shifted = row(&[(2, "FORMATION;PLUS")]);
        assert_eq!(parse_rows(&[shifted]).rejets[0].motif, "colonnes");
    }

    #[test]
    fn file_shapes() {
        let body = format!("\u{feff}{}\r\n{}\r\n\r\n", HEADER, row(&[]));
        let p = parse(body.as_bytes()).unwrap();
        assert!(p.bom && p.crlf);
        assert_eq!((p.organismes.len(), p.rejets.len(), p.lignes), (1, 0, 1));
        assert_eq!(p.organismes[0].effectif_formateurs, Some(4));
        // Old variant: leading space in column names, quoted header.
        let spaced = HEADER.replace(";denomination;", "; denomination;").replace("siren;", "\"siren\";");
        let p = parse(format!("{spaced}\n{}", row(&[])).as_bytes()).unwrap();
        assert_eq!(p.organismes.len(), 1);
        // Columns found by name whatever their order.
        let mut cols: Vec<&str> = HEADER.split(';').collect();
        let mut vals: Vec<String> = row(&[]).split(';').map(str::to_string).collect();
        cols.swap(0, 2);
        vals.swap(0, 2);
        let p = parse(format!("{}\n{}", cols.join(";"), vals.join(";")).as_bytes()).unwrap();
        assert_eq!(p.organismes[0].nda, "11755555575");
        // Latin-1.
        let mut latin = format!("{HEADER}\n").into_bytes();
        latin.extend(
            row(&[(7, "S\u{e8}te")]).replace('è', "\u{0}").bytes().map(|b| if b == 0 { 0xE8 } else { b }),
        );
        let p = parse(&latin).unwrap();
        assert!(p.latin1);
        assert_eq!(p.organismes[0].adresse.ville.as_deref(), Some("Sète"));
    }

    #[test]
    fn refused_files() {
        assert_eq!(parse(b"").unwrap_err(), ListError::Empty);
        assert_eq!(parse(b"  \n ").unwrap_err(), ListError::Empty);
        assert_eq!(parse(b"\x1f\x8b\x08\x00\x00\x00").unwrap_err(), ListError::NotText);
        assert!(matches!(parse(b"<html><body>Erreur 502</body></html>"), Err(ListError::MissingColumns(_))));
        let partial = HEADER.replace("certifications.VAE;", "");
        match parse(partial.as_bytes()) {
            Err(ListError::MissingColumns(m)) => assert_eq!(m, vec!["certifications.vae"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn broken_quotes_cost_one_row() {
        let bad = row(&[(2, "\"FORMATION PLUS")]);
        let p = parse_rows(&[bad, row(&[(0, "11000000001")]), row(&[(0, "11000000002")])]);
        assert_eq!(p.rejets.len(), 1);
        assert_eq!(p.rejets[0].motif, "guillemet");
        assert_eq!(p.rejets[0].nda.as_deref(), Some("11755555575"));
        assert_eq!(p.organismes.len(), 2);
        // A quoted field spanning two lines is one record.
        let multi = row(&[(5, "\"12 RUE\nBATIMENT B\"")]);
        let p = parse_rows(&[multi, row(&[(0, "11000000001")])]);
        assert_eq!(p.organismes.len(), 2, "{:?}", p.rejets);
        assert_eq!(p.organismes[0].adresse.voie.as_deref(), Some("12 RUE\nBATIMENT B"));
    }

    #[test]
    fn duplicates_and_corrections() {
        let p = parse_rows(&[row(&[(6, "1000")]), row(&[(2, "AUTRE")])]);
        assert_eq!(p.organismes.len(), 1);
        assert_eq!(p.rejets[0].motif, "doublon");
        assert_eq!(p.rejets[0].ligne, 3);
        assert_eq!(p.corrections[0].champ, "code_postal");
        assert_eq!(p.corrections[0].apres.as_deref(), Some("01000"));
    }
}
