//! `clas`: reads the CLAS forms a Caf receives, checks them against the rules and keeps them.
//!
//! The pipeline, one module per stage, one type flowing between them:
//! file → [`document`] (`Document`) → [`extraction`] (`Extraction`, through a [`mapping`])
//! → [`findings`] (`Finding`s) → store and writers.

pub mod config;
pub mod corrections;
pub mod dictionary;
pub mod document;
pub mod extraction;
pub mod files;
pub mod findings;
pub mod holidays;
pub mod inbox;
pub mod letters;
pub mod mapping;
pub mod outputs;
pub mod pipeline;
pub mod report;
pub mod review;
pub mod store;
pub mod synthesis;
pub mod text;
mod toml_error;
pub mod values;
pub mod workspace;
