//! The committed samples: fictional porteurs of Lot-et-Garonne (invented associations and
//! people), each a bilan filled the way people really fill it, with its golden JSON; two
//! notes stratégiques; and the generation of `forms/` and `samples/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::bilan::{
    BilanAnswers, BoxStyle, FillStyle, Multiline, Placement, bilan_docx, golden_json,
};
use crate::convention::convention_docx;
use crate::docx::{LegacyBox, RPr};
use crate::french::{DateStyle, NumberStyle, Ymd};
use crate::note::{DispRow, NoteAnswers, NoteStyle, TotalRow, golden_note_json, note_docx};

/// A filled bilan and what it is for.
pub struct BilanSample {
    pub slug: &'static str,
    /// What the sample exercises (French, for samples/README.md).
    pub exercises: Vec<&'static str>,
    /// National-rule findings the sample is built to raise (rule ids of docs/rules.md);
    /// empty for a fully conforming sample.
    pub breaks: Vec<&'static str>,
    pub answers: BilanAnswers,
    pub style: FillStyle,
}

/// A filled note stratégique.
pub struct NoteSample {
    pub slug: &'static str,
    pub exercises: Vec<&'static str>,
    pub breaks: Vec<&'static str>,
    pub answers: NoteAnswers,
    pub style: NoteStyle,
}

/// The filled bilan re-saved through LibreOffice (`--libreoffice`).
pub const LIBREOFFICE_SOURCE: &str = "cartables-du-passage";

pub const SITUATIONS: &[&str] = &[
    "situation.difficulte_scolaire",
    "situation.logement",
    "situation.acces_socioculturel",
    "situation.disponibilite_parents",
    "situation.langue_parents",
    "situation.rupture_ecole",
];
pub const ORIGINE: &[&str] = &[
    "origine.famille",
    "origine.enfant",
    "origine.enseignant",
    "origine.association",
    "origine.reussite_educative",
    "origine.autres",
];
pub const ACTIVITES: &[&str] = &[
    "activite.methodologie",
    "activite.travail_personnel",
    "activite.numerique",
    "activite.culture_sport",
    "activite.sciences",
    "activite.jeux",
    "activite.sorties",
    "activite.citoyennete",
    "activite.ecole_orientation",
    "activites.ecart",
];
pub const SUIVI: &[&str] = &[
    "suivi.progression_assiduite",
    "suivi.mesure_progression",
    "suivi.mesure_assiduite",
    "ouverture_culturelle.realise",
    "ouverture_culturelle.ecart",
];
pub const PARENTS: &[&str] = &[
    "parents.reunion_information",
    "parents.contractualisation",
    "parents.rencontres_individuelles",
    "parents.outils_liaison",
    "parents.rencontres_enseignants",
    "parents.convivialite",
    "parents.participation_seances",
    "parents.rencontre_thematique",
    "parents.numerique",
    "parents.associations_parents",
    "parents.codes_ecole",
    "parents.partenaires",
    "parents.evaluation",
    "projet_parents.realise",
    "projet_parents.ecart",
];
pub const ECOLE: &[&str] = &[
    "ecole.partenariat_formalise",
    "ecole.partenariat_informel",
    "ecole.orientation",
    "ecole.rencontres",
    "ecole.ecart",
];

/// Sets yes/no answers from a pattern, one character per id: `o` oui, `n` non, `b` both
/// ticked, `-` unanswered.
pub fn yn(a: &mut BilanAnswers, ids: &[&str], pattern: &str) {
    assert_eq!(
        ids.len(),
        pattern.chars().count(),
        "pattern length for {ids:?}"
    );
    for (id, c) in ids.iter().zip(pattern.chars()) {
        match c {
            'o' => a.yes_no(&[(id, true)]),
            'n' => a.yes_no(&[(id, false)]),
            'b' => a.both(id),
            '-' => a.empty(id),
            _ => panic!("bad pattern character {c:?}"),
        };
    }
}

pub(crate) fn style(
    seed: u64,
    author: &'static str,
    modified: &'static str,
    revision: u32,
) -> FillStyle {
    FillStyle {
        seed,
        author,
        modified,
        revision,
        ..FillStyle::blank()
    }
}

/// Sample 1: Fully conforming; legacy fields ticked three ways; answers over the dots.
fn cartables_du_passage() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Association Les Cartables du Passage")
        .text("action.numero", "2")
        .text("referent.nom", "LABAT Sandrine")
        .text("referent.telephone", "05 53 68 21 40")
        .text("referent.email", "clas@cartables-du-passage.fr")
        .text("action.lieu", "Maison des associations, 14 rue des Tilleuls, 47520 Le Passage")
        .check("local.associatif", true)
        .check("local.municipal", false)
        .check("local.scolaire", false)
        .text("etablissements", "École élémentaire Jules Ferry, école élémentaire Paul Bert, collège Jean Rostand")
        .check("zonage.rep", false)
        .check("zonage.pre", true)
        .check("zonage.politique_ville", true)
        .date("calendrier.debut", 2025, 9, 29)
        .date("calendrier.fin", 2026, 6, 12)
        .int("calendrier.semaines", 32)
        .int("intervenants.salaries", 2)
        .dec("heures.salaries", 420.0)
        .int("intervenants.volontaires", 1)
        .dec("heures.volontaires", 120.0)
        .int("intervenants.benevoles", 3)
        .dec("heures.benevoles", 312.5)
        .int("intervenants.total", 6)
        .dec("heures.total", 852.5)
        .int("enfants.elementaire", 14)
        .int("enfants.college", 8)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 22)
        .int("collectifs.nombre", 2)
        .int("familles.nombre", 18)
        .dec("enfants.par_accompagnateur", 3.7)
        .text(
            "frequentation.ecart_raisons",
            "Deux enfants inscrits en cours d’année, après le conseil de classe du premier trimestre.",
        );
    a.yes_no(&[("calendrier.ecart", false), ("frequentation.ecart", true)]);
    yn(&mut a, SITUATIONS, "oooono");
    yn(&mut a, ORIGINE, "onooon");
    yn(&mut a, ACTIVITES, "oooonoooon");
    yn(&mut a, SUIVI, "oooon");
    yn(&mut a, PARENTS, "oooooononnoooon");
    yn(&mut a, ECOLE, "oooon");
    a.text(
        "projet_parents.detail",
        "Quatre ateliers « parents-enfants » autour de la lecture à voix haute, animés avec la médiathèque.",
    )
    .text(
        "territoire.articulations",
        "Participation au comité de pilotage du PRE et aux réunions du réseau parentalité de la commune.",
    )
    .text(
        "territoire.acteurs",
        "Écoles et collège du secteur, équipe du PRE, médiathèque municipale, service jeunesse de la mairie.",
    )
    .text("territoire.ecarts", "Aucun écart notable.")
    .text(
        "bilan.global",
        "Année positive : les enfants ont gagné en autonomie dans l’organisation de leur travail.\nLes familles sont plus présentes aux temps de convivialité que l’an dernier.",
    )
    .text(
        "bilan.difficultes",
        "Recrutement de bénévoles difficile en début d’année ; nous souhaiterions une formation sur l’accompagnement des enfants allophones.",
    )
    .text("reseau.animation", "Rencontres utiles et conviviales ; le mardi après-midi nous convient bien.")
    .text("reseau.formations", "La formation sur la relation aux familles a été très appréciée par l’équipe.")
    .text(
        "reseau.effets_ouverture",
        "Les enfants ont découvert le théâtre ; plusieurs familles sont venues à la représentation de fin d’année.",
    );
    let mut s = style(1, "Sandrine Labat", "2026-05-12T18:20:00Z", 15);
    s.ticked = vec![
        LegacyBox::Checked,
        LegacyBox::CheckedVal1,
        LegacyBox::CheckedTrue,
    ];
    s.unticked = vec![LegacyBox::Unchecked0, LegacyBox::Blank];
    BilanSample {
        slug: "cartables-du-passage",
        exercises: vec![
            "conforme au référentiel national (aucune règle enfreinte ; début avant la Toussaint, donc l’avertissement `calendrier.periode` attendu)",
            "cases à cocher anciennes (FORMCHECKBOX) cochées tour à tour par `<w:checked/>`, `<w:checked w:val=\"1\"/>`, `<w:checked w:val=\"true\"/>` ; non cochées par `<w:checked w:val=\"0\"/>` ou seulement `<w:default w:val=\"0\"/>`",
            "réponses tapées à la place des pointillés (y compris « ACTION N° 2, » avec la virgule du formulaire)",
            "nombres `312,5`, `852,5`, `3,7` ; dates `29/09/2025`, `12/06/2026`",
            "réponse sur plusieurs paragraphes (bilan.global) ; « écarts » oui avec justification",
            "source de l’échantillon ré-enregistré par LibreOffice",
        ],
        breaks: vec![],
        answers: a,
        style: s,
    }
}

/// Sample 2: Fully conforming; content-control checkboxes; numbers with units; dates with the
/// weekday; answers after / in the middle of the dots; split runs; `w:br` line breaks.
fn centre_social_du_pin() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Centre social du Pin")
        .text("action.numero", "1")
        .text("referent.nom", "Karim Benali")
        .text("referent.telephone", "06 71 42 18 95")
        .text("referent.email", "k.benali@centresocial-dupin.org")
        .text(
            "action.lieu",
            "Centre social du Pin\n3 place du Marché, 47300 Villeneuve-sur-Lot",
        )
        .check("local.associatif", false)
        .check("local.municipal", true)
        .check("local.scolaire", false)
        .text(
            "etablissements",
            "École Jean Macé ; école Louise Michel ; collège Anatole Lebrun",
        )
        .check("zonage.rep", true)
        .check("zonage.pre", false)
        .check("zonage.politique_ville", true)
        .date("calendrier.debut", 2025, 9, 22)
        .date("calendrier.fin", 2026, 6, 11)
        .int("calendrier.semaines", 31)
        .text(
            "calendrier.ecart_raisons",
            "Démarrage avancé d’une semaine pour accueillir les collégiens dès la rentrée.",
        )
        .int("intervenants.salaries", 2)
        .dec("heures.salaries", 820.0)
        .int("intervenants.volontaires", 0)
        .dec("heures.volontaires", 0.0)
        .int("intervenants.benevoles", 3)
        .dec("heures.benevoles", 430.0)
        .int("intervenants.total", 5)
        .dec("heures.total", 1250.0)
        .text(
            "moyens.ecart_raisons",
            "Un bénévole de plus que prévu : un enseignant retraité nous a rejoints en janvier.",
        )
        .int("enfants.elementaire", 16)
        .int("enfants.college", 8)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 24)
        .int("collectifs.nombre", 2)
        .int("familles.nombre", 19)
        .dec("enfants.par_accompagnateur", 5.0);
    a.yes_no(&[("calendrier.ecart", true), ("frequentation.ecart", false)]);
    yn(&mut a, SITUATIONS, "oooooo");
    yn(&mut a, ORIGINE, "ooooon");
    yn(&mut a, ACTIVITES, "nooooooooo");
    yn(&mut a, SUIVI, "oooon");
    yn(&mut a, PARENTS, "onnooooooooooon");
    yn(&mut a, ECOLE, "noooo");
    a.text(
        "activites.ecart_raisons",
        "Les ateliers scientifiques prévus avec le collège ont été remplacés par des jeux éducatifs.",
    )
    .text(
        "projet_parents.detail",
        "Café des parents un vendredi sur deux\nAteliers « comprendre l’ENT du collège » avec la conseillère numérique",
    )
    .text(
        "ecole.ecart_raisons",
        "La convention avec le collège n’a pas été renouvelée ; les échanges restent réguliers mais informels.",
    )
    .text(
        "territoire.articulations",
        "Coordination mensuelle avec le PRE et la cité éducative ; participation au comité de suivi du contrat de ville.",
    )
    .text("territoire.acteurs", "Cité éducative, PRE, médiathèque, club de rugby, bailleur social.")
    .text("territoire.ecarts", "Non.")
    .text(
        "bilan.global",
        "Très bonne dynamique des deux collectifs.\nLes parents participent davantage depuis la mise en place du café des parents.\nLes résultats du premier trimestre sont encourageants.",
    )
    .text("bilan.difficultes", "Locaux trop petits le mardi ; besoin d’une formation à l’accompagnement des collégiens.")
    .text("reseau.animation", "Bonne animation, mais réunions trop tardives pour les bénévoles.")
    .text("reseau.formations", "Intéressantes ; à proposer aussi le samedi matin.")
    .text(
        "reseau.effets_ouverture",
        "Sortie au musée et atelier photo : les jeunes ont pris confiance et ont présenté leurs photos aux familles.",
    );
    let mut s = style(2, "Karim Benali", "2026-05-20T21:47:00Z", 9);
    s.boxes = BoxStyle::ContentControl;
    s.placements = vec![Placement::After, Placement::Middle, Placement::Over];
    s.numbers = vec![NumberStyle::WithUnit];
    s.dates = vec![DateStyle::LongWeekday];
    s.multiline = Multiline::Breaks;
    s.split_labels = 3;
    s.split_answers = 2;
    s.answer_rpr = RPr {
        font: Some("Arial"),
        color: Some("1F497D"),
        ..RPr::default()
    };
    BilanSample {
        slug: "centre-social-du-pin",
        exercises: vec![
            "conforme au référentiel national (12 enfants par collectif, la borne haute)",
            "cases à cocher « contrôle de contenu » (`w14:checkbox`, ☒/☐ en MS Gothic) au lieu des champs FORMCHECKBOX",
            "nombres avec unité : `24 enfants`, `2 collectifs`, `1 250 heures`, `0 volontaire`",
            "dates `lundi 22 septembre 2025`, `jeudi 11 juin 2026`",
            "réponses après les pointillés, au milieu des pointillés, à leur place",
            "libellés et réponses coupés en plusieurs runs (mise en forme différente, `w:proofErr`, signets `_Hlk`, coupure au milieu d’un mot)",
            "réponses sur plusieurs lignes par retours à la ligne `w:br` (adresse, bilan.global)",
        ],
        breaks: vec![],
        answers: a,
        style: s,
    }
}

/// Sample 3: Glyphs typed after the word; answers under / above the dotted line; unanswered
/// questions; too few weeks.
fn foyer_rural_castelmoron() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Foyer rural de Castelmoron-sur-Lot")
        .text("action.numero", "3")
        .text("referent.nom", "Mme DUPEYRON Hélène")
        .text("referent.telephone", "05.53.84.90.12")
        .text(
            "referent.email",
            "foyer.castelmoron@foyerrural-castelmoron.fr",
        )
        .text(
            "action.lieu",
            "Salle des fêtes, place de la Mairie, 47260 Castelmoron-sur-Lot",
        )
        .check("local.municipal", true)
        .text(
            "etablissements",
            "École primaire de Castelmoron-sur-Lot\nCollège de Sainte-Livrade-sur-Lot",
        )
        .date("calendrier.debut", 2025, 11, 17)
        .date("calendrier.fin", 2026, 6, 5)
        .int("calendrier.semaines", 24)
        .text(
            "calendrier.ecart_raisons",
            "Démarrage retardé après les vacances de la Toussaint, faute d’animateur.",
        )
        .int("intervenants.salaries", 1)
        .dec("heures.salaries", 144.0)
        .int("intervenants.volontaires", 0)
        .dec("heures.volontaires", 0.0)
        .int("intervenants.benevoles", 2)
        .dec("heures.benevoles", 96.0)
        .int("intervenants.total", 3)
        .dec("heures.total", 240.0)
        .int("enfants.elementaire", 9)
        .int("enfants.college", 3)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 12)
        .int("collectifs.nombre", 1)
        .int("familles.nombre", 10)
        .dec("enfants.par_accompagnateur", 4.0);
    a.yes_no(&[("calendrier.ecart", true), ("frequentation.ecart", false)]);
    yn(&mut a, SITUATIONS, "o-oono");
    yn(&mut a, ORIGINE, "onoon-");
    yn(&mut a, ACTIVITES, "oonoooonnn");
    yn(&mut a, SUIVI, "ononn");
    yn(&mut a, PARENTS, "onnoooon-nooonn");
    yn(&mut a, ECOLE, "nooon");
    a.text(
        "territoire.articulations",
        "Lien avec la mairie et l’accueil de loisirs intercommunal pour les mercredis.",
    )
    .text(
        "territoire.acteurs",
        "Mairie, accueil de loisirs, école primaire, bibliothèque.",
    )
    .text(
        "bilan.global",
        "Petit groupe très assidu. Les familles apprécient la proximité.",
    )
    .text(
        "bilan.difficultes",
        "Trouver un animateur qualifié en milieu rural.",
    )
    .text("reseau.formations", "Trop loin (Agen) pour nos bénévoles.");
    let mut s = style(3, "Hélène Dupeyron", "2026-06-18T10:05:00Z", 4);
    s.boxes = BoxStyle::GlyphAfterWord;
    s.glyph_font = None;
    s.placements = vec![Placement::Below, Placement::Before, Placement::OnLabelLine];
    s.dates = vec![DateStyle::LongWeekday, DateStyle::Long];
    BilanSample {
        slug: "foyer-rural-castelmoron",
        exercises: vec![
            "cases remplacées par des caractères ☒/☐ tapés après le mot (« oui ☒ » / « non ☐ »), sans aucun champ",
            "réponses dans le paragraphe sous les pointillés, au-dessus des pointillés, au bout de la ligne du libellé",
            "dates `lundi 17 novembre 2025`, `5 juin 2026` ; téléphone `05.53.84.90.12`",
            "oui/non sans réponse (situation.logement, origine.autres, parents.numerique) → null",
            "établissements sur deux paragraphes",
        ],
        breaks: vec!["duree.semaines", "reponse.manquante"],
        answers: a,
        style: s,
    }
}

/// Sample 4: Glyphs on one line, box before the word; both boxes ticked; a number in words; a
/// required field left empty.
fn maison_quartiers_marmande() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Maison des quartiers Nord")
        .empty("action.numero")
        .text("referent.nom", "Julien Lacoste")
        .text("referent.telephone", "0553641287")
        .text("referent.email", "julien.lacoste@mqn-marmande.fr")
        .text(
            "action.lieu",
            "Espace Jean Jaurès, 8 avenue des Roses, 47200 Marmande",
        )
        .check("local.associatif", true)
        .text(
            "etablissements",
            "Écoles Jean Jaurès et Victor Hugo, collège Léopold Sédar Senghor",
        )
        .check("zonage.rep", true)
        .check("zonage.politique_ville", true)
        .date("calendrier.debut", 2025, 11, 17)
        .date("calendrier.fin", 2026, 6, 26)
        .int("calendrier.semaines", 31)
        .int("intervenants.salaries", 3)
        .dec("heures.salaries", 1250.0)
        .int("intervenants.volontaires", 1)
        .dec("heures.volontaires", 180.0)
        .int("intervenants.benevoles", 4)
        .dec("heures.benevoles", 510.0)
        .int("intervenants.total", 8)
        .dec("heures.total", 1940.0)
        .int("enfants.elementaire", 18)
        .int("enfants.college", 12)
        .int("enfants.lycee", 2)
        .int("enfants.autres", 0)
        .int("enfants.total", 32)
        .int("collectifs.nombre", 3)
        .raw("familles.nombre", "une quinzaine", Json::Null)
        .dec("enfants.par_accompagnateur", 4.0);
    a.yes_no(&[("calendrier.ecart", false), ("frequentation.ecart", false)]);
    yn(&mut a, SITUATIONS, "oooooo");
    yn(&mut a, ORIGINE, "oooonn");
    yn(&mut a, ACTIVITES, "oooonbooon");
    yn(&mut a, SUIVI, "ooooo");
    yn(&mut a, PARENTS, "oooooonoooooooo");
    yn(&mut a, ECOLE, "ooooo");
    a.text(
        "ouverture_culturelle.ecart_raisons",
        "Le spectacle prévu en mars a été annulé ; remplacé par une visite du musée en mai.",
    )
    .text(
        "projet_parents.ecart_raisons",
        "Les ateliers numériques pour les parents ont commencé en février au lieu de novembre.",
    )
    .text(
        "ecole.ecart_raisons",
        "Moins de rencontres avec le collège que prévu, en raison du changement de principal.",
    )
    .text(
        "territoire.articulations",
        "Instance de coordination trimestrielle avec les autres porteurs CLAS de la ville et le PRE.",
    )
    .text("territoire.acteurs", "PRE, centre social, médiathèque, associations sportives du quartier.")
    .text("territoire.ecarts", "Pas d’écart.")
    .text("bilan.global", "Bilan satisfaisant malgré un effectif plus important que prévu.")
    .text("bilan.difficultes", "Manque de bénévoles pour les lycéens.")
    .text("reseau.animation", "RAS.")
    .text("reseau.effets_ouverture", "Meilleure cohésion du groupe après la visite du musée.");
    let mut s = style(4, "Julien Lacoste", "2026-05-28T16:12:00Z", 6);
    s.boxes = BoxStyle::GlyphOneLine;
    s.glyph_font = Some("MS Gothic");
    s.placements = vec![Placement::Over, Placement::After];
    s.numbers = vec![NumberStyle::Grouped];
    s.dates = vec![DateStyle::Dots];
    BilanSample {
        slug: "maison-quartiers-marmande",
        exercises: vec![
            "cases remplacées par ☒/☐ tapés sur une seule ligne, case avant le mot : « ☒ oui   ☐ non »",
            "oui ET non cochés (activite.jeux) → null",
            "« une quinzaine » écrit pour un nombre (familles.nombre) → null",
            "champ obligatoire laissé vide, pointillés intacts (action.numero) → null",
            "nombres `1 250` (espace des milliers) ; dates `17.11.25`, `26.06.26` (fin après le 15 juin) ; téléphone `0553641287`",
            "écarts oui avec justification (ouverture culturelle, projet parents, école)",
        ],
        breaks: vec![
            "reponse.manquante",
            "reponse.contradictoire",
            "reponse.illisible",
        ],
        answers: a,
        style: s,
    }
}

/// Sample 5: Yes/no questions of two sections laid out as tables; « écarts » oui without a
/// justification; children by level not adding up.
fn trait_union_tonneins() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Association Trait d’Union")
        .text("action.numero", "4")
        .text("referent.nom", "Nadia Ferrand")
        .text("referent.telephone", "+33 5 53 79 20 11")
        .text("referent.email", "n.ferrand@traitdunion47.fr")
        .text(
            "action.lieu",
            "Local associatif, 22 rue de la République, 47400 Tonneins",
        )
        .check("local.associatif", true)
        .text(
            "etablissements",
            "Groupe scolaire Pierre et Marie Curie ; école Antoine de Saint-Exupéry",
        )
        .check("zonage.pre", true)
        .check("zonage.politique_ville", true)
        .date("calendrier.debut", 2025, 10, 6)
        .date("calendrier.fin", 2026, 6, 12)
        .int("calendrier.semaines", 30)
        .int("intervenants.salaries", 2)
        .dec("heures.salaries", 360.0)
        .int("intervenants.volontaires", 0)
        .dec("heures.volontaires", 0.0)
        .int("intervenants.benevoles", 2)
        .dec("heures.benevoles", 200.0)
        .int("intervenants.total", 4)
        .dec("heures.total", 560.0)
        .int("enfants.elementaire", 15)
        .int("enfants.college", 5)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 18)
        .int("collectifs.nombre", 2)
        .int("familles.nombre", 14)
        .dec("enfants.par_accompagnateur", 4.5);
    a.yes_no(&[("calendrier.ecart", false), ("frequentation.ecart", true)]);
    yn(&mut a, SITUATIONS, "ooonoo");
    yn(&mut a, ORIGINE, "oooono");
    yn(&mut a, ACTIVITES, "oooononoon");
    yn(&mut a, SUIVI, "ooonn");
    yn(&mut a, PARENTS, "oooooooonnooonn");
    yn(&mut a, ECOLE, "noooo");
    a.text(
        "ecole.ecart_raisons",
        "Le conseil d’école n’a pas pu nous recevoir cette année.",
    )
    .text(
        "territoire.articulations",
        "Réunions avec le PRE de Tonneins deux fois par an.",
    )
    .text(
        "territoire.acteurs",
        "PRE, écoles, service enfance de la mairie.",
    )
    .text("territoire.ecarts", "Non")
    .text("bilan.global", "Bonne année, enfants motivés.")
    .text("bilan.difficultes", "Absentéisme en fin d’année.")
    .text("reseau.animation", "Satisfaisant.")
    .text("reseau.formations", "Pas pu y participer.")
    .text(
        "reseau.effets_ouverture",
        "Ouverture sur la ville grâce aux sorties.",
    );
    let mut s = style(5, "Nadia Ferrand", "2026-06-02T12:30:00Z", 7);
    s.ticked = vec![LegacyBox::Checked];
    s.unticked = vec![LegacyBox::Unchecked0];
    s.table_sections = vec!["situations", "parents"];
    s.numbers = vec![NumberStyle::WithUnit, NumberStyle::Plain];
    BilanSample {
        slug: "trait-union-tonneins",
        exercises: vec![
            "questions oui/non des situations et des parents en tableau Word (en-tête « | Oui | Non », case seule dans sa cellule, sans le mot oui/non)",
            "fréquentation : écarts = oui mais « Si oui » laissé vide",
            "élémentaire + collège ≠ total (15 + 5 ≠ 18)",
            "nombres avec et sans unité ; téléphone `+33 5 53 79 20 11`",
        ],
        breaks: vec!["ecart.justification", "coherence.enfants"],
        answers: a,
        style: s,
    }
}

/// Sample 6: Boxes ticked only through « case activée » (default); every label and answer split
/// into runs; answers before the dots; hours and ratio inconsistent; too few weeks.
fn savoirs_partages_nerac() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Association Savoirs Partagés en Albret")
        .text("action.numero", "2")
        .text("referent.nom", "Thomas Garrigues")
        .text("referent.telephone", "06 12 47 85 30")
        .text("referent.email", "contact@savoirs-partages-albret.org")
        .text("action.lieu", "Salle Pierre-Dupuy, 5 allée d’Albret, 47600 Nérac")
        .check("local.scolaire", true)
        .text("etablissements", "École élémentaire des Tanneries ; collège de la Baïse")
        .date("calendrier.debut", 2025, 12, 1)
        .date("calendrier.fin", 2026, 6, 15)
        .int("calendrier.semaines", 26)
        .text(
            "calendrier.ecart_raisons",
            "Démarrage décalé au 1er décembre : locaux scolaires indisponibles en novembre.\nDeux séances annulées en février (transports scolaires).",
        )
        .int("intervenants.salaries", 1)
        .dec("heures.salaries", 312.5)
        .int("intervenants.volontaires", 1)
        .dec("heures.volontaires", 150.0)
        .int("intervenants.benevoles", 2)
        .dec("heures.benevoles", 160.0)
        .int("intervenants.total", 4)
        .dec("heures.total", 600.0)
        .int("enfants.elementaire", 14)
        .int("enfants.college", 6)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 20)
        .int("collectifs.nombre", 2)
        .int("familles.nombre", 17)
        .dec("enfants.par_accompagnateur", 9.0);
    a.yes_no(&[("calendrier.ecart", true), ("frequentation.ecart", false)]);
    yn(&mut a, SITUATIONS, "oonooo");
    yn(&mut a, ORIGINE, "ooonon");
    yn(&mut a, ACTIVITES, "oooonooonn");
    yn(&mut a, SUIVI, "ooooo");
    yn(&mut a, PARENTS, "ononooooonooooo");
    yn(&mut a, ECOLE, "onoon");
    a.text(
        "ouverture_culturelle.ecart_raisons",
        "Le projet cinéma a été réduit à trois séances au lieu de cinq.",
    )
    .text(
        "projet_parents.detail",
        "Rencontres mensuelles « Parents, parlons école » avec l’infirmière scolaire.",
    )
    .text(
        "projet_parents.ecart_raisons",
        "Une rencontre annulée faute de participants en janvier.",
    )
    .text(
        "territoire.articulations",
        "Échanges avec le centre social et la communauté de communes ; participation au PEDT.",
    )
    .text(
        "territoire.acteurs",
        "Communauté de communes, centre social, collège, cinéma associatif.",
    )
    .text("territoire.ecarts", "Non.")
    .text(
        "bilan.global",
        "Bilan mitigé : bonne assiduité mais démarrage tardif.",
    )
    .text(
        "bilan.difficultes",
        "Accès aux locaux scolaires ; souhait d’une aide au transport.",
    )
    .text("reseau.animation", "Bien.")
    .text("reseau.formations", "Utiles.")
    .text(
        "reseau.effets_ouverture",
        "Les jeunes ont découvert le cinéma d’art et d’essai.",
    );
    let mut s = style(6, "Thomas Garrigues", "2026-06-10T09:41:00Z", 11);
    s.ticked = vec![LegacyBox::DefaultOn];
    s.unticked = vec![LegacyBox::Blank, LegacyBox::Unchecked0];
    s.legacy_overrides = vec![(
        "activite.sciences",
        LegacyBox::DefaultOnUnchecked,
        LegacyBox::DefaultOn,
    )];
    s.placements = vec![Placement::Before, Placement::OnLabelLine, Placement::Over];
    s.split_labels = 1;
    s.split_answers = 1;
    s.dates = vec![DateStyle::Long];
    s.answer_rpr = RPr {
        color: Some("C00000"),
        ..RPr::default()
    };
    BilanSample {
        slug: "savoirs-partages-nerac",
        exercises: vec![
            "cases cochées uniquement par `<w:default w:val=\"1\"/>` (« case activée », comme l’indique le formulaire), sans `w:checked`",
            "une case `w:default=1` puis décochée `w:checked w:val=\"0\"` (activite.sciences = non)",
            "tous les libellés et toutes les réponses coupés en plusieurs runs (coupure au milieu d’un mot, `w:proofErr`, signets)",
            "réponses avant les pointillés et au bout de la ligne du libellé, pointillés laissés en dessous",
            "dates `1er décembre 2025`, `15 juin 2026` ; réponse sur deux paragraphes (raisons de l’écart de calendrier)",
        ],
        breaks: vec!["duree.semaines", "coherence.heures", "coherence.ratio"],
        answers: a,
        style: s,
    }
}

/// Sample 7: Mixed checkbox kinds (legacy, content controls for later sections); no-break spaces
/// in numbers; too many children per collectif; families > children; school axis missing.
fn espace_jeunes_fumel() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Espace jeunes Les Tilleuls")
        .text("action.numero", "5")
        .text("referent.nom", "Claire Vidalou")
        .text("referent.telephone", "05 53 40 77 19")
        .text("referent.email", "espacejeunes.tilleuls@fumel-asso.fr")
        .text(
            "action.lieu",
            "Espace jeunes Les Tilleuls, 2 rue du Lot, 47500 Fumel",
        )
        .check("local.associatif", true)
        .text(
            "etablissements",
            "Collège des Tilleuls\nLycée professionnel de la Vallée du Lot",
        )
        .check("zonage.politique_ville", true)
        .date("calendrier.debut", 2025, 9, 15)
        .date("calendrier.fin", 2026, 6, 5)
        .int("calendrier.semaines", 34)
        .int("intervenants.salaries", 2)
        .dec("heures.salaries", 1150.0)
        .int("intervenants.volontaires", 0)
        .dec("heures.volontaires", 0.0)
        .int("intervenants.benevoles", 1)
        .dec("heures.benevoles", 90.0)
        .int("intervenants.total", 3)
        .dec("heures.total", 1240.0)
        .int("enfants.elementaire", 0)
        .int("enfants.college", 20)
        .int("enfants.lycee", 6)
        .int("enfants.autres", 2)
        .int("enfants.total", 28)
        .int("collectifs.nombre", 2)
        .int("familles.nombre", 31)
        .dec("enfants.par_accompagnateur", 9.3);
    a.yes_no(&[("calendrier.ecart", false), ("frequentation.ecart", true)]);
    a.text(
        "frequentation.ecart_raisons",
        "Forte demande des lycéens professionnels en deuxième partie d’année.",
    );
    yn(&mut a, SITUATIONS, "ooonoo");
    yn(&mut a, ORIGINE, "oooono");
    yn(&mut a, ACTIVITES, "oooooonooo");
    a.text(
        "activites.ecart_raisons",
        "Ajout d’un atelier « orientation » pour les 3e.\nSorties limitées par le budget transport.",
    );
    yn(&mut a, SUIVI, "ooonn");
    yn(&mut a, PARENTS, "ooooooooooooonn");
    yn(&mut a, ECOLE, "nonon");
    a.text(
        "territoire.articulations",
        "Travail avec la mission locale et le point information jeunesse.",
    )
    .text("territoire.acteurs", "Collège, lycée professionnel, mission locale, PIJ.")
    .text("territoire.ecarts", "Pas d’écart significatif.")
    .text(
        "bilan.global",
        "Public nouveau cette année (lycéens professionnels).\nDeux collectifs chargés en fin d’année.\nRésultats encourageants au brevet.",
    )
    .text("bilan.difficultes", "Trop d’inscrits par groupe ; nous demandons un troisième collectif.")
    .text("reseau.animation", "Merci pour l’écoute.")
    .text("reseau.formations", "Formation « adolescence » à reconduire.")
    .text("reseau.effets_ouverture", "Découverte des métiers du patrimoine au château de la vallée.");
    let mut s = style(7, "Claire Vidalou", "2026-06-25T17:58:00Z", 8);
    s.section_boxes = vec![
        ("parents", BoxStyle::ContentControl),
        ("bonification_parent", BoxStyle::ContentControl),
        ("ecole", BoxStyle::ContentControl),
    ];
    s.ticked = vec![LegacyBox::CheckedVal1];
    s.unticked = vec![LegacyBox::Blank];
    s.numbers = vec![NumberStyle::GroupedNbsp];
    s.dates = vec![DateStyle::SlashShort, DateStyle::Long];
    s.placements = vec![Placement::Over, Placement::Below];
    BilanSample {
        slug: "espace-jeunes-fumel",
        exercises: vec![
            "formulaire mixte : champs FORMCHECKBOX au début, contrôles de contenu ☒/☐ pour les parents et l’école (comme un formulaire retouché)",
            "nombres avec espace insécable des milliers (`1 150`) ; dates `15/09/25`, `5 juin 2026`",
            "réponses à la place des pointillés ou dans le paragraphe en dessous",
            "réponses sur plusieurs paragraphes",
            "14 enfants par collectif, 1,5 intervenant par collectif, plus de familles que d’enfants, collaboration pour l’orientation = non",
        ],
        breaks: vec![
            "collectif.taille",
            "encadrement.minimum",
            "coherence.familles",
            "axe.ecole",
        ],
        answers: a,
        style: s,
    }
}

/// Sample 8: A small rural action: one collectif of 6 children with one salaried animator
/// (conforming with `--rural`, not nationally); parents axis incomplete.
fn coteaux_solidaires_duras() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Association Les Coteaux Solidaires")
        .text("action.numero", "1")
        .text("referent.nom", "Marie-Paule Castaing")
        .text("referent.telephone", "05 53 83 61 02")
        .text("referent.email", "coteaux.solidaires@duras-asso.fr")
        .text(
            "action.lieu",
            "Foyer communal, 1 place du Marché, 47120 Duras",
        )
        .check("local.municipal", true)
        .text("etablissements", "École primaire de Duras")
        .date("calendrier.debut", 2025, 11, 3)
        .date("calendrier.fin", 2026, 6, 12)
        .int("calendrier.semaines", 30)
        .int("intervenants.salaries", 1)
        .dec("heures.salaries", 120.0)
        .int("intervenants.volontaires", 0)
        .dec("heures.volontaires", 0.0)
        .int("intervenants.benevoles", 0)
        .dec("heures.benevoles", 0.0)
        .int("intervenants.total", 1)
        .dec("heures.total", 120.0)
        .text(
            "moyens.ecart_raisons",
            "Une seule animatrice salariée ; le bénévole prévu n’a pas pu s’engager.",
        )
        .int("enfants.elementaire", 6)
        .int("enfants.college", 0)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("enfants.total", 6)
        .int("collectifs.nombre", 1)
        .int("familles.nombre", 5)
        .dec("enfants.par_accompagnateur", 6.0);
    a.yes_no(&[("calendrier.ecart", false), ("frequentation.ecart", false)]);
    yn(&mut a, SITUATIONS, "onoonn");
    yn(&mut a, ORIGINE, "onoonn");
    yn(&mut a, ACTIVITES, "oononoonnn");
    yn(&mut a, SUIVI, "ooonn");
    yn(&mut a, PARENTS, "onoooonnnnnnonn");
    yn(&mut a, ECOLE, "nooon");
    a.text(
        "territoire.articulations",
        "Lien avec la mairie et la bibliothèque intercommunale.",
    )
    .text("territoire.acteurs", "Mairie, école, bibliothèque.")
    .text(
        "bilan.global",
        "Action utile pour les familles isolées du secteur.",
    )
    .text(
        "bilan.difficultes",
        "Isolement de l’animatrice ; besoin d’échanges avec d’autres porteurs ruraux.",
    )
    .text(
        "reseau.animation",
        "Réunions à Agen difficiles d’accès pour nous.",
    );
    let mut s = style(8, "Marie-Paule Castaing", "2026-06-15T20:03:00Z", 3);
    s.ticked = vec![LegacyBox::CheckedTrue];
    s.unticked = vec![LegacyBox::Blank];
    s.placements = vec![Placement::Below];
    BilanSample {
        slug: "coteaux-solidaires-duras",
        exercises: vec![
            "action rurale : 1 collectif de 6 enfants, 1 intervenante (conforme avec `--rural`, pas au national)",
            "cases cochées par `<w:checked w:val=\"true\"/>`",
            "toutes les réponses dans un nouveau paragraphe sous les pointillés laissés intacts",
            "début le jour de la rentrée de la Toussaint (3 novembre 2025), pas d’avertissement de période",
            "axe parents incomplet (codes de l’école, partenaires = non)",
        ],
        breaks: vec!["collectif.taille", "encadrement.minimum", "axe.parents"],
        answers: a,
        style: s,
    }
}

/// Sample 9: Filled in a hurry: invalid contacts, end date before the start, required figures and
/// many questions left empty, territory texts empty.
fn horizon_boe() -> BilanSample {
    let mut a = BilanAnswers::new(2025);
    a.text("porteur.nom", "Association Horizon Boé")
        .text("action.numero", "1")
        .text("referent.nom", "Sébastien Marty")
        .text("referent.telephone", "05 53 12")
        .text("referent.email", "horizon.boe-contact.fr")
        .text("action.lieu", "Boé")
        .date("calendrier.debut", 2025, 11, 17)
        .date("calendrier.fin", 2025, 6, 15)
        .int("calendrier.semaines", 30)
        .int("intervenants.salaries", 2)
        .int("intervenants.benevoles", 4)
        .int("enfants.elementaire", 20)
        .int("enfants.total", 20)
        .int("collectifs.nombre", 2);
    a.yes_no(&[("calendrier.ecart", false)]);
    yn(&mut a, SITUATIONS, "------");
    yn(&mut a, ORIGINE, "o-o---");
    yn(&mut a, ACTIVITES, "oo-o--o---");
    yn(&mut a, SUIVI, "o--o-");
    yn(&mut a, PARENTS, "o----o-----o---");
    yn(&mut a, ECOLE, "-o-o-");
    a.text("bilan.global", "RAS");
    let mut s = style(9, "Sébastien Marty", "2026-07-03T23:14:00Z", 2);
    s.ticked = vec![LegacyBox::CheckedVal1];
    s.unticked = vec![LegacyBox::Blank];
    s.placements = vec![Placement::After];
    s.numbers = vec![NumberStyle::WithUnit];
    BilanSample {
        slug: "horizon-boe",
        exercises: vec![
            "bilan rempli à la hâte : beaucoup de oui/non sans réponse, aucun local coché (→ false)",
            "adresse mail sans @ et téléphone incomplet",
            "date de fin avant la date de début (`15/06/2025`, faute de frappe sur l’année)",
            "nombre total d’intervenants (obligatoire) et heures laissés vides",
            "articulations et acteurs du territoire vides",
            "réponses tapées après les pointillés ; `2 collectifs`, `20 enfants`",
        ],
        breaks: vec![
            "format.contact",
            "calendrier.dates",
            "reponse.manquante",
            "axe.territoire",
        ],
        answers: a,
        style: s,
    }
}

/// The filled bilans, in README order.
pub fn bilan_samples() -> Vec<BilanSample> {
    vec![
        cartables_du_passage(),
        centre_social_du_pin(),
        foyer_rural_castelmoron(),
        maison_quartiers_marmande(),
        trait_union_tonneins(),
        savoirs_partages_nerac(),
        espace_jeunes_fumel(),
        coteaux_solidaires_duras(),
        horizon_boe(),
        crate::typed_samples::amicale_laique_casteljaloux(),
        crate::typed_samples::passerelles_miramont(),
    ]
}

fn row(name: &str, v: [Option<i64>; 9]) -> DispRow {
    DispRow::new(name, v)
}

/// The filled notes stratégiques.
pub fn note_samples() -> Vec<NoteSample> {
    let n = None;
    let agen = NoteAnswers {
        territoire: Some("Agen".to_string()),
        concertation: Some(Ymd(2026, 4, 14)),
        coordonnateur_ligne: None,
        nom: Some("LAGARDE Sophie".to_string()),
        fonction: Some("Coordinatrice réussite éducative".to_string()),
        telephone: Some("05 53 69 47 00".to_string()),
        email: Some("coordination.clas@agen-education.fr".to_string()),
        inscription: [Some(true), Some(true), Some(false)],
        articulation: Some(
            "Un comité de pilotage réunit chaque trimestre la ville, le PRE, la Caf et les porteurs CLAS.\nLes besoins sont repérés avec les directeurs d’école lors des équipes éducatives.\nUne plaquette commune présente l’ensemble des dispositifs aux familles (jointe)."
                .to_string(),
        ),
        rows: [
            vec![
                row("École Jules Ferry", [Some(24), n, Some(12), n, Some(6), Some(5), Some(14), Some(12), n]),
                row("École Paul Bert", [Some(18), n, Some(10), n, Some(4), Some(4), Some(12), Some(9), n]),
                row("École Jean Macé", [Some(30), n, n, Some(8), Some(7), Some(7), Some(10), Some(10), Some(6)]),
                row("École Louise Michel", [n, n, Some(9), n, Some(3), Some(2), Some(8), Some(6), n]),
                row("École Marie Curie", [Some(15), n, n, n, Some(2), Some(2), Some(9), Some(8), n]),
            ],
            vec![
                row("Collège Jean Rostand", [n, Some(20), Some(35), Some(12), Some(9), Some(8), Some(22), Some(19), n]),
                row("Collège Anatole Lebrun", [n, Some(15), Some(28), n, Some(6), Some(6), Some(16), Some(11), Some(4)]),
            ],
            vec![row("Lycée des Métiers du Bâtiment", [n, n, n, n, Some(3), Some(3), Some(8), Some(5), n])],
        ],
        totals: [TotalRow::Correct, TotalRow::Correct, TotalRow::Correct],
        complements: Some("Deux nouveaux porteurs associatifs prévus en 2026-2027 sur le quartier Nord.".to_string()),
    };
    let villeneuve = NoteAnswers {
        territoire: Some("Villeneuve-sur-Lot".to_string()),
        concertation: Some(Ymd(2026, 4, 7)),
        coordonnateur_ligne: Some("Direction de l’éducation et de la jeunesse".to_string()),
        nom: Some("Olivier Sarrazin".to_string()),
        fonction: Some("Coordonnateur CLAS".to_string()),
        telephone: Some("05 53 41 28 60".to_string()),
        email: Some("o.sarrazin@villeneuve-education.fr".to_string()),
        inscription: [Some(true), Some(false), Some(true)],
        articulation: Some(
            "Réunion annuelle de concertation en avril avec l’Education nationale et les associations.\nFiche de liaison commune entre les écoles et les porteurs."
                .to_string(),
        ),
        rows: [
            vec![
                row("École Jean Macé", [Some(20), n, n, n, Some(5), Some(5), Some(12), Some(12), n]),
                row("École Louise Michel", [Some(16), n, Some(8), n, n, n, Some(12), Some(10), n]),
                row("École du Parc", [n, n, n, n, Some(2), Some(1), Some(6), Some(2), n]),
            ],
            vec![
                row("Collège Anatole Lebrun", [n, Some(18), Some(30), Some(10), Some(7), Some(7), Some(20), Some(18), n]),
                row("Collège Crochepierre", [n, Some(12), Some(22), n, Some(4), Some(3), Some(10), Some(6), n]),
                row("Collège Saint-Cyr", [n, n, Some(14), n, n, n, Some(8), Some(3), Some(5)]),
            ],
            vec![
                row("Lycée Georges Leygues-Couffignal", [n, n, n, Some(6), Some(2), Some(2), Some(9), Some(4), n]),
                row("Lycée professionnel Pierre Mendès", [n, n, n, n, Some(3), Some(3), Some(7), Some(6), n]),
            ],
        ],
        // College: CLAS written 42 instead of 38 (a wrong total); lycée: TOTAL left empty.
        totals: [
            TotalRow::Correct,
            TotalRow::Written([n, Some(30), Some(66), Some(10), Some(11), Some(10), Some(42), Some(27), Some(5)]),
            TotalRow::Empty,
        ],
        complements: None,
    };
    let mut st_agen = NoteStyle::blank();
    st_agen.seed = 21;
    st_agen.author = "Sophie Lagarde";
    st_agen.modified = "2026-05-06T11:20:00Z";
    st_agen.revision = 9;
    let mut st_vsl = NoteStyle::blank();
    st_vsl.seed = 22;
    st_vsl.boxes = BoxStyle::ContentControl;
    st_vsl.date = DateStyle::LongWeekday;
    st_vsl.author = "Olivier Sarrazin";
    st_vsl.modified = "2026-05-15T15:02:00Z";
    st_vsl.revision = 6;
    st_vsl.answer_rpr = RPr {
        color: Some("1F497D"),
        ..RPr::default()
    };
    vec![
        NoteSample {
            slug: "note-agen",
            exercises: vec![
                "cases FORMCHECKBOX OUI/NON (contrat de ville oui, PEDT oui, CTG non)",
                "date de concertation `14/04/2026`",
                "tableau des dispositifs : une ligne ajoutée en élémentaire (5 écoles), cellules vides → null, TOTAL justes",
                "articulation sur trois paragraphes dans le cadre",
            ],
            breaks: vec![],
            answers: agen,
            style: st_agen,
        },
        NoteSample {
            slug: "note-villeneuve-sur-lot",
            exercises: vec![
                "cases OUI/NON en contrôles de contenu (PEDT non)",
                "date de concertation `mardi 7 avril 2026`",
                "TOTAL COLLEGE faux (CLAS : 42 écrit, 38 en somme) → `note.totaux` ; TOTAL LYCEE vide → calculé",
                "ligne « Coordonnateur communal CLAS » remplie (pas un champ) ; éléments complémentaires vides → null",
            ],
            breaks: vec!["note.totaux"],
            answers: villeneuve,
            style: st_vsl,
        },
    ]
}

/// samples/README.md (French).
pub fn readme(bilans: &[BilanSample], notes: &[NoteSample]) -> String {
    let mut s = String::new();
    s.push_str("# Échantillons\n\n");
    s.push_str(
        "Bilans CLAS et notes stratégiques remplis par des porteurs **fictifs** (associations, personnes et \
adresses inventées ; communes du Lot-et-Garonne), chacun avec, à côté, la sortie attendue de \
`clas extract --json` (`<nom>.json`) : ce que le répondant a voulu dire, pas ce qui est écrit.\n\n",
    );
    s.push_str(
        "Tout (sauf le fichier ré-enregistré par LibreOffice) est produit par `tools/forms` et se régénère \
à l’identique, octet pour octet (depuis la racine du dépôt) :\n\n",
    );
    s.push_str("```sh\n");
    s.push_str("cargo run -p clas-forms --release -- .                # forms/ et samples/\n");
    s.push_str(
        "cargo run -p clas-forms --release -- . --libreoffice  # + samples/*-libreoffice.docx\n",
    );
    s.push_str("cargo run -p clas-forms --release -- --synth 500 /tmp/synth  # bilans synthétiques (hors dépôt)\n");
    s.push_str("```\n\n");
    s.push_str(
        "Les règles « enfreintes exprès » sont celles du profil `national` (docs/rules.md), hors \
`calendrier.periode` : cet avertissement est attendu pour tout début avant la rentrée de la Toussaint \
(3 novembre 2025) ou fin après le 15 juin 2026, ce que 30 semaines imposent presque toujours.\n\n",
    );
    s.push_str(
        "Les formulaires vierges sont dans `forms/` : `bilan-clas.docx` (49 paires oui/non et 6 cases en champs \
FORMCHECKBOX), `note-strategique.docx`, `convention.docx` (modèle à `{{balises}}`).\n\n",
    );
    s.push_str("## Bilans\n\n");
    for (i, b) in bilans.iter().enumerate() {
        let nom = b.answers.get("porteur.nom");
        let nom = match nom {
            crate::bilan::Answer::Text(t) => t.clone(),
            _ => b.slug.to_string(),
        };
        s.push_str(&format!("### {}. `{}.docx` — {}\n\n", i + 1, b.slug, nom));
        for e in &b.exercises {
            s.push_str(&format!("- {e}\n"));
        }
        if b.breaks.is_empty() {
            s.push_str("- règles nationales : **toutes respectées**\n");
        } else {
            let list: Vec<String> = b.breaks.iter().map(|r| format!("`{r}`")).collect();
            s.push_str(&format!(
                "- règles enfreintes exprès : {}\n",
                list.join(", ")
            ));
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "### {}. `{}-libreoffice.docx`\n\n- le bilan n° 1 ouvert puis ré-enregistré par LibreOffice (« MS Word 2007 XML ») : \
le XML d’un autre outil que Word : runs fusionnés, styles réécrits, cases FORMCHECKBOX gardées mais sans leur nom (`w:name` vide) ni leur signet ; même JSON attendu que le n° 1, au nom de fichier près\n\n",
        bilans.len() + 1,
        LIBREOFFICE_SOURCE
    ));
    s.push_str("## Notes stratégiques\n\n");
    for nt in notes {
        s.push_str(&format!("### `{}.docx`\n\n", nt.slug));
        for e in &nt.exercises {
            s.push_str(&format!("- {e}\n"));
        }
        if !nt.breaks.is_empty() {
            let list: Vec<String> = nt.breaks.iter().map(|r| format!("`{r}`")).collect();
            s.push_str(&format!("- constats attendus : {}\n", list.join(", ")));
        }
        s.push('\n');
    }
    s.push_str(
        "## Conventions du JSON attendu\n\n\
- les 98 champs de `dictionaries/bilan-fields.csv` (12 pour la note), dans l’ordre du dictionnaire ;\n\
- texte sans libellé, sans pointillés ni espaces autour ; plusieurs lignes séparées par `\\n` ;\n\
- nombres en nombres JSON (décimaux en flottants : `852.5`, `420.0`), dates `AAAA-MM-JJ`, oui/non en booléens ;\n\
- `null` pour une réponse vide, un oui/non sans réponse ou coché deux fois, un nombre illisible ; une case \
simple non cochée vaut `false` (mais `null` quand les cases ont été supprimées et qu’aucune option de la \
partie ne porte de croix tapée : rien n’a été répondu).\n",
    );
    s
}

fn write(path: &Path, bytes: &[u8], written: &mut Vec<PathBuf>) -> io::Result<()> {
    fs::write(path, bytes)?;
    written.push(path.to_path_buf());
    Ok(())
}

/// Writes `forms/` and `samples/` under `root`; returns the files written. Does not touch
/// the LibreOffice re-saved sample.
pub fn generate(root: &Path) -> io::Result<Vec<PathBuf>> {
    let forms = root.join("forms");
    let samples = root.join("samples");
    fs::create_dir_all(&forms)?;
    fs::create_dir_all(&samples)?;
    let mut written = Vec::new();
    write(
        &forms.join("bilan-clas.docx"),
        &bilan_docx(&BilanAnswers::new(2021), &FillStyle::blank()),
        &mut written,
    )?;
    write(
        &forms.join("note-strategique.docx"),
        &note_docx(&NoteAnswers::blank(), &NoteStyle::blank()),
        &mut written,
    )?;
    write(
        &forms.join("convention.docx"),
        &convention_docx(),
        &mut written,
    )?;
    let bilans = bilan_samples();
    for b in &bilans {
        let file = format!("{}.docx", b.slug);
        write(
            &samples.join(&file),
            &bilan_docx(&b.answers, &b.style),
            &mut written,
        )?;
        write(
            &samples.join(format!("{}.json", b.slug)),
            golden_json(&file, &b.answers).as_bytes(),
            &mut written,
        )?;
    }
    let notes = note_samples();
    for n in &notes {
        let file = format!("{}.docx", n.slug);
        write(
            &samples.join(&file),
            &note_docx(&n.answers, &n.style),
            &mut written,
        )?;
        write(
            &samples.join(format!("{}.json", n.slug)),
            golden_note_json(&file, &n.answers).as_bytes(),
            &mut written,
        )?;
    }
    write(
        &samples.join("README.md"),
        readme(&bilans, &notes).as_bytes(),
        &mut written,
    )?;
    Ok(written)
}
