//! What the article draws: the pure render plan of paragraphs and highlights, and the order in
//! which a large change is drawn in steps.

pub mod plan;
pub mod progressive;
