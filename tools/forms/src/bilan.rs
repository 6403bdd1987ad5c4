//! The bilan form (seed 003): its content in order, the answers a respondent gives, the
//! ways people fill it in Word, and the golden JSON of a filled bilan.

use serde_json::Value as Json;

use crate::docx::{
    BALLOT_CHECKED, BALLOT_EMPTY, Cell, Core, LegacyBox, PPr, Package, RPr, Writer, run, run_rsid,
};
use crate::french::{DateStyle, NumberStyle, Ymd, format_date, format_number};
use crate::{FORM_RSID, Golden, Rng, write_golden};

// ---------------------------------------------------------------------------------------
// The dictionary (dictionaries/bilan-fields.csv)
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Integer,
    Decimal,
    Date,
    YesNo,
    Check,
}

#[derive(Clone, Copy, Debug)]
pub struct FieldDef {
    pub id: &'static str,
    pub kind: FieldType,
    pub section: &'static str,
}

const fn f(id: &'static str, kind: FieldType, section: &'static str) -> FieldDef {
    FieldDef { id, kind, section }
}

use FieldType as T;

/// The 98 fields, in dictionary order.
pub const FIELDS: &[FieldDef] = &[
    f("porteur.nom", T::Text, "identification"),
    f("action.numero", T::Text, "identification"),
    f("referent.nom", T::Text, "identification"),
    f("referent.telephone", T::Text, "identification"),
    f("referent.email", T::Text, "identification"),
    f("action.lieu", T::Text, "identification"),
    f("local.associatif", T::Check, "identification"),
    f("local.municipal", T::Check, "identification"),
    f("local.scolaire", T::Check, "identification"),
    f("etablissements", T::Text, "identification"),
    f("zonage.rep", T::Check, "identification"),
    f("zonage.pre", T::Check, "identification"),
    f("zonage.politique_ville", T::Check, "identification"),
    f("calendrier.debut", T::Date, "calendrier"),
    f("calendrier.fin", T::Date, "calendrier"),
    f("calendrier.semaines", T::Integer, "calendrier"),
    f("calendrier.ecart", T::YesNo, "calendrier"),
    f("calendrier.ecart_raisons", T::Text, "calendrier"),
    f("intervenants.salaries", T::Integer, "moyens_humains"),
    f("heures.salaries", T::Decimal, "moyens_humains"),
    f("intervenants.volontaires", T::Integer, "moyens_humains"),
    f("heures.volontaires", T::Decimal, "moyens_humains"),
    f("intervenants.benevoles", T::Integer, "moyens_humains"),
    f("heures.benevoles", T::Decimal, "moyens_humains"),
    f("intervenants.total", T::Integer, "moyens_humains"),
    f("heures.total", T::Decimal, "moyens_humains"),
    f("moyens.ecart_raisons", T::Text, "moyens_humains"),
    f("enfants.elementaire", T::Integer, "public"),
    f("enfants.college", T::Integer, "public"),
    f("enfants.lycee", T::Integer, "public"),
    f("enfants.autres", T::Integer, "public"),
    f("enfants.total", T::Integer, "public"),
    f("collectifs.nombre", T::Integer, "public"),
    f("familles.nombre", T::Integer, "public"),
    f("enfants.par_accompagnateur", T::Decimal, "public"),
    f("frequentation.ecart", T::YesNo, "public"),
    f("frequentation.ecart_raisons", T::Text, "public"),
    f("situation.difficulte_scolaire", T::YesNo, "situations"),
    f("situation.logement", T::YesNo, "situations"),
    f("situation.acces_socioculturel", T::YesNo, "situations"),
    f("situation.disponibilite_parents", T::YesNo, "situations"),
    f("situation.langue_parents", T::YesNo, "situations"),
    f("situation.rupture_ecole", T::YesNo, "situations"),
    f("origine.famille", T::YesNo, "origine"),
    f("origine.enfant", T::YesNo, "origine"),
    f("origine.enseignant", T::YesNo, "origine"),
    f("origine.association", T::YesNo, "origine"),
    f("origine.reussite_educative", T::YesNo, "origine"),
    f("origine.autres", T::YesNo, "origine"),
    f("activite.methodologie", T::YesNo, "enfants"),
    f("activite.travail_personnel", T::YesNo, "enfants"),
    f("activite.numerique", T::YesNo, "enfants"),
    f("activite.culture_sport", T::YesNo, "enfants"),
    f("activite.sciences", T::YesNo, "enfants"),
    f("activite.jeux", T::YesNo, "enfants"),
    f("activite.sorties", T::YesNo, "enfants"),
    f("activite.citoyennete", T::YesNo, "enfants"),
    f("activite.ecole_orientation", T::YesNo, "enfants"),
    f("activites.ecart", T::YesNo, "enfants"),
    f("activites.ecart_raisons", T::Text, "enfants"),
    f("suivi.progression_assiduite", T::YesNo, "enfants"),
    f("suivi.mesure_progression", T::YesNo, "enfants"),
    f("suivi.mesure_assiduite", T::YesNo, "enfants"),
    f(
        "ouverture_culturelle.realise",
        T::YesNo,
        "bonification_enfant",
    ),
    f(
        "ouverture_culturelle.ecart",
        T::YesNo,
        "bonification_enfant",
    ),
    f(
        "ouverture_culturelle.ecart_raisons",
        T::Text,
        "bonification_enfant",
    ),
    f("parents.reunion_information", T::YesNo, "parents"),
    f("parents.contractualisation", T::YesNo, "parents"),
    f("parents.rencontres_individuelles", T::YesNo, "parents"),
    f("parents.outils_liaison", T::YesNo, "parents"),
    f("parents.rencontres_enseignants", T::YesNo, "parents"),
    f("parents.convivialite", T::YesNo, "parents"),
    f("parents.participation_seances", T::YesNo, "parents"),
    f("parents.rencontre_thematique", T::YesNo, "parents"),
    f("parents.numerique", T::YesNo, "parents"),
    f("parents.associations_parents", T::YesNo, "parents"),
    f("parents.codes_ecole", T::YesNo, "parents"),
    f("parents.partenaires", T::YesNo, "parents"),
    f("parents.evaluation", T::YesNo, "parents"),
    f("parents.ecart_raisons", T::Text, "parents"),
    f("projet_parents.realise", T::YesNo, "bonification_parent"),
    f("projet_parents.detail", T::Text, "bonification_parent"),
    f("projet_parents.ecart", T::YesNo, "bonification_parent"),
    f(
        "projet_parents.ecart_raisons",
        T::Text,
        "bonification_parent",
    ),
    f("ecole.partenariat_formalise", T::YesNo, "ecole"),
    f("ecole.partenariat_informel", T::YesNo, "ecole"),
    f("ecole.orientation", T::YesNo, "ecole"),
    f("ecole.rencontres", T::YesNo, "ecole"),
    f("ecole.ecart", T::YesNo, "ecole"),
    f("ecole.ecart_raisons", T::Text, "ecole"),
    f("territoire.articulations", T::Text, "territoire"),
    f("territoire.acteurs", T::Text, "territoire"),
    f("territoire.ecarts", T::Text, "territoire"),
    f("bilan.global", T::Text, "libre_expression"),
    f("bilan.difficultes", T::Text, "libre_expression"),
    f("reseau.animation", T::Text, "reseau_departemental"),
    f("reseau.formations", T::Text, "reseau_departemental"),
    f("reseau.effets_ouverture", T::Text, "reseau_departemental"),
];

pub fn field(id: &str) -> Option<(usize, &'static FieldDef)> {
    FIELDS.iter().enumerate().find(|(_, d)| d.id == id)
}

// ---------------------------------------------------------------------------------------
// The form, in the seed's order and words (typos included)
// ---------------------------------------------------------------------------------------

/// The long dotted line under open questions (176 ellipses, as the seed).
const LONG: &str = "……………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………………";
/// The irregular dotted lines of the last question, as the seed.
const EFFETS_1: &str = "…………………………………………….....……………………………………………………………………………………………………………………………………….....……………………………………………………………………………………………………………………………………….....…………………………………………………………………………………………………………………………………….....………………………………………………………………………";
const EFFETS_2: &str = "………………………………………………….....…………………………………………………………………………………………………………………………………….....…………………………………………………………………………… ……………………………………………………….....…………………………………………………………………………………………………………………………………….....…………………………………………………………………………………………………………………………………….....…………………………………………………………………………………………………………………………………….....…………………………………………………………………";

/// One element of the form.
#[derive(Clone, Copy, Debug)]
pub enum Item {
    Title(&'static str),
    /// « Bilan N/N+1 arrêté au 30 avril N+1 ».
    YearTitle,
    H1(&'static str),
    H2(&'static str),
    P(&'static str),
    Bold(&'static str),
    Italic(&'static str),
    Bullet(&'static str),
    /// « label …… tail » in one paragraph, then `more` dotted paragraphs.
    Inline {
        id: &'static str,
        label: &'static str,
        dots: &'static str,
        tail: &'static str,
        more: &'static [&'static str],
    },
    /// A label paragraph, then `lines`: dotted paragraphs, `""` for an empty paragraph.
    Block {
        id: &'static str,
        label: &'static str,
        lines: &'static [&'static str],
    },
    /// A single checkbox: `label` then `sep` + box, in one paragraph (`inline`) or the box in
    /// the paragraph below.
    Check {
        id: &'static str,
        label: &'static str,
        sep: &'static str,
        inline: bool,
    },
    /// A question with an « oui » and a « non » box.
    YesNo {
        id: &'static str,
        question: &'static str,
    },
}

use Item::*;

const NUM: &[&str] = &["…"];
const L1: &[&str] = &[LONG];
const E1: &[&str] = &["", LONG];

pub const FORM: &[Item] = &[
    Title("Contrat local d'accompagnement à la scolarité"),
    YearTitle,
    Bold("A RETOURNER POUR LE ………"),
    P(
        "Remplir un bilan par action\u{a0}; merci de reprendre le numéro de l’action correspondant au projet déposé.",
    ),
    Inline {
        id: "porteur.nom",
        label: "Nom du porteur de projet\u{a0}: ",
        dots: "………………………………………………………………………………",
        tail: "",
        more: &[],
    },
    Inline {
        id: "action.numero",
        label: "ACTION  N° ",
        dots: "……",
        tail: ",",
        more: &[],
    },
    Inline {
        id: "referent.nom",
        label: "Nom, Prénom de la personne référente\u{a0}: ",
        dots: "………….…………………………………………………..….",
        tail: "",
        more: &[],
    },
    Inline {
        id: "referent.telephone",
        label: "N° de téléphone\u{a0}:",
        dots: "..…….…………..",
        tail: "",
        more: &[],
    },
    Inline {
        id: "referent.email",
        label: "Adresse mail\u{a0}: ",
        dots: ".……………………………………………...",
        tail: "",
        more: &[],
    },
    Inline {
        id: "action.lieu",
        label: "Lieu de déroulement de l’action et adresse\u{a0}: ",
        dots: "……………….……………………………………………",
        tail: "",
        more: &["…………………………………………………………………………………………………………………….."],
    },
    Bold("Nature du local utilisé "),
    Check {
        id: "local.associatif",
        label: "Associatif",
        sep: " *",
        inline: false,
    },
    Check {
        id: "local.municipal",
        label: "Municipal",
        sep: " ",
        inline: false,
    },
    Check {
        id: "local.scolaire",
        label: "Scolaire",
        sep: " ",
        inline: false,
    },
    Italic(
        "*Pour cocher la case, double cliquer sur la case puis cocher «\u{a0}case activée\u{a0}»",
    ),
    Inline {
        id: "etablissements",
        label: "Etablissements scolaires concernés\u{a0}: ",
        dots: "…………………………………………………………………....",
        tail: "",
        more: &["……….…………………………………………………………………………………………………………………………"],
    },
    Bold("Zonage\u{a0}: "),
    Check {
        id: "zonage.rep",
        label: "REP – Réseau d’éducation prioritaire",
        sep: "    ",
        inline: true,
    },
    Check {
        id: "zonage.pre",
        label: "PRE – Plateforme de réussite éducative",
        sep: " ",
        inline: false,
    },
    Check {
        id: "zonage.politique_ville",
        label: "Politique de la ville (si l’action se déroule sur un quartier prioritaire ou vécu et/ou si les établissements fréquentés par les enfants sont situés en quartier prioritaires ou vécus)",
        sep: "   ",
        inline: true,
    },
    H1("DESCRIPTION DE LA MISE EN ŒUVRE REELLE DU PROJET"),
    H2("Calendrier de mise en œuvre "),
    Inline {
        id: "calendrier.debut",
        label: "Date de début de mise en œuvre du projet\u{a0}: ",
        dots: "……………………….",
        tail: "",
        more: &[],
    },
    Inline {
        id: "calendrier.fin",
        label: "Date de fin de mise en œuvre du prohet\u{a0}:     ",
        dots: "………………………..",
        tail: "",
        more: &[],
    },
    Inline {
        id: "calendrier.semaines",
        label: "Nombre de semaines d’activité réalisées dans l’année\u{a0}: ",
        dots: "…………",
        tail: "",
        more: &[],
    },
    YesNo {
        id: "calendrier.ecart",
        question: "Existe-t-il des écarts entre le prévisionnel et le réel, concernant le calendrier ou le nombre de semaines d’activité dans l’année\u{a0}?",
    },
    Block {
        id: "calendrier.ecart_raisons",
        label: "Si oui, précisez-en les raisons\u{a0}:",
        lines: L1,
    },
    H2("Moyens humains pour l’animation du projet CLAS"),
    Block {
        id: "intervenants.salaries",
        label: "Nombre d’intervenants CLAS Salariés\u{a0}: ",
        lines: NUM,
    },
    Block {
        id: "heures.salaries",
        label: "Nombre annuel d’heures pour le CLAS Salariés\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "intervenants.volontaires",
        label: "Nombre d’intervenants CLAS Volontaires\u{a0}: ",
        lines: NUM,
    },
    Block {
        id: "heures.volontaires",
        label: "Nombre annuel d’heures pour le CLAS Volontaires\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "intervenants.benevoles",
        label: "Nombre d’intervenants CLAS Bénévoles\u{a0}: ",
        lines: NUM,
    },
    Block {
        id: "heures.benevoles",
        label: "Nombre annuel d’heures pour le CLAS Bénévoles\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "intervenants.total",
        label: "Nombre total d’intervenants\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "heures.total",
        label: "Nombre total d’heures\u{a0}:",
        lines: NUM,
    },
    P(
        "Existe-t-il des écarts entre le prévisionnel et le réel concernant les moyens humains\u{a0}?",
    ),
    Block {
        id: "moyens.ecart_raisons",
        label: "Si oui, précisez-en les raisons\u{a0}:",
        lines: L1,
    },
    H1("PUBLIC CONCERNE"),
    H2("Nombre d’enfants et de jeunes différents accueillis par niveau scolaire"),
    Block {
        id: "enfants.elementaire",
        label: "Nombre d’enfants élémentaire\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "enfants.college",
        label: "Nombre d’enfant collège\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "enfants.lycee",
        label: "Nombre d’enfants lycée\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "enfants.autres",
        label: "Nombre d’enfants autres (CAP, BEP…)\u{a0}: ",
        lines: NUM,
    },
    Block {
        id: "enfants.total",
        label: "Nombre total d’enfants\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "collectifs.nombre",
        label: "Nombre de collectifs\u{a0}enfants Clas : ",
        lines: NUM,
    },
    Block {
        id: "familles.nombre",
        label: "Nombre de familles différentes accueillies\u{a0}:",
        lines: NUM,
    },
    Block {
        id: "enfants.par_accompagnateur",
        label: "Nombre moyen d’enfants par accompagnateurs\u{a0}:",
        lines: NUM,
    },
    YesNo {
        id: "frequentation.ecart",
        question: "Existe-t-il des écarts entre la fréquentation prévisionnelle et la fréquentation réelle\u{a0}?",
    },
    Block {
        id: "frequentation.ecart_raisons",
        label: "Si oui, précisez-en les raisons\u{a0}:",
        lines: L1,
    },
    Bold(
        "Les enfants/jeunes qui participent au CLAS sont concernés par les situations suivantes\u{a0}:",
    ),
    YesNo {
        id: "situation.difficulte_scolaire",
        question: "Difficulté scolaire\u{a0}: ",
    },
    YesNo {
        id: "situation.logement",
        question: "Conditions de logement et/ou environnement inadapté au travail scolaire (bruit, exiguïté des locaux)\u{a0}: ",
    },
    YesNo {
        id: "situation.acces_socioculturel",
        question: "Accès limité à des activités socio-culturelles\u{a0}: ",
    },
    YesNo {
        id: "situation.disponibilite_parents",
        question: "Disponibilité réduite des parents\u{a0}: ",
    },
    YesNo {
        id: "situation.langue_parents",
        question: "Maîtrise difficile de la langue française par les parents\u{a0}: ",
    },
    YesNo {
        id: "situation.rupture_ecole",
        question: "Parents en difficulté ou rupture avec l’école\u{a0}:",
    },
    Bold("Qui est à l’origine de l’inscription des enfants/jeunes au CLAS ?"),
    YesNo {
        id: "origine.famille",
        question: "La famille\u{a0}: ",
    },
    YesNo {
        id: "origine.enfant",
        question: "L’enfant/le jeune\u{a0}:",
    },
    YesNo {
        id: "origine.enseignant",
        question: "Sur proposition de l’enseignant\u{a0}: ",
    },
    YesNo {
        id: "origine.association",
        question: "Sur proposition d’une association locale ou d’un autre acteur local\u{a0}:",
    },
    YesNo {
        id: "origine.reussite_educative",
        question: "Sur proposition de l’équipe de réussite éducative (PRE, Cité éducative)\u{a0}:",
    },
    YesNo {
        id: "origine.autres",
        question: "Autres\u{a0}: ",
    },
    H1("INTERVENTION AUPRES DES ENFANTS"),
    Bold("Rappel des objectifs\u{a0}: "),
    Bullet(
        "Mettre en œuvre des méthodes et approches susceptibles de faciliter l’acquisition des savoirs et de développer leur autonomie",
    ),
    Bullet(
        "Elargir leurs centres d’intérêt et promouvoir leur apprentissage de la citoyenneté par une ouverture culturelles sociales et économiques de leur environnement",
    ),
    Bullet("Mettre en valeur leurs compétences et acquis"),
    Bullet("Mesurer leur progression"),
    Bullet("Mesurer leur assiduité à l’action"),
    H2("Activités proposées au enfants jeunes dans le cadre du CLAS"),
    YesNo {
        id: "activite.methodologie",
        question: "Par un appui et/ou une aide méthodologique\u{a0}:",
    },
    YesNo {
        id: "activite.travail_personnel",
        question: "Par une aide au travail personnel\u{a0}: ",
    },
    YesNo {
        id: "activite.numerique",
        question: "Par un accompagnement à l’usage du numérique\u{a0}: ",
    },
    YesNo {
        id: "activite.culture_sport",
        question: "Par des activités culturelles ou artistiques, lecture plaisir, sportives\u{a0}:",
    },
    YesNo {
        id: "activite.sciences",
        question: "Par des activités scientifiques techniques informatiques\u{a0}: ",
    },
    YesNo {
        id: "activite.jeux",
        question: "Par des jeux éducatifs\u{a0}:",
    },
    YesNo {
        id: "activite.sorties",
        question: "Par des sorties et/ou visites\u{a0}:",
    },
    YesNo {
        id: "activite.citoyennete",
        question: "Par des activités liées à la citoyenneté (recherche d’informations, débats)\u{a0}:",
    },
    YesNo {
        id: "activite.ecole_orientation",
        question: "Par des échanges sur le fonctionnement de l’école, sur l’orientation\u{a0}:",
    },
    YesNo {
        id: "activites.ecart",
        question: "Pour des actions décrites ci-dessus, existe-t-il des écarts entre le prévisionnel et le réel du projet\u{a0}?",
    },
    Block {
        id: "activites.ecart_raisons",
        label: "Si oui, expliquez-en les raisons\u{a0}:",
        lines: L1,
    },
    YesNo {
        id: "suivi.progression_assiduite",
        question: "Progression et assiduité de l’enfant\u{a0}:",
    },
    YesNo {
        id: "suivi.mesure_progression",
        question: "Mesurez-vous la progression de l’enfant\u{a0}?",
    },
    YesNo {
        id: "suivi.mesure_assiduite",
        question: "Mesurez-vous l’assiduité des enfants à l’action CLAS\u{a0}?",
    },
    H2("Si vous êtes concerné (voir notification Caf)\u{a0}: Bonification de l’axe enfant"),
    YesNo {
        id: "ouverture_culturelle.realise",
        question: "Le projet d’ouverture culturel a-t-il été mis en place\u{a0}?",
    },
    YesNo {
        id: "ouverture_culturelle.ecart",
        question: "Existe-t-il des écarts entre le prévisionnel et le réel du projet d’ouverture culturel\u{a0}?",
    },
    Block {
        id: "ouverture_culturelle.ecart_raisons",
        label: "Si oui, expliquez-en les raisons\u{a0}",
        lines: E1,
    },
    Italic(
        "*Si vous avez des outils concernant la mesure de l’assiduité ou de la progression de l’enfant, merci de bien vouloir les joindre.",
    ),
    H1("Si vous êtes concerné (voir notification Caf)\u{a0}: INTERVENTION AUPRES DES PARENTS"),
    Bold("Rappel des objectifs\u{a0}: "),
    Bullet("Renforcer le rôle des parents et les soutenir dans la relation avec leur enfant"),
    Bullet("Soutenir les parents dans la relation avec l’école"),
    Bullet(
        "Faciliter l’orientation des parents vers d’autres acteurs ou actions susceptibles de soutien à la parentalité",
    ),
    Bullet("Evaluer les actions proposées aux parents"),
    Bold("Outils et actions développés à destination des parents\u{a0}: "),
    YesNo {
        id: "parents.reunion_information",
        question: "Réunion d’information sur le CLAS à destination des parents\u{a0}:",
    },
    YesNo {
        id: "parents.contractualisation",
        question: "Contractualisation avec les parents/enfant/le jeune sur des engagements réciproques\u{a0}: ",
    },
    YesNo {
        id: "parents.rencontres_individuelles",
        question: "Rencontres individuelles programmées entre les parents et les accompagnateurs (et éventuellement l’enfant et le jeune)\u{a0}:",
    },
    YesNo {
        id: "parents.outils_liaison",
        question: "Mise en place d’outils de liaison et d’échange avec les parents\u{a0}:",
    },
    YesNo {
        id: "parents.rencontres_enseignants",
        question: "Accompagnement de parents lors de rencontres avec les enseignants\u{a0}:",
    },
    YesNo {
        id: "parents.convivialite",
        question: "Temps de convivialité avec les parents\u{a0}: ",
    },
    YesNo {
        id: "parents.participation_seances",
        question: "Participation des parents à des séances de CLAS\u{a0}: ",
    },
    YesNo {
        id: "parents.rencontre_thematique",
        question: "Rencontre avec les parents autour d’une thématique\u{a0}:",
    },
    YesNo {
        id: "parents.numerique",
        question: "En proposant aux parents un accompagnement à l’usage du numérique\u{a0}: ",
    },
    YesNo {
        id: "parents.associations_parents",
        question: "Accompagnement des parents bers les associations de parents d’élèves\u{a0}:",
    },
    YesNo {
        id: "parents.codes_ecole",
        question: "Information et accompagnement des parents à la compréhension des codes de l’école\u{a0}:",
    },
    YesNo {
        id: "parents.partenaires",
        question: "Mise en relation des parents avec d’autres partenaires\u{a0}:",
    },
    YesNo {
        id: "parents.evaluation",
        question: "Evaluez-vous les actions proposées aux parents\u{a0}:",
    },
    P("Existe-t-il des écarts entre le prévisionnel et le réel\u{a0}?"),
    Block {
        id: "parents.ecart_raisons",
        label: "Si oui précisez comment\u{a0}:",
        lines: E1,
    },
    H2("Bonification de l’axe parent\u{a0}: "),
    YesNo {
        id: "projet_parents.realise",
        question: "Le projet spécifique d’accompagnement des parents pour les soutenir dans leur relation avec leur enfant et l’école a-t-il été mise en place\u{a0}?",
    },
    Block {
        id: "projet_parents.detail",
        label: "Détaillez pour plus de précisions\u{a0}:",
        lines: E1,
    },
    YesNo {
        id: "projet_parents.ecart",
        question: "Existe-t-il des écarts entre le prévisionnel et le réel du projet d’accompagnement des parents\u{a0}?",
    },
    Block {
        id: "projet_parents.ecart_raisons",
        label: "Si oui expliquez-en les raisons\u{a0}: ",
        lines: E1,
    },
    H1("ACTIONS DE CONCERTATION"),
    Bold("Rappel de l’objectifs\u{a0}:"),
    P("Association du CLAS avec d’autres acteurs du territoire"),
    H2("Action de concertation avec l’école"),
    YesNo {
        id: "ecole.partenariat_formalise",
        question: "Un partenariat formalisé existe avec l’école (engagement écrit, convention, fiche de liaison, conseil d’école)\u{a0}:",
    },
    YesNo {
        id: "ecole.partenariat_informel",
        question: "Un partenariat informel est développé avec l’école (contact avec le directeur d’établissement, avec le CPE, avec les enseignants…)\u{a0}:",
    },
    YesNo {
        id: "ecole.orientation",
        question: "Collaboration pour l’orientation des enfants\u{a0}:",
    },
    YesNo {
        id: "ecole.rencontres",
        question: "Rencontres et échanges d’information réguliers\u{a0}:",
    },
    YesNo {
        id: "ecole.ecart",
        question: "Existe-t-il des écarts entre le prévisionnel et le réel\u{a0}?",
    },
    Block {
        id: "ecole.ecart_raisons",
        label: "Si oui expliquez-en les raisons\u{a0}: ",
        lines: E1,
    },
    H2("Actions de concertation et de coordination avec les autres acteurs du territoire"),
    Block {
        id: "territoire.articulations",
        label: "Quelles articulations avez-vous mises en œuvre autour du CLAS avec les différents acteurs du territoire\u{a0}?",
        lines: E1,
    },
    Block {
        id: "territoire.acteurs",
        label: "Avec quels acteurs (notamment les acteurs éducatifs) du territoire\u{a0}?",
        lines: E1,
    },
    Block {
        id: "territoire.ecarts",
        label: "Existe-t-il des écarts entre le prévisionnel et le réel\u{a0}?",
        lines: E1,
    },
    H1("LIBRE EXPRESSION"),
    Block {
        id: "bilan.global",
        label: "Globalement, quel bilan tirez-vous de la mise en œuvre de votre projet CLAS\u{a0}?",
        lines: &["", LONG, "", LONG],
    },
    Block {
        id: "bilan.difficultes",
        label: "Quelles difficultés avez-vous rencontrées dans le cadre de votre projet CLAS\u{a0}? Quelles sont les améliorations/aides/formations que vous souhaiteriez voir développer\u{a0}?",
        lines: &[LONG, "", LONG],
    },
    H1("RESEAU CLAS DEPARTEMENTALE DU LOT-ET-GARONNE"),
    H2("Le réseau départemental "),
    Block {
        id: "reseau.animation",
        label: "Quels retours pouvez-vous nous faire sur l’animation du réseau départemental\u{a0}: fréquence des rencontres entre acteurs Clas, nature des thèmes abordés, jours, lieux et horaires choisis, écoute de vos attentes, réponses apportées, etc. ?",
        lines: E1,
    },
    Block {
        id: "reseau.formations",
        label: "Quels retours pouvez-vous nous faire sur les formations proposées\u{a0}?",
        lines: E1,
    },
    Block {
        id: "reseau.effets_ouverture",
        label: "Selon vous, quels ont été les effets de votre projet d’ouverture culturelle\u{a0}? (sur le jeune, le groupe, les familles …)\u{a0}?",
        lines: &["", EFFETS_1, "", EFFETS_2],
    },
];

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

/// What the respondent meant for one field.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Left empty: dotted line untouched, no box ticked. Golden `null` (`false` for a
    /// single checkbox).
    Empty,
    /// Text; `\n` separates lines.
    Text(String),
    Int(i64),
    Dec(f64),
    Date(Ymd),
    /// « oui » ticked.
    Yes,
    /// « non » ticked.
    No,
    /// Both boxes ticked (golden `null`).
    Both,
    /// A single checkbox.
    Check(bool),
    /// A single checkbox of a bilan whose boxes were deleted, in a part where no option
    /// carries a typed mark: nothing was answered (golden `null`, not `false`).
    Unmarked,
    /// Written verbatim (« une quinzaine », « 24 enfants environ »); `meant` is the golden.
    Raw {
        written: String,
        meant: Json,
    },
}

/// Everything a porteur answered on one bilan.
#[derive(Clone, Debug)]
pub struct BilanAnswers {
    /// First year of the school year in the form's title (« Bilan 2025/2026 … »).
    pub annee: i32,
    values: Vec<Answer>,
}

impl BilanAnswers {
    /// A bilan with nothing answered.
    pub fn new(annee: i32) -> BilanAnswers {
        BilanAnswers {
            annee,
            values: vec![Answer::Empty; FIELDS.len()],
        }
    }

    pub fn get(&self, id: &str) -> &Answer {
        let (i, _) = field(id).unwrap_or_else(|| panic!("unknown field {id}"));
        &self.values[i]
    }

    /// Sets an answer; panics on an unknown id or an answer of the wrong kind.
    pub fn set(&mut self, id: &str, a: Answer) -> &mut Self {
        let (i, def) = field(id).unwrap_or_else(|| panic!("unknown field {id}"));
        let ok = match (&a, def.kind) {
            (Answer::Empty | Answer::Raw { .. }, _) => true,
            (Answer::Text(t), FieldType::Text) => !t.trim().is_empty() && t.trim() == t,
            (Answer::Int(_), FieldType::Integer | FieldType::Decimal) => true,
            (Answer::Dec(_), FieldType::Decimal) => true,
            (Answer::Date(_), FieldType::Date) => true,
            (Answer::Yes | Answer::No | Answer::Both, FieldType::YesNo) => true,
            (Answer::Check(_) | Answer::Unmarked, FieldType::Check) => true,
            _ => false,
        };
        assert!(ok, "answer {a:?} does not fit field {id} ({:?})", def.kind);
        self.values[i] = a;
        self
    }

    pub fn text(&mut self, id: &str, t: &str) -> &mut Self {
        self.set(id, Answer::Text(t.to_string()))
    }
    pub fn int(&mut self, id: &str, n: i64) -> &mut Self {
        self.set(id, Answer::Int(n))
    }
    pub fn dec(&mut self, id: &str, v: f64) -> &mut Self {
        self.set(id, Answer::Dec(v))
    }
    pub fn date(&mut self, id: &str, y: i32, m: u32, d: u32) -> &mut Self {
        self.set(id, Answer::Date(Ymd(y, m, d)))
    }
    pub fn check(&mut self, id: &str, b: bool) -> &mut Self {
        self.set(id, Answer::Check(b))
    }
    pub fn raw(&mut self, id: &str, written: &str, meant: Json) -> &mut Self {
        self.set(
            id,
            Answer::Raw {
                written: written.to_string(),
                meant,
            },
        )
    }
    /// Sets yes/no answers: `true` ticks « oui », `false` ticks « non ».
    pub fn yes_no(&mut self, answers: &[(&str, bool)]) -> &mut Self {
        for (id, b) in answers {
            self.set(id, if *b { Answer::Yes } else { Answer::No });
        }
        self
    }
    pub fn both(&mut self, id: &str) -> &mut Self {
        self.set(id, Answer::Both)
    }
    pub fn empty(&mut self, id: &str) -> &mut Self {
        self.set(id, Answer::Empty)
    }

    /// The golden value of each field, in dictionary order (docs/cli.md types).
    pub fn golden(&self) -> Vec<(&'static str, Json)> {
        FIELDS
            .iter()
            .zip(&self.values)
            .map(|(def, a)| {
                let v = match a {
                    Answer::Empty if def.kind == FieldType::Check => Json::Bool(false),
                    Answer::Empty | Answer::Both | Answer::Unmarked => Json::Null,
                    Answer::Text(t) => Json::from(t.as_str()),
                    Answer::Int(n) if def.kind == FieldType::Decimal => Json::from(*n as f64),
                    Answer::Int(n) => Json::from(*n),
                    Answer::Dec(v) => Json::from(*v),
                    Answer::Date(d) => Json::from(d.iso()),
                    Answer::Yes => Json::Bool(true),
                    Answer::No => Json::Bool(false),
                    Answer::Check(b) => Json::Bool(*b),
                    Answer::Raw { meant, .. } => match (def.kind, meant) {
                        (FieldType::Decimal, Json::Number(n)) => {
                            Json::from(n.as_f64().unwrap_or(0.0))
                        }
                        _ => meant.clone(),
                    },
                };
                (def.id, v)
            })
            .collect()
    }
}

/// The golden JSON file of a filled bilan (`clas extract --json` for `file`).
pub fn golden_json(file: &str, answers: &BilanAnswers) -> String {
    let fields: Vec<(&str, Golden)> = answers
        .golden()
        .into_iter()
        .map(|(id, v)| (id, Golden::Scalar(v)))
        .collect();
    write_golden(file, "bilan", &fields)
}

// ---------------------------------------------------------------------------------------
// Filling styles
// ---------------------------------------------------------------------------------------

/// How checkboxes are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoxStyle {
    /// Legacy FORMCHECKBOX fields, as the form ships (states from `FillStyle::ticked` /
    /// `unticked`).
    Legacy,
    /// Word 2010+ content-control checkboxes (`w14:checkbox`).
    ContentControl,
    /// Fields deleted, ☒ / ☐ typed after the word: « oui ☒ » / « non ☐ ».
    GlyphAfterWord,
    /// Fields deleted, both on one line, box before the word: « ☒ oui   ☐ non ».
    GlyphOneLine,
    /// Fields deleted, a letter `X` (or `x`) typed where the box was, in the form's own
    /// layout: « oui X » / « non » in two paragraphs; a single box's mark alone on the line
    /// under its label (« X », « * X ») or at the end of an inline label (« REP – … X »).
    TypedAfterWord,
    /// Fields deleted, both on one line, the mark before the word: « X oui   non »,
    /// « oui   X non »; a single box's mark at the end of its label's line (« Associatif * X »).
    TypedBeforeWord,
    /// Fields deleted, both on one line, the mark after the word: « oui X   non »,
    /// « oui   non X »; single boxes as [`BoxStyle::TypedBeforeWord`].
    TypedBetween,
}

impl BoxStyle {
    /// Boxes deleted and ticks typed as a letter.
    pub fn typed(self) -> bool {
        matches!(
            self,
            BoxStyle::TypedAfterWord | BoxStyle::TypedBeforeWord | BoxStyle::TypedBetween
        )
    }
}

/// Where an answer is typed relative to the dotted line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Over the dots (dots replaced).
    Over,
    /// After the dots, same paragraph.
    After,
    /// In the middle of the dots (dots left on both sides).
    Middle,
    /// Before the dots (on the label's line for an inline field; in a new paragraph above
    /// the dotted line otherwise).
    Before,
    /// In a new paragraph under the dotted line(s), left untouched.
    Below,
    /// At the end of the label's paragraph, the dotted line untouched below.
    OnLabelLine,
}

/// How a multi-line answer is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Multiline {
    /// One paragraph per line (Enter).
    Paragraphs,
    /// Line breaks in one paragraph (Shift+Enter, `w:br`).
    Breaks,
}

/// How a respondent filled the form in Word.
#[derive(Clone, Debug)]
pub struct FillStyle {
    /// Checkbox drawing, for every box…
    pub boxes: BoxStyle,
    /// …except in these sections (spec section names: `situations`, `parents`…).
    pub section_boxes: Vec<(&'static str, BoxStyle)>,
    /// Legacy states used for ticked boxes, in turn.
    pub ticked: Vec<LegacyBox>,
    /// Legacy states used for unticked boxes, in turn.
    pub unticked: Vec<LegacyBox>,
    /// Per-field legacy states: (field, box of « oui » or the single box, box of « non »).
    pub legacy_overrides: Vec<(&'static str, LegacyBox, LegacyBox)>,
    /// Sections whose yes/no questions are laid out as a table (question | Oui | Non).
    pub table_sections: Vec<&'static str>,
    /// Placements of typed answers, in turn.
    pub placements: Vec<Placement>,
    pub field_placements: Vec<(&'static str, Placement)>,
    /// Number writing, in turn.
    pub numbers: Vec<NumberStyle>,
    /// Date writing, in turn.
    pub dates: Vec<DateStyle>,
    pub multiline: Multiline,
    /// Split every n-th label into several runs (0: never).
    pub split_labels: usize,
    /// Split every n-th answer into several runs (0: never).
    pub split_answers: usize,
    /// Formatting of typed answers.
    pub answer_rpr: RPr,
    /// Font of hand-typed ☒ / ☐ (None: the paragraph's font).
    pub glyph_font: Option<&'static str>,
    /// Variations (paragraph ids, split points).
    pub seed: u64,
    /// docProps: who saved it, when, and how many times.
    pub author: &'static str,
    pub modified: &'static str,
    pub revision: u32,
}

impl FillStyle {
    /// The blank form as the Caf distributes it.
    pub fn blank() -> FillStyle {
        FillStyle {
            boxes: BoxStyle::Legacy,
            section_boxes: Vec::new(),
            ticked: vec![LegacyBox::Checked],
            unticked: vec![LegacyBox::Blank],
            legacy_overrides: Vec::new(),
            table_sections: Vec::new(),
            placements: vec![Placement::Over],
            field_placements: Vec::new(),
            numbers: vec![NumberStyle::Plain],
            dates: vec![DateStyle::Slash],
            multiline: Multiline::Paragraphs,
            split_labels: 0,
            split_answers: 0,
            answer_rpr: RPr::default(),
            glyph_font: Some("MS Gothic"),
            seed: 0,
            author: "Caf de Lot-et-Garonne",
            modified: "2022-03-14T10:41:00Z",
            revision: 12,
        }
    }
}

impl Default for FillStyle {
    fn default() -> Self {
        FillStyle::blank()
    }
}

// ---------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------

fn unit(id: &str) -> (&'static str, &'static str) {
    match id {
        "calendrier.semaines" => ("semaine", "semaines"),
        "intervenants.salaries" => ("salarié", "salariés"),
        "intervenants.volontaires" => ("volontaire", "volontaires"),
        "intervenants.benevoles" => ("bénévole", "bénévoles"),
        "intervenants.total" => ("intervenant", "intervenants"),
        "collectifs.nombre" => ("collectif", "collectifs"),
        "familles.nombre" => ("famille", "familles"),
        _ if id.starts_with("heures.") => ("heure", "heures"),
        _ if id.starts_with("enfants.") => ("enfant", "enfants"),
        _ => ("", ""),
    }
}

#[derive(Clone, Debug)]
enum Seg {
    Label(&'static str),
    Dots(String),
    Tail(&'static str),
    Answer(String),
}

const TEXT_WIDTH: u32 = 9638;

struct Filler<'a> {
    w: Writer,
    a: &'a BilanAnswers,
    s: &'a FillStyle,
    rng: Rng,
    answer_rsid: String,
    box_no: u32,
    tick_i: usize,
    untick_i: usize,
    place_i: usize,
    num_i: usize,
    date_i: usize,
    label_i: usize,
    answer_i: usize,
    hlk: u32,
}

impl Filler<'_> {
    fn box_style(&self, id: &str) -> BoxStyle {
        let (_, def) = field(id).expect("field");
        self.s
            .section_boxes
            .iter()
            .find(|(sec, _)| *sec == def.section)
            .map(|(_, b)| *b)
            .unwrap_or(self.s.boxes)
    }

    fn legacy_state(&mut self, id: &str, slot: usize, ticked: bool) -> LegacyBox {
        if let Some((_, oui, non)) = self.s.legacy_overrides.iter().find(|(f, _, _)| *f == id) {
            let st = if slot == 0 { *oui } else { *non };
            assert_eq!(
                st.is_ticked(),
                ticked,
                "legacy override of {id} contradicts the answer"
            );
            return st;
        }
        if ticked {
            let st = self.s.ticked[self.tick_i % self.s.ticked.len()];
            self.tick_i += 1;
            assert!(st.is_ticked());
            st
        } else {
            let st = self.s.unticked[self.untick_i % self.s.unticked.len()];
            self.untick_i += 1;
            assert!(!st.is_ticked());
            st
        }
    }

    fn glyph(&self, ticked: bool) -> String {
        let rpr = match self.s.glyph_font {
            Some(f) => RPr::font(f),
            None => RPr::default(),
        };
        run(
            &(if ticked { BALLOT_CHECKED } else { BALLOT_EMPTY }).to_string(),
            &rpr,
        )
    }

    /// One box (legacy field, content control or typed glyph). Every box slot takes the
    /// next field name, so legacy names match the blank form whatever the style.
    fn render_box(&mut self, style: BoxStyle, id: &str, slot: usize, ticked: bool) -> String {
        self.box_no += 1;
        let name = format!("CaseACocher{}", self.box_no);
        match style {
            BoxStyle::Legacy => {
                let st = self.legacy_state(id, slot, ticked);
                self.w.legacy_checkbox(&name, st)
            }
            BoxStyle::ContentControl => {
                let tag = format!("case{}", self.box_no);
                self.w.sdt_checkbox(&tag, ticked)
            }
            BoxStyle::GlyphAfterWord | BoxStyle::GlyphOneLine => self.glyph(ticked),
            _ if ticked => self.mark(),
            _ => String::new(),
        }
    }

    /// A tick typed as a letter: `X`, every third one `x`.
    fn mark(&self) -> String {
        let letter = if self.box_no.is_multiple_of(3) {
            "x"
        } else {
            "X"
        };
        run(letter, &RPr::default())
    }

    /// Splits `text` into several runs with different (invisible) formatting, with
    /// `w:proofErr` and `w:bookmarkStart/End` between them, at least one cut mid-word.
    fn split_runs(&mut self, text: &str, base: &RPr, rsid: Option<&str>) -> String {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let plain = |t: &str, r: &RPr| match rsid {
            Some(id) => run_rsid(t, r, id),
            None => run(t, r),
        };
        if n < 4 {
            return plain(text, base);
        }
        let mid: Vec<usize> = (1..n)
            .filter(|&p| chars[p - 1].is_alphabetic() && chars[p].is_alphabetic())
            .collect();
        let spaces: Vec<usize> = (1..n).filter(|&p| chars[p - 1] == ' ').collect();
        let mut cuts = Vec::new();
        if !mid.is_empty() {
            cuts.push(mid[self.rng.below(mid.len())]);
        }
        if !spaces.is_empty() {
            cuts.push(spaces[self.rng.below(spaces.len())]);
        }
        if n > 20 && self.rng.chance(1, 2) {
            cuts.push(1 + self.rng.below(n - 1));
        }
        cuts.sort_unstable();
        cuts.dedup();
        if cuts.is_empty() {
            return plain(text, base);
        }
        let mut bounds = vec![0];
        bounds.extend(&cuts);
        bounds.push(n);
        let mut out = String::new();
        let mut open_bookmark: Option<u32> = None;
        let pieces = bounds.len() - 1;
        for k in 0..pieces {
            let piece: String = chars[bounds[k]..bounds[k + 1]].iter().collect();
            let mut r = base.clone();
            match (k + self.rng.below(4)) % 4 {
                0 => {}
                1 => r.lang = Some("fr-FR"),
                2 => r.no_proof = true,
                _ => {
                    if r.font.is_none() {
                        r.font = Some("Calibri");
                    } else {
                        r.color = Some("000000");
                    }
                }
            }
            // Markers between runs: a spelling mark around a piece, or a bookmark spanning
            // pieces, as Word leaves after edits and copy-paste.
            let marker = if k == 0 {
                0
            } else {
                (k + self.rng.below(3)) % 3
            };
            if marker == 1 {
                out.push_str(r#"<w:proofErr w:type="spellStart"/>"#);
                out.push_str(&plain(&piece, &r));
                out.push_str(r#"<w:proofErr w:type="spellEnd"/>"#);
            } else {
                if marker == 2 && open_bookmark.is_none() {
                    let id = self.w.bookmark_id();
                    self.hlk += 1;
                    out.push_str(&format!(
                        r#"<w:bookmarkStart w:id="{id}" w:name="_Hlk{}"/>"#,
                        210_000_000 + self.hlk * 7919 + (self.s.seed % 1000) as u32
                    ));
                    open_bookmark = Some(id);
                }
                out.push_str(&plain(&piece, &r));
            }
        }
        if let Some(id) = open_bookmark {
            out.push_str(&format!(r#"<w:bookmarkEnd w:id="{id}"/>"#));
        }
        out
    }

    fn label_runs(&mut self, text: &str, base: &RPr) -> String {
        self.label_i += 1;
        if self.s.split_labels > 0 && self.label_i.is_multiple_of(self.s.split_labels) {
            self.split_runs(text, base, None)
        } else {
            run(text, base)
        }
    }

    fn answer_runs(&mut self, text: &str) -> String {
        self.answer_i += 1;
        let rpr = self.s.answer_rpr.clone();
        let rsid = self.answer_rsid.clone();
        if self.s.split_answers > 0 && self.answer_i.is_multiple_of(self.s.split_answers) {
            self.split_runs(text, &rpr, Some(&rsid))
        } else {
            run_rsid(text, &rpr, &rsid)
        }
    }

    fn segs(&mut self, segs: &[Seg]) -> String {
        let mut out = String::new();
        for s in segs {
            match s {
                Seg::Label(t) => out.push_str(&self.label_runs(t, &RPr::default())),
                Seg::Dots(t) => out.push_str(&run(t, &RPr::default())),
                Seg::Tail(t) => out.push_str(&run(t, &RPr::default())),
                Seg::Answer(t) => out.push_str(&self.answer_runs(t)),
            }
        }
        out
    }

    /// The text written for an answer, if any.
    fn written(&mut self, id: &str, a: &Answer) -> Option<String> {
        match a {
            Answer::Empty => None,
            Answer::Text(t) => Some(t.clone()),
            Answer::Int(n) => Some(self.number(id, *n as f64)),
            Answer::Dec(v) => Some(self.number(id, *v)),
            Answer::Date(d) => {
                let st = self.s.dates[self.date_i % self.s.dates.len()];
                self.date_i += 1;
                Some(format_date(*d, st))
            }
            Answer::Raw { written, .. } => Some(written.clone()),
            other => panic!("{id}: {other:?} is not a typed answer"),
        }
    }

    fn number(&mut self, id: &str, v: f64) -> String {
        let st = self.s.numbers[self.num_i % self.s.numbers.len()];
        self.num_i += 1;
        format_number(v, st, unit(id))
    }

    fn placement(&mut self, id: &str) -> Placement {
        if let Some((_, p)) = self.s.field_placements.iter().find(|(f, _)| *f == id) {
            return *p;
        }
        let p = self.s.placements[self.place_i % self.s.placements.len()];
        self.place_i += 1;
        p
    }

    /// A text, number or date field: the label paragraph (with its dots when inline), the
    /// dotted paragraphs, and the answer where the style puts it.
    fn text_field(
        &mut self,
        id: &str,
        label: &'static str,
        inline: Option<(&str, &'static str)>,
        lines: &[&str],
    ) {
        let mut paras: Vec<Vec<Seg>> = Vec::new();
        let mut slots: Vec<usize> = Vec::new();
        let mut p0 = vec![Seg::Label(label)];
        if let Some((dots, tail)) = inline {
            p0.push(Seg::Dots(dots.to_string()));
            if !tail.is_empty() {
                p0.push(Seg::Tail(tail));
            }
            slots.push(0);
        }
        paras.push(p0);
        for l in lines {
            if !l.is_empty() {
                slots.push(paras.len());
                paras.push(vec![Seg::Dots(l.to_string())]);
            } else {
                paras.push(Vec::new());
            }
        }
        let answer = self.a.get(id).clone();
        if let Some(text) = self.written(id, &answer) {
            let parts: Vec<String> = match self.s.multiline {
                Multiline::Breaks => vec![text.clone()],
                Multiline::Paragraphs => text.split('\n').map(str::to_string).collect(),
            };
            let placement = self.placement(id);
            place(&mut paras, &mut slots, &parts, placement, inline.is_some());
        }
        for p in &paras {
            let content = self.segs(p);
            self.w.push_para(&PPr::default(), &content);
        }
    }

    fn yes_no_pair(&mut self, id: &str, question: &'static str) {
        let (oui, non) = ticks(self.a.get(id));
        let style = self.box_style(id);
        let q = self.label_runs(question, &RPr::default());
        self.w.push_para(&PPr::default(), &q);
        match style {
            BoxStyle::Legacy | BoxStyle::ContentControl => {
                let b1 = self.render_box(style, id, 0, oui);
                self.w.push_para(
                    &PPr::default(),
                    &format!("{}{b1}", run("oui\t", &RPr::default())),
                );
                let b2 = self.render_box(style, id, 1, non);
                self.w.push_para(
                    &PPr::default(),
                    &format!("{}{b2}", run("non\t", &RPr::default())),
                );
            }
            BoxStyle::GlyphAfterWord => {
                let b1 = self.render_box(style, id, 0, oui);
                self.w.push_para(
                    &PPr::default(),
                    &format!("{}{b1}", run("oui ", &RPr::default())),
                );
                let b2 = self.render_box(style, id, 1, non);
                self.w.push_para(
                    &PPr::default(),
                    &format!("{}{b2}", run("non ", &RPr::default())),
                );
            }
            BoxStyle::GlyphOneLine => {
                let b1 = self.render_box(style, id, 0, oui);
                let b2 = self.render_box(style, id, 1, non);
                let content = format!(
                    "{b1}{}{b2}{}",
                    run(" oui   ", &RPr::default()),
                    run(" non", &RPr::default())
                );
                self.w.push_para(&PPr::default(), &content);
            }
            BoxStyle::TypedAfterWord => {
                let b1 = self.render_box(style, id, 0, oui);
                self.w.push_para(
                    &PPr::default(),
                    &format!("{}{b1}", run("oui\t", &RPr::default())),
                );
                let b2 = self.render_box(style, id, 1, non);
                self.w.push_para(
                    &PPr::default(),
                    &format!("{}{b2}", run("non\t", &RPr::default())),
                );
            }
            BoxStyle::TypedBeforeWord => {
                // « X oui   non », « oui   X non »: the mark typed one space before its word.
                let b1 = self.render_box(style, id, 0, oui);
                let b2 = self.render_box(style, id, 1, non);
                let sp = |b: &str| if b.is_empty() { "" } else { " " };
                let content = format!(
                    "{b1}{}{b2}{}",
                    run(&format!("{}oui   ", sp(&b1)), &RPr::default()),
                    run(&format!("{}non", sp(&b2)), &RPr::default())
                );
                self.w.push_para(&PPr::default(), &content);
            }
            BoxStyle::TypedBetween => {
                // « oui X   non », « oui   non X »: the mark typed one space after its word.
                let b1 = self.render_box(style, id, 0, oui);
                let b2 = self.render_box(style, id, 1, non);
                let sp = |b: &str| if b.is_empty() { "" } else { " " };
                let content = format!(
                    "{}{b1}{}{b2}",
                    run(&format!("oui{}", sp(&b1)), &RPr::default()),
                    run(&format!("   non{}", sp(&b2)), &RPr::default())
                );
                self.w.push_para(&PPr::default(), &content);
            }
        }
    }

    /// Consecutive yes/no questions as a table: header ["", "Oui", "Non"], then one row
    /// per question with each box alone in its cell.
    fn yes_no_table(&mut self, items: &[(&'static str, &'static str)]) {
        let widths = [TEXT_WIDTH - 2 * 1100, 1100, 1100];
        let center = PPr {
            jc: Some("center"),
            ..PPr::default()
        };
        let mut rows = Vec::new();
        let head = |w: &mut Writer, t: &str, width: u32| Cell {
            width,
            span: 1,
            shade: Some("D9D9D9"),
            center: true,
            content: w.para(&center, &run(t, &RPr::bold())),
        };
        rows.push(vec![
            Cell {
                width: widths[0],
                span: 1,
                shade: Some("D9D9D9"),
                center: true,
                content: self.w.para(&PPr::default(), ""),
            },
            head(&mut self.w, "Oui", widths[1]),
            head(&mut self.w, "Non", widths[2]),
        ]);
        for (id, question) in items {
            let (oui, non) = ticks(self.a.get(id));
            let style = self.box_style(id);
            let q = self.label_runs(question, &RPr::default());
            let q = self.w.para(&PPr::default(), &q);
            let b1 = self.render_box(style, id, 0, oui);
            let b1 = self.w.para(&center, &b1);
            let b2 = self.render_box(style, id, 1, non);
            let b2 = self.w.para(&center, &b2);
            rows.push(vec![
                Cell {
                    width: widths[0],
                    span: 1,
                    shade: None,
                    center: true,
                    content: q,
                },
                Cell {
                    width: widths[1],
                    span: 1,
                    shade: None,
                    center: true,
                    content: b1,
                },
                Cell {
                    width: widths[2],
                    span: 1,
                    shade: None,
                    center: true,
                    content: b2,
                },
            ]);
        }
        let t = self.w.table(&widths, &rows, true, 1);
        self.w.push(&t);
        self.w.push_para(&PPr::default(), "");
    }

    fn check(&mut self, id: &str, label: &'static str, sep: &str, inline: bool) {
        let ticked = matches!(self.a.get(id), Answer::Check(true));
        let style = self.box_style(id);
        let l = self.label_runs(label, &RPr::default());
        let b = self.render_box(style, id, 0, ticked);
        // A typed mark at the end of the label's line: « Associatif * X ».
        let on_label_line = matches!(style, BoxStyle::TypedBeforeWord | BoxStyle::TypedBetween);
        if on_label_line {
            let sep = if b.is_empty() || sep.ends_with(' ') {
                sep.to_string()
            } else {
                format!("{sep} ")
            };
            self.w.push_para(
                &PPr::default(),
                &format!("{l}{}{b}", run(&sep, &RPr::default())),
            );
        } else if inline {
            self.w.push_para(
                &PPr::default(),
                &format!("{l}{}{b}", run(sep, &RPr::default())),
            );
        } else {
            self.w.push_para(&PPr::default(), &l);
            self.w.push_para(
                &PPr::default(),
                &format!("{}{b}", run(sep, &RPr::default())),
            );
        }
    }

    fn render(&mut self) {
        let mut i = 0;
        while i < FORM.len() {
            match FORM[i] {
                Title(t) => self
                    .w
                    .push_para(&PPr::style("Titre"), &run(t, &RPr::default())),
                YearTitle => {
                    let y = self.a.annee;
                    let t = format!("Bilan {}/{} arrêté au 30 avril {}", y, y + 1, y + 1);
                    self.w
                        .push_para(&PPr::style("Sous-titre"), &run(&t, &RPr::default()));
                }
                H1(t) => self
                    .w
                    .push_para(&PPr::style("Titre1"), &run(t, &RPr::default())),
                H2(t) => self
                    .w
                    .push_para(&PPr::style("Titre2"), &run(t, &RPr::default())),
                P(t) => self.w.push_para(&PPr::default(), &run(t, &RPr::default())),
                Bold(t) => self.w.push_para(&PPr::default(), &run(t, &RPr::bold())),
                Italic(t) => self.w.push_para(&PPr::default(), &run(t, &RPr::italic())),
                Bullet(t) => {
                    let ppr = PPr {
                        style: Some("Paragraphedeliste"),
                        num: Some((1, 0)),
                        ..PPr::default()
                    };
                    self.w.push_para(&ppr, &run(t, &RPr::default()))
                }
                Inline {
                    id,
                    label,
                    dots,
                    tail,
                    more,
                } => self.text_field(id, label, Some((dots, tail)), more),
                Block { id, label, lines } => self.text_field(id, label, None, lines),
                Check {
                    id,
                    label,
                    sep,
                    inline,
                } => self.check(id, label, sep, inline),
                YesNo { id, question } => {
                    let (_, def) = field(id).expect("field");
                    if self.s.table_sections.contains(&def.section) {
                        let mut group = Vec::new();
                        while let Some(YesNo { id, question }) = FORM.get(i) {
                            if field(id).expect("field").1.section != def.section {
                                break;
                            }
                            group.push((*id, *question));
                            i += 1;
                        }
                        self.yes_no_table(&group);
                        continue;
                    }
                    self.yes_no_pair(id, question);
                }
            }
            i += 1;
        }
    }
}

/// (« oui » ticked, « non » ticked)
fn ticks(a: &Answer) -> (bool, bool) {
    match a {
        Answer::Yes => (true, false),
        Answer::No => (false, true),
        Answer::Both => (true, true),
        Answer::Empty => (false, false),
        other => panic!("{other:?} is not a yes/no answer"),
    }
}

fn ends_with_space(segs: &[Seg], upto: usize) -> bool {
    match segs[..upto].last() {
        Some(Seg::Label(t)) | Some(Seg::Tail(t)) => t.ends_with([' ', '\u{a0}']),
        Some(Seg::Dots(t)) | Some(Seg::Answer(t)) => t.ends_with([' ', '\u{a0}']),
        None => true,
    }
}

fn dots_at(p: &[Seg]) -> usize {
    p.iter()
        .position(|s| matches!(s, Seg::Dots(_)))
        .expect("a dotted slot")
}

fn insert_para(paras: &mut Vec<Vec<Seg>>, slots: &mut [usize], pos: usize, segs: Vec<Seg>) {
    paras.insert(pos, segs);
    for s in slots.iter_mut() {
        if *s >= pos {
            *s += 1;
        }
    }
}

/// Puts the answer `parts` (lines, or one part with `\n` breaks) into the field's
/// paragraphs according to `placement`.
fn place(
    paras: &mut Vec<Vec<Seg>>,
    slots: &mut [usize],
    parts: &[String],
    placement: Placement,
    inline: bool,
) {
    let first = &parts[0];
    let rest = &parts[1..];
    let slot0 = slots[0];
    let mut placement = placement;
    if placement == Placement::Middle {
        let k = dots_at(&paras[slot0]);
        if let Seg::Dots(d) = &paras[slot0][k]
            && d.chars().count() < 4
        {
            placement = Placement::Over;
        }
    }
    // Index of the paragraph after which the remaining lines go.
    let mut last;
    match placement {
        Placement::Over => {
            let k = dots_at(&paras[slot0]);
            let sp = if ends_with_space(&paras[slot0], k) {
                ""
            } else {
                " "
            };
            paras[slot0][k] = Seg::Answer(format!("{sp}{first}"));
            last = slot0;
            for part in rest {
                if slots.contains(&(last + 1)) {
                    let k = dots_at(&paras[last + 1]);
                    paras[last + 1][k] = Seg::Answer(part.clone());
                    last += 1;
                } else {
                    insert_para(paras, slots, last + 1, vec![Seg::Answer(part.clone())]);
                    last += 1;
                }
            }
            return;
        }
        Placement::After => {
            let k = dots_at(&paras[slot0]);
            paras[slot0].insert(k + 1, Seg::Answer(format!(" {first}")));
            last = slot0;
        }
        Placement::Middle => {
            let k = dots_at(&paras[slot0]);
            let Seg::Dots(d) = paras[slot0][k].clone() else {
                unreachable!()
            };
            let chars: Vec<char> = d.chars().collect();
            let half = chars.len() / 2;
            let a: String = chars[..half].iter().collect();
            let b: String = chars[half..].iter().collect();
            paras[slot0].splice(
                k..=k,
                [Seg::Dots(a), Seg::Answer(first.clone()), Seg::Dots(b)],
            );
            last = slot0;
        }
        Placement::Before | Placement::OnLabelLine if inline => {
            let k = dots_at(&paras[0]);
            paras[0].insert(k, Seg::Answer(format!("{first} ")));
            last = 0;
        }
        Placement::Before => {
            for (pos, part) in (slot0..).zip(parts) {
                insert_para(paras, slots, pos, vec![Seg::Answer(part.clone())]);
            }
            return;
        }
        Placement::OnLabelLine => {
            let sp = if ends_with_space(&paras[0], paras[0].len()) {
                ""
            } else {
                " "
            };
            paras[0].push(Seg::Answer(format!("{sp}{first}")));
            last = 0;
        }
        Placement::Below => {
            for part in parts {
                let end = paras.len();
                insert_para(paras, slots, end, vec![Seg::Answer(part.clone())]);
            }
            return;
        }
    }
    for part in rest {
        insert_para(paras, slots, last + 1, vec![Seg::Answer(part.clone())]);
        last += 1;
    }
}

/// The body XML of a bilan (blank when every answer is empty).
pub fn bilan_body(answers: &BilanAnswers, style: &FillStyle) -> (String, String) {
    let mut rng = Rng::new(style.seed);
    let answer_rsid = format!("00{:06X}", (rng.next_u64() & 0xFF_FFFF) | 0x10_0000);
    let mut filler = Filler {
        w: Writer::new(
            (style.seed as u32).wrapping_mul(2_654_435_761) ^ 0x1F3D_5B79,
            FORM_RSID,
        ),
        a: answers,
        s: style,
        rng,
        answer_rsid,
        box_no: 0,
        tick_i: 0,
        untick_i: 0,
        place_i: 0,
        num_i: 0,
        date_i: 0,
        label_i: 0,
        answer_i: 0,
        hlk: 0,
    };
    filler.render();
    (filler.w.body, filler.answer_rsid)
}

/// A filled (or blank) bilan as .docx bytes.
pub fn bilan_docx(answers: &BilanAnswers, style: &FillStyle) -> Vec<u8> {
    let (body, answer_rsid) = bilan_body(answers, style);
    let y = answers.annee;
    let core = Core {
        title: format!("Bilan CLAS {}/{}", y, y + 1),
        creator: "Caf de Lot-et-Garonne".to_string(),
        last_modified_by: style.author.to_string(),
        revision: style.revision,
        created: "2021-09-06T08:12:00Z".to_string(),
        modified: style.modified.to_string(),
    };
    let rsids = [FORM_RSID, answer_rsid.as_str()];
    Package {
        body: &body,
        header: None,
        core,
        rsids: &rsids,
        margin: 1134,
    }
    .to_bytes()
}
