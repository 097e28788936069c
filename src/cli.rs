//! The command-line interface: clap definitions of every subcommand.

use clap::Parser;

/// deepmud: discrete-event simulation of deep-sea rare-earth mud mining.
#[derive(Debug, Parser)]
#[command(name = "deepmud", version, about, long_about = None)]
pub struct Cli {}
