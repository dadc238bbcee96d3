//! Reading fields of parsed JSON with errors as values: every refusal is an
//! [`ImportError`] naming where in the file the problem is
//! (`annotations[3].start`). A leaf module shared by every importer.

use serde_json::{Map, Value};
use std::fmt;

/// Why a file was refused, with where in the file the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The file is larger than the limit `max` (bytes) of what was being read.
    TooLarge { bytes: usize, max: usize },
    /// The file is not valid UTF-8 / JSON; `line` and `column` are 1-based.
    Syntax { line: usize, column: usize, message: String },
    /// The JSON is valid but a field is wrong; `path` is like `annotations[3].start`.
    Field { path: String, message: String },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::TooLarge { bytes, max } => write!(
                f,
                "The file is too large: {} MB (the limit is {} MB).",
                crate::model::decimal(*bytes as f64 / 1_048_576.0, 1),
                max / 1_048_576
            ),
            ImportError::Syntax { line, column, message } => {
                write!(f, "Not valid JSON at line {line}, column {column}: {message}.")
            }
            ImportError::Field { path, message } => write!(f, "At {path}: {message}."),
        }
    }
}

impl std::error::Error for ImportError {}

/// An [`ImportError::Field`] at `path` (`annotations[3].start`) saying `message`.
pub(crate) fn field(path: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError::Field { path: path.into(), message: message.into() }
}

/// The string at `obj[key]`; an error at `{path}.{key}` when it is missing or not a string.
pub(crate) fn get_str<'a>(obj: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a str, ImportError> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(field(format!("{path}.{key}"), "must be a string")),
        None => Err(field(format!("{path}.{key}"), "is missing")),
    }
}

/// The string at `obj[key]`, `None` when it is missing or null; an error at
/// `{path}.{key}` when it is something else.
pub(crate) fn opt_str<'a>(obj: &'a Map<String, Value>, key: &str, path: &str) -> Result<Option<&'a str>, ImportError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(field(format!("{path}.{key}"), "must be a string")),
    }
}

/// The whole number ≥ 0 at `obj[key]` (an offset or a count); an error at
/// `{path}.{key}` when it is missing, not a number, negative, fractional or too large.
pub(crate) fn get_offset(obj: &Map<String, Value>, key: &str, path: &str) -> Result<usize, ImportError> {
    let p = format!("{path}.{key}");
    match obj.get(key) {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(u) => usize::try_from(u).map_err(|_| field(&p, "is too large")),
            None => Err(field(&p, format!("must be a whole number ≥ 0, found {n}"))),
        },
        Some(_) => Err(field(&p, "must be a number")),
        None => Err(field(&p, "is missing")),
    }
}
