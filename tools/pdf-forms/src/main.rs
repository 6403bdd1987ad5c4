//! `clas-pdf-forms`: writes `forms/bilan-clas.pdf`, the bilan CLAS as a fillable PDF
//! (AcroForm): the form's wording in its order, a text field after each question where the
//! respondent writes, and a check box widget after « oui », after « non » and after each
//! single box. Reproducible: the same bytes on every run.
//!
//! Usage: `cargo run -p clas-pdf-forms --release -- <repo root>`

mod bilan;
mod writer;

use std::path::PathBuf;

fn main() {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = root.join("forms");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("clas-pdf-forms : {} : {e}", dir.display());
        std::process::exit(1);
    }
    let bytes = writer::bilan_pdf(bilan::BILAN);
    let path = dir.join("bilan-clas.pdf");
    match std::fs::write(&path, &bytes) {
        Ok(()) => println!("{} ({} octets)", path.display(), bytes.len()),
        Err(e) => {
            eprintln!("clas-pdf-forms : {} : {e}", path.display());
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_form_is_what_the_generator_writes() {
        let bytes = writer::bilan_pdf(bilan::BILAN);
        assert!(
            bytes == writer::bilan_pdf(bilan::BILAN),
            "deux exécutions, deux fichiers"
        );
        let committed = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../forms/bilan-clas.pdf"),
        )
        .expect("forms/bilan-clas.pdf");
        assert!(
            committed == bytes,
            "forms/bilan-clas.pdf n'est pas à jour : cargo run -p clas-pdf-forms --release -- . \
             puis python3 tools/pdf-forms/fill_with_pypdf.py"
        );
    }

    #[test]
    fn every_question_has_its_field() {
        use bilan::Block::*;
        let (mut texts, mut checks, mut pairs) = (0, 0, 0);
        for b in bilan::BILAN {
            match b {
                Field(..) => texts += 1,
                Check(..) => checks += 1,
                YesNo(..) => pairs += 1,
                _ => {}
            }
        }
        assert_eq!((texts, checks, pairs), (43, 6, 49));
    }
}
