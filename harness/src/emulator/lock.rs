//! The committed, hash-locked install files of each managed target, embedded in the binary so that an
//! install does not depend on the working directory, and their digest: an install's cache folder is
//! named after it (a lock change is a new install, never a half-updated one) and snapshot headers
//! record it.

use sha2::{Digest, Sha256};

use super::kind::TargetKind;

/// moto: every package pinned with its hashes, resolved from `targets/moto/requirements.in`.
pub(crate) const MOTO_LOCK: &str = include_str!("../../../targets/moto/requirements.lock");
/// ministack: likewise, from `targets/ministack/requirements.in`.
pub(crate) const MINISTACK_LOCK: &str =
    include_str!("../../../targets/ministack/requirements.lock");
/// cognito-local: the package file and npm's lock (integrity hashes, no registry URLs).
pub(crate) const COGNITO_LOCAL_PACKAGE_JSON: &str =
    include_str!("../../../targets/cognito-local/package.json");
pub(crate) const COGNITO_LOCAL_PACKAGE_LOCK: &str =
    include_str!("../../../targets/cognito-local/package-lock.json");

/// The files an install of `kind` is made from, as `(file name, text)`.
pub(crate) fn files(kind: TargetKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        TargetKind::Moto => &[("requirements.lock", MOTO_LOCK)],
        TargetKind::Ministack => &[("requirements.lock", MINISTACK_LOCK)],
        TargetKind::CognitoLocal => &[
            ("package.json", COGNITO_LOCAL_PACKAGE_JSON),
            ("package-lock.json", COGNITO_LOCAL_PACKAGE_LOCK),
        ],
    }
}

/// `sha256:<64 hex>` over the lock files of `kind`, as recorded in snapshot headers.
pub fn lock_digest(kind: TargetKind) -> String {
    digest_of(files(kind))
}

/// The first 12 hex digits of a digest: enough to tell installs apart in a folder name.
pub(crate) fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    &hex[..hex.len().min(12)]
}

fn digest_of(files: &[(&str, &str)]) -> String {
    let mut hasher = Sha256::new();
    for (name, text) in files {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
/// The `name==version` lines of a pip lock (continuation lines with hashes and comments dropped).
pub(crate) fn pinned_packages(lock: &str) -> Vec<&str> {
    lock.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()))
        .map(|l| l.split([' ', ';']).next().unwrap_or_default())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pip_package_is_pinned_exactly_with_a_hash() {
        for (kind, lock, top) in [
            (TargetKind::Moto, MOTO_LOCK, "moto"),
            (TargetKind::Ministack, MINISTACK_LOCK, "ministack"),
        ] {
            let pins = pinned_packages(lock);
            assert!(pins.len() > 10, "{kind}: {pins:?}");
            assert!(pins.iter().all(|p| p.contains("==")), "{kind}: {pins:?}");
            assert!(
                pins.contains(&format!("{top}=={}", kind.pinned_version()).as_str()),
                "{kind} lock pins the version the harness records"
            );
            // Each requirement is followed by at least one `--hash=sha256:` line before the next.
            let mut hashed = 0;
            let mut pending = false;
            for line in lock.lines() {
                if line
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    assert!(!pending, "{kind}: a package without a hash before `{line}`");
                    pending = true;
                } else if line.trim_start().starts_with("--hash=sha256:") && pending {
                    pending = false;
                    hashed += 1;
                }
            }
            assert!(!pending, "{kind}: the last package has no hash");
            assert_eq!(hashed, pins.len(), "{kind}");
        }
    }

    #[test]
    fn npm_lock_has_integrity_for_every_package_and_names_no_registry() {
        let lock: serde_json::Value =
            serde_json::from_str(COGNITO_LOCAL_PACKAGE_LOCK).expect("package-lock.json is JSON");
        let packages = lock["packages"].as_object().expect("lockfile v2+");
        let mut checked = 0;
        for (path, pkg) in packages {
            if path.is_empty() || pkg.get("link").is_some() {
                continue;
            }
            let integrity = pkg["integrity"].as_str().unwrap_or_default();
            assert!(integrity.starts_with("sha"), "{path} has no integrity hash");
            checked += 1;
        }
        assert!(checked > 100, "{checked}");
        assert!(!COGNITO_LOCAL_PACKAGE_LOCK.contains("\"resolved\""));
    }

    #[test]
    fn digest_names_every_byte_of_every_file() {
        let a = digest_of(&[("requirements.lock", "x==1\n")]);
        assert!(a.starts_with("sha256:") && a.len() == 7 + 64, "{a}");
        assert_eq!(a, digest_of(&[("requirements.lock", "x==1\n")]));
        assert_ne!(a, digest_of(&[("requirements.lock", "x==2\n")]));
        assert_ne!(a, digest_of(&[("other.lock", "x==1\n")]));
        // File boundaries count: moving bytes from one file to the next is another lock.
        assert_ne!(
            digest_of(&[("a", "bc"), ("d", "e")]),
            digest_of(&[("a", "b"), ("cd", "e")])
        );
        assert_eq!(short(&a).len(), 12);
        for kind in TargetKind::ALL {
            assert_ne!(lock_digest(kind), a);
        }
    }
}
