//! The console's pages, one file each.

pub mod campaign;
pub mod campaigns;
pub mod sign_in;
