//! Tests of `apply`: a command line shaped like the real one, and what the file adds to it.
#![allow(clippy::unwrap_used)]

use super::apply::*;
use crate::config::parse;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use clap::{Arg, ArgAction, Command};
use std::path::Path;

/// A command line shaped like the real one: the same flag kinds, in `run`, `matrix` and `fuzz`.
fn cli() -> Command {
    let run = Command::new("run")
        .arg(
            Arg::new("paths")
                .action(ArgAction::Append)
                .default_value("scenarios"),
        )
        .arg(Arg::new("target").long("target").default_value("moto"))
        .arg(Arg::new("endpoint").long("endpoint"))
        .arg(
            Arg::new("jobs")
                .long("jobs")
                .short('j')
                .value_parser(clap::value_parser!(usize))
                .default_value("4"),
        )
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .action(ArgAction::SetTrue),
        )
        .arg(Arg::new("rate").long("rate").action(ArgAction::Append))
        .arg(Arg::new("seed").long("secret-seed").hide(true));
    let matrix = Command::new("matrix")
        .arg(
            Arg::new("targets")
                .long("targets")
                .value_delimiter(',')
                .action(ArgAction::Append)
                .default_value("moto"),
        )
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .action(ArgAction::Append),
        )
        .arg(
            Arg::new("jobs")
                .long("jobs")
                .value_parser(clap::value_parser!(usize))
                .default_value("4"),
        );
    let fuzz = Command::new("fuzz")
        .arg(
            Arg::new("rate")
                .long("rate")
                .value_parser(clap::value_parser!(u32)),
        )
        .arg(
            Arg::new("iterations")
                .long("iterations")
                .conflicts_with("duration"),
        )
        .arg(Arg::new("duration").long("duration"));
    let mut cli = Command::new("cognito-drift")
        .arg(Arg::new("config").long("config").global(true))
        .subcommand(run)
        .subcommand(matrix)
        .subcommand(fuzz);
    cli.build();
    cli
}

fn apply(config: &str, argv: &[&str]) -> Result<(Vec<String>, Vec<String>), Vec<Diagnostic>> {
    let cli = cli();
    let path = Path::new("cognito-drift.yaml");
    let file = parse(path, config, CONFIG_COMMANDS).unwrap();
    let matches = cli.clone().try_get_matches_from(argv).unwrap();
    let (name, sub) = matches.subcommand().unwrap();
    defaults(path, &file, &cli, name, sub)
}

#[test]
fn the_file_fills_what_the_command_line_left_to_defaults() {
    let config = "jobs: 2\nverbose: true\ntarget: ministack\npaths: [a, b]\n";
    let (flags, positionals) = apply(config, &["d", "run"]).unwrap();
    assert_eq!(flags, ["--jobs=2", "--verbose", "--target=ministack"]);
    assert_eq!(positionals, ["a", "b"]);
}

#[test]
fn flags_win_over_the_file() {
    let config = "jobs: 2\ntarget: ministack\npaths: [a]\n";
    let (flags, positionals) = apply(config, &["d", "run", "-j", "8", "x.yaml"]).unwrap();
    assert_eq!(flags, ["--target=ministack"]);
    assert!(positionals.is_empty());
    // A flag that conflicts with a configured one wins too.
    let (flags, _) = apply(
        "fuzz: {iterations: 5}\n",
        &["d", "fuzz", "--duration", "1s"],
    )
    .unwrap();
    assert!(flags.is_empty());
}

#[test]
fn a_section_wins_over_the_top_level_for_its_command_only() {
    let config = "jobs: 2\nmatrix:\n  jobs: 6\n  targets: [moto, cognito-local]\n";
    let (flags, _) = apply(config, &["d", "matrix"]).unwrap();
    assert_eq!(
        flags,
        ["--jobs=6", "--targets=moto", "--targets=cognito-local"]
    );
    let (flags, _) = apply(config, &["d", "run"]).unwrap();
    assert_eq!(flags, ["--jobs=2"]);
}

#[test]
fn a_top_level_key_skips_the_commands_where_it_means_something_else() {
    let (flags, _) = apply("rate: [UserUpdate=10]\n", &["d", "fuzz"]).unwrap();
    assert!(flags.is_empty());
    let (flags, _) = apply("rate: [UserUpdate=10]\n", &["d", "run"]).unwrap();
    assert_eq!(flags, ["--rate=UserUpdate=10"]);
    let (flags, _) = apply("fuzz:\n  rate: 50\n", &["d", "fuzz"]).unwrap();
    assert_eq!(flags, ["--rate=50"]);
}

#[test]
fn unknown_keys_point_at_the_key_with_a_suggestion() {
    let err = apply("jbos: 2\nmatrix:\n  verbose: true\n", &["d", "run"]).unwrap_err();
    assert_eq!(err.len(), 2, "{err:?}");
    assert_eq!(err[0].title, "unknown key `jbos`");
    assert_eq!(err[0].span, Span::new(1, 1));
    assert_eq!(err[0].help.as_deref(), Some("did you mean `jobs`?"));
    assert_eq!(err[1].title, "unknown key `verbose` in `matrix:`");
    assert_eq!(err[1].span, Span::new(3, 3));
    // Hidden flags, the config flag itself and `accept` are not keys.
    let err = apply("secret-seed: x\nconfig: y\naccept: true\n", &["d", "run"]).unwrap_err();
    assert_eq!(err.len(), 3);
}

#[test]
fn values_go_through_the_flags_own_parsers() {
    let err = apply("jobs: many\n", &["d", "run"]).unwrap_err();
    assert_eq!(err[0].title, "invalid value for `jobs` (run)");
    assert_eq!(err[0].span, Span::new(1, 7));
    assert!(err[0].label.contains("many"), "{}", err[0].label);
    let err = apply("verbose: 1\n", &["d", "run"]).unwrap_err();
    assert_eq!(err[0].label, "expected `true` or `false`");
    let err = apply("target: [a, b]\n", &["d", "run"]).unwrap_err();
    assert_eq!(err[0].label, "`--target` takes one value, not a list");
}
