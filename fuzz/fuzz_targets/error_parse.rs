//! awsJson1.1 error parsing never panics, and a type name written in any wire form (header, `__type`,
//! `code`; `ns#Name`, `Name:http://...`) comes back as the bare name.
#![no_main]

use arbitrary::Unstructured;
use cognito_drift::fuzz::props::{
    check_error_bytes, check_error_round_trip, ErrorBytes, ErrorCase, MAX_INPUT,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut u = Unstructured::new(&rest[..rest.len().min(MAX_INPUT)]);
    let result = if mode % 2 == 0 {
        let Ok(input) = u.arbitrary::<ErrorBytes>() else {
            return;
        };
        check_error_bytes(&input).map_err(|e| format!("{e}\n{input:?}"))
    } else {
        let Ok(case) = u.arbitrary::<ErrorCase>() else {
            return;
        };
        check_error_round_trip(&case).map_err(|e| format!("{e}\n{case:?}"))
    };
    if let Err(broken) = result {
        panic!("{broken}");
    }
});
