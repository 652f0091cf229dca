//! What this build carries, for `--version`: the harness, the embedded service model and, per managed
//! target, the pinned version and the digest of its embedded install lock. CI caches emulator installs
//! keyed on these lines, so a cache is reused exactly when the installs it holds would be the same.

use crate::emulator::{lock_digest, TargetKind};

/// The text after `cognito-drift ` in `--version`: one line each for the harness, the model and every
/// managed target (`target <name> <version> sha256:<hex>`).
pub fn long_version() -> String {
    let mut out = String::from(env!("CARGO_PKG_VERSION"));
    out.push_str(&format!(
        "\nmodel botocore {}",
        crate::model::cognito().source_version()
    ));
    for kind in TargetKind::ALL {
        out.push_str(&format!(
            "\ntarget {} {} {}",
            kind.name(),
            kind.pinned_version(),
            lock_digest(kind)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_managed_target_with_its_lock_digest() {
        let text = long_version();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(env!("CARGO_PKG_VERSION")));
        assert!(lines
            .next()
            .is_some_and(|l| l.starts_with("model botocore ")));
        for kind in TargetKind::ALL {
            let line = format!(
                "target {} {} {}",
                kind.name(),
                kind.pinned_version(),
                lock_digest(kind)
            );
            assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
        }
    }
}
