//! `cognito-drift init [DIR]`: writes the starter layout, refusing to overwrite anything, and lists
//! what it wrote.

use std::io::Write;
use std::path::Path;

use cognito_drift::diagnostic::did_you_mean;
use cognito_drift::emulator::TargetKind;
use cognito_drift::exit;
use cognito_drift::starter;

use super::err;
use crate::cli::InitArgs;
use crate::Env;

pub fn init(args: InitArgs, env: &Env) -> i32 {
    for t in &args.targets {
        if t.parse::<TargetKind>().is_err() {
            let hint = did_you_mean(t, TargetKind::names())
                .map(|s| format!(": did you mean `{s}`?"))
                .unwrap_or_default();
            err(
                env,
                &format!("`{t}` is not a managed emulator (moto, cognito-local, ministack){hint}"),
            );
            return exit::USAGE;
        }
    }
    if !(args.action == "./" || args.action.contains('@') && args.action.contains('/')) {
        err(
            env,
            &format!("`--action {}` must be OWNER/REPO@REF", args.action),
        );
        return exit::USAGE;
    }
    let files = starter::files(&args.action, &args.targets.join(","));
    let taken: Vec<&str> = files
        .iter()
        .filter(|f| args.dir.join(f.path).exists())
        .map(|f| f.path)
        .collect();
    if !taken.is_empty() {
        err(
            env,
            &format!(
                "nothing written: {} already exist{} in {} ({}); init never overwrites",
                if taken.len() == 1 {
                    "this file"
                } else {
                    "these files"
                },
                if taken.len() == 1 { "s" } else { "" },
                args.dir.display(),
                taken.join(", ")
            ),
        );
        return exit::USAGE;
    }
    for f in &files {
        if let Err(e) = write_new(&args.dir.join(f.path), &f.text) {
            err(
                env,
                &format!("failed to write {}: {e}", args.dir.join(f.path).display()),
            );
            return exit::USAGE;
        }
        let _ = writeln!(
            std::io::stdout(),
            "wrote {}",
            args.dir.join(f.path).display()
        );
    }
    let _ = writeln!(
        std::io::stdout(),
        "next: cd {} && cognito-drift record (read snapshots/*/*.snap.new), then record --accept and run",
        args.dir.display()
    );
    exit::OK
}

/// Creates the file and its folders; fails if the file appeared in the meantime.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}
