//! Normalising twice equals normalising once, and no registered secret survives normalisation.
#![no_main]

use cognito_drift::fuzz::props::{check_normalize, NormalizeInput, MAX_INPUT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(MAX_INPUT)];
    let Ok(input) = arbitrary::Unstructured::new(data).arbitrary::<NormalizeInput>() else {
        return;
    };
    if let Err(broken) = check_normalize(&input) {
        panic!("{broken}\n--- input ---\n{input:?}");
    }
});
