//! Output-shape conformance: the validator never panics on any answer to any operation, each violation
//! points at a value that is there, and an answer built to satisfy its shape validates.
#![no_main]

use cognito_drift::fuzz::props::{check_validate_output, ConformInput, MAX_INPUT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(MAX_INPUT)];
    let Ok(input) = arbitrary::Unstructured::new(data).arbitrary::<ConformInput>() else {
        return;
    };
    if let Err(broken) = check_validate_output(&input) {
        panic!("{broken}\n{input:?}");
    }
});
