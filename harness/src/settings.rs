//! The command line, with the config file's defaults folded in: parse once to learn what the user
//! typed, add the file's values for every flag left to its default, parse again. The file's keys thus
//! behave exactly as their flags do, and flags always win.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches};

use cognito_drift::config::{self, CONFIG_COMMANDS, DEFAULT_FILE};
use cognito_drift::diagnostic::render_all;
use cognito_drift::exit;

use crate::cli::Cli;

/// `argv` parsed, with the config file applied; `Err` is the exit code after the error was printed.
///
/// `default_config_exists` says whether `cognito-drift.yaml` is in the working directory (the one
/// thing this reads from the environment, passed in by `main`).
pub fn parse(argv: Vec<OsString>, default_config_exists: bool, color: bool) -> Result<Cli, i32> {
    // `--version` prints the harness, the model and every target's lock digest (clap prints it).
    let long_version: &'static str =
        Box::leak(cognito_drift::about::long_version().into_boxed_str());
    let mut cmd = Cli::command().long_version(long_version);
    cmd.build();
    let matches = cmd.clone().get_matches_from(argv.clone());
    let from = |m: &clap::ArgMatches| Cli::from_arg_matches(m).map_err(|e| e.exit());
    let Some((name, sub)) = matches.subcommand() else {
        return from(&matches);
    };
    let explicit = matches.get_one::<PathBuf>("config").cloned();
    let path = match explicit {
        Some(p) => p,
        None if default_config_exists && CONFIG_COMMANDS.contains(&name) => {
            PathBuf::from(DEFAULT_FILE)
        }
        None => return from(&matches),
    };
    if !CONFIG_COMMANDS.contains(&name) {
        return from(&matches);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let _ = writeln!(
            std::io::stderr(),
            "error: cannot read config file `{}`: {e}",
            path.display()
        );
        exit::USAGE
    })?;
    let applied = config::parse(&path, &text, CONFIG_COMMANDS)
        .and_then(|file| config::defaults(&path, &file, &cmd, name, sub));
    let (flags, positionals) = match applied {
        Ok(a) => a,
        Err(diagnostics) => {
            let _ = write!(
                std::io::stderr(),
                "{}",
                render_all(&diagnostics, &text, color)
            );
            return Err(exit::USAGE);
        }
    };
    if flags.is_empty() && positionals.is_empty() {
        return from(&matches);
    }
    tracing::debug!(config = %path.display(), ?flags, ?positionals, "config file applied");
    from(&cmd.get_matches_from(with_defaults(argv, flags, positionals)))
}

/// The user's arguments with the file's flags before any `--`, and its positionals after one.
fn with_defaults(
    argv: Vec<OsString>,
    flags: Vec<String>,
    positionals: Vec<String>,
) -> Vec<OsString> {
    let dashes = argv.iter().skip(1).position(|a| a == "--").map(|i| i + 1);
    let split = dashes.unwrap_or(argv.len());
    let mut out: Vec<OsString> = argv[..split].to_vec();
    out.extend(flags.into_iter().map(OsString::from));
    out.extend(argv[split..].iter().cloned());
    if !positionals.is_empty() {
        if dashes.is_none() {
            out.push("--".into());
        }
        out.extend(positionals.into_iter().map(OsString::from));
    }
    out
}

/// Whether the default config file is in `dir`.
pub fn default_exists(dir: &Path) -> bool {
    dir.join(DEFAULT_FILE).is_file()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn flags_go_before_dashes_and_positionals_after() {
        let got = with_defaults(
            os(&["d", "run", "-v"]),
            vec!["--jobs=2".into()],
            vec!["s".into()],
        );
        assert_eq!(got, os(&["d", "run", "-v", "--jobs=2", "--", "s"]));
        let got = with_defaults(
            os(&["d", "run", "--", "x"]),
            vec!["--jobs=2".into()],
            vec![],
        );
        assert_eq!(got, os(&["d", "run", "--jobs=2", "--", "x"]));
    }

    #[test]
    fn the_config_file_sets_what_the_flags_do_and_flags_win() {
        let dir =
            std::env::temp_dir().join(format!("cognito-drift-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.yaml");
        std::fs::write(&file, "jobs: 2\ntarget: ministack\nrun:\n  confirm: 0\nmatrix:\n  targets: [moto, cognito-local]\n").unwrap();
        let config = file.to_str().unwrap();
        let cli = parse(
            os(&["d", "--config", config, "run", "-j", "7"]),
            false,
            false,
        )
        .unwrap();
        let crate::cli::Command::Run(run) = cli.command else {
            panic!("not run")
        };
        assert_eq!(
            (run.jobs, run.target.name.as_str(), run.confirm),
            (7, "ministack", 0)
        );
        let cli = parse(os(&["d", "matrix", "--config", config]), false, false).unwrap();
        let crate::cli::Command::Matrix(m) = cli.command else {
            panic!("not matrix")
        };
        assert_eq!(
            (m.jobs, m.targets.join(",")),
            (2, "moto,cognito-local".to_owned())
        );
        let cli = parse(
            os(&["d", "record", "--config", config, "--accept"]),
            false,
            false,
        )
        .unwrap();
        let crate::cli::Command::Record { run, accept } = cli.command else {
            panic!("not record")
        };
        assert!(accept);
        assert_eq!((run.jobs, run.confirm), (2, 1));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
