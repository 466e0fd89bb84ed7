//! Typed values out of stored columns, for the row types' `FromRow`: wire names become
//! enums, JSON text becomes its type, 0/1 becomes `bool`. A stored value that does not
//! decode is `sqlx::Error::ColumnDecode` naming the column, so it fails the read (a logged
//! 500), never a handler later.

use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::error::BoxDynError;
use sqlx::Row;

/// The error for a stored value that does not decode.
pub(super) fn corrupt(column: &str, source: impl Into<BoxDynError>) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: source.into(),
    }
}

/// A TEXT column holding a wire name (`CampaignStatus::parse`, `TaskKind::parse`, ...).
pub(super) fn wire_name<T>(
    row: &AnyRow,
    column: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    let name: String = row.try_get(column)?;
    parse(&name).ok_or_else(|| corrupt(column, format!("unknown name {name:?}")))
}

/// JSON text read from `column`.
pub(super) fn json_text<T: DeserializeOwned>(column: &str, text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| corrupt(column, e))
}

/// A TEXT column holding JSON.
pub(super) fn json<T: DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T, sqlx::Error> {
    json_text(column, &row.try_get::<String, _>(column)?)
}

/// A nullable TEXT column holding JSON.
pub(super) fn optional_json<T: DeserializeOwned>(
    row: &AnyRow,
    column: &str,
) -> Result<Option<T>, sqlx::Error> {
    row.try_get::<Option<String>, _>(column)?
        .map(|text| json_text(column, &text))
        .transpose()
}

/// A BIGINT 0/1 flag (booleans are stored as numbers so both backends share the queries).
pub(super) fn flag(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    match row.try_get::<i64, _>(column)? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(corrupt(column, format!("{other} is not a 0/1 flag"))),
    }
}
