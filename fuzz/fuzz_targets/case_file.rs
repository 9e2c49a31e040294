//! The case-file reader on arbitrary bytes: it must return an error, never panic, and
//! whatever it accepts must survive being written back and read again unchanged.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rel = Path::new("cases/20261123-001.toml");
    if let Ok(case) = kefu::store::parse_case(text, rel) {
        let written = kefu::store::to_toml(&case).expect("an accepted case can be written");
        let again = kefu::store::parse_case(&written, rel).expect("a written case reads back");
        assert_eq!(case, again, "the round trip changed the case");
    }
});
