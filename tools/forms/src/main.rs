//! `cargo run -p clas-forms --release -- [ROOT] [--libreoffice]`
//!
//! Writes `ROOT/forms/*.docx` and `ROOT/samples/*` (ROOT: the current folder by default).
//! With `--libreoffice`, also re-saves one filled sample through LibreOffice into
//! `samples/<slug>-libreoffice.docx` with its golden JSON (that file is not reproducible
//! byte for byte: it is committed as produced).
//!
//! `clas-forms --synth N DIR` writes N synthetic filled bilans (random answers and filling
//! styles, reproducible from their number) with their golden JSON into DIR.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::{env, fs};

use clas_forms::bilan::{bilan_docx, golden_json};
use clas_forms::samples::{LIBREOFFICE_SOURCE, bilan_samples, generate};

fn libreoffice(root: &Path) -> Result<PathBuf, String> {
    let sample = bilan_samples()
        .into_iter()
        .find(|s| s.slug == LIBREOFFICE_SOURCE)
        .ok_or("LibreOffice source sample missing")?;
    let tmp = env::temp_dir().join(format!("clas-forms-lo-{}", std::process::id()));
    let input = tmp.join("in");
    let output = tmp.join("out");
    fs::create_dir_all(&input).map_err(|e| e.to_string())?;
    fs::create_dir_all(&output).map_err(|e| e.to_string())?;
    let name = format!("{}-libreoffice.docx", sample.slug);
    fs::copy(
        root.join("samples").join(format!("{}.docx", sample.slug)),
        input.join(&name),
    )
    .map_err(|e| format!("copy: {e}"))?;
    let profile = format!(
        "-env:UserInstallation=file://{}",
        tmp.join("profile").display()
    );
    let status = Command::new("soffice")
        .args([
            &profile,
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&output)
        .arg(input.join(&name))
        .status()
        .map_err(|e| format!("soffice: {e}"))?;
    let produced = output.join(&name);
    if !status.success() || !produced.exists() {
        return Err(format!("soffice failed ({status})"));
    }
    let dest = root.join("samples").join(&name);
    fs::copy(&produced, &dest).map_err(|e| format!("copy: {e}"))?;
    fs::write(
        root.join("samples")
            .join(format!("{}-libreoffice.json", sample.slug)),
        golden_json(&name, &sample.answers),
    )
    .map_err(|e| e.to_string())?;
    let _ = fs::remove_dir_all(&tmp);
    Ok(dest)
}

fn synth(n: u64, dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    for i in 1..=n {
        let (answers, style) = clas_forms::synth::synthetic(i);
        let file = format!("synth-{i:05}.docx");
        fs::write(dir.join(&file), bilan_docx(&answers, &style))?;
        fs::write(
            dir.join(format!("synth-{i:05}.json")),
            golden_json(&file, &answers),
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut root = PathBuf::from(".");
    let mut with_lo = false;
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--synth" => {
                let n = args.next().and_then(|n| n.parse::<u64>().ok());
                let dir = args.next();
                let (Some(n), Some(dir)) = (n, dir) else {
                    eprintln!("clas-forms: usage: --synth N DIR");
                    return ExitCode::from(2);
                };
                return match synth(n, Path::new(&dir)) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("clas-forms: {e}");
                        ExitCode::FAILURE
                    }
                };
            }
            "--libreoffice" => with_lo = true,
            "-h" | "--help" => {
                println!("usage: clas-forms [ROOT] [--libreoffice] | clas-forms --synth N DIR");
                return ExitCode::SUCCESS;
            }
            _ if arg.starts_with('-') => {
                eprintln!("clas-forms: unknown option {arg}");
                return ExitCode::from(2);
            }
            _ => root = PathBuf::from(arg),
        }
    }
    match generate(&root) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
        }
        Err(e) => {
            eprintln!("clas-forms: {e}");
            return ExitCode::FAILURE;
        }
    }
    if with_lo {
        match libreoffice(&root) {
            Ok(p) => println!("{}", p.display()),
            Err(e) => {
                eprintln!("clas-forms: --libreoffice: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
