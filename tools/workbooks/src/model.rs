//! What a workbook says, independently of how it is laid out: dates, lengths, children and
//! their marks. The golden JSON is computed from this model, not read back from the files.

use serde_json::{Value as Json, json};

/// A calendar date: the reader's own, so that the calendar arithmetic (days, weekdays) is
/// written once.
pub use clas::values::Date;

/// A date written in the source, known valid (no check: `Date::new` cannot be `const`).
pub const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// School holidays of 2025-2026, zone A (Lot-et-Garonne), and the public holidays that fall
/// on a school day: the calendar of the bilan samples of `samples/`.
pub const VACANCES: [(Date, Date); 4] = [
    (ymd(2025, 10, 18), ymd(2025, 11, 2)),
    (ymd(2025, 12, 20), ymd(2026, 1, 4)),
    (ymd(2026, 2, 7), ymd(2026, 2, 22)),
    (ymd(2026, 4, 4), ymd(2026, 4, 19)),
];
pub const FERIES: [Date; 5] = [
    ymd(2025, 11, 11),
    ymd(2026, 5, 1),
    ymd(2026, 5, 8),
    ymd(2026, 5, 14),
    ymd(2026, 5, 25),
];

/// The school days of `weekdays` (0 = Monday) from `from` to `to`, outside holidays.
pub fn calendar(from: Date, to: Date, weekdays: &[u32]) -> Vec<Date> {
    (from.days()..=to.days())
        .map(Date::from_days)
        .filter(|d| weekdays.contains(&d.weekday()))
        .filter(|d| !VACANCES.iter().any(|(a, b)| a <= d && d <= b))
        .filter(|d| !FERIES.contains(d))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    P,
    A,
    E,
}

#[derive(Debug, Clone)]
pub struct Child {
    pub nom: String,
    pub prenom: String,
    pub niveau: String,
    pub etablissement: String,
    /// One per session; `None`: not registered.
    pub marks: Vec<Option<Mark>>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub sheet: String,
    pub nom: String,
    pub lieu: String,
    pub accompagnateurs: String,
    pub dates: Vec<Date>,
    /// Length of each session in hours as written (`None`: cell left empty, or no row).
    pub durees: Vec<Option<f64>>,
    pub children: Vec<Child>,
}

/// Small deterministic generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x0C1A_5C1A_5C1A_5C1A)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const NOMS: [&str; 48] = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Nguyen",
    "Benali",
];
const PRENOMS: [&str; 48] = [
    "Léa", "Hugo", "Chloé", "Lucas", "Inès", "Nathan", "Jade", "Louis", "Zoé", "Gabriel", "Manon",
    "Adam", "Camille", "Raphaël", "Sarah", "Arthur", "Lina", "Jules", "Emma", "Maël", "Louise",
    "Noé", "Alice", "Ethan", "Anna", "Sacha", "Rose", "Yanis", "Lola", "Théo", "Mila", "Samuel",
    "Nour", "Tom", "Ambre", "Ilyes", "Julia", "Mathis", "Lou", "Aaron", "Eva", "Timéo", "Agathe",
    "Rayan", "Clara", "Naël", "Margaux", "Sofiane",
];

/// Fictional children (test data): name pairs drawn without repeats.
pub fn children(
    rng: &mut Rng,
    n: usize,
    niveaux: &[&str],
    etablissements: &[&str],
    sessions: usize,
    attendance: impl Fn(usize, &mut Rng) -> f64,
) -> Vec<Child> {
    let mut used = Vec::new();
    (0..n)
        .map(|i| {
            let (nom, prenom) = loop {
                let pair = (
                    NOMS[rng.below(NOMS.len())],
                    PRENOMS[rng.below(PRENOMS.len())],
                );
                if !used.contains(&pair) {
                    used.push(pair);
                    break pair;
                }
            };
            let p = attendance(i, rng);
            let marks = (0..sessions)
                .map(|_| {
                    let x = rng.unit();
                    Some(if x < p {
                        Mark::P
                    } else if rng.below(3) == 0 {
                        Mark::E
                    } else {
                        Mark::A
                    })
                })
                .collect();
            Child {
                nom: nom.to_string(),
                prenom: prenom.to_string(),
                niveau: niveaux[rng.below(niveaux.len())].to_string(),
                etablissement: etablissements[rng.below(etablissements.len())].to_string(),
                marks,
            }
        })
        .collect()
}

/// Leaves a child unregistered before session `from` and after session `to`.
pub fn registered_between(child: &mut Child, from: usize, to: usize) {
    for (i, m) in child.marks.iter_mut().enumerate() {
        if i < from || i > to {
            *m = None;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Golden JSON

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The figures of docs/presence.md, computed here independently of the reader.
pub fn figures(g: &Group, default_h: f64) -> Vec<(&'static str, Json)> {
    let counts = |c: &Child, m: Mark| c.marks.iter().filter(|x| **x == Some(m)).count();
    let marked: Vec<&Child> = g
        .children
        .iter()
        .filter(|c| c.marks.iter().any(|m| m.is_some()))
        .collect();
    let mut weeks: Vec<(i64, usize)> = Vec::new();
    for d in &g.dates {
        let monday = d.days() - d.weekday() as i64;
        match weeks.iter_mut().find(|w| w.0 == monday) {
            Some(w) => w.1 += 1,
            None => weeks.push((monday, 1)),
        }
    }
    let mut per_week: Vec<usize> = weeks.iter().map(|w| w.1).collect();
    per_week.sort_unstable();
    let median = match per_week.len() {
        0 => Json::Null,
        n if n % 2 == 1 => json!(per_week[n / 2] as f64),
        n => json!((per_week[n / 2 - 1] + per_week[n / 2]) as f64 / 2.0),
    };
    let lengths: Vec<f64> = g.durees.iter().map(|d| d.unwrap_or(default_h)).collect();
    let mean = if lengths.is_empty() {
        Json::Null
    } else {
        json!(round4(lengths.iter().sum::<f64>() / lengths.len() as f64))
    };
    let (mut p, mut all) = (0, 0);
    let mut low = 0;
    for c in &marked {
        let cp = counts(c, Mark::P);
        let ca = cp + counts(c, Mark::A) + counts(c, Mark::E);
        p += cp;
        all += ca;
        if 2 * cp < ca {
            low += 1;
        }
    }
    vec![
        ("nombre_enfants", json!(marked.len())),
        ("nombre_seances", json!(g.dates.len())),
        ("semaines_avec_seance", json!(weeks.len())),
        ("seances_par_semaine", median),
        ("duree_moyenne_h", mean),
        (
            "taux_presence",
            if all == 0 {
                Json::Null
            } else {
                json!(round4(p as f64 / all as f64))
            },
        ),
        ("enfants_moins_50", json!(low)),
    ]
}

fn js(v: &Json) -> String {
    serde_json::to_string(v).expect("json")
}

/// The golden file: what `clas extract --json` prints for the workbook, one session or child
/// per line.
pub fn golden(
    file: &str,
    porteur: Option<&str>,
    action: Option<&str>,
    groups: &[Group],
    warnings: &[Vec<String>],
    default_h: f64,
) -> String {
    let mut s = String::from("{\n");
    s += &format!("  \"file\": {},\n", js(&json!(file)));
    s += "  \"form\": \"presence\",\n";
    s += &format!(
        "  \"fields\": {{\"porteur.nom\": {}, \"action.numero\": {}}},\n",
        js(&json!(porteur)),
        js(&json!(action))
    );
    s += "  \"collectifs\": [\n";
    for (gi, g) in groups.iter().enumerate() {
        s += "    {\n";
        s += &format!("      \"nom\": {},\n", js(&json!(g.nom)));
        s += "      \"seances\": [\n";
        for (i, d) in g.dates.iter().enumerate() {
            let h = g.durees[i].unwrap_or(default_h);
            s += &format!(
                "        {{\"date\": \"{}\", \"duree_h\": {}}}{}\n",
                d,
                js(&json!(h)),
                if i + 1 < g.dates.len() { "," } else { "" }
            );
        }
        s += "      ],\n      \"enfants\": [\n";
        for (i, c) in g.children.iter().enumerate() {
            let n = |m: Mark| c.marks.iter().filter(|x| **x == Some(m)).count();
            let obj = json!({
                "nom": c.nom, "prenom": c.prenom, "niveau": c.niveau,
                "etablissement": c.etablissement,
                "present": n(Mark::P), "absent": n(Mark::A), "excuse": n(Mark::E),
            });
            s += &format!(
                "        {}{}\n",
                js(&obj),
                if i + 1 < g.children.len() { "," } else { "" }
            );
        }
        s += "      ],\n";
        let figs = figures(g, default_h);
        let w = warnings.get(gi).cloned().unwrap_or_default();
        for (i, (k, v)) in figs.iter().enumerate() {
            let last = i + 1 == figs.len() && w.is_empty();
            s += &format!("      \"{k}\": {}{}\n", js(v), if last { "" } else { "," });
        }
        if !w.is_empty() {
            s += &format!("      \"avertissements\": {}\n", js(&json!(w)));
        }
        s += if gi + 1 < groups.len() {
            "    },\n"
        } else {
            "    }\n"
        };
    }
    s += "  ]\n}\n";
    s
}
