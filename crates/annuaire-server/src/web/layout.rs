//! The one layout of every page: head (title, description, canonical link, assets), skip link,
//! synthetic-data banner, header with navigation, `<main id="contenu">`, footer with the data's
//! freshness.

use maud::{DOCTYPE, Markup, html};

use super::{Ctx, assets, format};

/// Site name, appended to every title.
pub const SITE: &str = "Annuaire Qualiopi";

/// What the banner says on every page served from synthetic data.
pub const BANDEAU_DEMO: &str = "Données de démonstration SYNTHÉTIQUES : ces organismes n'existent pas.";

/// The `<head>` facts of one page.
#[derive(Debug, Clone)]
pub struct Head {
    pub title: String,
    pub description: String,
    /// Site path (and query) of the canonical URL; empty for pages that have none (errors).
    pub canonical: String,
    pub noindex: bool,
    /// `<link rel="alternate" type="application/atom+xml">` target, when the page has a feed.
    pub atom: Option<String>,
}

impl Head {
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        canonical: impl Into<String>,
    ) -> Head {
        Head {
            title: title.into(),
            description: description.into(),
            canonical: canonical.into(),
            noindex: false,
            atom: None,
        }
    }

    /// Keep the page out of search engines (search results, verification answers, errors).
    pub fn noindex(mut self) -> Head {
        self.noindex = true;
        self
    }

    pub fn atom(mut self, href: impl Into<String>) -> Head {
        self.atom = Some(href.into());
        self
    }
}

/// Main navigation: (path, label, rest of the label). On a phone only the label shows, so the
/// menu takes two lines instead of four; the rest stays in the link's name for screen readers.
const NAV: &[(&str, &str, &str)] = &[
    ("/", "Rechercher", ""),
    ("/verifier", "Vérifier", " des organismes"),
    ("/qualiopi", "Qualiopi", ", c'est quoi ?"),
    ("/changements", "Changements", " récents"),
    ("/donnees", "Données", " et sources"),
];

fn section_of(canonical: &str) -> &str {
    let path = canonical.split('?').next().unwrap_or("");
    NAV.iter()
        .map(|(p, _, _)| *p)
        .filter(|p| *p != "/")
        .find(|p| path == *p || path.starts_with(&format!("{p}/")))
        .unwrap_or(if path == "/" || path == "/recherche" || path.starts_with("/formations/") {
            "/"
        } else {
            ""
        })
}

/// The freshness line: "liste officielle du 12/05/2025, synchronisée le 13/05/2025 à 06:02 UTC".
pub fn freshness(ctx: &Ctx) -> Option<String> {
    let d = ctx.liste_du?;
    let mut s = format!("liste officielle du {}", format::date(d));
    if let Some(t) = &ctx.importee_le {
        s.push_str(&format!(", synchronisée le {}", format::timestamp(t)));
    }
    Some(s)
}

pub fn page(ctx: &Ctx, head: &Head, body: Markup) -> Markup {
    let title = if head.title.is_empty() { SITE.to_string() } else { format!("{} | {SITE}", head.title) };
    let current = section_of(&head.canonical);
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                meta name="description" content=(head.description);
                @if !head.canonical.is_empty() {
                    link rel="canonical" href=(ctx.url(&head.canonical));
                }
                @if head.noindex || ctx.synthetic {
                    // Synthetic providers must never end up in search engines as if real.
                    meta name="robots" content="noindex";
                }
                @if let Some(a) = &head.atom {
                    link rel="alternate" type="application/atom+xml" title="Changements (Atom)" href=(a);
                }
                link rel="stylesheet" href=(assets::url("site.css"));
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
                script src=(assets::url("site.js")) defer {}
            }
            body {
                a.skip-link href="#contenu" { "Aller au contenu" }
                header.site {
                    // Inside the banner landmark, so that no content lies outside landmarks.
                    @if ctx.synthetic {
                        div #bandeau-demo role="note" {
                            strong { "Attention : " } (BANDEAU_DEMO)
                        }
                    }
                    div.entete {
                        div.bandeau {
                            a.marque href="/" { (SITE) }
                            span.sous-titre { "organismes de formation certifiés, d'après la liste officielle" }
                        }
                        nav aria-label="Navigation principale" {
                            ul {
                                @for (path, label, suite) in NAV {
                                    li {
                                        a href=(path) aria-current=[(current == *path).then_some("page")] {
                                            (label)
                                            @if !suite.is_empty() { span.nav-suite { (suite) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main #contenu tabindex="-1" { (body) }
                footer.site {
                    @if let Some(f) = freshness(ctx) {
                        p.fraicheur { "Données : " (f) "." }
                    }
                    @if ctx.synthetic {
                        p { strong { "Ces données sont synthétiques" } ", générées pour la démonstration : aucun de ces organismes n'existe." }
                    }
                    p {
                        "Service indépendant, non officiel, fondé sur la liste publique des organismes de formation "
                        "publiée par le ministère du Travail (DGEFP) sous Licence Ouverte. "
                        a href="/donnees" { "Données et sources" } " · "
                        a href="/qualiopi" { "Comprendre Qualiopi" } " · "
                        a href="/api/v1/openapi.json" { "API ouverte (JSON)" } " · "
                        a href="/changements.atom" { "Flux Atom des changements" }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        assert_eq!(section_of("/"), "/");
        assert_eq!(section_of("/recherche?q=x"), "/");
        assert_eq!(section_of("/formations/langues/lyon"), "/");
        assert_eq!(section_of("/verifier"), "/verifier");
        assert_eq!(section_of("/changements?type=nouveau"), "/changements");
        assert_eq!(section_of("/organismes/11000000001-x"), "");
        assert_eq!(section_of(""), "");
    }
}
