//! The annotator's pure model. No browser types live here, so everything runs in plain
//! `cargo test` on the host. One folder a subject:
//!
//! * [`text`]: the offset index (code points; UTF-16 only at the DOM edge), words, direction,
//!   titles, time, sorting;
//! * [`model`]: labels, annotations, a document's state and the changes to it, links, details,
//!   filters, occurrences, the summary;
//! * [`app`]: the page's state and its pure reducer (undo, selection, import, compare, team);
//! * [`history`]: undo/redo steps and their stored form;
//! * [`render`]: the render plan of the article and the order of drawing in steps;
//! * [`anchor`]: re-anchoring annotations made on another version of a text;
//! * [`formats`]: one parser and one writer per file format (native, W3C, brat, CSV,
//!   ClaimReview, annotated page) and the text-file contract;
//! * [`store`]: the storage policy (records, journal, library, merge, backups);
//! * [`sync`]: team sync (replica, clocks, conflict resolution, the session);
//! * [`agreement`]: comparing annotators (matching, F1, κ, αu);
//! * [`lazy`]: the messages to and from the rare parts, a module loaded on first use.

pub mod agreement;
pub mod anchor;
pub mod app;
pub mod formats;
pub mod history;
pub mod lazy;
pub mod model;
pub mod render;
pub mod store;
pub mod sync;
pub mod text;
