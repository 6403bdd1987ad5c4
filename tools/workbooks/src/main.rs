//! `clas-workbooks`: writes the attendance template `forms/cahier-presence.xlsx` and the sample
//! workbooks `samples/presence/*.xlsx` with their golden JSON, reproducibly (the same bytes on
//! every run).
//!
//!     cargo run -p clas-workbooks --release -- <racine du dépôt> [--libreoffice]
//!
//! With `--libreoffice`, each sample is also converted to .ods and .xls with LibreOffice
//! (`soffice --headless --convert-to`); those twins are committed, since LibreOffice does not
//! write the same bytes twice, and must read to the same figures as their .xlsx.

mod model;
mod samples;
mod sheets;

use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use model::Mark;
use sheets::{Formats, Header};

fn properties(title: &str) -> Result<DocProperties, XlsxError> {
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("clas")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 9, 1)?))
}

fn main() {
    let mut root = None;
    let mut libreoffice = false;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--libreoffice" => libreoffice = true,
            _ if root.is_none() => root = Some(PathBuf::from(a)),
            other => {
                eprintln!("clas-workbooks : argument inattendu « {other} »");
                std::process::exit(2);
            }
        }
    }
    let Some(root) = root else {
        eprintln!("usage : clas-workbooks <racine du dépôt> [--libreoffice]");
        std::process::exit(2);
    };
    if let Err(e) = run(&root, libreoffice) {
        eprintln!("clas-workbooks : {e}");
        std::process::exit(1);
    }
}

fn run(root: &Path, libreoffice: bool) -> Result<(), Box<dyn std::error::Error>> {
    let forms = root.join("forms");
    let dir = root.join("samples/presence");
    std::fs::create_dir_all(&forms)?;
    std::fs::create_dir_all(&dir)?;
    let fm = Formats::new();

    let mut wb = Workbook::new();
    wb.set_properties(&properties("Cahier de présence CLAS")?);
    sheets::template(&mut wb, &fm)?;
    wb.save(forms.join("cahier-presence.xlsx"))?;
    println!("forms/cahier-presence.xlsx");

    let mut readme = String::from(
        "# Cahiers de présence d'exemple\n\n\
         Écrits par `cargo run -p clas-workbooks --release -- .` depuis la racine du dépôt\n\
         (porteurs et enfants fictifs : données de test), octet pour octet à l'identique. Chaque\n\
         `.xlsx` a, à côté, ce que `clas extract --json` doit afficher (`.json`, calculé par le\n\
         générateur et non relu dans le fichier), et ses jumeaux `.ods` et `.xls` convertis par\n\
         LibreOffice (`-- . --libreoffice`), qui doivent donner exactement la même lecture.\n\n\
         Quatre cahiers accompagnent un bilan de `samples/` (même porteur, même action, mêmes\n\
         collectifs et effectifs, même période) : `clas validate samples/<nom>.docx\n\
         samples/presence/<nom>.xlsx` contrôle les deux ensemble. Les écarts de semaines\n\
         (`presence.semaines`) y sont voulus là où le bilan déclare plus de semaines que le\n\
         calendrier scolaire 2025-2026 (zone A) n'en permet.\n\n\
         | fichier | porteur, action | ce qu'il couvre |\n| --- | --- | --- |\n",
    );
    for mut s in samples::all() {
        // Unreadable marks are not counted: the model leaves them out.
        for (gi, ci, si, _) in &s.style.bad_marks {
            s.groups[*gi].children[*ci].marks[*si] = None;
        }
        let mut wb = Workbook::new();
        wb.set_properties(&properties(&format!("Cahier de présence – {}", s.porteur))?);
        if s.instructions {
            sheets::instructions(&mut wb, &fm)?;
        }
        let header = Header {
            porteur: s.porteur,
            action: s.action,
            annee: samples::ANNEE,
        };
        // Restore the bad marks' places for writing: the writer puts the text there.
        let mut warnings = Vec::new();
        for (gi, g) in s.groups.iter().enumerate() {
            warnings.push(sheets::write_group(&mut wb, g, gi, &header, &s.style, &fm)?);
        }
        if s.style.recap {
            sheets::recap(&mut wb, &s.groups, &fm)?;
        }
        let file = format!("{}.xlsx", s.name);
        wb.save(dir.join(&file))?;
        let golden = model::golden(
            &format!("samples/presence/{file}"),
            Some(s.porteur),
            Some(s.action),
            &s.groups,
            &warnings,
            samples::DEFAULT_H,
        );
        std::fs::write(dir.join(format!("{}.json", s.name)), golden)?;
        readme.push_str(&format!(
            "| `{}` | {}, action {} | {} |\n",
            s.name, s.porteur, s.action, s.about
        ));
        let marks: usize = s
            .groups
            .iter()
            .flat_map(|g| &g.children)
            .map(|c| {
                c.marks
                    .iter()
                    .filter(|m| matches!(m, Some(Mark::P | Mark::A | Mark::E)))
                    .count()
            })
            .sum();
        println!(
            "samples/presence/{file} ({} collectif(s), {marks} marques)",
            s.groups.len()
        );
    }
    std::fs::write(dir.join("README.md"), readme)?;

    if libreoffice {
        convert_all(&dir)?;
    }
    Ok(())
}

/// Converts every sample .xlsx to .ods and .xls with LibreOffice, in a private profile so as
/// not to collide with another LibreOffice running on the machine.
fn convert_all(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let profile = std::env::temp_dir().join(format!("clas-workbooks-lo-{}", std::process::id()));
    let profile_url = format!("file://{}", profile.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    for (ext, filter) in [("ods", "ods"), ("xls", "xls:MS Excel 97")] {
        let status = Command::new("soffice")
            .arg(format!("-env:UserInstallation={profile_url}"))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                filter,
                "--outdir",
            ])
            .arg(dir)
            .args(&files)
            .status()?;
        if !status.success() {
            return Err(
                format!("LibreOffice n'a pas converti les classeurs en .{ext} ({status})").into(),
            );
        }
        println!("{} classeur(s) convertis en .{ext}", files.len());
    }
    let _ = std::fs::remove_dir_all(&profile);
    Ok(())
}
