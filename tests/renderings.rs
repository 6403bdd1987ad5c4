//! The project's own filled bilans after the tools porteurs really pass a PDF through, made at
//! test time with the real tools and read by the real binary, field by field against the
//! golden JSON:
//! - `gs -sDEVICE=pdfwrite` (what « print to PDF » drivers built on Ghostscript write: the
//!   ToUnicode entries of its ligatures are broken, `Di昀케culté`);
//! - `qpdf --object-streams=generate` and `qpdf --linearize` (optimised for the web);
//! - poppler's `pdftocairo -pdf` (a re-print by a poppler viewer);
//! - poppler's `pdftops` then Ghostscript's `ps2pdf` (printed through PostScript): the fonts
//!   lose what their glyphs mean, the text layer is garbage, and the expected result is the
//!   refusal « texte du PDF illisible : saisie manuelle nécessaire » (exit 2), not a form
//!   « non reconnu ».
//!
//! The sources are the Word samples exported to PDF by LibreOffice (`samples/*.docx`) and the
//! fillable bilans of `samples/pdf/` (AcroForm filled by pypdf). qpdf keeps their form fields
//! as they are; Ghostscript, pdftocairo and pdftops FLATTEN them: the /AcroForm is gone, each
//! field's appearance becomes page content (a ZapfDingbats tick in a small clipped square for
//! a ticked box, the square's border for an unticked one, clipped text runs for a text field),
//! which the reader takes as drawn check boxes and text, like LibreOffice's. Poppler (pdftocairo,
//! pdftops) draws only the ticked boxes' glyph, never an unticked box's border: those single
//! boxes are not on the page any more, and read `null` instead of `false` (listed in
//! [`POPPLER_UNDRAWN_BOXES`]). Printed through PostScript, these bilans keep a readable text
//! layer (standard fonts, WinAnsi): they are read, not refused.
//!
//! Each missing tool is said (`!!! … NON exécuté`) and its test skipped; `.ci/run` installs
//! them all (ghostscript, qpdf, poppler-utils, LibreOffice).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::*;

/// A command of the PATH, or `None` said loudly (the test that needs it is skipped).
fn tool(name: &str, package: &str, what: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        eprintln!("!!! {name} absent (paquet {package}) : {what} NON exécuté (la CI l'installe)");
    }
    found
}

/// A scratch folder of this test binary, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("renderings")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Word samples printed to PDF by LibreOffice, once for all the tests of this file:
/// (the PDF, the golden JSON of its sample). `None` without LibreOffice.
fn word_exports() -> Option<&'static [(PathBuf, serde_json::Value)]> {
    static EXPORTS: OnceLock<Option<Vec<(PathBuf, serde_json::Value)>>> = OnceLock::new();
    EXPORTS
        .get_or_init(|| {
            let soffice = clas::document::convert::soffice();
            let Some(soffice) = soffice else {
                eprintln!(
                    "!!! LibreOffice absent : échantillons Word exportés en PDF NON exécutés (la CI l'installe)"
                );
                return None;
            };
            let samples = with_golden(&repo().join("samples"), "docx");
            assert!(samples.len() >= 10, "échantillons Word introuvables");
            let dir = scratch("libreoffice");
            let status = Command::new(soffice)
                .arg(format!(
                    "-env:UserInstallation=file://{}",
                    dir.join("profil").display()
                ))
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(&dir)
                .args(samples.iter().map(|(p, _)| p))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "LibreOffice n'a pas exporté les échantillons");
            Some(
                samples
                    .into_iter()
                    .map(|(p, golden)| (dir.join(p.with_extension("pdf").file_name().unwrap()), golden))
                    .collect(),
            )
        })
        .as_deref()
}

/// The fillable bilans filled by another tool, with their golden JSON.
fn fillable_bilans() -> Vec<(PathBuf, serde_json::Value)> {
    let samples = with_golden(&repo().join("samples/pdf"), "pdf");
    assert!(
        samples.len() >= 4,
        "PDF remplis introuvables dans samples/pdf"
    );
    samples
}

/// The single check boxes of the fillable bilans that are unticked (`false` in the golden
/// JSON) and that poppler does not draw when it flattens the form (pdftocairo, pdftops): the
/// page shows the option's label and no box, so they read `null`. Every other field of these
/// re-prints reads as the original.
const POPPLER_UNDRAWN_BOXES: &[(&str, &[&str])] = &[
    (
        "bilan-centre-social-rive-gauche.pdf",
        &["local.associatif", "zonage.rep", "zonage.politique_ville"],
    ),
    (
        "bilan-les-petits-savants.pdf",
        &["local.municipal", "local.scolaire", "zonage.pre"],
    ),
    (
        "bilan-les-petits-savants-chiffre.pdf",
        &["local.municipal", "local.scolaire", "zonage.pre"],
    ),
    (
        "bilan-mjc-nerac.pdf",
        &[
            "local.municipal",
            "local.scolaire",
            "zonage.rep",
            "zonage.pre",
            "zonage.politique_ville",
        ],
    ),
];

/// The fillable bilans with the golden JSON of what poppler's flattening leaves readable:
/// the boxes of [`POPPLER_UNDRAWN_BOXES`] (each `false` in the golden, checked) read `null`.
fn fillable_bilans_as_poppler_draws_them() -> Vec<(PathBuf, serde_json::Value)> {
    let mut samples = fillable_bilans();
    for (pdf, golden) in &mut samples {
        let name = pdf.file_name().unwrap().to_string_lossy().to_string();
        let (_, undrawn) = POPPLER_UNDRAWN_BOXES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} absent de POPPLER_UNDRAWN_BOXES"));
        for field in *undrawn {
            let value = &mut golden["fields"][*field];
            assert_eq!(
                *value,
                serde_json::Value::Bool(false),
                "{name} : {field} n'est pas une case non cochée"
            );
            *value = serde_json::Value::Null;
        }
    }
    samples
}

/// Runs `program args… input output` (or what `args` builds) for each source into `dir`,
/// keeping the source's file name; panics naming the file when the tool fails.
fn render(
    sources: &[(PathBuf, serde_json::Value)],
    dir: &Path,
    command: impl Fn(&Path, &Path) -> Command,
) -> Vec<(PathBuf, serde_json::Value)> {
    sources
        .iter()
        .map(|(src, golden)| {
            let out = dir.join(src.file_name().unwrap());
            let result = command(src, &out)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output()
                .unwrap();
            assert!(
                result.status.success() && out.is_file(),
                "{} non converti : {}",
                src.display(),
                String::from_utf8_lossy(&result.stderr)
            );
            (out, golden.clone())
        })
        .collect()
}

fn ghostscript(gs: &Path, src: &Path, out: &Path) -> Command {
    let mut c = Command::new(gs);
    c.args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite"])
        .arg(format!("-sOutputFile={}", out.display()))
        .arg(src);
    c
}

#[test]
fn ghostscript_reprints_read_the_same() {
    let Some(gs) = tool(
        "gs",
        "ghostscript",
        "test des PDF réimprimés par Ghostscript",
    ) else {
        return;
    };
    let dir = scratch("ghostscript");
    // The fillable bilans, flattened: every field reads as in the original.
    let flattened = render(&fillable_bilans(), &dir, |src, out| {
        ghostscript(&gs, src, out)
    });
    check_goldens(&flattened, |p| p.to_path_buf());
    let Some(exports) = word_exports() else {
        return;
    };
    // The samples have ligatures in their answers (« difficiles », « significatif »,
    // « effectif ») and in the form's labels (« Difficulté scolaire »): these must read as
    // letters for the fields to match.
    let text: String = exports.iter().map(|(_, g)| g.to_string()).collect();
    for word in ["difficile", "significatif", "effectif", "fin d"] {
        assert!(
            text.contains(word),
            "« {word} » absent des réponses attendues"
        );
    }
    let reprints = render(exports, &dir, |src, out| ghostscript(&gs, src, out));
    // Ghostscript wrote its broken ligature entries (or this test proves nothing).
    let broken = reprints.iter().any(|(p, _)| {
        let mut c = Command::new(&gs);
        c.args([
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=txtwrite",
            "-sOutputFile=-",
        ])
        .arg(p);
        c.output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains('昀'))
            .unwrap_or(false)
    });
    if !broken {
        eprintln!("(cette version de Ghostscript écrit des ligatures correctes)");
    }
    check_goldens(&reprints, |p| p.to_path_buf());
}

#[test]
fn qpdf_rewrites_read_the_same() {
    let Some(qpdf) = tool("qpdf", "qpdf", "test des PDF réécrits par qpdf") else {
        return;
    };
    let mut sources = fillable_bilans();
    if let Some(exports) = word_exports() {
        sources.extend(exports.iter().cloned());
    }
    for (name, args) in [
        ("qpdf-object-streams", &["--object-streams=generate"][..]),
        ("qpdf-linearize", &["--linearize"]),
    ] {
        let dir = scratch(name);
        let rewrites = render(&sources, &dir, |src, out| {
            let mut c = Command::new(&qpdf);
            c.args(args).arg(src).arg(out);
            c
        });
        check_goldens(&rewrites, |p| p.to_path_buf());
    }
}

#[test]
fn pdftocairo_reprints_read_the_same() {
    let Some(cairo) = tool(
        "pdftocairo",
        "poppler-utils",
        "test des PDF réimprimés par pdftocairo",
    ) else {
        return;
    };
    let dir = scratch("pdftocairo");
    let reprint = |src: &Path, out: &Path| {
        let mut c = Command::new(&cairo);
        c.arg("-pdf").arg(src).arg(out);
        c
    };
    // The fillable bilans, flattened: the ticks are glyphs of URW's ZapfDingbats (D050000L).
    let flattened = render(&fillable_bilans_as_poppler_draws_them(), &dir, reprint);
    check_goldens(&flattened, |p| p.to_path_buf());
    let Some(exports) = word_exports() else {
        return;
    };
    let reprints = render(exports, &dir, reprint);
    check_goldens(&reprints, |p| p.to_path_buf());
}

/// Printed through PostScript, the Word exports keep their look but not their text: each is
/// refused like a scan, naming the file. The fillable bilans, in standard fonts, keep their
/// text and are read (the near miss of that refusal). The other near miss: a readable PDF that is not a form
/// stays « formulaire non reconnu », and so does its Ghostscript re-print.
#[test]
fn postscript_reprints_are_refused_like_scans() {
    let Some(pdftops) = tool(
        "pdftops",
        "poppler-utils",
        "test des PDF passés par PostScript",
    ) else {
        return;
    };
    let Some(ps2pdf) = tool(
        "ps2pdf",
        "ghostscript",
        "test des PDF passés par PostScript",
    ) else {
        return;
    };
    let dir = scratch("postscript");
    let through_postscript = |src: &Path, out: &Path| {
        let ps = out.with_extension("ps");
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(r#""$0" "$1" "$2" && "$3" "$2" "$4""#)
            .arg(&pdftops)
            .arg(src)
            .arg(&ps)
            .arg(&ps2pdf)
            .arg(out);
        c
    };
    // The fillable bilans keep a readable text layer (standard fonts): they are read.
    let flattened = render(
        &fillable_bilans_as_poppler_draws_them(),
        &dir,
        through_postscript,
    );
    check_goldens(&flattened, |p| p.to_path_buf());
    let Some(exports) = word_exports() else {
        return;
    };
    let reprints = render(exports, &dir, through_postscript);
    let mut problems = Vec::new();
    let mut check = |pdf: &Path, want: &str| {
        let out = run(
            &["extract", "--json", pdf.to_str().unwrap()],
            pdf.parent().unwrap(),
        );
        let err = stderr(&out);
        let name = pdf.file_name().unwrap().to_string_lossy().to_string();
        if out.status.code() != Some(2) || !err.contains(&name) || !err.contains(want) {
            problems.push(format!(
                "{name} : code {:?}, attendu 2 et « {want} » : {}",
                out.status.code(),
                err.trim()
            ));
        }
    };
    for (pdf, _) in &reprints {
        check(pdf, "texte du PDF illisible : saisie manuelle nécessaire");
    }
    let not_a_form = repo().join("samples/pdf/refus-pas-un-formulaire.pdf");
    check(&not_a_form, "formulaire non reconnu");
    if let Some(gs) = tool(
        "gs",
        "ghostscript",
        "contre-exemple réimprimé par Ghostscript",
    ) {
        let reprinted = dir.join("facture-reimprimee.pdf");
        let status = ghostscript(&gs, &not_a_form, &reprinted).status().unwrap();
        assert!(status.success());
        check(&reprinted, "formulaire non reconnu");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
