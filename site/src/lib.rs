//! The docs portal over `codes.yaml`: every family and code as a page, a search that works with
//! and without JavaScript, a JSON API and a static export.
//!
//! [`Site::build`] renders everything that does not depend on the request once, from the model's
//! validated [`codebook_model::Registry`]; [`server::router`] only looks responses up. The model is
//! the only source of facts: classification, names and ranges are never re-derived here. The
//! code examples on the pages are what `codebook-codegen`'s examples backend writes.

pub mod bounded_cache;
pub mod command;
pub mod delay_chart;
pub mod export;
pub mod highlight;
pub mod markdown;
pub mod pages;
pub mod releases;
pub mod resource;
pub mod search;
pub mod search_cache;
pub mod server;
pub mod sightings;
pub mod site;
pub mod watch;

pub use server::{AppState, router};
pub use site::Site;
