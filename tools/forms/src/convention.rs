//! The convention template (seed 000) with `{{placeholders}}` where `clas prefill` puts
//! next year's values. Some placeholders are split across runs, with `w:proofErr` and a
//! bookmark in between, as Word leaves them after a user edits the template.

use crate::FORM_RSID;
use crate::docx::{Cell, Core, PPr, Package, RPr, Writer, run, run_rsid};

/// Every placeholder of the template.
pub const PLACEHOLDERS: &[&str] = &[
    "annee_scolaire",
    "etablissement",
    "porteur",
    "territoire",
    "date_debut",
    "date_fin",
    "nature_locaux",
    "adresse_locaux",
    "ville_caf",
    "date_signature",
    "signataire_etablissement",
    "signataire_ecole",
    "gestionnaire",
];

/// rsid of the later editing session that retyped some placeholders.
const EDIT_RSID: &str = "00C41E7A";

#[derive(Clone, Copy)]
enum K {
    Title,
    Sub,
    H1,
    H2,
    P,
    Bold,
    Bullet,
    Empty,
}

use K::*;

const BODY: &[(K, &str)] = &[
    (Title, "Accompagnement à la scolarité"),
    (Sub, "Convention de fonctionnement"),
    (Sub, "Année scolaire {{annee_scolaire}}"),
    (Empty, ""),
    (Bold, "Entre\u{a0}:"),
    (
        P,
        "{{etablissement}} (identification de l’établissement scolaire)",
    ),
    (P, "et"),
    (
        P,
        "{{porteur}} (identification de la structure porteuse du CLAS)",
    ),
    (Empty, ""),
    (H2, "Contexte :"),
    (
        P,
        "Les différents partenaires membres du comité technique et de financement départemental du Contrat Local d’Accompagnement à la Scolarité (CLAS) en appui de l’Education Nationale souhaitent remédier en priorité aux situations de retard et d'échec scolaire constatées sur les territoires prioritaires de la politique de la ville de {{territoire}} (cf : observatoire des territoires prioritaires) ou autre territoire (à adapter selon les territoires).",
    ),
    (
        P,
        "Pour ce faire la mobilisation des dispositifs de soutien scolaire hors temps scolaire et l'implication des parents sont primordiales.",
    ),
    (
        P,
        "Les\u{a0}responsables\u{a0}de\u{a0}l’établissement\u{a0}scolaire\u{a0}et\u{a0}de\u{a0}la\u{a0}structure\u{a0}porteuse\u{a0}du\u{a0}CLAS, signataires de la présente convention, ont conclu un partenariat en vue de l’organisation des ateliers d’accompagnement à la scolarité à l’intention des élèves de l’établissement.",
    ),
    (Empty, ""),
    (H2, "Objectifs de la convention :"),
    (
        Bullet,
        "Compléter les actions organisées par l'Education Nationale (programme personnalisé de réussite éducative, activités pédagogiques complémentaires dans les écoles ou aide personnalisée dans les collèges, accompagnement éducatif…) et par la commune de {{territoire}} (études du soir, ateliers éducatifs, programme de réussite éducative …) (à adapter selon les territoires).",
    ),
    (
        Bullet,
        "Compenser le déficit social et culturel par l'accompagnement de l'enfant dans son \"métier\" d'élève ; Le Clas met à sa disposition un lieu de travail adapté, des outils, des méthodes, des activités complémentaires aux activités scolaires, …, que sa famille n'est pas en capacité de lui offrir.",
    ),
    (
        Bullet,
        "Accompagner les parents vers l'autonomie dans leur relation à l'école en leur offrant des outils pour s'impliquer dans le travail de leurs enfants, pour comprendre et maîtriser les parcours et l'orientation scolaire,…, afin d'éviter la \"disqualification éducative\" et conserver l'autorité nécessaire à l'équilibre de l'enfant.",
    ),
    (
        P,
        "Les activités proposées par l’accompagnement à la scolarité se déroulent dans le respect des principes de laïcité.",
    ),
    (Empty, ""),
    (Bold, "Il est convenu ce qui suit\u{a0}:"),
    (
        H1,
        "Article 1 : Mise en œuvre du repérage et suivi des élèves.",
    ),
    (
        P,
        "Au plus tard fin septembre, les enseignants établissent une liste des élèves à orienter vers l’accompagnement à la scolarité et en informent la famille. Cette liste d'élèves susceptibles d’être concernés par les actions d’accompagnement à la scolarité est transmise au référent CLAS de la structure porteuse.",
    ),
    (
        P,
        "A partir de cette liste, le référent CLAS rencontre individuellement chaque famille concernée pour les informer des modalités de cet accompagnement et  formaliser l'inscription de leur(s) enfant(s). ",
    ),
    (
        P,
        "La liste des enfants inscrits est communiquée par la structure porteuse du CLAS à l’établissement.",
    ),
    (
        P,
        "Une attention toute particulière devra être accordée aux enfants nouvellement arrivés à {{territoire}} (à adapter) maitrisant peu  ou mal  la langue française,  aux besoins des familles immigrées ou en situation d’illettrisme.",
    ),
    (
        P,
        "Les accompagnateurs du CLAS assurent l’accompagnement à la scolarité (aides aux devoirs et apports culturels, accompagnement de la famille et lien avec l’école/l’établissement) des enfants inscrits, conformément à la charte de l’accompagnement à la scolarité.",
    ),
    (
        H1,
        "Article 2\u{a0}: Objectifs quantitatifs et qualitatifs \u{a0}",
    ),
    (
        P,
        "Conformément à l’article 1, et suivant la liste des enfants à orienter établie par les enseignants, le porteur du CLAS se donne tous les moyens nécessaires pour\u{a0}:",
    ),
    (Bullet, "rencontrer individuellement toutes les familles"),
    (
        Bullet,
        "informer et convaincre toutes les familles du bien-fondé de l’inscription de leur enfant aux ateliers d’accompagnement à la scolarité",
    ),
    (
        Bullet,
        "aider les familles dans la procédure d’inscription des enfants",
    ),
    (
        Bullet,
        "accompagner l’ensemble des élèves inscrits dans le cadre des ateliers CLAS ",
    ),
    (
        Bullet,
        "se rapprocher de la famille en cas d’absence prolongée ou répétée de l’enfant",
    ),
    (
        P,
        "Ainsi, la structure porteuse du CLAS se donne comme objectifs d’inscrire et d’accompagner tous les enfants de la liste communiquée (sous réserve de l’accord des parents).",
    ),
    (
        H1,
        "Article 3\u{a0}: Organisation  du soutien aux  parents dans le suivi de la scolarité de leurs enfants",
    ),
    (
        P,
        "Dans le respect des compétences de chacun, l’équipe enseignante et le référent CLAS  s’engagent à aider les parents à la compréhension du système éducatif et d’orientation par\u{a0}: ",
    ),
    (
        Bullet,
        "des séances d’informations\u{a0}(réunion de rentrée scolaire et en cours d’année), ",
    ),
    (
        Bullet,
        "des rencontres personnalisées parent/enseignant /accompagnant Clas,",
    ),
    (
        Bullet,
        "des\u{a0}rencontres à l’occasion de l’opération «\u{a0}mallette des parents\u{a0}»\u{a0}selon\u{a0}les territoires,",
    ),
    (Bullet, "la diffusion d’outils de communication divers. "),
    (P, "(à adapter)"),
    (Empty, ""),
    (Bold, "Le référent CLAS\u{a0}:"),
    (
        Bullet,
        "encourage les parents à participer aux animations, à encadrer les sorties, et à  s’impliquer dans le suivi de la scolarité de leur enfant.",
    ),
    (
        Bullet,
        "veille à ce qu’un lien direct permanent s’établisse entre les parents et l’école.",
    ),
    (
        Bullet,
        "donne l’habitude aux parents de venir chercher les enfants sur le lieu de l’action à la fin de la séance et ainsi faciliter les échanges (en référence à l’engagement).",
    ),
    (
        H1,
        "Article 4\u{a0}: Organisation du fonctionnement  entre  accompagnateurs à la scolarité et équipe enseignante",
    ),
    (
        P,
        "Des rencontres régulières (à définir entre les parties) entre l’équipe enseignante et le référent CLAS sont organisées pour permettre une meilleure compréhension et complémentarité de l'action de chacun.",
    ),
    (
        P,
        "Elles permettent d’ajuster les objectifs et les méthodes à mettre en œuvre pour chaque élève, notamment grâce à la définition d’outils individuels ou d’indicateurs de suivi tels que : ",
    ),
    (Bullet, "régularité de présence,"),
    (Bullet, "renforcement de la concentration,"),
    (Bullet, "observation de la  progression individuelle,"),
    (
        Bullet,
        "tendance de progression  du groupe d’enfants inscrits par rapport aux autres\u{a0}enfants de la classe,",
    ),
    (Bullet, "indice de satisfaction des familles, des enfants "),
    (Bullet, "…"),
    (P, "( à adapter)"),
    (
        P,
        "Le responsable de l’établissement scolaire et de la structure porteuse du CLAS, informent et encouragent, chacun pour ce qui les concerne, l’équipe enseignante et les accompagnateurs à la scolarité à participer à des modules communs de formation et d’informations sur des thèmes relatifs à la réussite éducative et à l'amélioration de la relation famille- école.",
    ),
    (
        H1,
        "Article 5\u{a0}: Préparer le bilan de l’action d’accompagnement à la scolarité",
    ),
    (
        P,
        "Les parties s’engagent à un temps commun de bilan annuel afin de mesurer la qualité de la coopération et l’évolution du comportement et des résultats scolaires.",
    ),
    (H1, "Article 6\u{a0}: Moyens humains et matériels "),
    (P, "L’action se déroule du {{date_debut}} au {{date_fin}}"),
    (
        P,
        "Elle a lieu dans les locaux de {{nature_locaux}} situés\u{a0}: {{adresse_locaux}} (Description des locaux, moyens humains et matériels).",
    ),
    (Empty, ""),
    (
        P,
        "La responsabilité trajet école/CLAS fait l’objet d’une formalité écrite.",
    ),
    (Empty, ""),
    (P, "Fait à {{ville_caf}}"),
    (P, "Le {{date_signature}}"),
    (Empty, ""),
];

const SIGNATURES: [(&str, &str); 3] = [
    (
        "Le Responsable de  l’établissement scolaire",
        "{{signataire_etablissement}}",
    ),
    (
        "Le Directeur de l’école élémentaire ou primaire",
        "{{signataire_ecole}}",
    ),
    ("Le gestionnaire Clas", "{{gestionnaire}}"),
];

struct Conv {
    w: Writer,
    /// Placeholders already split once (each is split at its first occurrence only).
    done: Vec<&'static str>,
    hlk: u32,
}

impl Conv {
    /// Runs for a placeholder split the way Word leaves it after edits.
    fn split(&mut self, name: &str) -> Option<String> {
        let plain = RPr::default();
        let lang = RPr {
            lang: Some("fr-FR"),
            ..RPr::default()
        };
        let spell = |t: &str, r: &RPr| {
            format!(
                r#"<w:proofErr w:type="spellStart"/>{}<w:proofErr w:type="spellEnd"/>"#,
                run(t, r)
            )
        };
        let key: &'static str = PLACEHOLDERS.iter().find(|p| **p == name)?;
        if self.done.contains(&key) {
            return None;
        }
        let xml = match name {
            "etablissement" => {
                let id = self.w.bookmark_id();
                self.hlk += 1;
                format!(
                    concat!(
                        "{}",
                        r#"<w:proofErr w:type="spellStart"/>"#,
                        "{}",
                        r#"<w:bookmarkStart w:id="{id}" w:name="_Hlk2119{hlk:05}"/>"#,
                        "{}",
                        r#"<w:bookmarkEnd w:id="{id}"/><w:proofErr w:type="spellEnd"/>"#
                    ),
                    run("{{eta", &plain),
                    run("blisse", &lang),
                    run_rsid("ment}}", &plain, EDIT_RSID),
                    id = id,
                    hlk = self.hlk
                )
            }
            "territoire" => format!(
                "{}{}{}",
                run("{{", &plain),
                run_rsid("terr", &lang, EDIT_RSID),
                run("itoire}}", &plain)
            ),
            "date_debut" => format!(
                "{}{}{}",
                run("{{date_", &plain),
                spell("debut", &plain),
                run_rsid("}}", &plain, EDIT_RSID)
            ),
            "porteur" => {
                let id = self.w.bookmark_id();
                self.hlk += 1;
                format!(
                    r#"{}<w:bookmarkStart w:id="{id}" w:name="_Hlk2119{hlk:05}"/>{}<w:bookmarkEnd w:id="{id}"/>{}"#,
                    run_rsid("{", &plain, EDIT_RSID),
                    run_rsid("{porteur}", &lang, EDIT_RSID),
                    run("}", &plain),
                    id = id,
                    hlk = self.hlk
                )
            }
            _ => return None,
        };
        self.done.push(key);
        Some(xml)
    }

    /// Runs for a text with placeholders: the split ones as several runs, the others kept
    /// inside the surrounding text run.
    fn runs(&mut self, text: &str, rpr: &RPr) -> String {
        let mut out = String::new();
        let mut pending = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let name = &rest[start + 2..start + len];
            pending.push_str(&rest[..start]);
            match self.split(name) {
                Some(xml) => {
                    out.push_str(&run(&pending, rpr));
                    pending.clear();
                    out.push_str(&xml);
                }
                None => pending.push_str(&rest[start..start + len + 2]),
            }
            rest = &rest[start + len + 2..];
        }
        pending.push_str(rest);
        out.push_str(&run(&pending, rpr));
        out
    }
}

/// The convention template as .docx bytes.
pub fn convention_docx() -> Vec<u8> {
    let mut c = Conv {
        w: Writer::new(0x00C0_FFEE, FORM_RSID),
        done: Vec::new(),
        hlk: 0,
    };
    for (k, text) in BODY {
        let (ppr, rpr) = match k {
            Title => (PPr::style("Titre"), RPr::default()),
            Sub => (PPr::style("Sous-titre"), RPr::default()),
            H1 => (PPr::style("Titre1"), RPr::default()),
            H2 => (PPr::style("Titre2"), RPr::default()),
            P => (
                PPr {
                    jc: Some("both"),
                    ..PPr::default()
                },
                RPr::default(),
            ),
            Bold => (PPr::default(), RPr::bold()),
            Bullet => (
                PPr {
                    style: Some("Paragraphedeliste"),
                    num: Some((1, 0)),
                    jc: Some("both"),
                    ..PPr::default()
                },
                RPr::default(),
            ),
            Empty => (PPr::default(), RPr::default()),
        };
        let content = c.runs(text, &rpr);
        c.w.push_para(&ppr, &content);
    }
    // Signature blocks side by side.
    let width = 3212;
    let mut row = Vec::new();
    for (role, name) in SIGNATURES {
        let mut content = c.w.para(
            &PPr {
                jc: Some("center"),
                ..PPr::default()
            },
            &run(role, &RPr::bold()),
        );
        content.push_str(&c.w.para(
            &PPr {
                jc: Some("center"),
                ..PPr::default()
            },
            &run(name, &RPr::default()),
        ));
        for _ in 0..3 {
            content.push_str(&c.w.para(&PPr::default(), ""));
        }
        row.push(Cell {
            width,
            span: 1,
            shade: None,
            center: false,
            content,
        });
    }
    let t = c.w.table(&[width, width, width], &[row], false, 0);
    c.w.push(&t);
    c.w.push_para(&PPr::default(), "");
    let core = Core {
        title: "Convention de fonctionnement CLAS".to_string(),
        creator: "Caf".to_string(),
        last_modified_by: "Caf".to_string(),
        revision: 3,
        created: "2026-04-14T09:00:00Z".to_string(),
        modified: "2026-04-20T16:32:00Z".to_string(),
    };
    let rsids = [FORM_RSID, EDIT_RSID];
    Package {
        body: &c.w.body,
        header: None,
        core,
        rsids: &rsids,
        margin: 1134,
    }
    .to_bytes()
}
