//! What the article draws: the pure render plan of paragraphs and highlights, the annotations
//! marked besides the selected one, and the order in which a large change is drawn in steps.

pub mod marks;
pub mod plan;
pub mod progressive;
