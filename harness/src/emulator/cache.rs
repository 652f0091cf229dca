//! Where installed emulators are cached between runs.

use std::ffi::OsStr;
use std::path::PathBuf;

/// `$XDG_CACHE_HOME/cognito-drift`, else `$HOME/.cache/cognito-drift`; the caller passes both variables
/// (read once at startup) so this stays free of environment access.
pub fn default_cache_dir(xdg_cache_home: Option<&OsStr>, home: Option<&OsStr>) -> PathBuf {
    let absolute = |v: Option<&OsStr>| {
        v.filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(xdg) = absolute(xdg_cache_home) {
        return xdg.join("cognito-drift");
    }
    match absolute(home) {
        Some(home) => home.join(".cache").join("cognito-drift"),
        None => std::env::temp_dir().join("cognito-drift-cache"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_wins_over_home() {
        let dir = default_cache_dir(Some(OsStr::new("/x/cache")), Some(OsStr::new("/home/u")));
        assert_eq!(dir, PathBuf::from("/x/cache/cognito-drift"));
    }

    #[test]
    fn home_cache_when_xdg_unset_empty_or_relative() {
        for xdg in [None, Some(""), Some("relative/dir")] {
            let dir = default_cache_dir(xdg.map(OsStr::new), Some(OsStr::new("/home/u")));
            assert_eq!(
                dir,
                PathBuf::from("/home/u/.cache/cognito-drift"),
                "{xdg:?}"
            );
        }
    }

    #[test]
    fn temp_dir_when_nothing_is_set() {
        assert_eq!(
            default_cache_dir(None, None),
            std::env::temp_dir().join("cognito-drift-cache")
        );
    }
}
