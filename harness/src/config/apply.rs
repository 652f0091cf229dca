//! Turning the config file into command-line arguments for one subcommand, checked against the
//! command line's own definition: a key is a flag's long name (or a positional's name), its value goes
//! through the flag's own parser, and a key no command has is an error with "did you mean".
//!
//! The result is extra arguments, parsed together with the user's: whatever the file says behaves
//! exactly as the flag does, and only flags the user did not give (whose value would be clap's
//! default) are added.

use std::path::Path;

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Command};

use super::file::{ConfigFile, Entry, Value};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::scenario::ast::Node;

/// The subcommands that read the config file. A new one (e.g. `explore`) is one more name here.
pub const CONFIG_COMMANDS: &[&str] = &["run", "record", "matrix", "fuzz", "explore"];

/// `(command, key)` pairs a top-level key does not reach, because the flag means something else there:
/// fuzz's `--rate` is requests per second, not an AWS quota rate; matrix's `--endpoint` is `NAME=URL`.
/// They can be set in that command's own section.
const SECTION_ONLY: &[(&str, &str)] = &[("fuzz", "rate"), ("matrix", "endpoint")];

/// Flags that are not configuration: they say which file to read, ask for help, or (`accept`) skip
/// the reading of snapshots that must happen every time rather than once in a file.
const NOT_KEYS: &[&str] = &["config", "help", "version", "accept"];

/// What the file adds for `command`, given what the user typed (`matches` are that subcommand's).
///
/// The whole file is checked whichever command runs, so a typo in a section shows up at once. Returns
/// `(flags, positionals)`: the caller puts the flags among the user's arguments and the positionals
/// after a `--`.
pub fn defaults(
    path: &Path,
    file: &ConfigFile,
    cli: &Command,
    command: &str,
    matches: &ArgMatches,
) -> Result<(Vec<String>, Vec<String>), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let commands: Vec<&Command> = CONFIG_COMMANDS
        .iter()
        .filter_map(|name| cli.find_subcommand(name))
        .collect();
    for entry in &file.top {
        let reached: Vec<(&Command, &Arg)> = commands
            .iter()
            .filter(|c| !SECTION_ONLY.contains(&(c.get_name(), entry.key.value.as_str())))
            .filter_map(|c| key_arg(c, &entry.key.value).map(|a| (*c, a)))
            .collect();
        if reached.is_empty() {
            let known = top_keys(&commands);
            problems.push(unknown(
                path,
                &entry.key,
                "",
                known.iter().map(String::as_str),
            ));
        }
        for (cmd, arg) in reached {
            problems.extend(check(path, cmd, arg, entry));
        }
    }
    for (section, entries) in &file.sections {
        let Some(cmd) = commands.iter().find(|c| c.get_name() == section.value) else {
            continue;
        };
        for entry in entries {
            match key_arg(cmd, &entry.key.value) {
                Some(arg) => problems.extend(check(path, cmd, arg, entry)),
                None => {
                    let known = keys(cmd);
                    let within = format!(" in `{}:`", section.value);
                    problems.push(unknown(path, &entry.key, &within, known.into_iter()));
                }
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|d| d.span);
        return Err(problems);
    }
    let Some(cmd) = commands.iter().find(|c| c.get_name() == command) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let section = file
        .sections
        .iter()
        .find(|(s, _)| s.value == command)
        .map(|(_, e)| e.as_slice())
        .unwrap_or_default();
    let top = file
        .top
        .iter()
        .filter(|e| !SECTION_ONLY.contains(&(command, e.key.value.as_str())));
    let chosen = section
        .iter()
        .chain(top.filter(|e| !section.iter().any(|s| s.key.value == e.key.value)));
    let (mut flags, mut positionals) = (Vec::new(), Vec::new());
    for entry in chosen {
        let Some(arg) = key_arg(cmd, &entry.key.value) else {
            continue;
        };
        if given(matches, arg)
            || cmd
                .get_arg_conflicts_with(arg)
                .iter()
                .any(|a| given(matches, a))
        {
            continue;
        }
        let values = texts(&entry.value);
        match arg.get_long() {
            None => positionals.extend(values),
            Some(long) if is_switch(arg) => {
                if matches!(entry.value, Value::Bool(Node { value: true, .. })) {
                    flags.push(format!("--{long}"));
                }
            }
            Some(long) => flags.extend(values.into_iter().map(|v| format!("--{long}={v}"))),
        }
    }
    Ok((flags, positionals))
}

/// The user set this argument (on the command line, or through its environment variable).
fn given(matches: &ArgMatches, arg: &Arg) -> bool {
    matches!(
        matches.value_source(arg.get_id().as_str()),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

fn is_switch(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse)
}

/// The argument a key names in `cmd`: a visible flag by its long name, or a positional by its name.
fn key_arg<'c>(cmd: &'c Command, key: &str) -> Option<&'c Arg> {
    if NOT_KEYS.contains(&key) {
        return None;
    }
    cmd.get_arguments().find(|a| {
        !a.is_hide_set()
            && match a.get_long() {
                Some(long) => long == key,
                None => a.is_positional() && a.get_id() == key,
            }
    })
}

fn keys(cmd: &Command) -> Vec<&str> {
    cmd.get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| match a.get_long() {
            Some(long) => Some(long),
            None => a.is_positional().then(|| a.get_id().as_str()),
        })
        .filter(|k| !NOT_KEYS.contains(k))
        .collect()
}

fn top_keys(commands: &[&Command]) -> Vec<String> {
    let mut all: Vec<String> = commands
        .iter()
        .flat_map(|c| keys(c).into_iter().map(str::to_owned))
        .collect();
    all.sort();
    all.dedup();
    all
}

fn unknown<'a>(
    path: &Path,
    key: &Node<String>,
    within: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let d = Diagnostic::new(
        format!("unknown key `{}`{within}", key.value),
        path,
        key.span,
        format!("not a flag of {}", CONFIG_COMMANDS.join(", ")),
    );
    if NOT_KEYS.contains(&key.value.as_str()) {
        return d.with_note(format!(
            "`--{}` is given on the command line only, never from the config file",
            key.value
        ));
    }
    let d = d.with_suggestion(did_you_mean(&key.value, known.clone()));
    if d.help.is_some() {
        d
    } else {
        d.with_note(format!(
            "keys are the long names of flags: {}",
            known.collect::<Vec<_>>().join(", ")
        ))
    }
}

fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Bool(b) => vec![b.value.to_string()],
        Value::One(v) => vec![v.value.clone()],
        Value::Many(_, items) => items.iter().map(|n| n.value.clone()).collect(),
    }
}

/// The value as `cmd`'s flag would take it, or what is wrong with it.
fn check(path: &Path, cmd: &Command, arg: &Arg, entry: &Entry) -> Option<Diagnostic> {
    let key = &entry.key.value;
    let here = |span, label: String| {
        Some(Diagnostic::new(
            format!("invalid value for `{key}` ({})", cmd.get_name()),
            path,
            span,
            label,
        ))
    };
    if is_switch(arg) {
        return match entry.value {
            Value::Bool(_) => None,
            _ => here(entry.value.span(), "expected `true` or `false`".to_owned()),
        };
    }
    let many = matches!(arg.get_action(), ArgAction::Append);
    let items: Vec<&Node<String>> = match &entry.value {
        Value::Many(span, _) if !many => {
            return here(*span, format!("`--{key}` takes one value, not a list"));
        }
        Value::Many(_, items) => items.iter().collect(),
        Value::One(v) => vec![v],
        Value::Bool(b) => {
            let text = b.value.to_string();
            return parse_one(cmd, arg, &text).and_then(|e| here(b.span, e));
        }
    };
    items
        .into_iter()
        .find_map(|item| parse_one(cmd, arg, &item.value).and_then(|e| here(item.span, e)))
}

/// Runs the flag's own value parser (by parsing the flag alone with `cmd`); the error's first line
/// without clap's `error: ` prefix. Errors about other arguments (a `requires` the file also meets)
/// are not this value's problem.
fn parse_one(cmd: &Command, arg: &Arg, text: &str) -> Option<String> {
    let token = match arg.get_long() {
        Some(long) => vec![format!("--{long}={text}")],
        None => vec!["--".to_owned(), text.to_owned()],
    };
    let argv = std::iter::once(cmd.get_name().to_owned()).chain(token);
    let err = cmd.clone().try_get_matches_from(argv).err()?;
    use clap::error::ErrorKind as K;
    if !matches!(
        err.kind(),
        K::InvalidValue
            | K::ValueValidation
            | K::WrongNumberOfValues
            | K::TooManyValues
            | K::InvalidUtf8
    ) {
        return None;
    }
    let rendered = err.to_string();
    let first = rendered.lines().next().unwrap_or_default();
    Some(first.strip_prefix("error: ").unwrap_or(first).to_owned())
}
