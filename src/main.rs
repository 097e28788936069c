//! The deepmud binary: parse the command line, call the library, map errors
//! to exit codes.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let _cli = cli::Cli::parse();
    ExitCode::SUCCESS
}
