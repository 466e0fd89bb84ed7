//! The console's pages, one file each.

pub mod campaign;
pub mod campaign_file;
pub mod campaign_settings;
pub mod campaigns;
pub mod credentials;
pub mod quest_editor;
pub mod results;
pub mod review;
pub mod sign_in;
pub mod team;
