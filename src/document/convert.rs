//! .doc, .odt and .rtf files are converted to .docx by LibreOffice, then read as Word files.
//! LibreOffice is the one converter that reads all three faithfully, legacy check boxes included.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::ReadError;

const TIMEOUT: Duration = Duration::from_secs(120);

/// The installed LibreOffice, if any.
pub fn soffice() -> Option<PathBuf> {
    let names = ["soffice", "libreoffice"];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Converts `bytes` (a file named like `original`) to .docx and returns the .docx bytes.
pub(crate) fn to_docx(bytes: &[u8], original: &Path) -> Result<Vec<u8>, ReadError> {
    let ext = original
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("doc")
        .to_lowercase();
    let Some(soffice) = soffice() else {
        return Err(ReadError::Other(format!(
            "les fichiers .{ext} sont lus grâce à LibreOffice, qui n'est pas installé : installez LibreOffice (paquet libreoffice-writer) ou enregistrez le fichier au format .docx depuis Word"
        )));
    };
    let work = std::env::temp_dir().join(format!(
        "clas-conversion-{}-{}",
        std::process::id(),
        unique()
    ));
    let _cleanup = Cleanup(work.clone());
    std::fs::create_dir_all(work.join("out"))?;
    let input = work.join(format!("document.{ext}"));
    std::fs::write(&input, bytes)?;
    // A profile of its own, so that a LibreOffice open on the desktop does not block us.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        work.join("profil").display()
    );
    let mut child = Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(work.join("out"))
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let started = Instant::now();
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::Other(format!(
                "conversion .{ext} → .docx par LibreOffice trop longue (plus de {} s)",
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read(work.join("out/document.docx")).map_err(|_| {
        ReadError::Corrupt(format!(
            "LibreOffice n'a pas pu convertir ce fichier .{ext} (fichier endommagé ?)"
        ))
    })
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
