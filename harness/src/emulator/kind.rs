//! The emulators the harness can install and run itself, and the version of each it pins.

use std::fmt;
use std::str::FromStr;

/// A managed target, named as on the command line (`--target cognito-local`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    Moto,
    CognitoLocal,
    Ministack,
}

/// The `moto[server]` version pinned in `targets/moto/requirements.in` (and its lock).
pub const DEFAULT_MOTO_VERSION: &str = "5.2.1";
/// The `cognito-local` npm version pinned in `targets/cognito-local/package.json`.
pub const COGNITO_LOCAL_VERSION: &str = "5.3.0";
/// The `ministack` PyPI version pinned in `targets/ministack/requirements.in` (and its lock).
pub const MINISTACK_VERSION: &str = "1.5.33";

impl TargetKind {
    pub const ALL: [TargetKind; 3] = [
        TargetKind::Moto,
        TargetKind::CognitoLocal,
        TargetKind::Ministack,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            TargetKind::Moto => "moto",
            TargetKind::CognitoLocal => "cognito-local",
            TargetKind::Ministack => "ministack",
        }
    }

    /// The exact version the harness installs and records in snapshot headers.
    pub fn pinned_version(self) -> &'static str {
        match self {
            TargetKind::Moto => DEFAULT_MOTO_VERSION,
            TargetKind::CognitoLocal => COGNITO_LOCAL_VERSION,
            TargetKind::Ministack => MINISTACK_VERSION,
        }
    }

    /// Every managed target's name, for usage messages and "did you mean".
    pub const fn names() -> [&'static str; 3] {
        [
            TargetKind::Moto.name(),
            TargetKind::CognitoLocal.name(),
            TargetKind::Ministack.name(),
        ]
    }
}

impl fmt::Display for TargetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name is not one of [`TargetKind::names`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown managed target `{0}`")]
pub struct UnknownTarget(pub String);

impl FromStr for TargetKind {
    type Err = UnknownTarget;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TargetKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| UnknownTarget(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in TargetKind::ALL {
            assert_eq!(kind.name().parse::<TargetKind>(), Ok(kind));
        }
        assert_eq!(TargetKind::names(), ["moto", "cognito-local", "ministack"]);
    }

    #[test]
    fn unknown_names_are_refused() {
        assert_eq!(
            "cognito_local".parse::<TargetKind>(),
            Err(UnknownTarget("cognito_local".to_owned()))
        );
        assert!("Moto".parse::<TargetKind>().is_err());
    }

    #[test]
    fn pinned_versions_match_the_committed_pins() {
        let package = include_str!("../../../targets/cognito-local/package.json");
        assert!(package.contains(&format!("\"cognito-local\": \"{COGNITO_LOCAL_VERSION}\"")));
        for (input, pin) in [
            (
                include_str!("../../../targets/ministack/requirements.in"),
                format!("ministack=={MINISTACK_VERSION}"),
            ),
            (
                include_str!("../../../targets/moto/requirements.in"),
                format!("moto[server]=={DEFAULT_MOTO_VERSION}"),
            ),
        ] {
            assert!(input.lines().any(|l| l == pin), "{pin}");
        }
    }
}
