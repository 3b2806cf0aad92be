//! `GET /changements.atom`: the change log as an Atom feed, filterable by department, region and
//! type. Funders subscribe to learn when a provider loses its certification
//! (`/changements.atom?type=decertifie&departement=69`).

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

use crate::api::changements::{self, Filtre};
use crate::errors::ApiResult;
use crate::params::Params;
use crate::state::AppState;
use crate::views::{ChangementView, organisme_path};

/// Entries in the feed; readers poll often and only need the latest.
const ENTRIES: usize = 100;

/// Escape text for XML content and attribute values.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than breaking the feed.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn title(f: &Filtre) -> String {
    let mut t = String::from("Changements de la liste des organismes de formation");
    if !f.types.is_empty() {
        let labels: Vec<&str> = f.types.iter().map(|t| t.libelle()).collect();
        let _ = write!(t, " — {}", labels.join(", "));
    }
    let places = annuaire_geo::Places::get();
    if let Some(d) = f.departement.as_deref().and_then(|d| places.departement(d)) {
        let _ = write!(t, " — {} ({})", d.nom, d.code);
    }
    if let Some(r) = f.region.as_deref().and_then(|r| places.region(r)) {
        let _ = write!(t, " — {}", r.nom);
    }
    t
}

pub fn render(
    base: &str,
    self_query: &str,
    f: &Filtre,
    entries: &[ChangementView],
    synthetic: bool,
) -> String {
    let mut out = String::with_capacity(512 + entries.len() * 600);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n");
    let mut t = title(f);
    if synthetic {
        t.push_str(" [DONNÉES SYNTHÉTIQUES]");
    }
    let _ = writeln!(out, "  <title>{}</title>", xml(&t));
    let self_url = if self_query.is_empty() {
        format!("{base}/changements.atom")
    } else {
        format!("{base}/changements.atom?{self_query}")
    };
    let _ = writeln!(out, "  <id>{}</id>", xml(&self_url));
    let _ = writeln!(out, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", xml(&self_url));
    let _ =
        writeln!(out, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/changements\"/>", xml(base));
    let updated = entries.first().map_or_else(|| "1970-01-01".to_string(), |e| e.date.to_string());
    let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
    out.push_str("  <author><name>annuaire</name></author>\n");
    for e in entries {
        let nom = e.denomination.as_deref().unwrap_or(&e.nda);
        let link = format!("{base}{}", organisme_path(&e.nda, nom));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{} — {}</title>", xml(nom), xml(e.libelle));
        let _ = writeln!(out, "    <id>{}/changements/{}</id>", xml(base), e.id);
        let _ = writeln!(out, "    <link href=\"{}\"/>", xml(&link));
        let _ = writeln!(out, "    <updated>{}T00:00:00Z</updated>", e.date);
        let _ = writeln!(out, "    <category term=\"{}\" label=\"{}\"/>", e.kind.as_str(), xml(e.libelle));
        let mut summary = format!(
            "{} (NDA {}) : {} dans la liste du {}.",
            nom,
            e.nda,
            e.libelle,
            e.date.format("%d/%m/%Y")
        );
        if let Some(l) = &e.nda_lie {
            let _ = write!(summary, " NDA lié : {l}.");
        }
        let _ = writeln!(out, "    <summary>{}</summary>", xml(&summary));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

pub async fn atom(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    let p = Params::parse(raw.as_deref());
    p.only(&["depuis", "type", "departement", "region"])?;
    let f = changements::filtre(&p)?;
    let g = state.current()?;
    let (entries, _) = changements::page(&state, &g, &f, 1, ENTRIES).await?;
    let base = crate::base_url(&state, &headers);
    let body = render(&base, raw.as_deref().unwrap_or(""), &f, &entries, g.synthetic());
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    Ok(res)
}
