//! The structural diff: `diff(a, a)` is empty and the differing paths are the same both ways round.
#![no_main]

use cognito_drift::fuzz::props::{check_diff, DiffInput, MAX_INPUT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(MAX_INPUT)];
    let Ok(input) = arbitrary::Unstructured::new(data).arbitrary::<DiffInput>() else {
        return;
    };
    let (a, b) = input.values();
    if let Err(broken) = check_diff(&a, &b) {
        panic!("{broken}\n--- a ---\n{a}\n--- b ---\n{b}");
    }
});
