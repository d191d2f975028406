//! `tenantctl`: the command-line tool of tenant-kit. It reads files and the
//! environment, calls the libraries, and writes files; the libraries do no I/O.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod files;
mod schema;
mod validate;

/// Validate, render and audit tenant configuration documents.
#[derive(Debug, Parser)]
#[command(name = "tenantctl", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check tenant, platform and compliance documents; report every problem.
    ///
    /// Exit status: 0 when all documents are valid, 1 when any is invalid,
    /// 2 on usage or I/O errors. Several tenant documents are also checked
    /// as a set (unique ids, slugs, databases, cache prefixes).
    Validate {
        /// Files (.json, .yaml, .yml, .toml) or directories (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format of the problems.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Write the JSON Schemas of every document to a directory.
    Schema {
        /// Directory to write to (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Only check that the directory holds the current schemas; exit 1 if not.
        #[arg(long)]
        check: bool,
    },
}

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// `FILE:LINE:COL: /json/pointer: message`, one line per problem.
    Text,
    /// A JSON array of problems.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { paths, format } => validate::run(&paths, format),
        Command::Schema { out, check } => schema::run(&out, check),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tenantctl: error: {error}");
            ExitCode::from(2)
        }
    }
}
