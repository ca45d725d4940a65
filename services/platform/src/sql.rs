//! Statements with their parameters as a list of values, run on the
//! caller's connection (or transaction). A store function is then what it
//! means (its SQL and what goes in) rather than a chain of `.bind` calls,
//! and every service's store runs its statements the same way.
//! Placeholders are `$1`, `$2`, … in the order of the list, which both
//! SQLite and PostgreSQL accept (see [`crate::db`]).

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

/// The result of a statement: what it gave, or the database's error.
pub type Result<T> = std::result::Result<T, sqlx::Error>;

/// One value for a placeholder: the column types the services' schemas
/// use (TEXT ids and words, BIGINT times and money, either nullable).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param<'a> {
    Text(&'a str),
    MaybeText(Option<&'a str>),
    Int(i64),
    MaybeInt(Option<i64>),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Self::Text(value)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(value: &'a String) -> Self {
        Self::Text(value)
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(value: Option<&'a str>) -> Self {
        Self::MaybeText(value)
    }
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(value: Option<i64>) -> Self {
        Self::MaybeInt(value)
    }
}

/// `sql` with `params` bound to its placeholders in order.
pub fn query<'q>(sql: &'q str, params: &[Param<'q>]) -> Query<'q, Any, AnyArguments<'q>> {
    params
        .iter()
        .fold(sqlx::query(sql), |query, param| match *param {
            Param::Text(value) => query.bind(value),
            Param::MaybeText(value) => query.bind(value),
            Param::Int(value) => query.bind(value),
            Param::MaybeInt(value) => query.bind(value),
        })
}

/// Runs a statement and says how many rows it changed.
pub async fn execute(conn: &mut AnyConnection, sql: &str, params: &[Param<'_>]) -> Result<u64> {
    Ok(query(sql, params).execute(conn).await?.rows_affected())
}

/// Runs a statement meant to change exactly one row: whether it did (a
/// conditional update or delete that found nothing to do answers `false`).
pub async fn change_one(conn: &mut AnyConnection, sql: &str, params: &[Param<'_>]) -> Result<bool> {
    Ok(execute(conn, sql, params).await? == 1)
}

/// The row a query finds, if any, read with `read`.
pub async fn fetch_optional<T>(
    conn: &mut AnyConnection,
    sql: &str,
    params: &[Param<'_>],
    read: impl FnOnce(&AnyRow) -> Result<T>,
) -> Result<Option<T>> {
    let row = query(sql, params).fetch_optional(conn).await?;
    row.as_ref().map(read).transpose()
}
