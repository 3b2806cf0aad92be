//! `annuaire show`: one provider, by NDA, SIRET or SIREN, with its history.

use crate::cli::{Cli, ShowArgs};
use crate::output::{data_dir, fr_date, n, open_store, print_json, runtime};
use annuaire_core::ids;
use annuaire_store::{ChangeQuery, ChangeRecord, OrganismeRecord, Store};
use anyhow::bail;
use serde::Serialize;

#[derive(Serialize)]
struct Shown {
    #[serde(flatten)]
    record: OrganismeRecord,
    historique: Vec<ChangeRecord>,
}

pub fn run(cli: &Cli, args: &ShowArgs) -> anyhow::Result<()> {
    let id: String = args.id.chars().filter(|c| !c.is_whitespace()).collect();
    if !(ids::is_digits(&id, 11) || ids::is_digits(&id, 14) || ids::is_digits(&id, 9)) {
        bail!("« {} » n'est ni un NDA (11 chiffres), ni un SIRET (14), ni un SIREN (9)", args.id);
    }
    let dir = data_dir(cli.data_dir.as_deref())?;
    let shown = runtime()?.block_on(async {
        let store = open_store(&dir).await?;
        let records = if id.len() == 11 {
            store.organisme(&id).await?.into_iter().collect()
        } else {
            store.by_siren_or_siret(&id).await?
        };
        let mut out = Vec::new();
        for record in records {
            let q = ChangeQuery { nda: Some(record.org.nda.clone()), limit: 1000, ..ChangeQuery::default() };
            let historique = store.changes(&q).await?;
            out.push(Shown { record, historique });
        }
        anyhow::Ok(out)
    })?;
    if shown.is_empty() {
        bail!("aucun organisme connu pour {id}");
    }
    if args.json {
        return if id.len() == 11 { print_json(&shown[0]) } else { print_json(&shown) };
    }
    for s in &shown {
        print_record(s);
    }
    Ok(())
}

fn print_record(s: &Shown) {
    let r = &s.record;
    let o = &r.org;
    println!("{} — NDA {}", o.nom_affichage, o.nda);
    println!("  dénomination officielle : {}", o.denomination);
    if let Some(f) = &o.forme_juridique {
        println!("  forme juridique : {f}");
    }
    println!("  SIREN {} / SIRET {}", o.siren.as_deref().unwrap_or("—"), o.siret.as_deref().unwrap_or("—"));
    let a = &o.adresse;
    println!(
        "  adresse : {} {} {} (région {})",
        a.voie.as_deref().unwrap_or(""),
        a.code_postal.as_deref().unwrap_or(""),
        a.ville.as_deref().unwrap_or(""),
        a.code_region.as_deref().unwrap_or("?")
    );
    println!(
        "  localisation : commune {} ({}), précision {}",
        r.geo.code_commune.as_deref().unwrap_or("—"),
        match (r.geo.lat, r.geo.lon) {
            (Some(la), Some(lo)) => format!("{la:.4}, {lo:.4}"),
            _ => "sans coordonnées".into(),
        },
        r.geo.precision_geo.as_deref().unwrap_or("—")
    );
    let cats: Vec<&str> = o.certifications.list().iter().map(|c| c.libelle()).collect();
    if cats.is_empty() {
        println!("  non certifié Qualiopi");
    } else {
        println!(
            "  certifié Qualiopi : {}{}",
            cats.join(", "),
            r.certified_since.map(|d| format!(" (vu certifié depuis le {})", fr_date(d))).unwrap_or_default()
        );
    }
    println!(
        "  {} dans la liste ; vu du {} au {}",
        if r.present { "présent" } else { "absent" },
        fr_date(r.first_seen),
        fr_date(r.last_seen)
    );
    for sp in &o.specialites {
        println!("  spécialité {} : {}", sp.code, sp.libelle);
    }
    if let Some(v) = o.nb_stagiaires {
        println!("  stagiaires déclarés : {}", n(v));
    }
    if let Some(v) = o.effectif_formateurs {
        println!("  formateurs : {}", n(v));
    }
    if let Some(p) = &r.nda_predecesseur {
        println!("  ancien NDA : {p}");
    }
    if let Some(p) = &r.nda_successeur {
        println!("  nouveau NDA : {p}");
    }
    println!("  historique :");
    for c in &s.historique {
        println!("    {} {}", fr_date(c.date), c.kind.libelle());
    }
}
