//! `cargo run -p clas-letters -- [ROOT]`: writes `ROOT/forms/relance.docx` and
//! `ROOT/forms/verification.docx` (default: the current folder), exports of the default
//! letter templates of `clas relance` and `clas relance --avertissements`
//! (`clas::letters::default_relance_template` and `default_verification_template`, their only
//! source), for a Caf to copy into its workspace's `modeles/` and edit. clas itself does not read the file. The same bytes on every
//! run; `tests/documents.rs` checks the file in the repository is up to date.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    for (name, bytes) in [
        ("relance.docx", clas::letters::default_relance_template()),
        (
            "verification.docx",
            clas::letters::default_verification_template(),
        ),
    ] {
        let path = root.join("forms").join(name);
        if let Err(e) =
            std::fs::create_dir_all(root.join("forms")).and_then(|_| std::fs::write(&path, &bytes))
        {
            eprintln!("impossible d'écrire {} : {e}", path.display());
            return ExitCode::from(2);
        }
        println!("{} ({} octets)", path.display(), bytes.len());
    }
    ExitCode::SUCCESS
}
