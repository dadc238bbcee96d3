//! Connecting to a team's CouchDB: the settings a browser keeps, and what
//! the server's answers mean, checked in order before anything is stored.
//!
//! # The checks, in order (each refusal is one [`Refused`] variant)
//!
//! 1. **The form** ([`Settings::new`]): the server URL is `https://…`, or
//!    `http://` to this machine (`127.0.0.1`, `localhost`: what the page's
//!    Content-Security-Policy allows) only,
//!    with no user name or password in it; the database name follows
//!    CouchDB's rule (a lowercase letter, then lowercase letters, digits and
//!    `_$()+-/`, at most 238 characters); a user name and a password are
//!    given together or not at all (none: anonymous, refused at step 4 by a
//!    team database).
//! 2. **The server** ([`check_welcome`], `GET /`): answers JSON with a
//!    `"couchdb"` (CouchDB) or `"express-pouchdb"` (pouchdb-server)
//!    greeting; anything else is not a CouchDB server.
//! 3. **The person** ([`check_login`], `POST /_session`): 200 with
//!    `"ok": true`; 401 is a wrong user name or password.
//! 4. **The database** ([`check_database`], `GET /{db}` with the session):
//!    200 is in; 401 without a session is anonymous, 401 or 403 with one is
//!    "not a member"; 404 is no such database.
//!
//! No password is kept: [`Settings`] holds the URL, the database, the user
//! name, which documents are shared and which shared ones were deleted here; CouchDB's session cookie does the rest.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt;

/// Local-storage key of the [`Settings`].
pub const SETTINGS_KEY: &str = "text-annotator.v2.sync";
/// Longest server URL, in characters.
pub const MAX_URL_LEN: usize = 2000;
/// Longest database name (CouchDB's limit).
pub const MAX_DB_LEN: usize = 238;

/// What a browser keeps about its team sync (never a password).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The server, without a trailing `/`.
    pub url: String,
    pub db: String,
    /// Empty: anonymous.
    pub user: String,
    /// Whether sync was on when the page was left (it resumes on load).
    pub on: bool,
    /// Ids of the documents shared with the team from this browser or by others.
    pub shared: BTreeSet<String>,
    /// Shared documents this person deleted from their list: not added again
    /// when the team's copy arrives (sharing it again takes it off).
    pub left: BTreeSet<String>,
}

/// Why connecting was refused (one variant per check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Step 1: the URL.
    Url(String),
    /// Step 1: the database name.
    Database(String),
    /// Step 1: a user name without a password or the other way round.
    HalfCredentials,
    /// The server could not be reached (network error, CORS refusal).
    Unreachable { url: String, detail: String },
    /// Step 2.
    NotCouch { url: String },
    /// Step 3.
    WrongPassword,
    /// Step 4, without a session.
    Anonymous { db: String },
    /// Step 4, with a session.
    NotMember { user: String, db: String },
    /// Step 4: 404.
    NoDatabase { db: String },
    /// Any other answer.
    Server { status: u16, step: &'static str },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Url(why) => write!(f, "The server URL {why}."),
            Refused::Database(why) => write!(f, "The database name {why}."),
            Refused::HalfCredentials => write!(f, "Give both a user name and a password (or neither, for a public database)."),
            Refused::Unreachable { url, detail } => write!(
                f,
                "Could not reach {url} ({detail}). Check the address, that the server is running, and that it allows this page's origin (CORS)."
            ),
            Refused::NotCouch { url } => write!(f, "{url} is not a CouchDB server (it did not answer as CouchDB does)."),
            Refused::WrongPassword => write!(f, "Wrong user name or password."),
            Refused::Anonymous { db } => write!(f, "The database “{db}” is for its members only: sign in with a user name and password."),
            Refused::NotMember { user, db } => write!(f, "{user} is not a member of the database “{db}”. Ask its administrator to add you."),
            Refused::NoDatabase { db } => write!(f, "The server has no database “{db}”."),
            Refused::Server { status, step } => write!(f, "The server answered {status} when {step}."),
        }
    }
}

impl std::error::Error for Refused {}

fn is_loopback_host(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost")
}

/// Step 1 for the URL: the tidied URL (no trailing `/`).
pub fn check_url(raw: &str) -> Result<String, Refused> {
    let url = raw.trim().trim_end_matches('/');
    if url.is_empty() {
        return Err(Refused::Url("is empty".into()));
    }
    if url.chars().count() > MAX_URL_LEN {
        return Err(Refused::Url(format!("is longer than {MAX_URL_LEN} characters")));
    }
    let (scheme, rest) = url.split_once("://").ok_or_else(|| Refused::Url("must start with https://".into()))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(Refused::Url("must not contain a user name or password: use the fields below".into()));
    }
    if rest.contains(['?', '#']) || url.chars().any(char::is_whitespace) {
        return Err(Refused::Url("must be a plain address, without spaces, ? or #".into()));
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or("")),
        None => authority.split(':').next().unwrap_or("").to_string(),
    };
    if host.is_empty() {
        return Err(Refused::Url("has no host".into()));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_string()),
        "http" if is_loopback_host(&host) => Ok(url.to_string()),
        "http" => Err(Refused::Url("must use https:// (plain http:// only for this machine, 127.0.0.1 or localhost)".into())),
        _ => Err(Refused::Url("must start with https://".into())),
    }
}

/// Step 1 for the database name (CouchDB's rule).
pub fn check_db(raw: &str) -> Result<String, Refused> {
    let db = raw.trim();
    let mut chars = db.chars();
    match chars.next() {
        None => return Err(Refused::Database("is empty".into())),
        Some(c) if !c.is_ascii_lowercase() => return Err(Refused::Database("must start with a lowercase letter".into())),
        _ => {}
    }
    if db.chars().count() > MAX_DB_LEN {
        return Err(Refused::Database(format!("is longer than {MAX_DB_LEN} characters")));
    }
    if let Some(c) = chars.find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(*c))) {
        return Err(Refused::Database(format!("may not contain “{c}” (lowercase letters, digits and _$()+-/ only)")));
    }
    Ok(db.to_string())
}

impl Settings {
    /// Step 1: settings from the form (`shared` empty, `on` false).
    pub fn new(url: &str, db: &str, user: &str, password: &str) -> Result<Settings, Refused> {
        let url = check_url(url)?;
        let db = check_db(db)?;
        let user = user.trim().to_string();
        if user.is_empty() != password.is_empty() {
            return Err(Refused::HalfCredentials);
        }
        Ok(Settings { url, db, user, on: false, shared: BTreeSet::new(), left: BTreeSet::new() })
    }

    /// The database's URL (`/` in the name escaped as CouchDB wants).
    pub fn db_url(&self) -> String {
        format!("{}/{}", self.url, self.db.replace('/', "%2F"))
    }

    /// The name of this database's local copy in the browser (IndexedDB).
    pub fn local_name(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in format!("{}\n{}\n{}", self.url, self.db, self.user).bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        format!("annotator-sync-{h:016x}")
    }

    pub fn to_json(&self) -> String {
        json!({ "url": self.url, "db": self.db, "user": self.user, "on": self.on, "shared": self.shared, "left": self.left }).to_string()
    }

    /// Reads stored settings; `None` for anything that is not what [`Settings::to_json`] writes.
    pub fn from_json(s: &str) -> Option<Settings> {
        let v: Value = serde_json::from_str(s).ok()?;
        let url = check_url(v.get("url")?.as_str()?).ok()?;
        let db = check_db(v.get("db")?.as_str()?).ok()?;
        let user = v.get("user")?.as_str()?.to_string();
        let on = v.get("on").and_then(Value::as_bool).unwrap_or(false);
        let ids = |key: &str| -> BTreeSet<String> {
            let list = v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            list.iter().filter_map(Value::as_str).filter(|id| crate::store::library::valid_doc_id(id)).map(str::to_string).collect()
        };
        v.get("shared")?.as_array()?;
        Some(Settings { url, db, user, on, shared: ids("shared"), left: ids("left") })
    }
}

/// Step 2: the answer to `GET /`.
pub fn check_welcome(url: &str, status: u16, body: &str) -> Result<(), Refused> {
    let v: Option<Value> = serde_json::from_str(body).ok();
    let greets = v.as_ref().is_some_and(|v| v.get("couchdb").is_some() || v.get("express-pouchdb").is_some());
    if status == 200 && greets {
        Ok(())
    } else {
        Err(Refused::NotCouch { url: url.to_string() })
    }
}

/// Step 3: the answer to `POST /_session`.
pub fn check_login(status: u16, body: &str) -> Result<(), Refused> {
    let ok = serde_json::from_str::<Value>(body).ok().and_then(|v| v.get("ok").and_then(Value::as_bool)).unwrap_or(false);
    match status {
        200 | 201 if ok => Ok(()),
        401 | 403 => Err(Refused::WrongPassword),
        status => Err(Refused::Server { status, step: "signing in" }),
    }
}

/// Step 4: the answer to `GET /{db}`; `signed_in` says whether a session was opened.
pub fn check_database(settings: &Settings, signed_in: bool, status: u16) -> Result<(), Refused> {
    let db = settings.db.clone();
    match status {
        200 => Ok(()),
        401 if !signed_in => Err(Refused::Anonymous { db }),
        401 | 403 => Err(Refused::NotMember { user: settings.user.clone(), db }),
        404 => Err(Refused::NoDatabase { db }),
        status => Err(Refused::Server { status, step: "opening the database" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(check_url(" https://couch.example.org/ ").unwrap(), "https://couch.example.org");
        assert_eq!(check_url("http://127.0.0.1:5984").unwrap(), "http://127.0.0.1:5984");
        assert_eq!(check_url("http://localhost:5984/couch").unwrap(), "http://localhost:5984/couch");
        assert!(matches!(check_url("http://couch.example.org"), Err(Refused::Url(m)) if m.contains("https")));
        assert!(matches!(check_url("https://me:pw@couch.example.org"), Err(Refused::Url(m)) if m.contains("user name")));
        assert!(matches!(check_url("couch.example.org"), Err(Refused::Url(_))));
        assert!(matches!(check_url("ftp://x"), Err(Refused::Url(_))));
        assert!(matches!(check_url(""), Err(Refused::Url(_))));
        assert!(matches!(check_url("https://"), Err(Refused::Url(_))));
        assert!(matches!(check_url("https://x/?a"), Err(Refused::Url(_))));
    }

    #[test]
    fn database_names() {
        assert_eq!(check_db("desk").unwrap(), "desk");
        assert_eq!(check_db("team_1/a$b(c)+d-e").unwrap(), "team_1/a$b(c)+d-e");
        assert!(check_db("Desk").is_err());
        assert!(check_db("1desk").is_err());
        assert!(check_db("de sk").is_err());
        assert!(check_db("").is_err());
        assert!(check_db(&"a".repeat(239)).is_err());
    }

    #[test]
    fn settings_round_trip_and_never_hold_a_password() {
        let mut s = Settings::new("http://127.0.0.1:5984/", "desk", "alice", "secret").unwrap();
        s.shared.insert("0123456789abcdef".into());
        s.left.insert("fedcba9876543210".into());
        s.on = true;
        let json = s.to_json();
        assert!(!json.contains("secret"));
        assert_eq!(Settings::from_json(&json), Some(s.clone()));
        assert_eq!(s.db_url(), "http://127.0.0.1:5984/desk");
        assert!(s.local_name().starts_with("annotator-sync-"));
        assert_ne!(s.local_name(), Settings { user: "bob".into(), ..s.clone() }.local_name());
        assert_eq!(Settings::from_json("{}"), None);
        assert_eq!(Settings::new("https://x", "desk", "alice", ""), Err(Refused::HalfCredentials));
        assert!(Settings::new("https://x", "desk", "", "").is_ok());
    }

    #[test]
    fn answers() {
        assert!(check_welcome("u", 200, r#"{"couchdb":"Welcome","version":"3.3.3"}"#).is_ok());
        assert!(check_welcome("u", 200, r#"{"express-pouchdb":"Welcome"}"#).is_ok());
        assert_eq!(check_welcome("u", 200, "<html>"), Err(Refused::NotCouch { url: "u".into() }));
        assert!(check_welcome("u", 404, r#"{"couchdb":"Welcome"}"#).is_err());
        assert!(check_login(200, r#"{"ok":true,"name":"alice"}"#).is_ok());
        assert_eq!(check_login(401, r#"{"error":"unauthorized"}"#), Err(Refused::WrongPassword));
        let s = Settings::new("https://x", "desk", "carol", "pw").unwrap();
        assert!(check_database(&s, true, 200).is_ok());
        assert_eq!(check_database(&s, false, 401), Err(Refused::Anonymous { db: "desk".into() }));
        assert_eq!(check_database(&s, true, 403), Err(Refused::NotMember { user: "carol".into(), db: "desk".into() }));
        assert_eq!(check_database(&s, true, 401), Err(Refused::NotMember { user: "carol".into(), db: "desk".into() }));
        assert_eq!(check_database(&s, true, 404), Err(Refused::NoDatabase { db: "desk".into() }));
        for r in [Refused::WrongPassword, Refused::NotCouch { url: "u".into() }, Refused::HalfCredentials] {
            assert!(r.to_string().ends_with('.'));
        }
    }
}
