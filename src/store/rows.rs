//! Many rows in one statement, in the form each backend takes best. A pass that writes or matches
//! thousands of rows (planning, the reminder pass, a batch of messages) hands them over as [`Rows`], and the
//! statement reads them as a table.
//!
//! - **PostgreSQL**: the rows travel as one JSON parameter read by `json_to_recordset`. The statement's text is
//!   the same however many rows there are, so it is parsed and planned once per connection; a `VALUES` list of
//!   5,000 bound parameters cost PostgreSQL more to parse and plan than to write its 500 rows.
//! - **SQLite**: a `VALUES` list of parameters, a few hundred rows per statement (SQLite parses fast and has a
//!   limit of 32,766 parameters).

use super::{Backend, Conn};
use sqlx::Arguments;
use sqlx::any::AnyArguments;

/// A column's SQL type as both backends name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    Int,
    Text,
}

impl Type {
    fn sql(self) -> &'static str {
        match self {
            Type::Int => "BIGINT",
            Type::Text => "TEXT",
        }
    }
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}

/// The backend a connection speaks.
pub(crate) fn backend_of(conn: &Conn) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// How many rows one statement carries: PostgreSQL takes them as one parameter, SQLite one per cell.
pub(crate) fn per_statement(backend: Backend) -> usize {
    match backend {
        Backend::Postgres => 5_000,
        Backend::Sqlite => super::SET_ROWS,
    }
}

/// Rows of fixed columns, to be read by a statement as a table.
#[derive(Debug, Clone)]
pub(crate) struct Rows {
    columns: &'static [(&'static str, Type)],
    cells: Vec<Value>,
}

impl Rows {
    pub(crate) fn new(columns: &'static [(&'static str, Type)]) -> Self {
        Self {
            columns,
            cells: Vec::new(),
        }
    }

    /// Adds a row: as many values as there are columns, in their order.
    pub(crate) fn push(&mut self, row: impl IntoIterator<Item = Value>) {
        let before = self.cells.len();
        self.cells.extend(row);
        debug_assert_eq!(self.cells.len() - before, self.columns.len());
    }

    pub(crate) fn len(&self) -> usize {
        self.cells.len() / self.columns.len().max(1)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The rows as a table expression named `alias` with the columns' names, its parameters numbered from
    /// `first` (the parameters before it are the statement's own).
    pub(crate) fn table(&self, backend: Backend, alias: &str, first: usize) -> String {
        match backend {
            Backend::Postgres => {
                let columns: Vec<String> = self
                    .columns
                    .iter()
                    .map(|(name, ty)| format!("{name} {}", ty.sql()))
                    .collect();
                format!(
                    "json_to_recordset(CAST(${first} AS json)) AS {alias}({})",
                    columns.join(", ")
                )
            }
            Backend::Sqlite => {
                let named: Vec<String> = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (name, _))| format!("column{} AS {name}", i + 1))
                    .collect();
                let types: Vec<&str> = self.columns.iter().map(|(_, ty)| ty.sql()).collect();
                let mut values = String::with_capacity(self.cells.len() * 20);
                let mut n = first;
                for r in 0..self.len() {
                    if r > 0 {
                        values.push_str(", ");
                    }
                    values.push('(');
                    for (c, ty) in types.iter().enumerate() {
                        if c > 0 {
                            values.push_str(", ");
                        }
                        values.push_str(&format!("CAST(${n} AS {ty})"));
                        n += 1;
                    }
                    values.push(')');
                }
                format!(
                    "(SELECT {} FROM (VALUES {values})) AS {alias}",
                    named.join(", ")
                )
            }
        }
    }

    /// Adds the rows' parameters to `args`, after the statement's own.
    pub(crate) fn add_to(
        self,
        backend: Backend,
        args: &mut AnyArguments,
    ) -> Result<(), sqlx::error::BoxDynError> {
        match backend {
            Backend::Postgres => args.add(self.json()),
            Backend::Sqlite => {
                for cell in self.cells {
                    match cell {
                        Value::Int(v) => args.add(v)?,
                        Value::Text(v) => args.add(v)?,
                    }
                }
                Ok(())
            }
        }
    }

    /// `[{"column": value, …}, …]`: what `json_to_recordset` reads.
    fn json(&self) -> String {
        let width = self.columns.len().max(1);
        let rows: Vec<serde_json::Value> = self
            .cells
            .chunks(width)
            .map(|row| {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|((name, _), cell)| {
                        let v = match cell {
                            Value::Int(Some(v)) => serde_json::Value::from(*v),
                            Value::Text(Some(v)) => serde_json::Value::from(v.as_str()),
                            Value::Int(None) | Value::Text(None) => serde_json::Value::Null,
                        };
                        ((*name).to_owned(), v)
                    })
                    .collect();
                serde_json::Value::Object(object)
            })
            .collect();
        serde_json::Value::Array(rows).to_string()
    }
}

/// The statement's own parameters, then the rows': arguments ready for `sqlx::query_with`.
pub(crate) fn arguments(
    backend: Backend,
    own: impl IntoIterator<Item = Value>,
    rows: Rows,
) -> Result<AnyArguments, sqlx::Error> {
    let mut args = AnyArguments::default();
    for v in own {
        match v {
            Value::Int(v) => args.add(v),
            Value::Text(v) => args.add(v),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    rows.add_to(backend, &mut args)
        .map_err(sqlx::Error::Encode)?;
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[(&str, Type)] = &[("id", Type::Int), ("name", Type::Text)];

    fn two() -> Rows {
        let mut rows = Rows::new(COLUMNS);
        rows.push([Value::from(1), Value::from("a\"b")]);
        rows.push([Value::from(None::<i64>), Value::from(None::<String>)]);
        rows
    }

    #[test]
    fn postgres_reads_one_json_parameter() {
        let rows = two();
        assert_eq!(
            rows.table(Backend::Postgres, "v", 3),
            "json_to_recordset(CAST($3 AS json)) AS v(id BIGINT, name TEXT)"
        );
        assert_eq!(
            rows.json(),
            r#"[{"id":1,"name":"a\"b"},{"id":null,"name":null}]"#
        );
    }

    #[test]
    fn sqlite_reads_a_values_list_with_named_columns() {
        let rows = two();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows.table(Backend::Sqlite, "v", 2),
            "(SELECT column1 AS id, column2 AS name FROM (VALUES (CAST($2 AS BIGINT), CAST($3 AS TEXT)), \
             (CAST($4 AS BIGINT), CAST($5 AS TEXT)))) AS v"
        );
    }
}
