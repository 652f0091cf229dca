//! Why an installer failed, read from its output and from the disk itself.

use std::path::Path;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Failure {
    DiskFull,
    Registry,
    Other,
}

/// Why an installer failed, read from its output: the error names of pip (urllib3/requests) and of
/// npm (Node's errno codes) for a full disk and for a registry that refuses or does not answer.
pub(super) fn classify(output: &str) -> Failure {
    const DISK: &[&str] = &["No space left on device", "ENOSPC", "Disk quota exceeded"];
    const REGISTRY: &[&str] = &[
        // pip
        "Connection refused",
        "NewConnectionError",
        "Max retries exceeded",
        "Read timed out",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "Could not fetch URL",
        "No matching distribution found",
        "Could not find a version that satisfies",
        "HTTP error 4",
        "HTTP error 5",
        "Temporary failure in name resolution",
        // npm
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "ESOCKETTIMEDOUT",
        "ENOTFOUND",
        "EAI_AGAIN",
        "npm error code E4",
        "npm error code E5",
        "npm ERR! code E4",
        "npm ERR! code E5",
        "network request to",
    ];
    if DISK.iter().any(|p| output.contains(p)) {
        Failure::DiskFull
    } else if REGISTRY.iter().any(|p| output.contains(p)) {
        Failure::Registry
    } else {
        Failure::Other
    }
}

/// Room to write and sync this much in `dir` counts as "not full".
const SPACE_PROBE: usize = 16 << 20;

/// Whether `dir`'s file system is out of space: a probe file of [`SPACE_PROBE`] bytes cannot be
/// written and synced. The probe is removed again.
pub(super) fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write as _;
    let probe = dir.join(format!(".space-probe-{}", std::process::id()));
    let full = |e: &std::io::Error| {
        matches!(
            e.kind(),
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
        )
    };
    let result = std::fs::File::create(&probe).and_then(|mut f| {
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..SPACE_PROBE / chunk.len() {
            f.write_all(&chunk)?;
        }
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    result.as_ref().is_err_and(full)
}

/// The last `n` non-empty lines of a command's combined output.
pub(super) fn tail(stdout: &[u8], stderr: &[u8], n: usize) -> String {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(stderr)
    );
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_last_non_empty_lines() {
        let t = tail(b"a\n\nb\n", b"c\nd\n", 3);
        assert_eq!(t, "b\nc\nd");
    }

    #[test]
    fn classify_reads_pip_and_npm_errors() {
        assert_eq!(
            classify("Failed to establish a new connection: [Errno 111] Connection refused"),
            Failure::Registry
        );
        assert_eq!(
            classify("ERROR: No matching distribution found for moto==5.2.1"),
            Failure::Registry
        );
        assert_eq!(
            classify("npm error code ETIMEDOUT\nnpm error network request to x failed"),
            Failure::Registry
        );
        assert_eq!(
            classify("npm error nospc ENOSPC: no space"),
            Failure::DiskFull
        );
        assert_eq!(classify("SyntaxError: invalid syntax"), Failure::Other);
    }

    #[test]
    fn a_disk_with_room_is_not_full() {
        let dir = std::env::temp_dir().join(format!("cd-install-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(!disk_is_full(&dir));
        let left = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(left, 0, "the probe is removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
