//! `cargo bench --bench synthesis`: the departmental synthesis of a whole country's year,
//! 3,000 actions (half of them with an attendance workbook), their findings, 600 notes
//! stratégiques and 5,000 source documents: time and peak memory.
//!
//! A plain program (no framework): builds the synthetic inputs, writes the workbook three
//! times, prints the median wall-clock time, the CPU time per write (the figure to trust on a
//! busy machine), the file size, and the peak resident memory (VmHWM, from /proc/self/status,
//! reset through /proc/self/clear_refs before writing so that it measures the writer and not
//! the inputs).

use std::hint::black_box;
use std::time::Instant;

use clas::dictionary::{FieldType, FormKind, fields};
use clas::extraction::Extraction;
use clas::findings::{Finding, Severity};
use clas::synthesis::{self, Action, Attendance, Input, Note, SourceDoc, Stamp};
use clas::values::Date;
use serde_json::{Map, Value as Json, json};

const ACTIONS: usize = 3_000;
const NOTES: usize = 600;

/// A small deterministic generator (xorshift), so that every run writes the same workbook.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const RULES: [(&str, Severity); 8] = [
    ("duree.semaines", Severity::Error),
    ("coherence.enfants", Severity::Error),
    ("axe.parents", Severity::Error),
    ("calendrier.periode", Severity::Warning),
    ("reponse.manquante", Severity::Warning),
    ("format.contact", Severity::Warning),
    ("presence.effectif", Severity::Warning),
    ("presence.assiduite", Severity::Info),
];

fn action(i: usize, rng: &mut Rng) -> Action {
    let mut m = Map::new();
    for def in fields(FormKind::Bilan) {
        let v = match def.kind {
            FieldType::Yesno => match rng.below(10) {
                0 => Json::Null,
                1 | 2 => json!(false),
                _ => json!(true),
            },
            FieldType::Check => json!(rng.below(3) == 0),
            FieldType::Text => json!(format!(
                "Réponse {i} à « {} », sur plusieurs mots comme l'écrivent les porteurs.",
                def.id
            )),
            _ => Json::Null,
        };
        m.insert(def.id.clone(), v);
    }
    let levels = [rng.below(25), rng.below(20), rng.below(6), rng.below(3)];
    let total: u64 = levels.iter().sum();
    let interv = [1 + rng.below(3), rng.below(2), rng.below(4)];
    let hours = [
        interv[0] as f64 * 60.0,
        interv[1] as f64 * 45.5,
        interv[2] as f64 * 30.0,
    ];
    let set = [
        ("porteur.nom", json!(format!("Association n° {}", i / 2))),
        ("action.numero", json!(format!("{}", 1 + i % 2))),
        ("calendrier.debut", json!("2025-11-03")),
        ("calendrier.fin", json!("2026-06-12")),
        ("calendrier.semaines", json!(24 + rng.below(10))),
        ("enfants.elementaire", json!(levels[0])),
        ("enfants.college", json!(levels[1])),
        ("enfants.lycee", json!(levels[2])),
        ("enfants.autres", json!(levels[3])),
        ("enfants.total", json!(total)),
        ("collectifs.nombre", json!(1 + total / 12)),
        ("familles.nombre", json!(total * 4 / 5)),
        ("intervenants.salaries", json!(interv[0])),
        ("intervenants.volontaires", json!(interv[1])),
        ("intervenants.benevoles", json!(interv[2])),
        ("intervenants.total", json!(interv.iter().sum::<u64>())),
        ("heures.salaries", json!(hours[0])),
        ("heures.volontaires", json!(hours[1])),
        ("heures.benevoles", json!(hours[2])),
        ("heures.total", json!(hours.iter().sum::<f64>())),
        ("enfants.par_accompagnateur", json!(4.5)),
    ];
    for (k, v) in set {
        m.insert(k.into(), v);
    }
    let version = if i.is_multiple_of(3) {
        "bilan-2021-lot-et-garonne"
    } else {
        "bilan-2024-national"
    };
    // The attendance workbook as the store keeps it (JSON): 2 collectifs of 10 children, 60
    // sessions (Monday and Tuesday, 30 weeks).
    let presence = i.is_multiple_of(2).then(|| {
        let monday = Date::new(2025, 11, 3).unwrap().days();
        let seances: Vec<Json> = (0..60)
            .map(|k| {
                let date = Date::from_days(monday + k / 2 * 7 + k % 2);
                json!({"date": date.to_string(), "duree_h": 1.5})
            })
            .collect();
        let collectifs: Vec<Json> = (0..2)
            .map(|c| {
                let enfants: Vec<Json> = (0..10)
                    .map(|e| {
                        let present = rng.below(61);
                        let missed = 60 - present;
                        json!({
                            "nom": format!("Nom{i}x{c}x{e}"), "prenom": format!("Prénom{e}"),
                            "niveau": "CM1", "etablissement": "École", "present": present,
                            "absent": missed / 2, "excuse": missed - missed / 2
                        })
                    })
                    .collect();
                json!({"nom": format!("Collectif {}", c + 1), "seances": seances, "enfants": enfants})
            })
            .collect();
        clas::store::extraction_from_json(&json!({
            "form": "presence",
            "mapping": "presence-reference",
            "fields": {"porteur.nom": m["porteur.nom"], "action.numero": m["action.numero"]},
            "collectifs": collectifs,
        }))
        .expect("extraction du cahier de présence")
    });
    let findings = (0..rng.below(6))
        .map(|_| {
            let (rule, severity) = RULES[rng.below(RULES.len() as u64) as usize];
            std::sync::Arc::new(Finding {
                rule: rule.into(),
                severity,
                fields: vec!["enfants.total".into(), "collectifs.nombre".into()],
                message: format!("{rule} : valeur trouvée, valeur attendue (Référentiel national)"),
            })
        })
        .collect();
    Action {
        bilan: Extraction::from_json(FormKind::Bilan, version, &m).into(),
        presence: presence.map(|x| Attendance::new(x, 0.5)),
        findings,
        source_file: format!("bilan-{i:05}.docx"),
        received: format!("2026-01-{:02}T{:02}:15:00", 1 + i % 28, 8 + i % 10),
        form_version: version.into(),
    }
}

fn note(i: usize, rng: &mut Rng) -> Note {
    let rows: Vec<Json> = (0..6)
        .map(|k| {
            let niveau = ["elementaire", "college", "lycee"][k % 3];
            json!({
                "niveau": niveau,
                "etablissement": format!("Établissement {i}-{k}"),
                "etude": rng.below(40), "ecole_ouverte": rng.below(20),
                "accompagnement_educatif": rng.below(30), "stage_reussite": null,
                "pre": rng.below(10), "pre_qpv": rng.below(5), "clas": rng.below(25),
                "clas_qpv": rng.below(10), "autre": null
            })
        })
        .collect();
    let mut m = Map::new();
    m.insert("territoire.nom".into(), json!(format!("Territoire {i}")));
    m.insert("dispositifs".into(), Json::Array(rows));
    Note {
        extraction: Extraction::from_json(FormKind::NoteStrategique, "note-2024", &m),
        findings: vec![],
        source_file: format!("note-{i:04}.docx"),
    }
}

fn input() -> Input {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let actions: Vec<Action> = (0..ACTIONS).map(|i| action(i, &mut rng)).collect();
    let notes: Vec<Note> = (0..NOTES).map(|i| note(i, &mut rng)).collect();
    let mut sources: Vec<SourceDoc> = Vec::new();
    for a in &actions {
        sources.push(SourceDoc {
            file: a.source_file.clone(),
            hash: format!("{:064x}", rng.next()),
            received: a.received.clone(),
            form: "bilan".into(),
            form_version: a.form_version.clone(),
            status: "archivé".into(),
            current: true,
        });
    }
    for i in 0..(5_000 - ACTIONS) {
        sources.push(SourceDoc {
            file: format!("ancienne-version-{i}.docx"),
            hash: format!("{:064x}", rng.next()),
            received: "2025-12-01".into(),
            form: "bilan".into(),
            form_version: "bilan-2024-national".into(),
            status: if i % 10 == 0 { "rejeté" } else { "archivé" }.into(),
            current: false,
        });
    }
    Input {
        corrections: Vec::new(),
        seuil_assiduite: 0.5,
        title: "Synthèse nationale CLAS 2025-2026 (banc d'essai)".into(),
        generated: Stamp::parse("2026-07-01T09:00:00").unwrap(),
        actions,
        notes,
        sources,
    }
}

/// A line of /proc/self/status, in kB.
fn status_kb(key: &str) -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    let t = Instant::now();
    let input = input();
    let build_inputs = t.elapsed();
    let rss_inputs = status_kb("VmRSS:");
    // Reset the peak to the current RSS (Linux ≥ 4.0), so that it measures the writer.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthese.xlsx");
    let mut times = Vec::new();
    let cpu_before = cpu_seconds();
    for _ in 0..3 {
        let t = Instant::now();
        black_box(synthesis::write(black_box(&input), &path).unwrap());
        times.push(t.elapsed().as_secs_f64());
    }
    let cpu = cpu_seconds().zip(cpu_before).map(|(a, b)| (a - b) / 3.0);
    times.sort_by(f64::total_cmp);
    let size = std::fs::metadata(&path).unwrap().len();
    let hwm = status_kb("VmHWM:");

    println!(
        "synthèse de {} actions ({} avec cahier de présence, {} constats), {} notes, {} sources",
        input.actions.len(),
        input
            .actions
            .iter()
            .filter(|a| a.presence.is_some())
            .count(),
        input
            .actions
            .iter()
            .map(|a| a.findings.len())
            .sum::<usize>(),
        input.notes.len(),
        input.sources.len()
    );
    println!(
        "  entrées construites en {:.2} s, mémoire résidente alors : {}",
        build_inputs.as_secs_f64(),
        mb(rss_inputs)
    );
    println!(
        "  écriture du classeur : médiane {:.2} s (min {:.2} s, max {:.2} s sur 3), fichier de {:.1} Mo",
        times[1],
        times[0],
        times[2],
        size as f64 / 1e6
    );
    if let Some(cpu) = cpu {
        println!(
            "  temps processeur par écriture : {cpu:.2} s (ce que coûte la synthèse, machine chargée ou non)"
        );
    }
    println!(
        "  pic de mémoire résidente (VmHWM){} : {}",
        if reset {
            " pendant l'écriture, entrées comprises"
        } else {
            " du processus"
        },
        mb(hwm)
    );
}

/// User and system CPU time of the process, from /proc/self/stat (clock ticks of 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn mb(kb: Option<u64>) -> String {
    kb.map(|k| format!("{:.0} Mo", k as f64 / 1024.0))
        .unwrap_or_else(|| "inconnue (pas de /proc)".into())
}
