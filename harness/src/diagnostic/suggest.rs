//! "Did you mean …?" suggestions for near-miss names (keys, operations, members, variables).

/// The candidate closest to `input`, if it is close enough to be a likely typo.
///
/// A case-insensitive exact match wins; otherwise the candidate with the smallest Damerau-Levenshtein
/// distance (case-insensitive, `_` and `-` ignored, so `sigin` finds `sign_in`) within a third of the
/// input's length (at least 1) is chosen, first one on ties.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = input.to_lowercase();
    let bare = |s: &str| s.replace(['_', '-'], "");
    let wanted_bare = bare(&wanted);
    let limit = (wanted.chars().count() / 3).max(1);
    let wanted_len = wanted_bare.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == input {
            continue;
        }
        let lowered = candidate.to_lowercase();
        if lowered == wanted {
            return Some(candidate);
        }
        let candidate_bare = bare(&lowered);
        // The distance is at least the difference in length: skip candidates that cannot be close
        // enough, or cannot beat the best so far, without computing it (the loader's hot path).
        let gap = wanted_len.abs_diff(candidate_bare.chars().count());
        if gap > limit || best.is_some_and(|(d, _)| gap >= d) {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&wanted_bare, &candidate_bare);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBERS: [&str; 5] = [
        "AccessToken",
        "EmailMfaSettings",
        "SMSMfaSettings",
        "SoftwareTokenMfaSettings",
        "WebAuthnMfaSettings",
    ];

    #[test]
    fn separators_do_not_count() {
        let keys = ["sign_in", "status", "totp", "attributes"];
        assert_eq!(did_you_mean("sigin", keys), Some("sign_in"));
        assert_eq!(did_you_mean("signin", keys), Some("sign_in"));
        assert_eq!(did_you_mean("sign-in", keys), Some("sign_in"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn suggests_a_one_letter_typo() {
        assert_eq!(did_you_mean("AccesToken", MEMBERS), Some("AccessToken"));
        assert_eq!(
            did_you_mean("SMSMfaSetings", MEMBERS),
            Some("SMSMfaSettings")
        );
    }

    #[test]
    fn case_insensitive_match_beats_a_closer_spelling() {
        assert_eq!(
            did_you_mean("accesstoken", ["AccessTokens", "AccessToken"]),
            Some("AccessToken")
        );
        assert_eq!(
            did_you_mean("SetUserMfaPreference", ["SetUserMFAPreference"]),
            Some("SetUserMFAPreference")
        );
    }

    #[test]
    fn transposition_counts_as_one_edit() {
        assert_eq!(
            did_you_mean("sgin_in", ["sign_in", "status"]),
            Some("sign_in")
        );
    }

    #[test]
    fn unrelated_names_get_no_suggestion() {
        assert_eq!(did_you_mean("Foo", MEMBERS), None);
        assert_eq!(did_you_mean("x", ["yy"]), None);
        assert_eq!(did_you_mean("anything", []), None);
    }

    #[test]
    fn an_exact_candidate_is_not_suggested_to_itself() {
        assert_eq!(did_you_mean("name", ["name"]), None);
    }

    #[test]
    fn closest_candidate_wins() {
        assert_eq!(
            did_you_mean("totp_cod", ["totp_secret", "totp_code"]),
            Some("totp_code")
        );
    }
}
