//! Links between annotations: directed and typed.
//!
//! A link is kept on the annotation it starts from ([`Annotation::links`]):
//! `{kind, to}`. So a link is part of its source annotation's version, and
//! everything annotations already obey holds for links with no new rule:
//! merging between tabs by id (the later edit of the source wins, deletions
//! are remembered), the undo history, the per-tab journals, the files.
//!
//! # The rules
//!
//! 1. A link joins two different annotations (no link to itself).
//! 2. Between an ordered pair there is at most one link: linking again with
//!    another kind changes the kind. `a → b` and `b → a` are two links.
//! 3. A source keeps its links sorted by (target id, kind) and holds at
//!    most [`MAX_LINKS_PER_ANNOTATION`].
//! 4. Deleting an annotation removes the links to it from every other
//!    annotation, in the same step (so one undo brings both back).
//! 5. A link whose target no longer exists (deleted in another tab at the
//!    same time as the link was made) is *dangling*: it is not shown, not
//!    counted and not exported ([`without_dangling`]), and it comes back to
//!    life if the target does (an undo in that tab).
//!
//! # In files
//!
//! On the source annotation of a native file (version 2):
//! `"links": [{"type": "denies", "to": "a-12"}]`, left out when empty.
//! Reading refuses an unknown type, a link to the annotation itself, a
//! repeated target and (in files, not in stored records) a target id that is
//! not in the file, each with its location.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Most links one annotation may start.
pub const MAX_LINKS_PER_ANNOTATION: usize = 1_000;

/// What a link says about its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// Typically a denial → the claim it answers.
    Denies,
    /// Typically a statistic → the claim it backs.
    Supports,
    /// Typically a statistic → the claim it refutes.
    Contradicts,
    /// The same claim made again → its first statement.
    Repeats,
}

impl LinkKind {
    /// Every kind, in the order they are offered.
    pub const ALL: [LinkKind; 4] = [LinkKind::Denies, LinkKind::Supports, LinkKind::Contradicts, LinkKind::Repeats];

    /// The identifier in files (`denies`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Denies => "denies",
            LinkKind::Supports => "supports",
            LinkKind::Contradicts => "contradicts",
            LinkKind::Repeats => "repeats",
        }
    }

    /// Read from the target's side (`denied by`, …).
    pub fn inverse(self) -> &'static str {
        match self {
            LinkKind::Denies => "denied by",
            LinkKind::Supports => "supported by",
            LinkKind::Contradicts => "contradicted by",
            LinkKind::Repeats => "repeated by",
        }
    }

    /// Parses a file's `type` (any case); `None` for anything else.
    pub fn parse(s: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One link, kept on its source annotation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    /// The id of the target annotation.
    pub to: String,
    #[serde(rename = "type")]
    pub kind: LinkKind,
}

/// Why a link was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Source and target are the same annotation.
    ToItself,
    /// The source already starts [`MAX_LINKS_PER_ANNOTATION`] links.
    TooMany,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::ToItself => write!(f, "An annotation cannot be linked to itself: choose another one."),
            LinkError::TooMany => write!(f, "This annotation already has {MAX_LINKS_PER_ANNOTATION} links, the most it can have."),
        }
    }
}

/// `links` with `to` linked by `kind` (rule 2: replaces a link to `to` of
/// another kind), kept sorted. `None` when it is already there.
pub fn with_link(links: &[Link], to: &str, kind: LinkKind) -> Result<Option<Vec<Link>>, LinkError> {
    if links.iter().any(|l| l.to == to && l.kind == kind) {
        return Ok(None);
    }
    let mut out: Vec<Link> = links.iter().filter(|l| l.to != to).cloned().collect();
    if out.len() >= MAX_LINKS_PER_ANNOTATION {
        return Err(LinkError::TooMany);
    }
    out.push(Link { to: to.to_string(), kind });
    crate::text::sorting::sort(&mut out);
    Ok(Some(out))
}
