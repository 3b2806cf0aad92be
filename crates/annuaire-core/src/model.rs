//! The normalised record of one training provider and the vocabulary of its history.
//!
//! Field names follow the French open-data vocabulary because they surface unchanged in the JSON
//! API and the exports; renaming one is a breaking change for reusers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One provider as the official list describes it, after validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisme {
    pub nda: String,
    /// `numerosDeclarationActivitePrecedent`: NDAs this provider declared before (transfers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ndas_precedents: Vec<String>,
    /// The official text, verbatim (trimmed).
    pub denomination: String,
    /// Readable form: legal form removed, ALL CAPS turned into title case, acronyms kept.
    pub nom_affichage: String,
    pub forme_juridique: Option<String>,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub adresse: Adresse,
    pub certifications: Certifications,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisme_etranger: Option<OrganismeEtranger>,
    pub date_derniere_declaration: Option<NaiveDate>,
    pub debut_exercice: Option<NaiveDate>,
    pub fin_exercice: Option<NaiveDate>,
    #[serde(default)]
    pub specialites: Vec<Specialite>,
    pub nb_stagiaires: Option<u32>,
    pub nb_stagiaires_confies: Option<u32>,
    pub effectif_formateurs: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adresse {
    pub voie: Option<String>,
    /// Five digits, repaired when the source lost the leading zero.
    pub code_postal: Option<String>,
    pub ville: Option<String>,
    /// INSEE region code, two digits.
    pub code_region: Option<String>,
}

impl Adresse {
    /// About 44% of certified rows carry no street, postal code nor city, only a region.
    pub fn is_empty(&self) -> bool {
        self.voie.is_none() && self.code_postal.is_none() && self.ville.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganismeEtranger {
    pub denomination: Option<String>,
    pub voie: Option<String>,
    pub code_postal: Option<String>,
    pub ville: Option<String>,
    pub pays: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specialite {
    /// NSF group code (3 digits).
    pub code: String,
    pub libelle: String,
}

/// The four Qualiopi scopes. The list publishes them as booleans, with no dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Certifications {
    pub actions_formation: bool,
    pub bilans_competences: bool,
    pub vae: bool,
    pub apprentissage: bool,
}

impl Certifications {
    /// Qualiopi-certified means at least one scope.
    pub fn any(&self) -> bool {
        self.actions_formation || self.bilans_competences || self.vae || self.apprentissage
    }

    pub fn has(&self, c: Categorie) -> bool {
        match c {
            Categorie::ActionsFormation => self.actions_formation,
            Categorie::BilansCompetences => self.bilans_competences,
            Categorie::Vae => self.vae,
            Categorie::Apprentissage => self.apprentissage,
        }
    }

    pub fn set(&mut self, c: Categorie, value: bool) {
        match c {
            Categorie::ActionsFormation => self.actions_formation = value,
            Categorie::BilansCompetences => self.bilans_competences = value,
            Categorie::Vae => self.vae = value,
            Categorie::Apprentissage => self.apprentissage = value,
        }
    }

    /// The scopes held, in the canonical order.
    pub fn list(&self) -> Vec<Categorie> {
        Categorie::ALL.into_iter().filter(|c| self.has(*c)).collect()
    }
}

/// A certification scope, as the slugs used by the API and the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Categorie {
    ActionsFormation,
    BilansCompetences,
    Vae,
    Apprentissage,
}

impl Categorie {
    pub const ALL: [Categorie; 4] =
        [Categorie::ActionsFormation, Categorie::BilansCompetences, Categorie::Vae, Categorie::Apprentissage];

    pub fn slug(self) -> &'static str {
        match self {
            Categorie::ActionsFormation => "actions_formation",
            Categorie::BilansCompetences => "bilans_competences",
            Categorie::Vae => "vae",
            Categorie::Apprentissage => "apprentissage",
        }
    }

    /// French label for people.
    pub fn libelle(self) -> &'static str {
        match self {
            Categorie::ActionsFormation => "actions de formation",
            Categorie::BilansCompetences => "bilans de compétences",
            Categorie::Vae => "VAE",
            Categorie::Apprentissage => "apprentissage",
        }
    }
}

impl fmt::Display for Categorie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Error for an unknown slug; the message is French because it reaches users as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("valeur inconnue « {value} » ; valeurs possibles : {allowed}")]
pub struct UnknownValue {
    pub value: String,
    pub allowed: String,
}

impl FromStr for Categorie {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Categorie::ALL.into_iter().find(|c| c.slug() == s).ok_or_else(|| UnknownValue {
            value: s.to_string(),
            allowed: Categorie::ALL.map(|c| c.slug()).join(", "),
        })
    }
}

/// The change types of the history log. The set is closed and the strings are an API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    Nouveau,
    Disparu,
    Reapparu,
    Certifie,
    Decertifie,
    CategorieAjoutee,
    CategorieRetiree,
    Renomme,
    AdresseModifiee,
    Transfere,
}

impl ChangeType {
    pub const ALL: [ChangeType; 10] = [
        ChangeType::Nouveau,
        ChangeType::Disparu,
        ChangeType::Reapparu,
        ChangeType::Certifie,
        ChangeType::Decertifie,
        ChangeType::CategorieAjoutee,
        ChangeType::CategorieRetiree,
        ChangeType::Renomme,
        ChangeType::AdresseModifiee,
        ChangeType::Transfere,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Nouveau => "nouveau",
            ChangeType::Disparu => "disparu",
            ChangeType::Reapparu => "reapparu",
            ChangeType::Certifie => "certifie",
            ChangeType::Decertifie => "decertifie",
            ChangeType::CategorieAjoutee => "categorie_ajoutee",
            ChangeType::CategorieRetiree => "categorie_retiree",
            ChangeType::Renomme => "renomme",
            ChangeType::AdresseModifiee => "adresse_modifiee",
            ChangeType::Transfere => "transfere",
        }
    }

    /// French label for people (feeds, web pages).
    pub fn libelle(self) -> &'static str {
        match self {
            ChangeType::Nouveau => "apparu dans la liste",
            ChangeType::Disparu => "absent de la liste",
            ChangeType::Reapparu => "de retour dans la liste",
            ChangeType::Certifie => "certifié Qualiopi",
            ChangeType::Decertifie => "n'est plus certifié Qualiopi",
            ChangeType::CategorieAjoutee => "catégorie de certification ajoutée",
            ChangeType::CategorieRetiree => "catégorie de certification retirée",
            ChangeType::Renomme => "dénomination modifiée",
            ChangeType::AdresseModifiee => "adresse modifiée",
            ChangeType::Transfere => "nouveau numéro de déclaration (transfert)",
        }
    }
}

impl fmt::Display for ChangeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ChangeType {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChangeType::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| UnknownValue {
            value: s.to_string(),
            allowed: ChangeType::ALL.map(|c| c.as_str()).join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for c in Categorie::ALL {
            assert_eq!(c.slug().parse::<Categorie>().unwrap(), c);
            assert_eq!(serde_json::to_value(c).unwrap(), c.slug());
        }
        for t in ChangeType::ALL {
            assert_eq!(t.as_str().parse::<ChangeType>().unwrap(), t);
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        let err = "certifiee".parse::<ChangeType>().unwrap_err();
        assert!(err.to_string().contains("certifie, decertifie"), "{err}");
    }

    #[test]
    fn certifications() {
        let mut c = Certifications::default();
        assert!(!c.any());
        c.set(Categorie::Vae, true);
        assert!(c.any());
        assert_eq!(c.list(), vec![Categorie::Vae]);
    }
}
