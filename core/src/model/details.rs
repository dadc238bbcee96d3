//! Document details: where an article comes from. Stored with the document
//! in the library ([`crate::store::library::DocMeta::details`]) and carried into
//! the exports (native files, W3C Web Annotation).
//!
//! # The contract (each check one [`DetailsError`] variant)
//!
//! 1. **Source URL**: empty, or an absolute `http://` / `https://` URL with a
//!    host, no white space, at most [`MAX_URL_CHARS`] characters.
//! 2. **Publisher**: at most [`MAX_PUBLISHER_CP`] code points once white
//!    space runs are made one space and the ends trimmed.
//! 3. **Published**: empty, or a calendar date `YYYY-MM-DD` that exists
//!    (`2024-02-30` does not), year 1000 to 9999.
//!
//! The **review URL** (where the fact-check is published, for ClaimReview)
//! follows rule 1; the fact-checking **organisation** (kept once, in the
//! library) follows rule 2.
//!
//! It uses the text helpers of [`crate::model`]; reading details from a file is
//! [`crate::formats::details_json`].

use crate::model::{clean_attribute, shorten};
use std::fmt;

/// Longest source URL, in characters.
pub const MAX_URL_CHARS: usize = 2_000;
/// Longest publisher name, in code points.
pub const MAX_PUBLISHER_CP: usize = 200;

/// The details of one document; an empty string is "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DocDetails {
    pub source_url: String,
    pub publisher: String,
    /// `YYYY-MM-DD`.
    pub published: String,
    /// Where the fact-check of this article is published (ClaimReview `url`):
    /// empty or an http(s) URL, as rule 1.
    pub review_url: String,
}

/// Why details were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DetailsError {
    /// Rule 1: not an absolute http(s) URL.
    NotAWebAddress(String),
    /// Rule 1: longer than [`MAX_URL_CHARS`].
    UrlTooLong(usize),
    /// Rule 2: longer than [`MAX_PUBLISHER_CP`].
    PublisherTooLong(usize),
    /// Rule 3: not a real `YYYY-MM-DD` date.
    NotADate(String),
}

impl fmt::Display for DetailsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DetailsError::NotAWebAddress(s) => {
                write!(
                    f,
                    "The source URL “{}” is not a web address: it must start with http:// or https://, name a host and have no spaces.",
                    shorten(s, 60)
                )
            }
            DetailsError::UrlTooLong(n) => write!(f, "The source URL is too long: {n} characters (at most {MAX_URL_CHARS})."),
            DetailsError::PublisherTooLong(n) => write!(f, "The publisher is too long: {n} characters (at most {MAX_PUBLISHER_CP})."),
            DetailsError::NotADate(s) => {
                write!(f, "“{}” is not a date: write the publication date as YYYY-MM-DD, e.g. 2024-05-01.", shorten(s, 60))
            }
        }
    }
}

impl std::error::Error for DetailsError {}

impl DocDetails {
    /// Checks and cleans details as typed (or read from a file): the ends
    /// of each value are trimmed, white space in the publisher made single.
    pub fn new(source_url: &str, publisher: &str, published: &str) -> Result<DocDetails, DetailsError> {
        let source_url = check_url(source_url)?;
        let publisher = clean_organisation(publisher)?;
        let published = published.trim();
        if !published.is_empty() && !is_date(published) {
            return Err(DetailsError::NotADate(published.to_string()));
        }
        Ok(DocDetails { source_url, publisher, published: published.to_string(), review_url: String::new() })
    }

    /// These details with the review URL `url` (checked by rule 1).
    pub fn with_review_url(mut self, url: &str) -> Result<DocDetails, DetailsError> {
        self.review_url = check_url(url)?;
        Ok(self)
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.source_url.is_empty() && self.publisher.is_empty() && self.published.is_empty() && self.review_url.is_empty()
    }

    /// One line for people: `Dawn · 2024-05-01 · https://…` (the parts set).
    pub fn describe(&self) -> String {
        [&self.publisher, &self.published, &self.source_url]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// Rule 1: `url` trimmed, empty or an absolute http(s) URL.
pub fn check_url(url: &str) -> Result<String, DetailsError> {
    let url = url.trim();
    let n = url.chars().count();
    if n > MAX_URL_CHARS {
        return Err(DetailsError::UrlTooLong(n));
    }
    if !url.is_empty() && !is_web_address(url) {
        return Err(DetailsError::NotAWebAddress(url.to_string()));
    }
    Ok(url.to_string())
}

/// Rule 2, for a publisher or a fact-checking organisation: white space runs
/// made one space, the ends trimmed, at most [`MAX_PUBLISHER_CP`] code points.
pub fn clean_organisation(name: &str) -> Result<String, DetailsError> {
    let name = clean_attribute(name);
    let n = name.chars().count();
    if n > MAX_PUBLISHER_CP {
        return Err(DetailsError::PublisherTooLong(n));
    }
    Ok(name)
}

/// `http://host…` or `https://host…`, no white space or control characters.
fn is_web_address(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = match lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
        Some(r) => r,
        None => return false,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    !host.is_empty() && !host.starts_with(':') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `YYYY-MM-DD`, a date that exists, year 1000–9999.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0), d.parse().unwrap_or(0));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1000 && (1..=days).contains(&d)
}
