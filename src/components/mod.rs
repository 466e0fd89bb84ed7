//! The widget's components, one file each. Each main element carries a documented `part`
//! name (see `docs/parts.md`) so host pages can style it with `::part()`.

pub mod campaign;
pub mod error_box;
pub mod fresh;
pub mod panel;
pub mod points;
pub mod popup;
pub mod quest_card;
pub mod quest_view;
pub mod schedule;
pub mod skeleton;
