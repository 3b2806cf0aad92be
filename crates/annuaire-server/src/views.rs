//! What the API answers and the pages show about a provider, in the French open-data vocabulary.
//! Built from the stored record; the API serialises these, the web templates read them.

use annuaire_core::{Categorie, ChangeType, Organisme, OrganismeEtranger, Specialite};
use annuaire_store::{ChangeRecord, LastChange, OrganismeRecord, SnapshotInfo};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::generation::Generation;

/// URL path segment of a provider's page: `{nda}-{slug of its name}`.
pub fn organisme_path(nda: &str, nom: &str) -> String {
    let slug = slug(nom);
    if slug.is_empty() { format!("/organismes/{nda}") } else { format!("/organismes/{nda}-{slug}") }
}

/// Lowercase ASCII words joined by hyphens, at most about 60 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for w in annuaire_geo::fold(text).split_whitespace() {
        let w: String = w.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if w.is_empty() {
            continue;
        }
        if out.len() + w.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct AdresseView {
    pub voie: Option<String>,
    pub code_postal: Option<String>,
    /// The official city text.
    pub ville: Option<String>,
    /// The geocoded commune.
    pub code_commune: Option<String>,
    pub commune: Option<String>,
    pub departement: Option<String>,
    pub departement_nom: Option<String>,
    pub code_region: Option<String>,
    pub region: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// How precisely the provider is located: commune, code_postal, departement, region, aucune.
    pub precision_geo: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganismeView {
    pub nda: String,
    pub siren: Option<String>,
    pub siret: Option<String>,
    /// The official text, verbatim.
    pub denomination: String,
    /// Readable form: legal form removed, capitals turned into title case.
    pub nom_affichage: String,
    pub forme_juridique: Option<String>,
    /// Page of the provider on this site.
    pub url: String,
    /// Holds at least one certification scope in the latest list.
    pub certifie: bool,
    pub categories: Vec<Categorie>,
    pub thematiques: Vec<&'static str>,
    pub specialites: Vec<Specialite>,
    pub adresse: AdresseView,
    pub nb_stagiaires: Option<u32>,
    pub nb_stagiaires_confies: Option<u32>,
    pub effectif_formateurs: Option<u32>,
    pub date_derniere_declaration: Option<NaiveDate>,
    pub debut_exercice: Option<NaiveDate>,
    pub fin_exercice: Option<NaiveDate>,
    /// The foreign organisation represented, if any.
    pub organisme_etranger: Option<OrganismeEtranger>,
    pub ndas_precedents: Vec<String>,
    pub nda_predecesseur: Option<String>,
    pub nda_successeur: Option<String>,
    /// Listed in the latest official list.
    pub present_dans_la_liste: bool,
    /// First list in which annuaire saw it.
    pub premiere_apparition: NaiveDate,
    /// Last list in which annuaire saw it.
    pub derniere_apparition: NaiveDate,
    /// First list in which annuaire saw it certified (the list itself gives no certificate dates).
    pub certifie_depuis: Option<NaiveDate>,
    pub derniere_modification: Option<LastChange>,
}

impl OrganismeView {
    pub fn new(r: &OrganismeRecord, g: &Generation) -> OrganismeView {
        let o: &Organisme = &r.org;
        let places = annuaire_geo::Places::get();
        let commune = r.geo.code_commune.as_deref().and_then(|c| places.commune(c)).map(|c| c.nom.clone());
        let departement_nom =
            r.geo.departement.as_deref().and_then(|d| places.departement(d)).map(|d| d.nom.clone());
        let region = o.adresse.code_region.as_deref().and_then(|c| places.region(c)).map(|r| r.nom.clone());
        OrganismeView {
            nda: o.nda.clone(),
            siren: o.siren.clone(),
            siret: o.siret.clone(),
            denomination: o.denomination.clone(),
            nom_affichage: o.nom_affichage.clone(),
            forme_juridique: o.forme_juridique.clone(),
            url: organisme_path(&o.nda, &o.nom_affichage),
            certifie: r.present && o.certifications.any(),
            categories: if r.present { o.certifications.list() } else { Vec::new() },
            thematiques: annuaire_search::thematiques_for(o.specialites.iter().map(|s| s.code.as_str())),
            specialites: o.specialites.clone(),
            adresse: AdresseView {
                voie: o.adresse.voie.clone(),
                code_postal: o.adresse.code_postal.clone(),
                ville: o.adresse.ville.clone(),
                code_commune: r.geo.code_commune.clone(),
                commune,
                departement: r.geo.departement.clone(),
                departement_nom,
                code_region: o.adresse.code_region.clone(),
                region,
                lat: r.geo.lat,
                lon: r.geo.lon,
                precision_geo: r.geo.precision_geo.clone().unwrap_or_else(|| "aucune".into()),
            },
            nb_stagiaires: o.nb_stagiaires,
            nb_stagiaires_confies: o.nb_stagiaires_confies,
            effectif_formateurs: o.effectif_formateurs,
            date_derniere_declaration: o.date_derniere_declaration,
            debut_exercice: o.debut_exercice,
            fin_exercice: o.fin_exercice,
            organisme_etranger: o.organisme_etranger.clone(),
            ndas_precedents: o.ndas_precedents.clone(),
            nda_predecesseur: r.nda_predecesseur.clone(),
            nda_successeur: r.nda_successeur.clone(),
            present_dans_la_liste: r.present,
            premiere_apparition: r.first_seen,
            derniere_apparition: r.last_seen,
            certifie_depuis: if r.present { r.certified_since } else { None },
            derniere_modification: g.last_change(&o.nda).cloned(),
        }
    }
}

/// One entry of a provider's history or of the change feed.
#[derive(Debug, Clone, Serialize)]
pub struct ChangementView {
    pub id: i64,
    pub nda: String,
    /// Display name of the provider in the data being served.
    pub denomination: Option<String>,
    #[serde(rename = "type")]
    pub kind: ChangeType,
    /// French description of the change type.
    pub libelle: &'static str,
    /// Date of the list in which the change was seen.
    pub date: NaiveDate,
    pub avant: Option<Value>,
    pub apres: Option<Value>,
    /// The other NDA of a transfer.
    pub nda_lie: Option<String>,
}

impl ChangementView {
    pub fn new(c: ChangeRecord, g: &Generation) -> ChangementView {
        let denomination = g.organisme(&c.nda).map(|r| r.org.nom_affichage.clone()).or(c.nom);
        ChangementView {
            id: c.id,
            nda: c.nda,
            denomination,
            kind: c.kind,
            libelle: c.kind.libelle(),
            date: c.date,
            avant: c.avant,
            apres: c.apres,
            nda_lie: c.nda_lie,
        }
    }
}

/// One import of the official list.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotView {
    pub id: i64,
    /// Date of the official list.
    pub date_liste: NaiveDate,
    pub source: String,
    pub sha256: String,
    pub lignes: i64,
    pub valides: i64,
    pub rejetees: i64,
    pub corrections: i64,
    pub certifies: i64,
    pub changements: i64,
    pub synthetique: bool,
    pub importee_le: String,
}

/// Where a snapshot was read from, as shown to the public: a URL as is, a local file by its
/// name only (its path says nothing useful and discloses the server's layout).
pub fn public_source(source: &str) -> String {
    if source.starts_with("http://") || source.starts_with("https://") {
        return source.to_string();
    }
    let name = std::path::Path::new(source).file_name().and_then(|n| n.to_str()).unwrap_or("");
    format!("fichier local {name}").trim_end().to_string()
}

impl From<&SnapshotInfo> for SnapshotView {
    fn from(s: &SnapshotInfo) -> Self {
        SnapshotView {
            id: s.id,
            date_liste: s.date,
            source: public_source(&s.source),
            sha256: s.sha256.clone(),
            lignes: s.lignes,
            valides: s.valides,
            rejetees: s.rejetees,
            corrections: s.corrections,
            certifies: s.certifies,
            changements: s.changements,
            synthetique: s.synthetique,
            importee_le: s.imported_at.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_not_disclosed() {
        assert_eq!(public_source("https://www.data.gouv.fr/x"), "https://www.data.gouv.fr/x");
        assert_eq!(
            public_source("/srv/annuaire/demo/testdata/snapshot-2026-11-16.csv"),
            "fichier local snapshot-2026-11-16.csv"
        );
        assert_eq!(public_source("liste.csv.gz"), "fichier local liste.csv.gz");
        assert_eq!(public_source("/"), "fichier local");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Institut de Formation de Marseille"), "institut-de-formation-de-marseille");
        assert_eq!(slug("L'École d'Ingénieurs — Numérique"), "l-ecole-d-ingenieurs-numerique");
        assert_eq!(slug("<script>"), "script");
        assert_eq!(slug("!!!"), "");
        assert!(slug(&"abcdefghij ".repeat(20)).len() <= 60);
        assert_eq!(
            organisme_path("11000000001", "Dupont Formation"),
            "/organismes/11000000001-dupont-formation"
        );
        assert_eq!(organisme_path("11000000001", "***"), "/organismes/11000000001");
    }
}
