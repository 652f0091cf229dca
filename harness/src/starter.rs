//! What `cognito-drift init` writes: starter scenarios about a team's own MFA flow, an empty snapshot
//! folder, the config file and the two GitHub workflows. Embedded, so `init` works with nothing but the
//! binary; rendering is pure (the command does the writing).

/// One file to write, relative to the folder `init` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterFile {
    pub path: &'static str,
    pub text: String,
}

const SCENARIOS: &[(&str, &str)] = &[
    (
        "scenarios/mfa/prefer-totp.yaml",
        include_str!("../starter/scenarios/mfa/prefer-totp.yaml"),
    ),
    (
        "scenarios/mfa/prefer-sms.yaml",
        include_str!("../starter/scenarios/mfa/prefer-sms.yaml"),
    ),
    (
        "scenarios/mfa/turn-mfa-off.yaml",
        include_str!("../starter/scenarios/mfa/turn-mfa-off.yaml"),
    ),
];
const CONFIG: &str = include_str!("../starter/cognito-drift.yaml");
const CI_WORKFLOW: &str = include_str!("../starter/workflows/ci.yml");
const NIGHTLY_WORKFLOW: &str = include_str!("../starter/workflows/nightly.yml");

/// The workflow files, with `action` (`OWNER/REPO@REF`, or `./` inside cognito-drift's own
/// repository) in every `uses:` of the action and `targets` (comma-separated) as the pull-request
/// workflow's emulators.
pub fn workflows(action: &str, targets: &str) -> Vec<StarterFile> {
    let render = |t: &str| t.replace("@ACTION@", action).replace("@TARGETS@", targets);
    vec![
        StarterFile {
            path: ".github/workflows/ci.yml",
            text: render(CI_WORKFLOW),
        },
        StarterFile {
            path: ".github/workflows/nightly.yml",
            text: render(NIGHTLY_WORKFLOW),
        },
    ]
}

/// Everything `init` writes, in the order it is listed.
pub fn files(action: &str, targets: &str) -> Vec<StarterFile> {
    let mut out: Vec<StarterFile> = SCENARIOS
        .iter()
        .map(|(path, text)| StarterFile {
            path,
            text: (*text).to_owned(),
        })
        .collect();
    out.push(StarterFile {
        path: "snapshots/.gitkeep",
        text: String::new(),
    });
    out.push(StarterFile {
        path: "cognito-drift.yaml",
        text: CONFIG.replace(
            "targets: [moto]",
            &format!("targets: [{}]", targets.replace(',', ", ")),
        ),
    });
    out.extend(workflows(action, targets));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::{self, CONFIG_COMMANDS};
    use std::path::Path;

    #[test]
    fn the_starter_scenarios_load_against_the_model() {
        let model = crate::model::cognito();
        for (path, text) in SCENARIOS {
            if let Err(d) = crate::scenario::load(Path::new(path), text, model) {
                panic!("{path}: {d:?}");
            }
        }
    }

    #[test]
    fn placeholders_are_all_filled() {
        for f in files("acme/cognito-drift@v1", "moto,cognito-local") {
            assert!(!f.text.contains("@ACTION@"), "{}", f.path);
            assert!(!f.text.contains("@TARGETS@"), "{}", f.path);
        }
        let config = files("a/b@c", "moto,ministack")
            .into_iter()
            .find(|f| f.path == "cognito-drift.yaml")
            .unwrap();
        assert!(config.text.contains("targets: [moto, ministack]"));
        let parsed = config::parse(Path::new("c.yaml"), &config.text, CONFIG_COMMANDS).unwrap();
        assert!(parsed.top.iter().any(|e| e.key.value == "jobs"));
    }

    #[test]
    fn this_repository_runs_the_nightly_workflow_init_writes() {
        let ours = include_str!("../../.github/workflows/nightly.yml");
        let rendered = workflows("./", "moto");
        assert_eq!(
            rendered[1].text, ours,
            "re-render with starter::workflows(\"./\", ..)"
        );
    }
}
