//! The bilan CLAS 2021/2022 (Caf de Lot-et-Garonne), in the order and with the wording of
//! the Word form (typos included: they are the form's).

/// One block of the form.
pub enum Block {
    /// The title, large and bold.
    Title(&'static str),
    /// A heading, bold.
    Heading(&'static str),
    /// Plain text: instructions, intermediate titles.
    Text(&'static str),
    /// A bullet of a list.
    Bullet(&'static str),
    /// A question and a text field after it, of so many lines (1: on the label's line).
    Field(&'static str, &'static str, u8),
    /// A single check box after its label.
    Check(&'static str, &'static str),
    /// A question, then « oui ☐   non ☐ » on the next line (fields `<name>_oui`, `<name>_non`).
    YesNo(&'static str, &'static str),
    /// Vertical space, in points.
    Gap(f64),
}

use Block::*;

pub const BILAN: &[Block] = &[
    Title("Contrat local d'accompagnement à la scolarité"),
    Heading("Bilan 2021/2022 arrêté au 30 avril 2022"),
    Text("A RETOURNER POUR LE ………"),
    Text(
        "Remplir un bilan par action\u{a0}; merci de reprendre le numéro de l’action correspondant au projet déposé.",
    ),
    Gap(6.0),
    Field("Nom du porteur de projet :", "porteur_nom", 1),
    Field("ACTION  N°", "action_numero", 1),
    Field("Nom, Prénom de la personne référente :", "referent_nom", 1),
    Field("N° de téléphone :", "referent_telephone", 1),
    Field("Adresse mail :", "referent_email", 1),
    Field(
        "Lieu de déroulement de l’action et adresse :",
        "action_lieu",
        2,
    ),
    Heading("Nature du local utilisé"),
    Check("Associatif", "local_associatif"),
    Check("Municipal", "local_municipal"),
    Check("Scolaire", "local_scolaire"),
    Text("*Pour cocher la case, double cliquer sur la case puis cocher «\u{a0}case activée\u{a0}»"),
    Field("Etablissements scolaires concernés :", "etablissements", 2),
    Heading("Zonage :"),
    Check("REP – Réseau d’éducation prioritaire", "zonage_rep"),
    Check("PRE – Plateforme de réussite éducative", "zonage_pre"),
    Check(
        "Politique de la ville (si l’action se déroule sur un quartier prioritaire ou vécu et/ou si les établissements fréquentés par les enfants sont situés en quartier prioritaires ou vécus)",
        "zonage_politique_ville",
    ),
    Gap(6.0),
    Heading("DESCRIPTION DE LA MISE EN ŒUVRE REELLE DU PROJET"),
    Heading("Calendrier de mise en œuvre"),
    Field(
        "Date de début de mise en œuvre du projet :",
        "calendrier_debut",
        1,
    ),
    Field(
        "Date de fin de mise en œuvre du prohet :",
        "calendrier_fin",
        1,
    ),
    Field(
        "Nombre de semaines d’activité réalisées dans l’année :",
        "calendrier_semaines",
        1,
    ),
    YesNo(
        "Existe-t-il des écarts entre le prévisionnel et le réel, concernant le calendrier ou le nombre de semaines d’activité dans l’année ?",
        "calendrier_ecart",
    ),
    Field(
        "Si oui, précisez-en les raisons :",
        "calendrier_ecart_raisons",
        3,
    ),
    Heading("Moyens humains pour l’animation du projet CLAS"),
    Field(
        "Nombre d’intervenants CLAS Salariés :",
        "intervenants_salaries",
        1,
    ),
    Field(
        "Nombre annuel d’heures pour le CLAS Salariés :",
        "heures_salaries",
        1,
    ),
    Field(
        "Nombre d’intervenants CLAS Volontaires :",
        "intervenants_volontaires",
        1,
    ),
    Field(
        "Nombre annuel d’heures pour le CLAS Volontaires :",
        "heures_volontaires",
        1,
    ),
    Field(
        "Nombre d’intervenants CLAS Bénévoles :",
        "intervenants_benevoles",
        1,
    ),
    Field(
        "Nombre annuel d’heures pour le CLAS Bénévoles :",
        "heures_benevoles",
        1,
    ),
    Field("Nombre total d’intervenants :", "intervenants_total", 1),
    Field("Nombre total d’heures :", "heures_total", 1),
    Text("Existe-t-il des écarts entre le prévisionnel et le réel concernant les moyens humains ?"),
    Field(
        "Si oui, précisez-en les raisons :",
        "moyens_ecart_raisons",
        3,
    ),
    Heading("PUBLIC CONCERNE"),
    Text("Nombre d’enfants et de jeunes différents accueillis par niveau scolaire"),
    Field("Nombre d’enfants élémentaire :", "enfants_elementaire", 1),
    Field("Nombre d’enfant collège :", "enfants_college", 1),
    Field("Nombre d’enfants lycée :", "enfants_lycee", 1),
    Field("Nombre d’enfants autres (CAP, BEP…) :", "enfants_autres", 1),
    Field("Nombre total d’enfants :", "enfants_total", 1),
    Field(
        "Nombre de collectifs enfants Clas :",
        "collectifs_nombre",
        1,
    ),
    Field(
        "Nombre de familles différentes accueillies :",
        "familles_nombre",
        1,
    ),
    Field(
        "Nombre moyen d’enfants par accompagnateurs :",
        "enfants_par_accompagnateur",
        1,
    ),
    YesNo(
        "Existe-t-il des écarts entre la fréquentation prévisionnelle et la fréquentation réelle ?",
        "frequentation_ecart",
    ),
    Field(
        "Si oui, précisez-en les raisons :",
        "frequentation_ecart_raisons",
        3,
    ),
    Heading(
        "Les enfants/jeunes qui participent au CLAS sont concernés par les situations suivantes :",
    ),
    YesNo("Difficulté scolaire :", "situation_difficulte_scolaire"),
    YesNo(
        "Conditions de logement et/ou environnement inadapté au travail scolaire (bruit, exiguïté des locaux) :",
        "situation_logement",
    ),
    YesNo(
        "Accès limité à des activités socio-culturelles :",
        "situation_acces_socioculturel",
    ),
    YesNo(
        "Disponibilité réduite des parents :",
        "situation_disponibilite_parents",
    ),
    YesNo(
        "Maîtrise difficile de la langue française par les parents :",
        "situation_langue_parents",
    ),
    YesNo(
        "Parents en difficulté ou rupture avec l’école :",
        "situation_rupture_ecole",
    ),
    Heading("Qui est à l’origine de l’inscription des enfants/jeunes au CLAS ?"),
    YesNo("La famille :", "origine_famille"),
    YesNo("L’enfant/le jeune :", "origine_enfant"),
    YesNo("Sur proposition de l’enseignant :", "origine_enseignant"),
    YesNo(
        "Sur proposition d’une association locale ou d’un autre acteur local :",
        "origine_association",
    ),
    YesNo(
        "Sur proposition de l’équipe de réussite éducative (PRE, Cité éducative) :",
        "origine_reussite_educative",
    ),
    YesNo("Autres :", "origine_autres"),
    Gap(6.0),
    Heading("INTERVENTION AUPRES DES ENFANTS"),
    Text("Rappel des objectifs\u{a0}:"),
    Bullet(
        "Mettre en œuvre des méthodes et approches susceptibles de faciliter l’acquisition des savoirs et de développer leur autonomie",
    ),
    Bullet(
        "Elargir leurs centres d’intérêt et promouvoir leur apprentissage de la citoyenneté par une ouverture culturelles sociales et économiques de leur environnement",
    ),
    Bullet("Mettre en valeur leurs compétences et acquis"),
    Bullet("Mesurer leur progression"),
    Bullet("Mesurer leur assiduité à l’action"),
    Text("Activités proposées au enfants jeunes dans le cadre du CLAS"),
    YesNo(
        "Par un appui et/ou une aide méthodologique :",
        "activite_methodologie",
    ),
    YesNo(
        "Par une aide au travail personnel :",
        "activite_travail_personnel",
    ),
    YesNo(
        "Par un accompagnement à l’usage du numérique :",
        "activite_numerique",
    ),
    YesNo(
        "Par des activités culturelles ou artistiques, lecture plaisir, sportives :",
        "activite_culture_sport",
    ),
    YesNo(
        "Par des activités scientifiques techniques informatiques :",
        "activite_sciences",
    ),
    YesNo("Par des jeux éducatifs :", "activite_jeux"),
    YesNo("Par des sorties et/ou visites :", "activite_sorties"),
    YesNo(
        "Par des activités liées à la citoyenneté (recherche d’informations, débats) :",
        "activite_citoyennete",
    ),
    YesNo(
        "Par des échanges sur le fonctionnement de l’école, sur l’orientation :",
        "activite_ecole_orientation",
    ),
    YesNo(
        "Pour des actions décrites ci-dessus, existe-t-il des écarts entre le prévisionnel et le réel du projet ?",
        "activites_ecart",
    ),
    Field(
        "Si oui, expliquez-en les raisons :",
        "activites_ecart_raisons",
        3,
    ),
    YesNo(
        "Progression et assiduité de l’enfant :",
        "suivi_progression_assiduite",
    ),
    YesNo(
        "Mesurez-vous la progression de l’enfant ?",
        "suivi_mesure_progression",
    ),
    YesNo(
        "Mesurez-vous l’assiduité des enfants à l’action CLAS ?",
        "suivi_mesure_assiduite",
    ),
    Heading("Si vous êtes concerné (voir notification Caf) : Bonification de l’axe enfant"),
    YesNo(
        "Le projet d’ouverture culturel a-t-il été mis en place ?",
        "ouverture_culturelle_realise",
    ),
    YesNo(
        "Existe-t-il des écarts entre le prévisionnel et le réel du projet d’ouverture culturel ?",
        "ouverture_culturelle_ecart",
    ),
    Field(
        "Si oui, expliquez-en les raisons",
        "ouverture_culturelle_ecart_raisons",
        3,
    ),
    Text(
        "*Si vous avez des outils concernant la mesure de l’assiduité ou de la progression de l’enfant, merci de bien vouloir les joindre.",
    ),
    Gap(6.0),
    Heading("Si vous êtes concerné (voir notification Caf) : INTERVENTION AUPRES DES PARENTS"),
    Text("Rappel des objectifs\u{a0}:"),
    Bullet("Renforcer le rôle des parents et les soutenir dans la relation avec leur enfant"),
    Bullet("Soutenir les parents dans la relation avec l’école"),
    Bullet(
        "Faciliter l’orientation des parents vers d’autres acteurs ou actions susceptibles de soutien à la parentalité",
    ),
    Bullet("Evaluer les actions proposées aux parents"),
    Text("Outils et actions développés à destination des parents\u{a0}:"),
    YesNo(
        "Réunion d’information sur le CLAS à destination des parents :",
        "parents_reunion_information",
    ),
    YesNo(
        "Contractualisation avec les parents/enfant/le jeune sur des engagements réciproques :",
        "parents_contractualisation",
    ),
    YesNo(
        "Rencontres individuelles programmées entre les parents et les accompagnateurs (et éventuellement l’enfant et le jeune) :",
        "parents_rencontres_individuelles",
    ),
    YesNo(
        "Mise en place d’outils de liaison et d’échange avec les parents :",
        "parents_outils_liaison",
    ),
    YesNo(
        "Accompagnement de parents lors de rencontres avec les enseignants :",
        "parents_rencontres_enseignants",
    ),
    YesNo(
        "Temps de convivialité avec les parents :",
        "parents_convivialite",
    ),
    YesNo(
        "Participation des parents à des séances de CLAS :",
        "parents_participation_seances",
    ),
    YesNo(
        "Rencontre avec les parents autour d’une thématique :",
        "parents_rencontre_thematique",
    ),
    YesNo(
        "En proposant aux parents un accompagnement à l’usage du numérique :",
        "parents_numerique",
    ),
    YesNo(
        "Accompagnement des parents bers les associations de parents d’élèves :",
        "parents_associations_parents",
    ),
    YesNo(
        "Information et accompagnement des parents à la compréhension des codes de l’école :",
        "parents_codes_ecole",
    ),
    YesNo(
        "Mise en relation des parents avec d’autres partenaires :",
        "parents_partenaires",
    ),
    YesNo(
        "Evaluez-vous les actions proposées aux parents :",
        "parents_evaluation",
    ),
    Text("Existe-t-il des écarts entre le prévisionnel et le réel ?"),
    Field("Si oui précisez comment :", "parents_ecart_raisons", 3),
    Heading("Bonification de l’axe parent :"),
    YesNo(
        "Le projet spécifique d’accompagnement des parents pour les soutenir dans leur relation avec leur enfant et l’école a-t-il été mise en place ?",
        "projet_parents_realise",
    ),
    Field(
        "Détaillez pour plus de précisions :",
        "projet_parents_detail",
        3,
    ),
    YesNo(
        "Existe-t-il des écarts entre le prévisionnel et le réel du projet d’accompagnement des parents ?",
        "projet_parents_ecart",
    ),
    Field(
        "Si oui expliquez-en les raisons :",
        "projet_parents_ecart_raisons",
        3,
    ),
    Gap(6.0),
    Heading("ACTIONS DE CONCERTATION"),
    Text("Rappel de l’objectifs\u{a0}:"),
    Text("Association du CLAS avec d’autres acteurs du territoire"),
    Heading("Action de concertation avec l’école"),
    YesNo(
        "Un partenariat formalisé existe avec l’école (engagement écrit, convention, fiche de liaison, conseil d’école) :",
        "ecole_partenariat_formalise",
    ),
    YesNo(
        "Un partenariat informel est développé avec l’école (contact avec le directeur d’établissement, avec le CPE, avec les enseignants…) :",
        "ecole_partenariat_informel",
    ),
    YesNo(
        "Collaboration pour l’orientation des enfants :",
        "ecole_orientation",
    ),
    YesNo(
        "Rencontres et échanges d’information réguliers :",
        "ecole_rencontres",
    ),
    YesNo(
        "Existe-t-il des écarts entre le prévisionnel et le réel ?",
        "ecole_ecart",
    ),
    Field(
        "Si oui expliquez-en les raisons :",
        "ecole_ecart_raisons",
        3,
    ),
    Heading("Actions de concertation et de coordination avec les autres acteurs du territoire"),
    Field(
        "Quelles articulations avez-vous mises en œuvre autour du CLAS avec les différents acteurs du territoire ?",
        "territoire_articulations",
        4,
    ),
    Field(
        "Avec quels acteurs (notamment les acteurs éducatifs) du territoire ?",
        "territoire_acteurs",
        4,
    ),
    Field(
        "Existe-t-il des écarts entre le prévisionnel et le réel ?",
        "territoire_ecarts",
        4,
    ),
    Gap(6.0),
    Heading("LIBRE EXPRESSION"),
    Field(
        "Globalement, quel bilan tirez-vous de la mise en œuvre de votre projet CLAS ?",
        "bilan_global",
        6,
    ),
    Field(
        "Quelles difficultés avez-vous rencontrées dans le cadre de votre projet CLAS ? Quelles sont les améliorations/aides/formations que vous souhaiteriez voir développer ?",
        "bilan_difficultes",
        6,
    ),
    Gap(6.0),
    Heading("RESEAU CLAS DEPARTEMENTALE DU LOT-ET-GARONNE"),
    Text("Le réseau départemental"),
    Field(
        "Quels retours pouvez-vous nous faire sur l’animation du réseau départemental : fréquence des rencontres entre acteurs Clas, nature des thèmes abordés, jours, lieux et horaires choisis, écoute de vos attentes, réponses apportées, etc. ?",
        "reseau_animation",
        5,
    ),
    Field(
        "Quels retours pouvez-vous nous faire sur les formations proposées ?",
        "reseau_formations",
        5,
    ),
    Field(
        "Selon vous, quels ont été les effets de votre projet d’ouverture culturelle ? (sur le jeune, le groupe, les familles …) ?",
        "reseau_effets_ouverture",
        5,
    ),
];
