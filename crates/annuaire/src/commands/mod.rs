//! One module per subcommand.

pub mod changes;
pub mod export;
pub mod places;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod sync;
pub mod testdata;
