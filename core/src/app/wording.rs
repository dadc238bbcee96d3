//! How the app names an annotation or a link in lists, messages and
//! announcements (one line each, quotes shortened).

use crate::model::links::LinkKind;
use crate::model::{shorten, Annotation};

/// A one-line description of an annotation for lists and announcements.
pub fn describe(a: &Annotation) -> String {
    format!("{}: “{}”", a.label, shorten(&a.quote, 80))
}

/// “Denial “…” denies Claim “…”” for descriptions and announcements.
pub fn describe_link(from: &Annotation, kind: LinkKind, to: &Annotation) -> String {
    format!("{} “{}” {} {} “{}”", from.label, shorten(&from.quote, 40), kind, to.label, shorten(&to.quote, 40))
}
