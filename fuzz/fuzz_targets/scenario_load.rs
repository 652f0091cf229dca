//! The scenario loader never panics and points every diagnostic inside its input. The first byte picks
//! the input form: raw text, or a YAML document built from the scenario vocabulary.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use cognito_drift::fuzz::props::{check_scenario_load, ScenarioDoc, MAX_INPUT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let rest = &rest[..rest.len().min(MAX_INPUT)];
    let text = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        match ScenarioDoc::arbitrary(&mut Unstructured::new(rest)) {
            Ok(doc) => doc.to_yaml(),
            Err(_) => return,
        }
    };
    if let Err(broken) = check_scenario_load(&text) {
        panic!("{broken}\n--- input ---\n{text}");
    }
});
