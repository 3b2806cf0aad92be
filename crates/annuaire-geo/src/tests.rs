//! Tests: the derived table, then table-driven cases, then properties over the whole data.

mod cases;
mod properties;
mod table;
