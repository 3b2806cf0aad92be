//! From a validated official row and its geocode to the document the engine indexes.

use annuaire_core::Organisme;

use crate::SearchDoc;

/// Build the indexed document of a provider. The commune name comes from the geocoded INSEE code
/// (the official city text is often "PARIS CEDEX 08" or misspelt); the department falls back to
/// the geocode's, the region to the row's own code.
pub fn doc_from(org: &Organisme, geo: &annuaire_geo::Geocode) -> SearchDoc {
    let places = annuaire_geo::Places::get();
    let commune = geo.code_commune.as_deref().and_then(|c| places.commune(c)).map(|c| c.nom.clone());
    SearchDoc {
        nda: org.nda.clone(),
        siret: org.siret.clone(),
        siren: org.siren.clone(),
        denomination: org.denomination.clone(),
        nom_affichage: org.nom_affichage.clone(),
        code_postal: org.adresse.code_postal.clone(),
        ville: org.adresse.ville.clone(),
        code_commune: geo.code_commune.clone(),
        commune,
        departement: geo.departement.clone(),
        region: geo.region.clone().or_else(|| org.adresse.code_region.clone()),
        lat: geo.lat,
        lon: geo.lon,
        precision_geo: geo.precision.as_str().to_string(),
        categories: org.certifications.list(),
        specialites: org.specialites.iter().map(|s| (s.code.clone(), s.libelle.clone())).collect(),
    }
}
