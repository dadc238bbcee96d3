//! The annotator's pure model. No browser types live here: offsets, labels,
//! annotations, the reducer, the render plan and the file formats, all
//! testable with plain `cargo test` on the host.

pub mod model;
pub mod native;
pub mod plan;
pub mod text_index;

pub use model::{Action, Annotation, Document, Label, ModelError, State};
pub use text_index::TextIndex;
