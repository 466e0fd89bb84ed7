//! Form: required fields must be filled; unknown fields are refused; values are bounded.

use questlet_types::attempt::FormValues;
use questlet_types::task::FormField;

use super::Rejection;

/// Longest accepted value, in characters.
const MAX_VALUE_CHARS: usize = 2000;

/// Accepts when every required field has a value and every value belongs to a field.
pub(super) fn verify(fields: &[FormField], values: &FormValues) -> Result<(), Rejection> {
    if let Some(unknown) = values
        .names()
        .find(|k| !fields.iter().any(|f| f.name == *k))
    {
        return Err(Rejection(format!("The form has no field {unknown:?}.")));
    }
    for field in fields {
        let value = values.get(&field.name).map(str::trim).unwrap_or("");
        if field.required && value.is_empty() {
            return Err(Rejection(format!("{} is required.", field.label)));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(Rejection(format!(
                "{} is too long (at most {MAX_VALUE_CHARS} characters).",
                field.label
            )));
        }
    }
    Ok(())
}
