//! Everything the engine needs to know about places, behind one small trait.
//!
//! The engine asks two questions: "is this phrase exactly a place?" (to split "formation excel
//! marseille" into text and place) and "what is the best place for this explicit `--lieu`?". The
//! production answer comes from `annuaire-geo`; tests can plug a fixed gazetteer so relevance cases
//! do not move when the reference files are updated.

pub use annuaire_geo::{Place, PlaceKind};

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::analysis;

/// Answers place questions for the engine.
pub trait PlaceResolver: Send + Sync {
    /// The place whose name (or postal code) is exactly this phrase, accents, case and
    /// "st"/"saint" aside; `None` when the phrase is not exactly a place name.
    fn exact(&self, phrase: &str) -> Option<Place>;
    /// The best place for an explicitly given `lieu`, however loosely typed.
    fn best(&self, text: &str) -> Option<Place>;
}

/// The production resolver, backed by the bundled reference data of `annuaire-geo`.
#[derive(Debug, Default, Clone, Copy)]
pub struct GeoResolver;

/// Every place name (folded words joined by spaces) and postal code: a query's tail is looked
/// up here first, so the resolver only runs for phrases that are place names. Nearly every
/// search checks up to four tails.
fn known_names() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let places = annuaire_geo::Places::get();
        let mut set = HashSet::new();
        for c in places.communes() {
            set.insert(analysis::words(&c.nom).join(" "));
            for a in &c.anciens_noms {
                set.insert(analysis::words(a).join(" "));
            }
            for cp in &c.codes_postaux {
                set.insert(cp.clone());
            }
        }
        for d in places.departements() {
            set.insert(analysis::words(&d.nom).join(" "));
        }
        for r in places.regions() {
            set.insert(analysis::words(&r.nom).join(" "));
            for a in &r.alias {
                set.insert(analysis::words(a).join(" "));
            }
        }
        set
    })
}

impl PlaceResolver for GeoResolver {
    fn exact(&self, phrase: &str) -> Option<Place> {
        let want = analysis::words(phrase);
        if want.is_empty() || !known_names().contains(&want.join(" ")) {
            return None;
        }
        annuaire_geo::Places::get().resolve(phrase, 5).into_iter().find(|p| {
            if p.kind == PlaceKind::CodePostal {
                return want.len() == 1 && p.code == want[0];
            }
            analysis::words(&p.nom) == want
        })
    }

    fn best(&self, text: &str) -> Option<Place> {
        annuaire_geo::Places::get().resolve(text, 1).into_iter().next()
    }
}

/// Default search radius by place kind, in km. Departments and regions are not circles: they
/// become department and region filters instead.
/// The resolver's suggested radius is used when it gives one (wider for big cities).
pub fn default_radius_km(place: &Place) -> Option<f64> {
    let suggested = (place.rayon_km.is_finite() && place.rayon_km > 0.0).then_some(place.rayon_km);
    match place.kind {
        PlaceKind::Commune => Some(suggested.unwrap_or(20.0)),
        PlaceKind::Arrondissement => Some(suggested.unwrap_or(5.0)),
        PlaceKind::CodePostal => Some(suggested.unwrap_or(15.0)),
        PlaceKind::Departement | PlaceKind::Region => None,
    }
}

/// Great-circle distance in km (the geo crate's, so both crates agree on every edge).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    annuaire_geo::haversine_km(lat1, lon1, lat2, lon2)
}

/// Display name of a department code, for facets.
pub(crate) fn nom_departement(code: &str) -> Option<String> {
    annuaire_geo::Places::get().departement(code).map(|d| d.nom.clone())
}

/// Display name of a region code, for facets.
pub(crate) fn nom_region(code: &str) -> Option<String> {
    annuaire_geo::Places::get().region(code).map(|r| r.nom.clone())
}
