//! The import row reader (decoding, CSV / JSON / JSON lines) on arbitrary bytes: an
//! error naming the row, never a panic. The first byte picks the format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let format = ["csv", "json", "jsonl"][usize::from(pick % 3)];
    let _ = kefu::commands::import::read_rows(bytes, format);
});
