//! Text itself: the one index of offsets (code points, UTF-16 at the DOM edge), word and grapheme
//! boundaries, writing direction, titles derived from a text, time stamps and sorting by words.

pub mod boundaries;
pub mod direction;
pub mod sorting;
pub mod text_index;
pub mod time;
pub mod titles;
pub mod words;
