//! A workspace's `clas.toml`, as `load_config` reads it (the text is applied onto the
//! defaults); then, in the same text taken as CSV, the signatories table that `clas.toml`'s
//! `documents.signataires` may name (both are files the agent writes by hand).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut config = clas::config::Config::new("/espace".into());
    let path = config.toml_path();
    if clas::workspace::apply_toml(&mut config, text, &path).is_ok() {
        // What the commands derive from it.
        let _ = (config.depot_dir(), config.sorties_dir(), config.rules_dir());
        let _ = config.school_year.map(clas::workspace::school_year_label);
    }
    let _ = clas::letters::Signataires::from_csv(text);
});
