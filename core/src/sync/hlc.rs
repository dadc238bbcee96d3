//! A hybrid logical clock: wall-clock milliseconds, a counter for events in
//! the same millisecond (or while the wall clock lags behind a clock already
//! seen), and the replica id that makes every clock value unique.
//!
//! # The rules
//!
//! 1. **Order**: by `wall_ms`, then `counter`, then `replica` (bytes); total.
//! 2. **Local event** ([`Hlc::tick`]): the result is strictly greater than
//!    the clock; it is `(now, 0)` when `now` is ahead of the clock, else the
//!    clock's `(wall_ms, counter + 1)`.
//! 3. **Receiving** ([`Hlc::recv`]): the result is strictly greater than both
//!    the clock and the remote value, and not earlier than `now`; it keeps
//!    this clock's replica id.
//! 4. **Bounds**: `wall_ms` ≤ [`MAX_WALL_MS`] (13 digits, year 2286; a later
//!    `now` counts as that), `counter` ≤ [`MAX_COUNTER`] (6 digits); when
//!    the counter would pass its bound the clock moves to the next
//!    millisecond with counter 0 (at most a millisecond ahead of real time
//!    per million events). Only a clock at both bounds cannot advance
//!    ([`HlcError::Exhausted`]). A replica id is 1 to [`MAX_REPLICA_LEN`]
//!    characters `[0-9a-z]`.
//! 5. **String form** ([`fmt::Display`], [`Hlc::parse`]):
//!    `{wall_ms:013}-{counter:06}-{replica}`, e.g.
//!    `1714557600000-000003-tab7`. Comparing two strings as strings gives
//!    the order of rule 1, and `parse` accepts only this exact form, so
//!    string equality is clock equality.

use std::fmt;

/// Largest `wall_ms`: 13 decimal digits.
pub const MAX_WALL_MS: u64 = 9_999_999_999_999;
/// Largest `counter`: 6 decimal digits.
pub const MAX_COUNTER: u32 = 999_999;
/// Longest replica id, in characters.
pub const MAX_REPLICA_LEN: usize = 32;

/// One clock value. Fields are private so every value is within the
/// bounds of rule 4; the field order is the order of rule 1.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    wall_ms: u64,
    counter: u32,
    replica: String,
}

/// Why a clock value was refused (one variant per check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HlcError {
    /// Not three parts joined by `-`.
    Shape(String),
    /// The time part is not 13 digits (or `wall_ms` is past [`MAX_WALL_MS`]).
    Wall(String),
    /// The counter part is not 6 digits (or the counter is past [`MAX_COUNTER`]).
    Counter(String),
    /// The replica id is not 1 to [`MAX_REPLICA_LEN`] characters `[0-9a-z]`.
    Replica(String),
    /// The clock is at both bounds and cannot advance.
    Exhausted,
}

impl fmt::Display for HlcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = |s: &str| crate::model::shorten(s, 40);
        match self {
            HlcError::Shape(s) => {
                write!(f, "“{}” is not a clock value (expected time-counter-replica, like 1714557600000-000003-tab7)", short(s))
            }
            HlcError::Wall(s) => write!(f, "the time “{}” of a clock value must be 13 digits", short(s)),
            HlcError::Counter(s) => write!(f, "the counter “{}” of a clock value must be 6 digits", short(s)),
            HlcError::Replica(s) => {
                write!(f, "the replica id “{}” must be 1 to {MAX_REPLICA_LEN} lower-case letters or digits", short(s))
            }
            HlcError::Exhausted => write!(f, "the clock has reached its largest value and cannot advance"),
        }
    }
}

impl std::error::Error for HlcError {}

/// Whether `id` can be a replica id: 1 to [`MAX_REPLICA_LEN`] characters `[0-9a-z]`.
pub fn valid_replica(id: &str) -> bool {
    (1..=MAX_REPLICA_LEN).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

impl Hlc {
    /// A clock value, checked against the bounds of rule 4.
    pub fn new(wall_ms: u64, counter: u32, replica: &str) -> Result<Hlc, HlcError> {
        if wall_ms > MAX_WALL_MS {
            return Err(HlcError::Wall(wall_ms.to_string()));
        }
        if counter > MAX_COUNTER {
            return Err(HlcError::Counter(counter.to_string()));
        }
        if !valid_replica(replica) {
            return Err(HlcError::Replica(replica.to_string()));
        }
        Ok(Hlc { wall_ms, counter, replica: replica.to_string() })
    }

    /// The first clock of `replica`: `(0, 0)`.
    pub fn start(replica: &str) -> Result<Hlc, HlcError> {
        Hlc::new(0, 0, replica)
    }

    pub fn wall_ms(&self) -> u64 {
        self.wall_ms
    }

    pub fn counter(&self) -> u32 {
        self.counter
    }

    pub fn replica(&self) -> &str {
        &self.replica
    }

    /// The clock for a local event at wall time `now_ms` (rule 2).
    pub fn tick(&self, now_ms: u64) -> Result<Hlc, HlcError> {
        let now = now_ms.min(MAX_WALL_MS);
        if now > self.wall_ms {
            return Ok(Hlc { wall_ms: now, counter: 0, replica: self.replica.clone() });
        }
        self.after(self.wall_ms, self.counter)
    }

    /// The clock after receiving `remote` at wall time `now_ms` (rule 3).
    pub fn recv(&self, remote: &Hlc, now_ms: u64) -> Result<Hlc, HlcError> {
        let now = now_ms.min(MAX_WALL_MS);
        let wall = self.wall_ms.max(remote.wall_ms);
        if now > wall {
            return Ok(Hlc { wall_ms: now, counter: 0, replica: self.replica.clone() });
        }
        let counter = match (self.wall_ms == wall, remote.wall_ms == wall) {
            (true, true) => self.counter.max(remote.counter),
            (true, false) => self.counter,
            _ => remote.counter,
        };
        self.after(wall, counter)
    }

    /// The smallest value of this replica after `(wall, counter)`.
    fn after(&self, wall: u64, counter: u32) -> Result<Hlc, HlcError> {
        let (wall_ms, counter) = if counter < MAX_COUNTER {
            (wall, counter + 1)
        } else if wall < MAX_WALL_MS {
            (wall + 1, 0)
        } else {
            return Err(HlcError::Exhausted);
        };
        Ok(Hlc { wall_ms, counter, replica: self.replica.clone() })
    }

    /// Reads the string form of rule 5 (and nothing else).
    pub fn parse(s: &str) -> Result<Hlc, HlcError> {
        let mut parts = s.splitn(3, '-');
        let (Some(wall), Some(counter), Some(replica)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(HlcError::Shape(s.to_string()));
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(wall, 13) {
            return Err(HlcError::Wall(wall.to_string()));
        }
        if !digits(counter, 6) {
            return Err(HlcError::Counter(counter.to_string()));
        }
        let wall_ms = wall.parse().map_err(|_| HlcError::Wall(wall.to_string()))?;
        let counter = counter.parse().map_err(|_| HlcError::Counter(counter.to_string()))?;
        Hlc::new(wall_ms, counter, replica)
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}-{:06}-{}", self.wall_ms, self.counter, self.replica)
    }
}

impl std::str::FromStr for Hlc {
    type Err = HlcError;
    fn from_str(s: &str) -> Result<Hlc, HlcError> {
        Hlc::parse(s)
    }
}
