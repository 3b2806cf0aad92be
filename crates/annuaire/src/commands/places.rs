//! `annuaire places`: the place resolver and the autocomplete, from the command line.

use crate::cli::PlaceArgs;
use crate::output::print_json;
use annuaire_geo::{Place, Places};

pub fn resolve(args: &PlaceArgs) -> anyhow::Result<()> {
    print(Places::get().resolve(&args.text, args.limit), args.json)
}

pub fn suggest(args: &PlaceArgs) -> anyhow::Result<()> {
    print(Places::get().suggest(&args.text, args.limit), args.json)
}

fn print(places: Vec<Place>, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&places);
    }
    if places.is_empty() {
        println!("Aucun lieu reconnu.");
    }
    for p in places {
        let kind = serde_json::to_value(p.kind)?;
        println!(
            "{:<15} {:<6} {} (dép. {}, région {}) {:.4}, {:.4} — rayon {} km",
            kind.as_str().unwrap_or(""),
            p.code,
            p.nom,
            p.departement.as_deref().unwrap_or("—"),
            p.region.as_deref().unwrap_or("—"),
            p.lat,
            p.lon,
            p.rayon_km
        );
    }
    Ok(())
}
