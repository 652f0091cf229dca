//! Answers outside AWS JSON 1.1 that are still worth keeping: raw steps' off-protocol answers as
//! text, and the teardown's "pool already gone".

use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value as Json;

use crate::exchange::wire::WireResponse;
use crate::observation::Observation;

/// Whether a teardown answer says the pool no longer exists.
pub fn pool_is_gone(resp: &WireResponse) -> bool {
    matches!(
        crate::exchange::interpret(resp),
        crate::exchange::Interpreted::Error { error_type, .. } if error_type == "ResourceNotFoundException"
    )
}

/// The largest non-JSON body kept in an observation, in characters.
const TEXT_BODY_CHARS: usize = 4096;

/// An answer that is not AWS JSON 1.1, kept as text: the body becomes a JSON string (cut at
/// [`TEXT_BODY_CHARS`]) and the `content-type` says what it was.
pub fn text_observation(resp: &WireResponse) -> Observation {
    let text = String::from_utf8_lossy(&resp.body);
    let text = mask_install_paths(&text);
    let mut body: String = text.chars().take(TEXT_BODY_CHARS).collect();
    if text.chars().nth(TEXT_BODY_CHARS).is_some() {
        body.push('…');
    }
    let mut obs = Observation {
        status: resp.status,
        error: None,
        message: None,
        body: Json::String(body),
        headers: resp
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
        wire: Default::default(),
    };
    crate::observation::fold_content_type(&mut obs);
    obs
}

/// Error pages with stack traces name where the emulator is installed (the harness cache, a venv), which
/// differs between machines: the folders before `node_modules/` or `site-packages/` become `<install>`.
fn mask_install_paths(text: &str) -> std::borrow::Cow<'_, str> {
    static INSTALL: OnceLock<Option<Regex>> = OnceLock::new();
    let re = INSTALL
        .get_or_init(|| Regex::new(r"(?:/[A-Za-z0-9._@+~-]+)+/(node_modules|site-packages)/").ok());
    match re {
        Some(re) => re.replace_all(text, "<install>/$1/"),
        None => std::borrow::Cow::Borrowed(text),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn resp(status: u16, content_type: &str, body: &[u8]) -> WireResponse {
        WireResponse {
            status,
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                ("x-amzn-requestid".into(), "r-1".into()),
            ],
            body: body.to_vec(),
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn off_protocol_answers_become_text_with_their_content_type() {
        let obs = text_observation(&resp(500, "text/html", b"<h1>Internal</h1>"));
        assert_eq!(obs.status, 500);
        assert_eq!((obs.error, obs.message), (None, None));
        assert_eq!(obs.body, Json::String("<h1>Internal</h1>".into()));
        assert_eq!(
            obs.headers.into_iter().collect::<Vec<_>>(),
            [("content-type".to_owned(), "text/html".to_owned())]
        );
        let long = "x".repeat(TEXT_BODY_CHARS + 10);
        let obs = text_observation(&resp(200, "application/xml", long.as_bytes()));
        let body = obs.body.as_str().unwrap();
        assert_eq!(body.chars().count(), TEXT_BODY_CHARS + 1);
        assert!(body.ends_with('…'));
    }

    #[test]
    fn install_paths_in_stack_traces_are_masked() {
        let page = b"at parse (/root/.cache/cognito-drift/cognito-local-5.3.0/node_modules/body-parser/lib/json.js:93:21)\n\
            File \"/home/u/.cache/cognito-drift/moto-5.2.1/lib/python3.11/site-packages/moto/core.py\", line 1";
        let obs = text_observation(&resp(400, "text/html", page));
        let body = obs.body.as_str().unwrap();
        assert!(body.contains("at parse (<install>/node_modules/body-parser/lib/json.js:93:21)"));
        assert!(body.contains("\"<install>/site-packages/moto/core.py\""));
        assert!(!body.contains(".cache"));
    }

    #[test]
    fn teardown_accepts_only_a_missing_pool() {
        let gone =
            br#"{"__type":"ResourceNotFoundException","message":"User pool x does not exist."}"#;
        assert!(pool_is_gone(&resp(400, "application/json", gone)));
        let other = br#"{"__type":"InternalErrorException","message":"boom"}"#;
        assert!(!pool_is_gone(&resp(500, "application/json", other)));
        assert!(!pool_is_gone(&resp(500, "text/html", b"<h1>x</h1>")));
    }
}
