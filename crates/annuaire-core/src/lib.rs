//! Domain types and validation for annuaire, with no I/O.
//!
//! An [`Organisme`] is one row of the official DGEFP list once validated and normalised: the
//! official text is kept verbatim next to derived forms (display name, repaired postal code), so
//! that nothing the source said is lost and everything we add can be recomputed. The history rules
//! (which change types exist and how two snapshots are compared) live in [`history`], as pure
//! functions, so every store backend applies exactly the same semantics.

pub mod history;
pub mod ids;
pub mod model;
pub mod name;

pub use model::{Adresse, Categorie, Certifications, ChangeType, Organisme, OrganismeEtranger, Specialite};
