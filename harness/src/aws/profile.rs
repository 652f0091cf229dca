//! The shared AWS `config` and `credentials` files (INI): profiles and their keys (pure parsing).

use std::collections::BTreeMap;

/// Profile name → its keys, with `[profile name]` (config file) and `[name]` (credentials file) alike.
pub(crate) type Profiles = BTreeMap<String, BTreeMap<String, String>>;

/// Parses one file. `config_file` picks the config file's section naming, where only `default` may
/// go without the `profile ` prefix; other sections (`sso-session`, `services`) are skipped.
pub fn parse(text: &str, config_file: bool) -> Profiles {
    let mut out = Profiles::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let section = section.trim();
            current = if !config_file || section == "default" {
                Some(section.to_owned())
            } else {
                section
                    .strip_prefix("profile")
                    .filter(|rest| rest.starts_with(char::is_whitespace))
                    .map(|rest| rest.trim().to_owned())
            };
            if let Some(name) = &current {
                out.entry(name.clone()).or_default();
            }
            continue;
        }
        let (Some(profile), Some((key, value))) = (&current, line.split_once('=')) else {
            continue;
        };
        out.entry(profile.clone())
            .or_default()
            .insert(key.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_file_sections_are_profile_names() {
        let p = parse(
            "[default]\naws_access_key_id = AKID\n# note\naws_secret_access_key=SECRET\n\n[ci]\nAWS_ACCESS_KEY_ID = K2\n",
            false,
        );
        assert_eq!(p["default"]["aws_access_key_id"], "AKID");
        assert_eq!(p["default"]["aws_secret_access_key"], "SECRET");
        assert_eq!(p["ci"]["aws_access_key_id"], "K2");
    }

    #[test]
    fn config_file_needs_the_profile_prefix_except_for_default() {
        let p = parse(
            "[default]\nregion=us-east-1\n[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_region=eu-west-1\n[profiledev2]\nx=1\n",
            true,
        );
        assert_eq!(p.keys().collect::<Vec<_>>(), ["default", "dev"]);
        assert_eq!(p["dev"]["sso_session"], "corp");
        assert!(!p["dev"].contains_key("sso_region"));
    }
}
