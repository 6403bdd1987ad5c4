//! A short fuzzing run that fits in `cargo test` (CI): the samples mutated at random for a
//! bounded time — bytes flipped, inserted, cut out, the file truncated, zip entries corrupted,
//! and, inside the packages, the XML itself mutated and zipped again with a correct CRC so
//! that the readers (not just the zip checksum) see it. Every input must be read or refused
//! without a panic, in bounded time; peak memory is checked at the end.
//!
//! The long runs are cargo-fuzz's (fuzz/); every input they find crashing goes into
//! tests/fuzz-regressions/, which this harness replays first.
//!
//! `CLAS_FUZZ_SECS` (default 6) is the time per format; `CLAS_FUZZ_SEED` changes the inputs.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// xorshift64*: reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn new(salt: u64) -> Rng {
        let seed = std::env::var("CLAS_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5EED_C1A5);
        Rng((seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn budget() -> Duration {
    Duration::from_secs_f64(
        std::env::var("CLAS_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(6.0),
    )
}

fn mappings() -> &'static [clas::mapping::Mapping] {
    static M: std::sync::OnceLock<Vec<clas::mapping::Mapping>> = std::sync::OnceLock::new();
    M.get_or_init(|| clas::mapping::load(None).unwrap())
}

fn context() -> &'static clas::findings::rules::Context {
    static C: std::sync::OnceLock<clas::findings::rules::Context> = std::sync::OnceLock::new();
    C.get_or_init(|| clas::findings::rules::Context::load("national", None, false).unwrap())
}

/// Reads, extracts and checks one input as the binary would; a panic fails the test with the
/// input saved for replay.
fn exercise(bytes: &[u8], name: &str, what: &str) {
    // RTF and old Word files go to LibreOffice for conversion: another program, not ours.
    if bytes.starts_with(b"{\\rtf")
        || (bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && name.ends_with(".docx"))
    {
        return;
    }
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        if let Ok(doc) = clas::document::read_bytes(bytes, Path::new(name))
            && let Ok(x) = clas::pipeline::extract_document(doc, mappings())
        {
            use clas::dictionary::FormKind;
            let x = &x.extraction;
            let _ = x.fields_json();
            let _ = match x.form {
                FormKind::Bilan => clas::findings::rules::check(Some(x), None, None, context()),
                FormKind::Presence => clas::findings::rules::check(None, Some(x), None, context()),
                FormKind::NoteStrategique => {
                    clas::findings::rules::check(None, None, Some(x), context())
                }
            };
        }
    }));
    let elapsed = started.elapsed();
    if result.is_err() || elapsed > Duration::from_secs(5) {
        let dir = std::env::temp_dir().join("clas-fuzz-smoke");
        std::fs::create_dir_all(&dir).unwrap();
        let saved = dir.join(format!("{}-{name}", std::process::id()));
        std::fs::write(&saved, bytes).unwrap();
        if result.is_err() {
            panic!("{what} : panique sur {} (entrée gardée)", saved.display());
        }
        panic!(
            "{what} : {:.1} s pour une entrée, trop long ({})",
            elapsed.as_secs_f64(),
            saved.display()
        );
    }
}

/// A text the agent may write by hand: mapping, rule profile, calendar, `clas.toml`,
/// signatories table. Every parser gets it (as the `mapping`, `profile` and `config` targets of
/// fuzz/ do); none may panic or take long.
fn exercise_text(text: &str, name: &str, what: &str) {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        if let Ok(m) = clas::mapping::Mapping::compile(text, name) {
            let doc = clas::document::Document {
                paragraphs: vec![clas::document::Paragraph {
                    place: clas::document::Place::Paragraph(1),
                    inlines: vec![clas::document::Inline::Text(
                        "Nom du porteur de projet : Les Amis".into(),
                    )],
                }],
                ..Default::default()
            };
            let _ = clas::pipeline::extract_document(doc, &[m]);
        }
        let _ = clas::findings::profile::Profile::from_toml("fuzz", text, name);
        let _ = clas::findings::profile::Calendar::from_toml(text, name);
        let mut config = clas::config::Config::new("/espace".into());
        let path = config.toml_path();
        let _ = clas::workspace::apply_toml(&mut config, text, &path);
        let _ = clas::letters::Signataires::from_csv(text);
    }));
    assert!(result.is_ok(), "{what} : {name} : panique sur\n{text}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{what} : {name} : trop long"
    );
}

fn samples(dir: &str, exts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(repo().join(dir))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| exts.contains(&e))
                })
                .map(|p| {
                    (
                        p.file_name().unwrap().to_string_lossy().to_string(),
                        std::fs::read(&p).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

const MARKS: &[u8] = b"<>/&;\"'=!?[]-: \r\n#x0PK\x00\xff";

/// One to four byte-level mutations.
fn mutate_bytes(rng: &mut Rng, b: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            b.push(MARKS[rng.below(MARKS.len())]);
            continue;
        }
        let i = rng.below(b.len());
        match rng.below(7) {
            0 => b[i] ^= 1 << rng.below(8),
            1 => b[i] = MARKS[rng.below(MARKS.len())],
            2 => b.insert(i, MARKS[rng.below(MARKS.len())]),
            3 => {
                let j = (i + 1 + rng.below(64)).min(b.len());
                b.drain(i..j);
            }
            4 => {
                let j = (i + 1 + rng.below(256)).min(b.len());
                let piece = b[i..j].to_vec();
                let at = rng.below(b.len());
                b.splice(at..at, piece);
            }
            5 => b.truncate(i),
            _ => {
                // A number somewhere made huge (sizes, offsets, counts).
                let v: [u8; 4] = [0xff, 0xff, 0xff, 0x7f];
                let end = (i + 4).min(b.len());
                b[i..end].copy_from_slice(&v[..end - i]);
            }
        }
    }
}

/// A zip package's entries: (name, bytes).
type Parts = Vec<(String, Vec<u8>)>;

/// The entries of a zip package, `None` if it does not open.
fn entries(bytes: &[u8]) -> Option<Parts> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).ok()?;
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        out.push((f.name().ok()?.to_string(), data));
    }
    Some(out)
}

/// A zip package of stored entries, written by hand: unlike the zip crate's writer it lets two
/// entries have the same name, as a hostile file may.
fn zip_of(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in parts {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(data);
        let fixed = |sig: &[u8], out: &mut Vec<u8>, central: bool| {
            out.extend_from_slice(sig);
            if central {
                out.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&0u16.to_le_bytes()); // stored
            out.extend_from_slice(&0u32.to_le_bytes()); // time, date
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        fixed(b"PK\x03\x04", &mut out, false);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        fixed(b"PK\x01\x02", &mut central, true);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A package with one of its XML parts mutated (or dropped, or duplicated), zipped again.
fn mutate_package(rng: &mut Rng, parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut parts = parts.to_vec();
    let xml: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].0.ends_with(".xml") || parts[i].0.ends_with(".rels"))
        .collect();
    match rng.below(10) {
        0 if !parts.is_empty() => {
            parts.remove(rng.below(parts.len()));
        }
        1 if !parts.is_empty() => {
            let p = parts[rng.below(parts.len())].clone();
            parts.push(p);
        }
        2 if !parts.is_empty() => {
            let i = rng.below(parts.len());
            parts[i].0 = [
                "../../x.xml",
                "/abs.xml",
                "word/document.xml",
                "",
                "content.xml",
            ][rng.below(5)]
            .to_string();
        }
        _ if !xml.is_empty() => {
            // The main parts most often: that is where the readers' work is.
            let main = xml
                .iter()
                .copied()
                .find(|&i| {
                    let n = &parts[i].0;
                    n == "word/document.xml" || n.contains("sheet1") || n == "content.xml"
                })
                .filter(|_| rng.below(3) > 0)
                .unwrap_or(xml[rng.below(xml.len())]);
            mutate_bytes(rng, &mut parts[main].1);
        }
        _ => {}
    }
    zip_of(&parts)
}

fn replay_regressions() -> usize {
    replay(&repo().join("tests/fuzz-regressions"))
}

fn replay(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md") || p.is_dir() {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        if name.ends_with(".toml") || name.ends_with(".csv") {
            // What the text targets of fuzz/ read: mappings, profiles, calendars, clas.toml,
            // signatories tables (the text is given to every parser, as those targets do).
            exercise_text(&String::from_utf8_lossy(&bytes), &name, "régression");
        } else {
            exercise(&bytes, &name, "régression");
        }
        n += 1;
    }
    n
}

fn run_format(what: &str, seeds: Vec<(String, Vec<u8>)>, salt: u64) -> usize {
    if seeds.is_empty() {
        eprintln!("{what} : pas d'échantillons, ignoré");
        return 0;
    }
    let mut rng = Rng::new(salt);
    let packages: Vec<Option<Parts>> = seeds.iter().map(|(_, b)| entries(b)).collect();
    let until = Instant::now() + budget();
    let mut n = 0;
    while Instant::now() < until {
        let k = rng.below(seeds.len());
        let (name, bytes) = &seeds[k];
        let input = match &packages[k] {
            Some(parts) if rng.below(3) > 0 => mutate_package(&mut rng, parts),
            _ => {
                let mut b = bytes.clone();
                mutate_bytes(&mut rng, &mut b);
                b
            }
        };
        exercise(&input, name, what);
        n += 1;
    }
    eprintln!("{what} : {n} entrées mutées, aucune panique");
    n
}

fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[test]
fn regressions_found_by_fuzzing_stay_fixed() {
    let n = replay_regressions();
    assert!(n >= 2, "tests/fuzz-regressions est vide ?");
    eprintln!("{n} entrée(s) de tests/fuzz-regressions relues");
}

/// The inputs found by fuzzing whose fix is not done yet (tests/fuzz-regressions/README.md).
#[test]
#[ignore = "correctif en attente : voir tests/fuzz-regressions/README.md"]
fn pending_regressions() {
    replay(&repo().join("tests/fuzz-regressions/pending"));
    assert!(peak_mb() < 1500.0, "{:.0} Mo", peak_mb());
}

#[test]
fn mutated_word_files() {
    let mut seeds = samples("samples", &["docx"]);
    seeds.extend(samples("forms", &["docx"]));
    assert!(run_format("Word", seeds, 1) > 0);
    assert!(peak_mb() < 1500.0, "{:.0} Mo", peak_mb());
}

#[test]
fn mutated_pdf_files() {
    let mut seeds = samples("samples/pdf", &["pdf"]);
    seeds.extend(samples("forms", &["pdf"]));
    run_format("PDF", seeds, 2);
    assert!(peak_mb() < 1500.0, "{:.0} Mo", peak_mb());
}

#[test]
fn mutated_spreadsheets() {
    let seeds = samples("samples/presence", &["xlsx", "ods", "xls"]);
    run_format("tableurs", seeds, 3);
    assert!(peak_mb() < 1500.0, "{:.0} Mo", peak_mb());
}

#[test]
fn mutated_mappings_and_profiles() {
    let mut rng = Rng::new(4);
    let mut seeds: Vec<(String, Vec<u8>)> = samples("mappings", &["toml"]);
    seeds.extend(samples("rules", &["toml"]));
    seeds.push((
        "clas.toml".into(),
        clas::workspace::CLAS_TOML.as_bytes().to_vec(),
    ));
    let until = Instant::now() + budget() / 2;
    let mut n = 0;
    while Instant::now() < until {
        let (name, bytes) = &seeds[rng.below(seeds.len())];
        let mut b = bytes.clone();
        mutate_bytes(&mut rng, &mut b);
        let Ok(text) = String::from_utf8(b) else {
            continue;
        };
        exercise_text(&text, name, "texte muté");
        n += 1;
    }
    eprintln!("correspondances, profils, configuration : {n} textes mutés, aucune panique");
}
