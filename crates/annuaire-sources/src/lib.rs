//! Readers of the open-data sources annuaire is built from.
//!
//! Each reader turns the bytes of one source into validated domain records plus a full account
//! of what it could not read: a bad row is reported with its line, reason and raw text and never
//! aborts the read, because a single broken row in a 160,000-row daily file must not cost a day of
//! updates. Readers do no I/O; fetching is `annuaire-fetch`'s job and storing is the store's.

pub mod liste_of;
