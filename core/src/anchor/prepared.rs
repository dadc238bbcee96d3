//! The current text prepared for anchoring: the [`Anchorer`]'s data (code points, the Myers
//! alphabet, the substring index once built) and its construction. A leaf for the steps:
//! `placement`, `search` and `anchorer` each add their methods to it.

use super::candidate::AnchorWork;
use super::fuzzy::NONE;
use super::grams::GramIndex;
use crate::text::text_index::TextIndex;
use std::collections::HashMap;
use std::rc::Rc;

/// Texts shorter than this (code points) are never indexed: a pass over
/// them costs less than the index.
const MIN_INDEXED_CP: usize = 1 << 15;
/// Searches of the whole text after which the text is indexed (the index
/// costs about as much as this many passes).
const INDEX_AFTER_PASSES: u32 = 24;

/// The current text prepared for anchoring many candidates: its code points
/// and a dense id per distinct code point (the Myers alphabet), built once;
/// the substring index too, once enough candidates have needed a search of
/// the whole text.
pub struct Anchorer<'a> {
    pub(super) index: &'a TextIndex,
    pub(super) chars: Vec<char>,
    /// `ids[i]` is the alphabet id of `chars[i]`.
    pub(super) ids: Vec<u32>,
    id_of: HashMap<char, u32>,
    pub(super) work: AnchorWork,
    pub(super) grams: Option<Rc<GramIndex>>,
    /// Searches of the whole text so far (until the index is built).
    passes: u32,
    /// Tests: index at once and always search through it.
    pub(super) forced: bool,
    /// Width of the innermost distance band around the old position.
    pub(super) band_unit: usize,
    /// A buffer of match ends reused by the indexed searches.
    pub(super) scratch: Vec<(usize, usize)>,
}

impl<'a> Anchorer<'a> {
    /// Prepares `index` (one pass over the text).
    pub fn new(index: &'a TextIndex) -> Self {
        let chars: Vec<char> = index.text().chars().collect();
        let mut id_of: HashMap<char, u32> = HashMap::new();
        let ids = chars
            .iter()
            .map(|c| {
                let next = id_of.len() as u32;
                *id_of.entry(*c).or_insert(next)
            })
            .collect();
        Anchorer {
            index,
            chars,
            ids,
            id_of,
            work: AnchorWork::default(),
            grams: None,
            passes: 0,
            forced: false,
            band_unit: 256,
            scratch: Vec::new(),
        }
    }

    /// For tests: an anchorer that indexes the text at once and always
    /// takes the indexed searches (whatever they cost), with distance bands
    /// `band_unit` code points wide near the old position. Gives the same
    /// results as [`Anchorer::new`].
    #[doc(hidden)]
    pub fn new_indexed(index: &'a TextIndex, band_unit: usize) -> Self {
        let mut a = Anchorer::new(index);
        a.forced = true;
        a.band_unit = band_unit.max(1);
        a.build_index();
        a
    }

    pub(super) fn build_index(&mut self) {
        self.grams = Some(Rc::new(GramIndex::new(&self.ids, self.alphabet())));
    }

    /// Counts a search of the whole text; whether the index is there.
    pub(super) fn whole_text_pass(&mut self) -> bool {
        if self.grams.is_none() {
            self.passes += 1;
            if self.chars.len() >= MIN_INDEXED_CP && self.passes > INDEX_AFTER_PASSES {
                self.build_index();
            }
        }
        self.grams.is_some()
    }

    /// Work done so far by this anchorer.
    pub fn work(&self) -> AnchorWork {
        self.work
    }

    pub(super) fn alphabet(&self) -> usize {
        self.id_of.len()
    }

    /// Alphabet ids of `s`; code points absent from the text get `NONE`.
    pub(super) fn to_ids(&self, s: &[char]) -> Vec<u32> {
        s.iter().map(|c| self.id_of.get(c).copied().unwrap_or(NONE)).collect()
    }
}
