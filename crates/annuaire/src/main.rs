//! `annuaire`: the command-line entry point. It only parses arguments and dispatches to
//! `commands::*`; all real work lives in the library crates.

mod cli;
mod commands;
mod output;

use clap::Parser;
use cli::{Cli, Command, PlacesCommand};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Serve(args) => commands::serve::run(&cli, args),
        Command::Sync(args) => commands::sync::run(&cli, args),
        Command::Stats(args) => commands::stats::run(&cli, args),
        Command::Changes(args) => commands::changes::run(&cli, args),
        Command::Show(args) => commands::show::run(&cli, args),
        Command::Export(args) => commands::export::run(&cli, args),
        Command::Search(args) => commands::search::run(&cli, args),
        Command::Reindex => commands::search::reindex(&cli),
        Command::Places(PlacesCommand::Resolve(args)) => commands::places::resolve(args),
        Command::Places(PlacesCommand::Suggest(args)) => commands::places::suggest(args),
        Command::Testdata(args) => commands::testdata::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
