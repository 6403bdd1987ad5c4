//! `cargo bench --bench prefill`: 1,000 conventions generated from 500 bilans (two schools
//! each, one spelt two ways), then 500 letters and 100 pre-filled blank bilans; time and peak
//! memory (VmHWM of /proc/self/status, Linux).

use std::path::Path;
use std::time::Instant;

use clas::dictionary::FormKind;
use clas::extraction::{Extraction, Value};
use clas::findings::{Calendar, Context, check};
use clas::letters::{
    PrefillParams, RelanceParams, default_relance_template, prefill, prefill_bilan, relance,
};

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn set(x: &mut Extraction, id: &str, v: &str) {
    if let Some(f) = x.fields.iter_mut().find(|f| f.id == id) {
        f.value = Value::Text(v.to_string());
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("samples/centre-social-du-pin.json")).unwrap(),
    )
    .unwrap();
    let base = Extraction::from_json(
        FormKind::Bilan,
        "bilan-2021-lot-et-garonne",
        golden["fields"].as_object().unwrap(),
    );
    let bilans: Vec<Extraction> = (0..500)
        .map(|i| {
            let mut b = base.clone();
            set(&mut b, "porteur.nom", &format!("Association numéro {i}"));
            set(
                &mut b,
                "etablissements",
                &format!("école Jean Jaurès {i}, Ecole élémentaire J. Jaurès {i} et collège Paul Bert {i}"),
            );
            b
        })
        .collect();
    let template =
        std::fs::read(root.join("forms/convention.docx")).expect("forms/convention.docx");
    let params = PrefillParams {
        territoire: Some("Agen".into()),
        ville_caf: Some("Agen".into()),
        calendar: Calendar::embedded(),
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let before = peak_kib();

    let t = Instant::now();
    let report = prefill(&bilans, &params, &template, &dir.path().join("conventions")).unwrap();
    let conv = t.elapsed();
    assert_eq!(report.conventions.len(), 1000);
    let size: u64 = report
        .conventions
        .iter()
        .map(|c| std::fs::metadata(&c.file).unwrap().len())
        .sum();
    let after_conv = peak_kib();
    println!(
        "prefill : {} conventions en {:.2} s ({:.2} ms chacune, {:.1} Mo écrits, index compris)",
        report.conventions.len(),
        conv.as_secs_f64(),
        conv.as_secs_f64() * 1000.0 / report.conventions.len() as f64,
        size as f64 / 1e6
    );

    let ctx = Context::load("national", None, false).unwrap();
    let actions: Vec<_> = bilans
        .iter()
        .map(|b| (b.clone(), check(Some(b), None, None, &ctx)))
        .collect();
    let t = Instant::now();
    let letters = relance(
        &actions,
        &RelanceParams::default(),
        &default_relance_template(),
        &dir.path().join("relances"),
    )
    .unwrap();
    let rel = t.elapsed();
    println!(
        "relance : {} courriers en {:.2} s ({:.2} ms chacun)",
        letters.letters.len(),
        rel.as_secs_f64(),
        rel.as_secs_f64() * 1000.0 / letters.letters.len().max(1) as f64
    );

    let blank = std::fs::read(root.join("forms/bilan-clas.docx")).unwrap();
    let t = Instant::now();
    for b in bilans.iter().take(100) {
        std::hint::black_box(prefill_bilan(b, &blank).unwrap());
    }
    let pb = t.elapsed();
    println!(
        "prefill --bilan : 100 bilans pré-remplis en {:.2} s ({:.2} ms chacun)",
        pb.as_secs_f64(),
        pb.as_secs_f64() * 10.0
    );

    match (before, after_conv, peak_kib()) {
        (Some(b), Some(c), Some(end)) => println!(
            "mémoire de pointe (VmHWM) : {:.1} Mo avant, {:.1} Mo après les 1 000 conventions, {:.1} Mo à la fin",
            b as f64 / 1024.0,
            c as f64 / 1024.0,
            end as f64 / 1024.0
        ),
        _ => println!("mémoire de pointe : /proc/self/status indisponible"),
    }
}
