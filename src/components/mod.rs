//! Yew function components, one per file.

pub mod ann_list;
pub mod app;
pub mod article;
pub mod attributes;
pub mod compare;
pub mod details;
pub mod documents;
pub mod help;
pub mod legend;
pub mod links;
pub mod notices;
pub mod orphans;
pub mod paragraph;
pub mod paste_dialog;
pub mod relation_choice;
pub mod summary;
pub mod team;
pub mod theme;
pub mod toolbar;
pub mod tools_menu;
pub mod update_banner;
