//! Arbitrary answers (NaN, infinities, huge, subnormal included) against every catalog
//! instrument: construct the Response and score it (see `common::exercise` for what is
//! asserted).
#![no_main]

mod common;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let all = alliance::catalog::all();
    let Ok(instrument) = u.choose(&all) else {
        return;
    };
    for _ in 0..4 {
        if common::exercise(&mut u, instrument).is_err() {
            break;
        }
    }
});
