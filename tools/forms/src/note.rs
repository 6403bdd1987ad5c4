//! The note unique stratégique d'organisation (seed 002), blank or filled, and its golden
//! JSON (dictionaries/note-strategique-fields.csv and note-strategique.md).

use serde_json::Value as Json;

use crate::bilan::BoxStyle;
use crate::docx::{Cell, Core, LegacyBox, PPr, Package, RPr, Writer, run, run_rsid};
use crate::french::{DateStyle, Ymd, format_date};
use crate::{FORM_RSID, Golden, write_golden};

/// The three school levels of the dispositifs table.
pub const NIVEAUX: [(&str, &str, &str); 3] = [
    ("elementaire", "NIVEAU ELEMENTAIRE", "TOTAL ELEMENTAIRE"),
    ("college", "NIVEAU COLLEGE", "TOTAL COLLEGE"),
    ("lycee", "NIVEAU LYCEE", "TOTAL LYCEE"),
];

/// Column keys after `etablissement`, in table order.
pub const COLUMNS: [&str; 9] = [
    "etude",
    "ecole_ouverte",
    "accompagnement_educatif",
    "stage_reussite",
    "pre",
    "pre_qpv",
    "clas",
    "clas_qpv",
    "autre",
];

/// Empty establishment rows of each level in the blank form.
pub const BLANK_ROWS: [usize; 3] = [4, 4, 3];

/// One establishment row: its name and the nine counts (None: cell left empty).
#[derive(Clone, Debug)]
pub struct DispRow {
    pub etablissement: String,
    pub values: [Option<i64>; 9],
}

impl DispRow {
    pub fn new(etablissement: &str, values: [Option<i64>; 9]) -> DispRow {
        DispRow {
            etablissement: etablissement.to_string(),
            values,
        }
    }
}

/// What the TOTAL row of a level says.
#[derive(Clone, Debug)]
pub enum TotalRow {
    /// The column sums (empty where every row is empty).
    Correct,
    /// Left empty.
    Empty,
    /// As written (possibly wrong).
    Written([Option<i64>; 9]),
}

/// A filled note stratégique.
#[derive(Clone, Debug)]
pub struct NoteAnswers {
    pub territoire: Option<String>,
    pub concertation: Option<Ymd>,
    /// What is written on the « Coordonnateur communal CLAS : » line (not a field).
    pub coordonnateur_ligne: Option<String>,
    pub nom: Option<String>,
    pub fonction: Option<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
    /// contrat de ville, PEDT, CTG: Some(true) = OUI ticked.
    pub inscription: [Option<bool>; 3],
    /// Lines of the articulation box.
    pub articulation: Option<String>,
    /// Establishment rows per level (elementaire, college, lycee).
    pub rows: [Vec<DispRow>; 3],
    pub totals: [TotalRow; 3],
    pub complements: Option<String>,
}

impl NoteAnswers {
    pub fn blank() -> NoteAnswers {
        NoteAnswers {
            territoire: None,
            concertation: None,
            coordonnateur_ligne: None,
            nom: None,
            fonction: None,
            telephone: None,
            email: None,
            inscription: [None; 3],
            articulation: None,
            rows: [Vec::new(), Vec::new(), Vec::new()],
            totals: [TotalRow::Empty, TotalRow::Empty, TotalRow::Empty],
            complements: None,
        }
    }

    /// Column sums of a level (None where no row has a value).
    pub fn sums(&self, level: usize) -> [Option<i64>; 9] {
        let mut out = [None; 9];
        for row in &self.rows[level] {
            for (c, v) in row.values.iter().enumerate() {
                if let Some(v) = v {
                    out[c] = Some(out[c].unwrap_or(0) + v);
                }
            }
        }
        out
    }

    /// The TOTAL row as written.
    pub fn total_written(&self, level: usize) -> [Option<i64>; 9] {
        match &self.totals[level] {
            TotalRow::Correct => self.sums(level),
            TotalRow::Empty => [None; 9],
            TotalRow::Written(v) => *v,
        }
    }

    pub fn golden(&self) -> Vec<(&'static str, Golden)> {
        let s =
            |o: &Option<String>| Golden::Scalar(o.as_deref().map(Json::from).unwrap_or(Json::Null));
        let b = |o: Option<bool>| Golden::Scalar(o.map(Json::Bool).unwrap_or(Json::Null));
        let mut rows = Vec::new();
        for (level, (niveau, _, _)) in NIVEAUX.iter().enumerate() {
            for r in &self.rows[level] {
                let mut obj: Vec<(&'static str, Json)> = vec![
                    ("niveau", Json::from(*niveau)),
                    ("etablissement", Json::from(r.etablissement.as_str())),
                ];
                for (k, v) in COLUMNS.iter().zip(r.values) {
                    obj.push((k, v.map(Json::from).unwrap_or(Json::Null)));
                }
                rows.push(obj);
            }
        }
        vec![
            ("territoire.nom", s(&self.territoire)),
            (
                "concertation.date",
                Golden::Scalar(
                    self.concertation
                        .map(|d| Json::from(d.iso()))
                        .unwrap_or(Json::Null),
                ),
            ),
            ("coordonnateur.nom", s(&self.nom)),
            ("coordonnateur.fonction", s(&self.fonction)),
            ("coordonnateur.telephone", s(&self.telephone)),
            ("coordonnateur.email", s(&self.email)),
            ("inscription.contrat_ville", b(self.inscription[0])),
            ("inscription.pedt", b(self.inscription[1])),
            ("inscription.ctg", b(self.inscription[2])),
            ("articulation", s(&self.articulation)),
            ("dispositifs", Golden::Rows(rows)),
            ("complements", s(&self.complements)),
        ]
    }
}

/// How the note was filled.
#[derive(Clone, Debug)]
pub struct NoteStyle {
    /// `Legacy` or `ContentControl`.
    pub boxes: BoxStyle,
    /// Legacy state of a ticked box.
    pub ticked: LegacyBox,
    /// Legacy state of an unticked box.
    pub unticked: LegacyBox,
    pub date: DateStyle,
    pub answer_rpr: RPr,
    pub seed: u64,
    pub author: &'static str,
    pub modified: &'static str,
    pub revision: u32,
}

impl NoteStyle {
    pub fn blank() -> NoteStyle {
        NoteStyle {
            boxes: BoxStyle::Legacy,
            ticked: LegacyBox::Checked,
            unticked: LegacyBox::Blank,
            date: DateStyle::Slash,
            answer_rpr: RPr::default(),
            seed: 7,
            author: "Caf de Lot-et-Garonne",
            modified: "2026-03-02T09:15:00Z",
            revision: 4,
        }
    }
}

const TERRITOIRE_1: &str = "…………………………………………………………………………………………………………………………\u{a0}";
const TERRITOIRE_2: &str = "………………………………………………………………………………………………………";
const CONCERTATION: &str = "Avant tout dépôt d’une demande d’agrément Clas, une concertation territoriale doit réunir les acteurs intervenant dans l’accompagnement à la scolarité. Cette rencontre associe le chef de projet ville, le coordonnateur communal Clas, le coordinateur cités éducatives, le coordonnateur PRE, la Direction des services départementaux de l’Education Nationale, les chefs d’établissement, les Inspecteurs de l’Education nationale, les directeurs d’école, les associations partenaires concernées, les Fédérations de parents d’élèves, les référents familles des centres sociaux, les cellules de médiation familiale, les services municipaux, … et les financeurs.";
const ARTICULATION: &str = "1/ Présentation de l’articulation et de la cohérence entre les différents dispositifs éducatifs associatifs et / ou communaux (analyse des besoins, modalités de communication\u{a0}: joindre une plaquette, modalité de pilotage, fréquence des rencontres, évaluation, etc.)";

const TEXT_WIDTH: u32 = 10206;

struct NoteWriter<'a> {
    w: Writer,
    a: &'a NoteAnswers,
    s: &'a NoteStyle,
    rsid: String,
    box_no: u32,
}

impl NoteWriter<'_> {
    fn answer(&self, t: &str) -> String {
        run_rsid(t, &self.s.answer_rpr, &self.rsid)
    }

    fn boxed(&mut self, ticked: bool) -> String {
        self.box_no += 1;
        match self.s.boxes {
            BoxStyle::ContentControl => {
                self.w.sdt_checkbox(&format!("case{}", self.box_no), ticked)
            }
            _ => {
                let st = if ticked {
                    self.s.ticked
                } else {
                    self.s.unticked
                };
                self.w
                    .legacy_checkbox(&format!("CaseACocher{}", self.box_no), st)
            }
        }
    }

    /// « label dots », the answer over the dots.
    fn inline(&mut self, label: &str, dots: &str, value: &Option<String>, bold_label: bool) {
        let lr = if bold_label {
            RPr::bold()
        } else {
            RPr::default()
        };
        let content = match value {
            Some(v) => format!("{}{}", run(label, &lr), self.answer(v)),
            None => format!("{}{}", run(label, &lr), run(dots, &RPr::default())),
        };
        self.w.push_para(&PPr::default(), &content);
    }

    fn paragraphs_of(&mut self, text: &str) -> Vec<String> {
        text.split('\n').map(|l| self.answer(l)).collect()
    }

    fn cell(
        &mut self,
        text: &str,
        width: u32,
        span: u32,
        shade: Option<&'static str>,
        bold: bool,
    ) -> Cell {
        let rpr = RPr {
            bold,
            size: Some(16),
            ..RPr::default()
        };
        let ppr = PPr {
            jc: Some("center"),
            ..PPr::default()
        };
        let content = self.w.para(&ppr, &run(text, &rpr));
        Cell {
            width,
            span,
            shade,
            center: true,
            content,
        }
    }

    fn value_cell(&mut self, v: Option<i64>, width: u32, bold: bool) -> Cell {
        let ppr = PPr {
            jc: Some("center"),
            ..PPr::default()
        };
        let content = match v {
            Some(n) => {
                let rpr = RPr {
                    bold,
                    ..self.s.answer_rpr.clone()
                };
                let r = run_rsid(&n.to_string(), &rpr, &self.rsid);
                self.w.para(&ppr, &r)
            }
            None => self.w.para(&ppr, ""),
        };
        Cell {
            width,
            span: 1,
            shade: None,
            center: true,
            content,
        }
    }

    fn dispositifs(&mut self) -> String {
        let first = 1926;
        let col = 920;
        let mut grid = vec![first];
        grid.extend([col; 9]);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let head = [
            ("", 1),
            ("ETUDE", 1),
            ("ECOLE OUVERTE", 1),
            ("ACCOMPAGNEMENT EDUCATIF", 1),
            ("STAGE DE REUSSITE", 1),
            ("PROGRAMME DE REUSSITE EDUCATIVE (PRE)", 2),
            ("(CLAS)", 2),
            ("AUTRE (PRECISER)", 1),
        ];
        let mut r = Vec::new();
        for (i, (t, span)) in head.iter().enumerate() {
            let w = if i == 0 { first } else { col * span };
            r.push(self.cell(t, w, *span, Some("D9E2F3"), true));
        }
        rows.push(r);
        for (level, (_, title, total)) in NIVEAUX.iter().enumerate() {
            rows.push(vec![self.cell(title, TEXT_WIDTH, 10, Some("BFBFBF"), true)]);
            let pre_qpv = if level == 0 {
                "Dont issus QPV"
            } else {
                "Dont  issus QPV"
            };
            let heads = [
                "ETABLISSEMENTS SCOLAIRES",
                "NOMBRE D’ENFANTS",
                "NOMBRE D’ENFANTS",
                "NOMBRE D’ENFANTS",
                "NOMBRE D’ENFANTS",
                "NOMBRE D’ENFANTS",
                pre_qpv,
                "NOMBRE D’ENFANTS",
                "Dont  issus QPV",
                "NOMBRE D’ENFANTS",
            ];
            let r: Vec<Cell> = heads
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    self.cell(
                        t,
                        if i == 0 { first } else { col },
                        1,
                        Some("F2F2F2"),
                        false,
                    )
                })
                .collect();
            rows.push(r);
            let filled = self.a.rows[level].clone();
            let n = filled.len().max(BLANK_ROWS[level]);
            for k in 0..n {
                let mut r = Vec::new();
                match filled.get(k) {
                    Some(row) => {
                        let ppr = PPr::default();
                        let name = self.answer(&row.etablissement);
                        let content = self.w.para(&ppr, &name);
                        r.push(Cell {
                            width: first,
                            span: 1,
                            shade: None,
                            center: true,
                            content,
                        });
                        for v in row.values {
                            r.push(self.value_cell(v, col, false));
                        }
                    }
                    None => {
                        let content = self.w.para(&PPr::default(), "");
                        r.push(Cell {
                            width: first,
                            span: 1,
                            shade: None,
                            center: true,
                            content,
                        });
                        for _ in 0..9 {
                            r.push(self.value_cell(None, col, false));
                        }
                    }
                }
                rows.push(r);
            }
            let mut r = vec![self.cell(total, first, 1, Some("F2F2F2"), true)];
            for v in self.a.total_written(level) {
                r.push(self.value_cell(v, col, true));
            }
            rows.push(r);
        }
        self.w.table(&grid, &rows, true, 1)
    }

    fn render(&mut self) {
        let center = |b: bool, sz: u32| {
            (
                PPr {
                    jc: Some("center"),
                    ..PPr::default()
                },
                RPr {
                    bold: b,
                    size: Some(sz),
                    ..RPr::default()
                },
            )
        };
        // Title, with Word's _GoBack bookmark (last edit position).
        let gb = self.w.bookmark_id();
        let title = format!(
            r#"<w:bookmarkStart w:id="{gb}" w:name="_GoBack"/><w:bookmarkEnd w:id="{gb}"/>{}"#,
            run(
                "CONTRAT LOCAL\nD’ACCOMPAGNEMENT A LA SCOLARITE",
                &RPr::default()
            )
        );
        self.w.push_para(&PPr::style("Titre"), &title);
        self.w.push_para(
            &PPr::style("Sous-titre"),
            &run("Année scolaire 2026 - 2027", &RPr::default()),
        );
        let (p, r) = center(true, 28);
        self.w
            .push_para(&p, &run("Note unique stratégique d’organisation", &r));
        let (p, r) = center(true, 24);
        self.w.push_para(
            &p,
            &run("Des dispositifs éducatifs du territoire de\u{a0}:", &r),
        );
        let (p, _) = center(false, 22);
        let t1 = match &self.a.territoire {
            Some(t) => self.answer(t),
            None => run(TERRITOIRE_1, &RPr::default()),
        };
        self.w.push_para(&p, &t1);
        self.w.push_para(&p, "");
        self.w.push_para(&p, &run(TERRITOIRE_2, &RPr::default()));
        self.w.push_para(&PPr::default(), "");
        self.w.push_para(
            &PPr::default(),
            &run(
                "A adresser par mail avec le dossier d’agrément avant le 20 mai 2026",
                &RPr {
                    underline: true,
                    ..RPr::bold()
                },
            ),
        );
        let just = PPr {
            jc: Some("both"),
            ..PPr::default()
        };
        self.w.push_para(&just, &run(CONCERTATION, &RPr::default()));
        self.w.push_para(&just, &run("Elle a pour objectif de mettre en cohérence l’ensemble des dispositifs du territoire et en assurer la lisibilité.", &RPr::default()));
        let mut date = run("Date de la réunion de concertation\u{a0}: \t", &RPr::bold());
        if let Some(d) = self.a.concertation {
            date.push_str(&self.answer(&format_date(d, self.s.date)));
        }
        let tabbed = PPr {
            tabs: vec![("left", 4536)],
            ..PPr::default()
        };
        self.w.push_para(&tabbed, &date);
        self.w.push_para(
            &PPr::default(),
            &run(
                "Joindre la liste des présents et le compte-rendu de la réunion",
                &RPr::italic(),
            ),
        );
        self.w.push_para(&PPr::default(), "");
        // Banner.
        let banner = self.w.para(
            &PPr {
                jc: Some("center"),
                ..PPr::default()
            },
            &run(
                "DIAGNOSTIC – DISPOSITIFS EXISTANTS – ARTICULATION –\nINFORMATION - PILOTAGE",
                &RPr {
                    bold: true,
                    size: Some(24),
                    ..RPr::default()
                },
            ),
        );
        let t = self.w.table(
            &[TEXT_WIDTH],
            &[vec![Cell {
                width: TEXT_WIDTH,
                span: 1,
                shade: Some("D9E2F3"),
                center: true,
                content: banner,
            }]],
            true,
            0,
        );
        self.w.push(&t);
        self.w.push_para(&PPr::default(), "");
        let line = self.a.coordonnateur_ligne.clone();
        self.inline(
            "Coordonnateur communal CLAS :  ",
            "………………………………………………",
            &line,
            true,
        );
        let (nom, fonction, tel, mail) = (
            self.a.nom.clone(),
            self.a.fonction.clone(),
            self.a.telephone.clone(),
            self.a.email.clone(),
        );
        self.inline("Nom/Prénom\u{a0}: ", "………………………………………………", &nom, false);
        self.inline("Fonction\u{a0}: ", "……………………………………………………", &fonction, false);
        self.inline("Téléphone\u{a0}: ", "…………………………………………………", &tel, false);
        self.inline("Mail \u{a0}", "………………………………………………………", &mail, false);
        self.w.push_para(&PPr::default(), "");
        self.w.push_para(
            &PPr::default(),
            &run("2/ Les projets Clas sont-ils inscrits dans :", &RPr::bold()),
        );
        let lines = [
            ("le contrat de ville (politique de la ville)\t", 0),
            ("le projet éducatif territorial (PEDT)\t\t", 1),
            ("la convention territoriale globale (CTG) \t", 2),
        ];
        for (label, i) in lines {
            let ans = self.a.inscription[i];
            let oui = self.boxed(ans == Some(true));
            let non = self.boxed(ans == Some(false));
            let content = format!(
                "{}{}{oui}{}{non}",
                run(label, &RPr::default()),
                run("OUI\t", &RPr::default()),
                run("\tNON\t", &RPr::default())
            );
            let ppr = PPr {
                style: Some("Paragraphedeliste"),
                num: Some((1, 0)),
                tabs: vec![
                    ("left", 5103),
                    ("left", 5954),
                    ("left", 6804),
                    ("left", 7655),
                ],
                ..PPr::default()
            };
            self.w.push_para(&ppr, &content);
        }
        self.w.push_para(&PPr::default(), "");
        // Articulation box: the question, then room to write (19 lines).
        let mut content = self
            .w
            .para(&PPr::default(), &run(ARTICULATION, &RPr::bold()));
        let mut written = match &self.a.articulation {
            Some(t) => self.paragraphs_of(t),
            None => Vec::new(),
        };
        let room = 19usize.saturating_sub(written.len()).max(2);
        written.extend(std::iter::repeat_n(String::new(), room));
        for w in written {
            content.push_str(&self.w.para(&PPr::default(), &w));
        }
        let t = self.w.table(
            &[TEXT_WIDTH],
            &[vec![Cell {
                width: TEXT_WIDTH,
                span: 1,
                shade: None,
                center: false,
                content,
            }]],
            true,
            0,
        );
        self.w.push(&t);
        self.w.push_para(&PPr::default(), "");
        self.w.push_para(
            &PPr::default(),
            &run(
                "3/ Dispositifs existants\u{a0}sur le territoire",
                &RPr::bold(),
            ),
        );
        self.w.push_para(&PPr::default(), &run("Merci de préciser pour les dispositifs CLAS et PRE le nombre d’enfants domiciliés en quartier Politique de la Ville (QPV)", &RPr::italic()));
        let t = self.dispositifs();
        self.w.push(&t);
        self.w.push_para(&PPr::default(), "");
        self.w.push_para(
            &PPr::default(),
            &run(
                "Eléments complémentaires destinés au Comité départemental du Clas\u{a0}:",
                &RPr::bold(),
            ),
        );
        match self.a.complements.clone() {
            Some(t) => {
                for p in self.paragraphs_of(&t) {
                    self.w.push_para(&PPr::default(), &p);
                }
            }
            None => {
                for _ in 0..3 {
                    self.w.push_para(&PPr::default(), "");
                }
            }
        }
    }
}

/// A note stratégique (blank when `answers` is [`NoteAnswers::blank`]) as .docx bytes.
pub fn note_docx(answers: &NoteAnswers, style: &NoteStyle) -> Vec<u8> {
    let rsid = format!("00{:06X}", 0x3A_0000 + (style.seed & 0xFFFF));
    let mut nw = NoteWriter {
        w: Writer::new(0x0BAD_5EED ^ style.seed as u32, FORM_RSID),
        a: answers,
        s: style,
        rsid: rsid.clone(),
        box_no: 0,
    };
    nw.render();
    let header = {
        let mut hw = Writer::new(0x4EAD_0001 ^ style.seed as u32, FORM_RSID);
        hw.para(
            &PPr {
                style: Some("En-tte"),
                jc: Some("right"),
                ..PPr::default()
            },
            &run(
                "CONTRAT LOCAL D’ACCOMPAGNEMENT A LA SCOLARITE ",
                &RPr {
                    size: Some(16),
                    ..RPr::default()
                },
            ),
        )
    };
    let core = Core {
        title: "Note unique stratégique d’organisation 2026-2027".to_string(),
        creator: "Caf de Lot-et-Garonne".to_string(),
        last_modified_by: style.author.to_string(),
        revision: style.revision,
        created: "2026-02-23T14:05:00Z".to_string(),
        modified: style.modified.to_string(),
    };
    let rsids = [FORM_RSID, rsid.as_str()];
    Package {
        body: &nw.w.body,
        header: Some(&header),
        core,
        rsids: &rsids,
        margin: 850,
    }
    .to_bytes()
}

/// The golden JSON file of a filled note.
pub fn golden_note_json(file: &str, answers: &NoteAnswers) -> String {
    write_golden(file, "note-strategique", &answers.golden())
}
