//! The Web Annotation terms that the annotations (`w3c`) and the links between them
//! (`w3c_links`) both use: the prefix of this app's ids and the test of a `type`.

use serde_json::Value;

/// Prefix turning an annotation id into an IRI (`urn:x-annotator:a1b2`);
/// the rest of the id is percent-encoded (RFC 3986 unreserved characters kept).
pub const ID_PREFIX: &str = "urn:x-annotator:";

/// Whether a JSON-LD `type` value (a string or an array of strings) includes `t`.
pub(super) fn has_type(v: Option<&Value>, t: &str) -> bool {
    match v {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(t)),
        _ => false,
    }
}
