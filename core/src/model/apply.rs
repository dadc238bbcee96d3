//! The model's reducer: [`State::apply`], every [`Action`] a person or a
//! file asks for, checked against the state (nothing changes on error).

use crate::model::links::{with_link, LinkError};
use crate::model::{fitting_attribute, text_order, Action, Annotation, ModelError, State, MAX_ATTRIBUTE_CP};
use std::rc::Rc;

impl State {
    fn position(&self, id: &str) -> Result<usize, ModelError> {
        self.annotations.iter().position(|a| a.id == id).ok_or_else(|| ModelError::UnknownId(id.to_string()))
    }

    /// Applies `action`, returning the new state or why it was refused
    /// (in which case nothing changes).
    pub fn apply(&self, action: Action) -> Result<State, ModelError> {
        let mut next = self.clone();
        match action {
            Action::Add { id, start, end, label, now } => {
                let len = self.doc.index.len_cp();
                if start >= end || end > len {
                    if start == end && end <= len {
                        return Err(ModelError::EmptySelection);
                    }
                    return Err(ModelError::OutOfRange { start, end, len });
                }
                if self.get(&id).is_some() {
                    return Err(ModelError::DuplicateId(id));
                }
                let quote = self.doc.index.slice_cp(start, end).unwrap_or_default().to_string();
                if let Some(dup) = self.annotations.iter().find(|a| a.start == start && a.end == end && a.label == label) {
                    return Err(ModelError::DuplicateSpan { label, quote: dup.quote.clone() });
                }
                let ann = Annotation::new(&id, start, end, &quote, label, &now);
                let list = Rc::make_mut(&mut next.annotations);
                let at = list.partition_point(|a| text_order(a, &ann).is_lt());
                list.insert(at, Rc::new(ann));
                next.selected = Some(id);
            }
            Action::Retag { id, label, now } => {
                let i = self.position(&id)?;
                let list = Rc::make_mut(&mut next.annotations);
                Rc::make_mut(&mut list[i]).label = label;
                Rc::make_mut(&mut list[i]).modified = now;
            }
            Action::SetNote { id, note, now } => {
                let i = self.position(&id)?;
                let list = Rc::make_mut(&mut next.annotations);
                Rc::make_mut(&mut list[i]).note = note;
                Rc::make_mut(&mut list[i]).modified = now;
            }
            Action::SetAttributes { id, speaker, verdict, now } => {
                let i = self.position(&id)?;
                let too_long = |what| ModelError::AttributeTooLong { what, max: MAX_ATTRIBUTE_CP };
                let speaker = fitting_attribute(&speaker).ok_or_else(|| too_long("speaker"))?;
                let verdict = fitting_attribute(&verdict).ok_or_else(|| too_long("verdict"))?;
                if self.annotations[i].speaker == speaker && self.annotations[i].verdict == verdict {
                    return Ok(next);
                }
                let list = Rc::make_mut(&mut next.annotations);
                Rc::make_mut(&mut list[i]).speaker = speaker;
                Rc::make_mut(&mut list[i]).verdict = verdict;
                Rc::make_mut(&mut list[i]).modified = now;
            }
            Action::Delete { id } => {
                let i = self.position(&id)?;
                let list = Rc::make_mut(&mut next.annotations);
                list.remove(i);
                for a in list.iter_mut().filter(|a| a.links.iter().any(|l| l.to == id)) {
                    Rc::make_mut(a).links.retain(|l| l.to != id);
                }
                if next.selected.as_deref() == Some(id.as_str()) {
                    next.selected = None;
                }
            }
            Action::Link { from, to, kind, now } => {
                let i = self.position(&from)?;
                self.position(&to)?;
                if from == to {
                    return Err(ModelError::Link(LinkError::ToItself));
                }
                if let Some(links) = with_link(&self.annotations[i].links, &to, kind).map_err(ModelError::Link)? {
                    let list = Rc::make_mut(&mut next.annotations);
                    Rc::make_mut(&mut list[i]).links = links;
                    Rc::make_mut(&mut list[i]).modified = now;
                }
            }
            Action::Unlink { from, to, now } => {
                let i = self.position(&from)?;
                if self.annotations[i].links.iter().any(|l| l.to == to) {
                    let list = Rc::make_mut(&mut next.annotations);
                    Rc::make_mut(&mut list[i]).links.retain(|l| l.to != to);
                    Rc::make_mut(&mut list[i]).modified = now;
                }
            }
            Action::Select(sel) => {
                if let Some(id) = &sel {
                    self.position(id)?;
                }
                next.selected = sel;
            }
            Action::Settle { upserts, deletes } => {
                let mut state = self.clone();
                for id in deletes {
                    state = state.apply(Action::Delete { id })?;
                }
                return state.apply(Action::Merge(upserts));
            }
            Action::Merge(incoming) => {
                let list = Rc::make_mut(&mut next.annotations);
                // One id → position map: O(n + m), not O(n·m), for big imports.
                let mut at: std::collections::HashMap<String, usize> = list.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
                for ann in incoming {
                    match at.get(&ann.id) {
                        Some(&i) => list[i] = Rc::new(ann),
                        None => {
                            at.insert(ann.id.clone(), list.len());
                            list.push(Rc::new(ann));
                        }
                    }
                }
                crate::text::sorting::sort_by(list, |a, b| text_order(a, b));
                if let Some(sel) = &next.selected {
                    if !list.iter().any(|a| &a.id == sel) {
                        next.selected = None;
                    }
                }
            }
        }
        Ok(next)
    }
}
