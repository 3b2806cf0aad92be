//! `annuaire export`: every provider's current state, for open-data reuse.

use crate::cli::{Cli, ExportArgs, ExportFormat};
use crate::output::{data_dir, open_store, runtime};
use annuaire_store::{OrganismeRecord, Store};
use anyhow::Context;
use serde::Serialize;
use std::io::Write;

/// One flat CSV row; the column names are the export's public contract.
#[derive(Serialize)]
struct Row<'a> {
    nda: &'a str,
    ndas_precedents: String,
    siren: Option<&'a str>,
    siret: Option<&'a str>,
    denomination: &'a str,
    nom_affichage: &'a str,
    forme_juridique: Option<&'a str>,
    voie: Option<&'a str>,
    code_postal: Option<&'a str>,
    ville: Option<&'a str>,
    code_region: Option<&'a str>,
    code_commune: Option<&'a str>,
    departement: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    precision_geo: Option<&'a str>,
    certifie: bool,
    actions_formation: bool,
    bilans_competences: bool,
    vae: bool,
    apprentissage: bool,
    certifie_depuis: Option<String>,
    present: bool,
    premiere_apparition: String,
    derniere_apparition: String,
    nda_predecesseur: Option<&'a str>,
    nda_successeur: Option<&'a str>,
    date_derniere_declaration: Option<String>,
    debut_exercice: Option<String>,
    fin_exercice: Option<String>,
    codes_specialites: String,
    libelles_specialites: String,
    nb_stagiaires: Option<u32>,
    nb_stagiaires_confies: Option<u32>,
    effectif_formateurs: Option<u32>,
    organisme_etranger: Option<&'a str>,
    pays_organisme_etranger: Option<&'a str>,
}

fn flat(r: &OrganismeRecord) -> Row<'_> {
    let o = &r.org;
    let c = &o.certifications;
    let etr = o.organisme_etranger.as_ref();
    Row {
        nda: &o.nda,
        ndas_precedents: o.ndas_precedents.join(","),
        siren: o.siren.as_deref(),
        siret: o.siret.as_deref(),
        denomination: &o.denomination,
        nom_affichage: &o.nom_affichage,
        forme_juridique: o.forme_juridique.as_deref(),
        voie: o.adresse.voie.as_deref(),
        code_postal: o.adresse.code_postal.as_deref(),
        ville: o.adresse.ville.as_deref(),
        code_region: o.adresse.code_region.as_deref(),
        code_commune: r.geo.code_commune.as_deref(),
        departement: r.geo.departement.as_deref(),
        lat: r.geo.lat,
        lon: r.geo.lon,
        precision_geo: r.geo.precision_geo.as_deref(),
        certifie: c.any(),
        actions_formation: c.actions_formation,
        bilans_competences: c.bilans_competences,
        vae: c.vae,
        apprentissage: c.apprentissage,
        certifie_depuis: r.certified_since.map(|d| d.to_string()),
        present: r.present,
        premiere_apparition: r.first_seen.to_string(),
        derniere_apparition: r.last_seen.to_string(),
        nda_predecesseur: r.nda_predecesseur.as_deref(),
        nda_successeur: r.nda_successeur.as_deref(),
        date_derniere_declaration: o.date_derniere_declaration.map(|d| d.to_string()),
        debut_exercice: o.debut_exercice.map(|d| d.to_string()),
        fin_exercice: o.fin_exercice.map(|d| d.to_string()),
        codes_specialites: o.specialites.iter().map(|s| s.code.as_str()).collect::<Vec<_>>().join("|"),
        libelles_specialites: o.specialites.iter().map(|s| s.libelle.as_str()).collect::<Vec<_>>().join("|"),
        nb_stagiaires: o.nb_stagiaires,
        nb_stagiaires_confies: o.nb_stagiaires_confies,
        effectif_formateurs: o.effectif_formateurs,
        organisme_etranger: etr.and_then(|e| e.denomination.as_deref()),
        pays_organisme_etranger: etr.and_then(|e| e.pays.as_deref()),
    }
}

pub fn run(cli: &Cli, args: &ExportArgs) -> anyhow::Result<()> {
    let dir = data_dir(cli.data_dir.as_deref())?;
    let sink: Box<dyn Write + Send> = match &args.output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?),
        None => Box::new(std::io::stdout()),
    };
    let mut sink = std::io::BufWriter::with_capacity(1 << 16, sink);
    let include_absent = args.inclure_absents;
    let count = runtime()?.block_on(async {
        let store = open_store(&dir).await?;
        let n = match args.format {
            ExportFormat::Csv => {
                let mut csv = csv::Writer::from_writer(&mut sink);
                let n = store
                    .for_each_organisme(include_absent, |r| {
                        csv.serialize(flat(&r)).map_err(std::io::Error::other)
                    })
                    .await?;
                csv.flush()?;
                n
            }
            ExportFormat::Jsonl => {
                store
                    .for_each_organisme(include_absent, |r| {
                        serde_json::to_writer(&mut sink, &r)?;
                        sink.write_all(b"\n")
                    })
                    .await?
            }
        };
        anyhow::Ok(n)
    })?;
    sink.flush()?;
    if args.output.is_some() {
        eprintln!("{count} organismes exportés");
    }
    Ok(())
}
