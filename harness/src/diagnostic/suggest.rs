//! "Did you mean …?" suggestions for near-miss names (keys, operations, members, variables).

/// The candidate closest to `input`, if it is close enough to be a likely typo.
///
/// A case-insensitive exact match wins; otherwise the candidate with the smallest edit distance
/// (case-insensitive, `_` and `-` ignored, so `sigin` finds `sign_in`) within a third of the input's
/// length (at least 1) is chosen, first one on ties. The distance is the optimal string alignment
/// one: insertions, deletions, substitutions and swaps of neighbours, each one edit, no substring
/// edited twice. It equals Damerau-Levenshtein for any typo a person makes, and costs a fraction of
/// it (the unrestricted distance was most of the loader's time on fuzzed operation names).
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
        // The distance is at least the difference in length, and at least the letter gap: skip
        // candidates that cannot be close enough, or cannot beat the best so far, without computing
        // it (the loader's hot path: the distance was a fifth of the `scenario_load` fuzz target).
        let out_of_reach = |gap: usize| gap > limit || best.is_some_and(|(d, _)| gap >= d);
        if out_of_reach(wanted_len.abs_diff(candidate_bare.chars().count()))
            || out_of_reach(letter_gap(&wanted_bare, &candidate_bare))
        {
            continue;
        }
        let distance = strsim::osa_distance(&wanted_bare, &candidate_bare);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// A lower bound of the edit distance (Damerau-Levenshtein, so the optimal string alignment one too,
/// which is never smaller) from the letters alone: an insertion or a
/// deletion changes the count of one letter by one, a substitution two counts, a transposition none,
/// so at least half the total count difference (rounded up) of edits is needed. ASCII only (0 else).
/// Far cheaper than the distance, and it rules out nearly every candidate for a fuzzed word.
fn letter_gap(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i64; 128];
    for x in a.bytes() {
        counts[usize::from(x)] += 1;
    }
    for x in b.bytes() {
        counts[usize::from(x)] -= 1;
    }
    let total: u64 = counts.iter().map(|c| c.unsigned_abs()).sum();
    usize::try_from(total.div_ceil(2)).unwrap_or(usize::MAX)
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

    /// The letter bound never exceeds the distance, so skipping by it changes no suggestion.
    #[test]
    fn the_letter_gap_is_a_lower_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "cab",
            "signin",
            "sign_in",
            "sigin",
            "totp",
            "status",
            "getuser",
            "setusermfapreference",
            "adminsetusermfapreference",
            "zzzz",
            "aabbcc",
        ];
        for a in words {
            for b in words {
                let bound = letter_gap(a, b);
                let distance = strsim::damerau_levenshtein(a, b);
                assert!(bound <= distance, "{a:?} {b:?}: {bound} > {distance}");
                assert!(distance <= strsim::osa_distance(a, b), "{a:?} {b:?}");
            }
        }
        assert_eq!(letter_gap("ab", "ba"), 0);
        assert_eq!(letter_gap("abc", "abd"), 1);
        assert_eq!(letter_gap("é", "e"), 0);
    }

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
