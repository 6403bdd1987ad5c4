//! The pages, in French, as HTML written with maud: every value is escaped by the template
//! engine (nothing read from a form or typed by an agent is ever written as HTML). One page,
//! one file; `layout` is their common frame.

pub(crate) mod action;
pub(crate) mod attendance;
pub(crate) mod dashboard;
pub(crate) mod journal;
pub(crate) mod layout;
pub(crate) mod manual;
pub(crate) mod queue;
