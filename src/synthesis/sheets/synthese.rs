//! The Synthèse sheet: one row per action, its declared figures in a fixed order of columns
//! whatever the form version, then its attendance rate, conformity and source. The Totaux
//! sheet sums its columns.

use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule, Worksheet};

use super::SYNTHESE;
use crate::dictionary::{self, FieldType, FormKind};
use crate::synthesis::attendance::Figures;
use crate::synthesis::model::Ctx;
use crate::synthesis::xlsx::{
    Cached, Cells, Col, Formats, Print, R, cell, col, colour_by_text, sheet, table,
};

/// A column of the Synthèse sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syn {
    Field(&'static str),
    PerCollectif,
    Rate,
    Conformity,
    Errors,
    Warnings,
    Version,
    File,
    Received,
}

/// The Synthèse columns, in their fixed order.
const SYN: [Syn; 37] = [
    Syn::Field("porteur.nom"),
    Syn::Field("action.numero"),
    Syn::Field("action.lieu"),
    Syn::Field("etablissements"),
    Syn::Field("zonage.rep"),
    Syn::Field("zonage.pre"),
    Syn::Field("zonage.politique_ville"),
    Syn::Field("local.associatif"),
    Syn::Field("local.municipal"),
    Syn::Field("local.scolaire"),
    Syn::Field("calendrier.debut"),
    Syn::Field("calendrier.fin"),
    Syn::Field("calendrier.semaines"),
    Syn::Field("enfants.elementaire"),
    Syn::Field("enfants.college"),
    Syn::Field("enfants.lycee"),
    Syn::Field("enfants.autres"),
    Syn::Field("enfants.total"),
    Syn::Field("collectifs.nombre"),
    Syn::Field("familles.nombre"),
    Syn::Field("intervenants.salaries"),
    Syn::Field("intervenants.volontaires"),
    Syn::Field("intervenants.benevoles"),
    Syn::Field("intervenants.total"),
    Syn::Field("heures.salaries"),
    Syn::Field("heures.volontaires"),
    Syn::Field("heures.benevoles"),
    Syn::Field("heures.total"),
    Syn::Field("enfants.par_accompagnateur"),
    Syn::PerCollectif,
    Syn::Rate,
    Syn::Conformity,
    Syn::Errors,
    Syn::Warnings,
    Syn::Version,
    Syn::File,
    Syn::Received,
];

pub(super) fn syn_col(c: Syn) -> u16 {
    SYN.iter()
        .position(|x| *x == c)
        .expect("colonne de la synthèse") as u16
}

pub(super) fn field_col(id: &str) -> u16 {
    syn_col(Syn::Field(
        SYN.iter()
            .find_map(|c| match c {
                Syn::Field(f) if *f == id => Some(*f),
                _ => None,
            })
            .expect("champ de la synthèse"),
    ))
}

pub(super) fn synthese(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, SYNTHESE, 2, Print::FitA3)?;
    ws.set_active(true);
    let cols: Vec<Col> = SYN
        .iter()
        .map(|c| match c {
            Syn::Field(id) => {
                let def = dictionary::field(FormKind::Bilan, id).expect("champ");
                let width = match (def.kind, *id) {
                    (_, "porteur.nom") => 32.0,
                    (_, "action.numero") => 9.0,
                    (FieldType::Text, _) => 36.0,
                    (FieldType::Date, _) => 12.0,
                    _ => 12.0,
                };
                col(def.label.as_str(), width)
            }
            Syn::PerCollectif => col("Enfants par collectif", 11.0),
            Syn::Rate => col("Taux d'assiduité (cahier de présence)", 12.0),
            Syn::Conformity => col("Conformité", 14.0),
            Syn::Errors => col("Erreurs", 9.0),
            Syn::Warnings => col("Points à vérifier", 9.0),
            Syn::Version => col("Version du formulaire", 26.0),
            Syn::File => col("Fichier source", 32.0),
            Syn::Received => col("Date de réception", 16.0),
        })
        .collect();
    let n = ctx.acts.len();
    table(ws, f, "Synthese", 0, &cols, n)?;
    let mut c = Cells { ws: &mut *ws, f };
    let enf = field_col("enfants.total");
    let coll = field_col("collectifs.nombre");
    for (i, a) in ctx.acts.iter().enumerate() {
        let r = i as u32 + 1;
        let corrected = super::corrections::of_action(ctx, a);
        for (j, sc) in SYN.iter().enumerate() {
            let j = j as u16;
            match sc {
                Syn::Field(id) => {
                    c.value(r, j, a.a.bilan.get(id))?;
                    if !corrected.is_empty() {
                        super::corrections::mark(c.ws, r, j, id, &corrected)?;
                    }
                }
                Syn::PerCollectif => {
                    let (e, k) = (cell(enf, r), cell(coll, r));
                    c.formula(
                        r,
                        j,
                        &format!("=IF(AND(ISNUMBER({e}),N({k})>0),{e}/{k},\"\")"),
                        Cached::of(a.per_collectif()),
                        &f.ratio,
                    )?;
                }
                Syn::Rate => c.opt(r, j, a.attendance().and_then(Figures::rate), &f.pct)?,
                Syn::Conformity => c.text(r, j, a.conformity.label())?,
                Syn::Errors => c.count(r, j, a.errors)?,
                Syn::Warnings => c.count(r, j, a.warnings)?,
                Syn::Version => c.text(r, j, a.version())?,
                Syn::File => c.text(r, j, a.file())?,
                Syn::Received => c.stamp(r, j, &a.a.received)?,
            }
        }
    }
    let last = n.max(1) as u32;
    let conf = syn_col(Syn::Conformity);
    colour_by_text(ws, f, (1, conf, last, conf))?;
    let err = syn_col(Syn::Errors);
    ws.add_conditional_format(
        1,
        err,
        last,
        syn_col(Syn::Warnings),
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(0))
            .set_format(&f.bad),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rust_xlsxwriter::column_number_to_name;

    use super::*;
    use crate::synthesis::sheets::label;
    use crate::synthesis::xlsx::whole;

    #[test]
    fn synthese_columns_exist() {
        for c in SYN {
            if let Syn::Field(id) = c {
                assert!(dictionary::field(FormKind::Bilan, id).is_some(), "{id}");
            }
        }
        let labels: HashSet<String> = SYN
            .iter()
            .filter_map(|c| match c {
                Syn::Field(id) => Some(label(id).to_lowercase()),
                _ => None,
            })
            .collect();
        assert_eq!(labels.len(), 29, "libellés en double dans la synthèse");
        assert_eq!(column_number_to_name(field_col("enfants.total")), "R");
        assert_eq!(whole("Synthèse", 0), "'Synthèse'!$A:$A");
    }
}
