//! Bilans whose porteur deleted the check boxes and typed a letter `X` (or `x`) where each
//! box was (issue 14): every placement seen in real files, with their golden JSON.

use serde_json::Value as Json;

use crate::bilan::{BilanAnswers, BoxStyle, Placement};
use crate::french::{DateStyle, NumberStyle};
use crate::samples::{
    ACTIVITES, BilanSample, ECOLE, ORIGINE, PARENTS, SITUATIONS, SUIVI, style, yn,
};

/// Marks on the option's line, before the word (« X oui   non », « oui   X non ») or after it
/// (« oui X   non »), a single box's mark at the end of its label (« Associatif * X »), a part
/// left without any mark (zonage → null), both options marked, a table with marks alone in
/// their cells; a telephone number typed over the start of the dots, a sentence ending in
/// « ). » typed in the middle of a dotted line.
pub(crate) fn amicale_laique_casteljaloux() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Amicale laïque de Casteljaloux")
        .text("action.numero", "1")
        .text("referent.nom", "Nadia Ferrand")
        .raw(
            "referent.telephone",
            "05.36.49.33.07.…………..",
            Json::from("05.36.49.33.07"),
        )
        .text("referent.email", "clas.amicale@casteljaloux-laique.fr")
        .text(
            "action.lieu",
            "Salle des fêtes annexe, 3 place Gambetta, 47700 Casteljaloux",
        )
        .check("local.associatif", true)
        .check("local.municipal", false)
        .check("local.scolaire", false)
        .text(
            "etablissements",
            "École élémentaire Jean Moulin, collège Jean Zay",
        )
        .set("zonage.rep", crate::bilan::Answer::Unmarked)
        .set("zonage.pre", crate::bilan::Answer::Unmarked)
        .set("zonage.politique_ville", crate::bilan::Answer::Unmarked)
        .date("calendrier.debut", 2025, 10, 6)
        .date("calendrier.fin", 2026, 6, 5)
        .int("calendrier.semaines", 30)
        .int("intervenants.salaries", 2)
        .dec("heures.salaries", 380.0)
        .int("intervenants.volontaires", 0)
        .dec("heures.volontaires", 0.0)
        .int("intervenants.benevoles", 3)
        .dec("heures.benevoles", 240.0)
        .int("intervenants.total", 5)
        .dec("heures.total", 620.0)
        .int("enfants.elementaire", 12)
        .int("enfants.college", 8)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 20)
        .int("collectifs.nombre", 2)
        .int("familles.nombre", 17)
        .dec("enfants.par_accompagnateur", 4.0);
    a.yes_no(&[("calendrier.ecart", false), ("frequentation.ecart", false)]);
    yn(&mut a, SITUATIONS, "onooon");
    yn(&mut a, ORIGINE, "oonoo-");
    yn(&mut a, ACTIVITES, "oooonbooon");
    yn(&mut a, SUIVI, "oooon");
    yn(&mut a, PARENTS, "ooononoo-ooooon");
    yn(&mut a, ECOLE, "oonon");
    a.text(
        "projet_parents.detail",
        "Trois cafés des parents animés avec la ludothèque (jeux de société, lecture, parentalité).",
    )
    .text(
        "territoire.articulations",
        "Réunions de rentrée avec la mairie et le collège ; participation au conseil local de la jeunesse.",
    )
    .text("territoire.acteurs", "Mairie, collège, ludothèque intercommunale, club de rugby.")
    .text("territoire.ecarts", "Aucun écart.")
    .text(
        "bilan.global",
        "Les enfants viennent avec plaisir ; les devoirs sont faits plus sereinement.",
    )
    .text(
        "bilan.difficultes",
        "Notre Word ne permettait pas de cocher les cases : nous avons tapé des croix.",
    )
    .text("reseau.animation", "Rencontres utiles.")
    .text("reseau.formations", "Pas encore participé.")
    .text(
        "reseau.effets_ouverture",
        "Sortie au festival de la BD de Casteljaloux avec les familles.",
    );
    let mut s = style(10, "Nadia Ferrand", "2026-05-20T09:40:00Z", 4);
    s.boxes = BoxStyle::TypedBeforeWord;
    s.section_boxes = vec![
        ("origine", BoxStyle::TypedBetween),
        ("parents", BoxStyle::TypedAfterWord),
        ("ecole", BoxStyle::TypedAfterWord),
    ];
    s.table_sections = vec!["ecole"];
    s.field_placements = vec![("projet_parents.detail", Placement::Middle)];
    s.placements = vec![Placement::Over, Placement::After];
    s.dates = vec![DateStyle::Slash];
    BilanSample {
        slug: "amicale-laique-casteljaloux-croix-tapees",
        exercises: vec![
            "cases supprimées, croix tapées à la place (`X` ou `x`) : sur la ligne, avant le mot (« X oui   non », « oui   X non ») ; après le mot pour l’origine (« oui X   non », « oui   non X ») ; à la place de la case, sous la question, pour les parents (« oui X » / « non ») ; seules dans leur cellule pour l’école (tableau « | Oui | Non »)",
            "local : croix au bout de la ligne du libellé (« Associatif * X ») → associatif vrai, les deux autres faux",
            "zonage : aucune croix dans toute la partie → null (et non « non coché »)",
            "oui ET non marqués d’une croix (activite.jeux) → null ; sans croix (origine.autres, parents.numerique) → null",
            "téléphone tapé sur le début des pointillés, le point de ceux-ci collé : `05.36.49.33.07.…………..` → `05.36.49.33.07`",
            "réponse terminée par « parentalité). » tapée au milieu des pointillés : le point final est gardé",
        ],
        breaks: vec![
            "reponse.manquante",
            "reponse.contradictoire",
            "axe.parents",
            "axe.ecole",
        ],
        answers: a,
        style: s,
    }
}

/// Marks in the form's own places: alone on the line under a label (« X »), at the end of an
/// inline label (« REP – Réseau d’éducation prioritaire    X »), « oui X » / « non » in two
/// paragraphs; « oui X   non » and « X oui   non » on one line in two parts.
pub(crate) fn passerelles_miramont() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Centre social Les Passerelles")
        .text("action.numero", "3")
        .text("referent.nom", "DUPRAT Hélène")
        .text("referent.telephone", "05 53 93 27 64")
        .text("referent.email", "clas@passerelles-miramont.fr")
        .text(
            "action.lieu",
            "Centre social, 9 rue du Château d’eau, 47800 Miramont-de-Guyenne",
        )
        .check("local.associatif", false)
        .check("local.municipal", true)
        .check("local.scolaire", false)
        .text(
            "etablissements",
            "École Marcel Pagnol, école du Pont, collège Félix Lacombe",
        )
        .check("zonage.rep", true)
        .check("zonage.pre", true)
        .check("zonage.politique_ville", true)
        .date("calendrier.debut", 2025, 9, 22)
        .date("calendrier.fin", 2026, 6, 12)
        .int("calendrier.semaines", 32)
        .int("intervenants.salaries", 3)
        .dec("heures.salaries", 560.0)
        .int("intervenants.volontaires", 1)
        .dec("heures.volontaires", 150.0)
        .int("intervenants.benevoles", 2)
        .dec("heures.benevoles", 210.0)
        .int("intervenants.total", 6)
        .dec("heures.total", 920.0)
        .int("enfants.elementaire", 16)
        .int("enfants.college", 8)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 24)
        .int("collectifs.nombre", 2)
        .int("familles.nombre", 20)
        .dec("enfants.par_accompagnateur", 4.0)
        .text(
            "frequentation.ecart_raisons",
            "Quatre enfants de plus qu’annoncé, orientés par le PRE en janvier.",
        );
    a.yes_no(&[("calendrier.ecart", false), ("frequentation.ecart", true)]);
    yn(&mut a, SITUATIONS, "ooonoo");
    yn(&mut a, ORIGINE, "oooono");
    yn(&mut a, ACTIVITES, "ooooooooon");
    yn(&mut a, SUIVI, "oooon");
    yn(&mut a, PARENTS, "oooonooooooooon");
    yn(&mut a, ECOLE, "oooon");
    a.text(
        "projet_parents.detail",
        "Un groupe de parole mensuel et deux sorties familiales.",
    )
    .text(
        "territoire.articulations",
        "Comité de suivi du PRE, réunions trimestrielles avec la mairie et les écoles.",
    )
    .text("territoire.acteurs", "PRE, écoles, collège, médiathèque, maison de santé.")
    .text("territoire.ecarts", "Pas d’écart notable.")
    .text(
        "bilan.global",
        "Une année riche ; les enfants ont progressé en lecture.\nLes parents participent davantage aux temps collectifs.",
    )
    .text("bilan.difficultes", "Peu de bénévoles disponibles le vendredi.")
    .text("reseau.animation", "Très bonne animation du réseau.")
    .text("reseau.formations", "Formation sur l’usage du numérique très utile.")
    .text(
        "reseau.effets_ouverture",
        "Visite du musée de Marmande et atelier théâtre avec la compagnie locale.",
    );
    let mut s = style(11, "Hélène Duprat", "2026-05-26T14:05:00Z", 8);
    s.boxes = BoxStyle::TypedAfterWord;
    s.section_boxes = vec![
        ("situations", BoxStyle::TypedBetween),
        ("enfants", BoxStyle::TypedBeforeWord),
    ];
    s.placements = vec![Placement::Over, Placement::Below];
    s.numbers = vec![NumberStyle::Plain, NumberStyle::WithUnit];
    s.dates = vec![DateStyle::LongWeekday];
    BilanSample {
        slug: "passerelles-miramont-croix-tapees",
        exercises: vec![
            "conforme au référentiel national",
            "cases supprimées, croix tapées là où était la case : « oui X » / « non » sur deux lignes ; local coché par une croix seule sur la ligne sous le libellé (« Municipal » puis « X ») ; zonage : croix au bout de la ligne (« REP – Réseau d’éducation prioritaire    X ») ou seule dessous (PRE)",
            "situations en « oui X   non » / « oui   non X », activités en « X oui   non » / « oui   X non »",
            "réponse sur deux paragraphes (bilan.global) ; « écarts » oui avec justification",
        ],
        breaks: vec![],
        answers: a,
        style: s,
    }
}
