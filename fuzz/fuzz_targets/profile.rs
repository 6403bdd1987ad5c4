//! A rule profile (TOML) and a calendar as a workspace may hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = clas::findings::profile::Profile::from_toml("fuzz", text, "fuzz.toml");
    let _ = clas::findings::profile::Calendar::from_toml(text, "calendrier.toml");
});
