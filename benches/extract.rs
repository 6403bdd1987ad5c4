//! `cargo bench --bench extract`: how long reading and extracting one form takes.
//!
//! A plain timing loop (no framework): each sample is read from memory many times and the
//! median of several rounds is printed, per file and overall.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let mappings = clas::mapping::load(None).expect("embedded mappings");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("samples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    files.insert(0, root.join("forms/bilan-clas.docx"));
    println!(
        "{:<48} {:>8} {:>12} {:>12}",
        "fichier", "Ko", "lecture µs", "+extraction µs"
    );
    let mut total_bytes = 0usize;
    let mut total_time = 0f64;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let read = median_us(|| {
            black_box(clas::document::read_bytes(black_box(&bytes), path).unwrap());
        });
        let full = median_us(|| {
            let doc = clas::document::read_bytes(black_box(&bytes), path).unwrap();
            black_box(clas::pipeline::extract_document(doc, &mappings).ok());
        });
        total_bytes += bytes.len();
        total_time += full;
        println!(
            "{:<48} {:>8.1} {:>12.1} {:>12.1}",
            path.file_name().unwrap().to_string_lossy(),
            bytes.len() as f64 / 1024.0,
            read,
            full
        );
    }
    println!(
        "moyenne : {:.1} µs par document ({:.0} documents/s sur un cœur, {:.1} Mo/s)",
        total_time / files.len() as f64,
        files.len() as f64 / total_time * 1e6,
        total_bytes as f64 / total_time
    );
}

/// Median over 7 rounds of the mean time of one call, in microseconds.
fn median_us(mut f: impl FnMut()) -> f64 {
    for _ in 0..20 {
        f();
    }
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let n = 200;
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[3]
}
