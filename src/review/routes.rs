//! Which page answers which address. Pages are read (GET); the only change is a correction
//! (POST), whose token and origin [`super::server`] has checked before it gets here.

use maud::html;

use super::http::{Method, Request, Response, content_type_of};
use super::model::action::ActionPage;
use super::model::attendance::Attendance;
use super::model::dashboard::{self, Dashboard};
use super::model::queue;
use super::pages::layout::{self, Nav};
use super::pages::{self, action::Refused, journal::Filter, manual::Manual};
use super::{Context, assets, csv, edit};
use crate::dictionary::FormKind;
use crate::store::StoreError;

pub(crate) fn handle(ctx: &mut Context, req: &Request) -> Response {
    let path = req.path.as_str();
    let result = match (req.method, path) {
        (Method::Get, "/") => dashboard(ctx),
        (Method::Get, "/a-revoir") => queue(ctx),
        (Method::Get, "/journal") => journal(ctx, req, false),
        (Method::Get, "/journal.csv") => journal(ctx, req, true),
        (Method::Get, "/presence") => attendance(ctx),
        (Method::Get, p) if p == assets::STYLE_PATH => Ok(Response::bytes(
            "text/css; charset=utf-8",
            assets::STYLE.as_bytes().to_vec(),
        )),
        (Method::Get, "/favicon.ico") => Ok(Response::empty(204)),
        (Method::Get, p) if p.starts_with("/sorties/") => Ok(output(ctx, &p["/sorties/".len()..])),
        (m, p) => match (m, id_route(p)) {
            (Method::Get, Some(("action", id, ""))) => action(ctx, id, req.query("corrige"), None),
            (Method::Post, Some(("action", id, "corriger"))) => correct(ctx, id, req),
            (Method::Get, Some(("document", id, ""))) => document(ctx, id, manual_of(req), None),
            (Method::Post, Some(("document", id, "corriger"))) => correct_document(ctx, id, req),
            (Method::Post, Some(("document", id, "saisie"))) => manual(ctx, id, req),
            (Method::Get, Some(("fichier", id, ""))) => file(ctx, id),
            (Method::Get, _) => Ok(not_found(ctx)),
            _ => Ok(Response::html(
                405,
                layout::bare(
                    "Demande non prise en charge",
                    "Cette adresse ne se modifie pas.",
                ),
            )),
        },
    };
    result.unwrap_or_else(|e| {
        Response::html(
            500,
            layout::bare(
                "Magasin illisible",
                &format!("{e}. Rechargez la page dans un instant."),
            ),
        )
    })
}

/// `/action/12`, `/action/12/corriger` → (`action`, 12, `corriger`).
fn id_route(path: &str) -> Option<(&str, i64, &str)> {
    let mut parts = path.strip_prefix('/')?.splitn(3, '/');
    let kind = parts.next()?;
    let id = parts.next()?.parse().ok()?;
    let rest = parts.next().unwrap_or("");
    Some((kind, id, rest))
}

fn workspace(ctx: &Context) -> String {
    std::fs::canonicalize(&ctx.config.workspace)
        .unwrap_or_else(|_| ctx.config.workspace.clone())
        .display()
        .to_string()
}

fn page(ctx: &Context, status: u16, title: &str, nav: Nav, content: maud::Markup) -> Response {
    Response::html(status, layout::page(title, nav, &workspace(ctx), content))
}

fn not_found(ctx: &Context) -> Response {
    page(
        ctx,
        404,
        "Page introuvable",
        Nav::None,
        html! { p { "Cette page n'existe pas (ou plus). " a href="/" { "Retour au tableau de bord" } } },
    )
}

fn dashboard(ctx: &Context) -> Result<Response, StoreError> {
    let d = Dashboard::read(&ctx.config, &ctx.store)?;
    Ok(page(
        ctx,
        200,
        "Tableau de bord",
        Nav::Dashboard,
        pages::dashboard::render(&d),
    ))
}

fn queue(ctx: &Context) -> Result<Response, StoreError> {
    let items = queue::read(&ctx.config, &ctx.store, edit::to_review(ctx))?;
    Ok(page(
        ctx,
        200,
        "À revoir",
        Nav::Queue,
        pages::queue::render(&items),
    ))
}

fn action(
    ctx: &mut Context,
    id: i64,
    saved: Option<&str>,
    refused: Option<Refused>,
) -> Result<Response, StoreError> {
    let corrections = edit::of_action(ctx, id);
    let Some(p) = ActionPage::read(&ctx.config, &ctx.store, &mut ctx.sources, id, &corrections)?
    else {
        return Ok(not_found(ctx));
    };
    let status = if refused.is_some() { 400 } else { 200 };
    Ok(page(
        ctx,
        status,
        &pages::action::title(&p),
        Nav::None,
        pages::action::render(
            &p,
            ctx.token.as_str(),
            saved,
            refused.as_ref(),
            &Manual::default(),
        ),
    ))
}

fn correct(ctx: &mut Context, id: i64, req: &Request) -> Result<Response, StoreError> {
    posted_correction(
        ctx,
        req,
        |ctx, field, value, motif| edit::apply(ctx, id, field, value, motif).map(|_| id),
        |ctx, refused| action(ctx, id, None, Some(refused)),
    )
}

/// A correction posted from a field's form (`champ`, `valeur`, `motif`): applied by `apply`,
/// which says which action the field now belongs to, and the agent sent back to that field;
/// refused (no reason, wrong type), the page is shown again by `refuse` with what was typed.
fn posted_correction(
    ctx: &mut Context,
    req: &Request,
    apply: impl FnOnce(&Context, &str, &str, &str) -> Result<i64, String>,
    refuse: impl FnOnce(&mut Context, Refused) -> Result<Response, StoreError>,
) -> Result<Response, StoreError> {
    let field = req.field("champ").unwrap_or("").to_string();
    let value = req.field("valeur").unwrap_or("").to_string();
    let motif = req.field("motif").unwrap_or("").trim().to_string();
    let result = if motif.is_empty() {
        Err("le motif est obligatoire : dites pourquoi la valeur change".to_string())
    } else {
        apply(ctx, &field, &value, &motif)
    };
    match result {
        Ok(action) => {
            let encoded: String = form_urlencoded::byte_serialize(field.as_bytes()).collect();
            Ok(Response::see_other(format!(
                "/action/{action}?corrige={encoded}#champ-{encoded}"
            )))
        }
        Err(message) => refuse(
            ctx,
            Refused {
                field,
                value,
                motif,
                message,
            },
        ),
    }
}

fn journal(ctx: &Context, req: &Request, as_csv: bool) -> Result<Response, StoreError> {
    let filter = Filter {
        text: req.query("q").unwrap_or("").to_string(),
        status: req.query("statut").unwrap_or("").to_string(),
    };
    let all = match edit::journal(ctx) {
        Ok(j) => j,
        Err(e) => {
            return Ok(Response::html(500, layout::bare("Journal illisible", &e)));
        }
    };
    let shown: Vec<_> = all.iter().filter(|c| filter.keeps(c)).collect();
    if as_csv {
        let rows: Vec<Vec<String>> = shown.iter().map(|c| pages::journal::csv_row(c)).collect();
        let name = format!(
            "journal-corrections-{}.csv",
            chrono::Local::now().format("%Y-%m-%d")
        );
        return Ok(Response::download(
            "text/csv; charset=utf-8",
            csv::file(pages::journal::CSV_HEADER, &rows),
            &name,
        ));
    }
    Ok(page(
        ctx,
        200,
        "Journal des corrections",
        Nav::Journal,
        pages::journal::render(all.len(), &shown, &filter),
    ))
}

fn attendance(ctx: &Context) -> Result<Response, StoreError> {
    let a = Attendance::read(&ctx.config, &ctx.store)?;
    Ok(page(
        ctx,
        200,
        "Présence",
        Nav::Attendance,
        pages::attendance::render(&a),
    ))
}

/// The manual entry's form kind, from the address (`?formulaire=note-strategique`).
fn manual_of(req: &Request) -> Manual {
    Manual {
        form: match req.query("formulaire").or(req.field("formulaire")) {
            Some("note-strategique") => FormKind::NoteStrategique,
            _ => FormKind::Bilan,
        },
        ..Manual::default()
    }
}

/// A document without an action (refused, or whose porteur or number could not be read).
fn document(
    ctx: &mut Context,
    id: i64,
    manual: Manual,
    refused: Option<Refused>,
) -> Result<Response, StoreError> {
    match ActionPage::of_document(&ctx.config, &ctx.store, &mut ctx.sources, id)? {
        None => Ok(not_found(ctx)),
        Some(Err(action)) => Ok(Response::see_other(format!("/action/{action}"))),
        Some(Ok(p)) => {
            let status = if refused.is_some() || manual.error.is_some() {
                400
            } else {
                200
            };
            Ok(page(
                ctx,
                status,
                &pages::action::title(&p),
                Nav::None,
                pages::action::render(&p, ctx.token.as_str(), None, refused.as_ref(), &manual),
            ))
        }
    }
}

/// A correction of a document of no action: it gets its action, the agent goes there.
fn correct_document(ctx: &mut Context, id: i64, req: &Request) -> Result<Response, StoreError> {
    posted_correction(
        ctx,
        req,
        |ctx, field, value, motif| edit::apply_document(ctx, id, field, value, motif),
        |ctx, refused| document(ctx, id, Manual::default(), Some(refused)),
    )
}

/// A manual record of a refused document: the values typed become the document's reading.
fn manual(ctx: &mut Context, id: i64, req: &Request) -> Result<Response, StoreError> {
    let mut m = manual_of(req);
    let motif = req.field("motif").unwrap_or("").trim().to_string();
    let values: Vec<(String, String)> = req
        .form
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.strip_prefix(pages::manual::PREFIX)?.to_string(),
                v.clone(),
            ))
        })
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let result = if motif.is_empty() {
        Err("le motif est obligatoire : dites d'où viennent ces valeurs".to_string())
    } else if values.is_empty() {
        Err("aucune valeur tapée".to_string())
    } else {
        edit::manual(ctx, id, m.form, values.clone(), &motif)
    };
    match result {
        Ok(action) => Ok(Response::see_other(format!("/action/{action}?saisie=1"))),
        Err(e) => {
            m.values = values;
            m.values.push(("motif".into(), motif));
            m.error = Some(e);
            document(ctx, id, m, None)
        }
    }
}

/// The store's copy of a document (never an attendance workbook: children's names).
fn file(ctx: &Context, id: i64) -> Result<Response, StoreError> {
    let Some(d) = ctx.store.document_light(id)? else {
        return Ok(not_found(ctx));
    };
    if d.form == Some(FormKind::Presence) {
        return Ok(Response::html(
            403,
            layout::bare(
                "Fichier non proposé",
                "Les cahiers de présence contiennent les noms des enfants : ils restent dans les archives de l'espace de travail.",
            ),
        ));
    }
    match std::fs::read(ctx.config.workspace.join(&d.path)) {
        Ok(bytes) => Ok(Response::download(
            content_type_of(&d.file_name),
            bytes,
            &d.file_name,
        )),
        Err(_) => Ok(not_found(ctx)),
    }
}

fn output(ctx: &Context, rel: &str) -> Response {
    let sorties = ctx.config.sorties_dir();
    let found =
        dashboard::output_path(&sorties, rel).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b)));
    match found {
        Some((p, bytes)) => {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Response::download(content_type_of(&name), bytes, &name)
        }
        None => not_found(ctx),
    }
}
