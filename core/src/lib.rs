//! The annotator's pure model. No browser types live here: offsets, labels,
//! annotations, the reducer, the render plan and the file formats, all
//! testable with plain `cargo test` on the host.

pub mod anchor;
pub mod annotation_json;
pub mod app;
pub mod json_fields;
pub mod time;
pub mod titles;
pub mod formats;
pub mod model;
pub mod native;
pub mod plan;
pub mod text_index;
pub mod filter;
pub mod history;
pub mod summary;
pub mod words;
pub mod bundle;
pub mod library;
pub mod store;
pub mod merge;
pub mod textfile;

pub use model::{Action, Annotation, Document, Label, ModelError, State};
pub use text_index::TextIndex;
