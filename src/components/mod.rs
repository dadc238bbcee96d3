//! Yew function components, one per file.

pub mod ann_list;
pub mod app;
pub mod article;
pub mod legend;
pub mod paragraph;
pub mod toolbar;
