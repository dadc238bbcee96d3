//! The annotator's pure model. No browser types live here: offsets, labels,
//! annotations, the reducer, the render plan and the file formats, all
//! testable with plain `cargo test` on the host.

pub mod agreement;
pub mod anchor;
pub mod annotation_json;
pub mod app;
pub mod bundle;
pub mod details;
pub mod direction;
pub mod filter;
pub mod formats;
pub mod history;
pub mod json_fields;
pub mod library;
pub mod link_views;
pub mod links;
pub mod merge;
pub mod model;
pub mod model_apply;
pub mod native;
pub mod occurrences;
pub mod plan;
pub mod progressive;
pub mod sorting;
pub mod store;
pub mod summary;
pub mod sync;
pub mod text_index;
pub mod textfile;
pub mod time;
pub mod titles;
pub mod words;

pub use model::{Action, Annotation, Document, Label, ModelError, State};
pub use text_index::TextIndex;
