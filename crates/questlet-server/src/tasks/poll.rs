//! Poll: any offered option completes it.

use super::Rejection;

/// Accepts any index of an offered option.
pub(super) fn verify(options: &[String], option: usize) -> Result<(), Rejection> {
    if option < options.len() {
        Ok(())
    } else {
        Err(Rejection("Pick one of the options.".into()))
    }
}
