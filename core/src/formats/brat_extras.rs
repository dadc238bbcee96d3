//! The brat lines beyond text-bound annotations: links as relations (`R`),
//! the verdict as an attribute (`A`), the speaker as a `#` comment, and the
//! `annotation.conf` that makes the files a brat project. Reading also takes
//! equivalences (`*` → `repeats` links) and skips events (`E`) and
//! normalisations (`N`) with a count.
//!
//! ```text
//! T1<TAB>Claim 628 805<TAB>Pakistan has repeatedly …
//! T2<TAB>Denial 806 829<TAB>a claim denied by Kabul
//! #1<TAB>Speaker T1<TAB>Pakistan's government
//! A1<TAB>Verdict T1 Mostly_false
//! R1<TAB>Denies Arg1:T2 Arg2:T1
//! ```
//! brat attribute values have no spaces: a verdict's spaces are written as
//! `_` (`Mostly false` → `Mostly_false`) and read back as spaces. Relation
//! types are the link kinds capitalised (`Denies`, `Supports`,
//! `Contradicts`, `Repeats`), read in any case.

use super::json_fields::{field, ImportError};
use super::parsed::UnknownRelation;
use crate::anchor::Candidate;
use crate::model::links::{Link, LinkKind};
use crate::model::{fitting_attribute, shorten, Annotation, Label, MAX_ATTRIBUTE_CP, VERDICTS};
use std::collections::{BTreeSet, HashMap};

/// The brat relation type of a link kind (`Denies`).
pub fn relation_type(kind: LinkKind) -> String {
    let s = kind.as_str();
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

/// A verdict as a brat attribute value: spaces become `_`.
pub fn verdict_value(verdict: &str) -> String {
    verdict.split_whitespace().collect::<Vec<_>>().join("_")
}

/// The lines after the `T` lines (`tid_of` maps annotation ids to `T` ids):
/// `#` Speaker comments, `A` Verdict attributes and `R` relations, numbered
/// from 1 (`#` numbers continue after `first_comment`).
pub fn export_lines(annotations: &[Annotation], tid_of: &HashMap<&str, String>, first_comment: usize) -> String {
    let mut out = String::new();
    let mut comment = first_comment;
    let mut attr = 0;
    for a in annotations {
        let Some(t) = tid_of.get(a.id.as_str()) else { continue };
        if !a.speaker.is_empty() {
            comment += 1;
            out.push_str(&format!("#{comment}\tSpeaker {t}\t{}\n", a.speaker));
        }
        if !a.verdict.is_empty() {
            attr += 1;
            out.push_str(&format!("A{attr}\tVerdict {t} {}\n", verdict_value(&a.verdict)));
        }
    }
    let mut rel = 0;
    for a in annotations {
        let Some(from) = tid_of.get(a.id.as_str()) else { continue };
        for l in &a.links {
            if let Some(to) = tid_of.get(l.to.as_str()) {
                rel += 1;
                out.push_str(&format!("R{rel}\t{} Arg1:{from} Arg2:{to}\n", relation_type(l.kind)));
            }
        }
    }
    out
}

/// The `annotation.conf` of an export: the three entities, the four
/// relations between any of them, and the Verdict attribute with the offered
/// verdicts and every other one used in `annotations`.
pub fn export_conf(annotations: &[Annotation]) -> String {
    let entities: Vec<&str> = Label::ALL.iter().map(|l| l.display()).collect();
    let any = entities.join("|");
    let mut values: Vec<String> = VERDICTS.iter().map(|v| verdict_value(v)).collect();
    let used: BTreeSet<String> = annotations.iter().filter(|a| !a.verdict.is_empty()).map(|a| verdict_value(&a.verdict)).collect();
    for u in used {
        if !values.contains(&u) {
            values.push(u);
        }
    }
    let mut out = String::from("# brat annotation configuration written by the annotator\n[entities]\n");
    for e in &entities {
        out.push_str(e);
        out.push('\n');
    }
    out.push_str("\n[relations]\n");
    for k in LinkKind::ALL {
        out.push_str(&format!("{}\tArg1:{any}, Arg2:{any}\n", relation_type(k)));
    }
    out.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    out.push_str("\n[events]\n\n[attributes]\n");
    out.push_str(&format!("Verdict\tArg:<ENTITY>, Value:{}\n", values.join("|")));
    out
}

/// The link kind a brat relation type stands for: ours (any case), or the
/// usual names of argument-mining corpora (`supports`/`support` → supports;
/// `attacks`/`attack`/`rebuts`/`undercuts`/`refutes` → contradicts;
/// `equiv`/`same`/`duplicate` → repeats). `None` for anything else.
pub fn relation_kind(ty: &str) -> Option<LinkKind> {
    if let Some(k) = LinkKind::parse(ty) {
        return Some(k);
    }
    match ty.to_ascii_lowercase().as_str() {
        "support" | "supported_by" | "backs" => Some(LinkKind::Supports),
        "attacks" | "attack" | "rebuts" | "rebut" | "undercuts" | "undercut" | "refutes" | "contradict" => Some(LinkKind::Contradicts),
        "deny" | "denial_of" => Some(LinkKind::Denies),
        "equiv" | "same" | "duplicate" | "repeat" => Some(LinkKind::Repeats),
        _ => None,
    }
}

/// What the extra lines of a `.ann` said, before the `T` ids are resolved.
#[derive(Default)]
pub struct Extras {
    /// (line, type, arg1, arg2)
    pub relations: Vec<(usize, String, String, String)>,
    /// (line, name, target, value)
    pub attributes: Vec<(usize, String, String, Option<String>)>,
    /// (line, target, speaker)
    pub speakers: Vec<(usize, String, String)>,
    /// (line, the T ids of one equivalence)
    pub equivalences: Vec<(usize, Vec<String>)>,
    /// Lines skipped, by kind (`event`, `normalisation`, `comment`), for the report.
    pub skipped: Vec<String>,
}

fn at(line: usize) -> String {
    format!("line {line}")
}

impl Extras {
    /// Reads an `R`, `A`/`M`, `*`, `E` or `N` line; `false` when `line` is none of these.
    pub fn read(&mut self, n: usize, line: &str) -> Result<bool, ImportError> {
        let mut parts = line.split('\t');
        let id = parts.next().unwrap_or("");
        let body = parts.next().unwrap_or("").trim();
        match id.chars().next() {
            Some('R') => {
                let toks: Vec<&str> = body.split_whitespace().collect();
                let arg = |t: Option<&&str>| t.and_then(|t| t.split_once(':')).map(|(_, v)| v.to_string());
                match (toks.first(), arg(toks.get(1)), arg(toks.get(2))) {
                    (Some(ty), Some(a1), Some(a2)) if toks.len() == 3 => self.relations.push((n, ty.to_string(), a1, a2)),
                    _ => return Err(field(at(n), format!("expected “{id}<TAB>Type Arg1:T1 Arg2:T2”, found “{}”", shorten(body, 40)))),
                }
            }
            Some('A') | Some('M') => {
                let toks: Vec<&str> = body.split_whitespace().collect();
                match toks.as_slice() {
                    [name, target] => self.attributes.push((n, name.to_string(), target.to_string(), None)),
                    [name, target, value] => self.attributes.push((n, name.to_string(), target.to_string(), Some(value.to_string()))),
                    _ => return Err(field(at(n), format!("expected “{id}<TAB>Name T1 [Value]”, found “{}”", shorten(body, 40)))),
                }
            }
            Some('*') => {
                let toks: Vec<&str> = body.split_whitespace().collect();
                if toks.len() < 3 {
                    return Err(field(at(n), "an equivalence needs a type and at least two annotations (“*<TAB>Equiv T1 T2”)"));
                }
                self.equivalences.push((n, toks[1..].iter().map(|s| s.to_string()).collect()));
            }
            Some('E') => self.skipped.push("event".into()),
            Some('N') => self.skipped.push("normalisation".into()),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Applies what was read to the candidates made of the `T` lines:
    /// `index_of` maps a `T` id to its candidate's index in `cand`
    /// (`skipped`: `T` ids left out, whose relations and attributes go too).
    /// Relation types other than ours follow `relation_map` (see
    /// [`super::ImportOptions::relation_map`]); without one they are left out
    /// and returned, so the person can be asked. Attributes other than
    /// Verdict are skipped and reported in `warnings`.
    pub fn apply(
        self,
        cand: &mut [Candidate],
        index_of: &HashMap<String, usize>,
        is_skipped: impl Fn(&str) -> bool,
        relation_map: Option<&[(String, Option<LinkKind>)]>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<UnknownRelation>, ImportError> {
        let find = |t: &str, n: usize, what: &str| -> Result<Option<usize>, ImportError> {
            match index_of.get(t) {
                Some(&i) => Ok(Some(i)),
                None if is_skipped(t) => Ok(None),
                None => {
                    Err(field(at(n), format!("the {what} names “{}”, which is not a text-bound annotation of this file", shorten(t, 20))))
                }
            }
        };
        let mut unknown_types: BTreeSet<String> = BTreeSet::new();
        let mut mapped: BTreeSet<String> = BTreeSet::new();
        let mut unknown: Vec<UnknownRelation> = Vec::new();
        let (mut read, mut left_out) = (0usize, 0usize);
        for (n, ty, a1, a2) in self.relations {
            let (Some(i), Some(j)) = (find(&a1, n, "relation")?, find(&a2, n, "relation")?) else { continue };
            if i == j {
                return Err(field(at(n), format!("the relation links {a1} to itself")));
            }
            // Ours, or what the person chose for this type; else asked about (first pass).
            let kind = match (LinkKind::parse(&ty), relation_map) {
                (Some(k), _) => Some(k),
                (None, Some(map)) => map.iter().find(|(t, _)| t.eq_ignore_ascii_case(&ty)).and_then(|(_, k)| *k),
                (None, None) => {
                    match unknown.iter_mut().find(|u| u.name == ty) {
                        Some(u) => u.count += 1,
                        None => {
                            unknown.push(UnknownRelation { name: ty.clone(), count: 1, first_path: at(n), suggested: relation_kind(&ty) })
                        }
                    }
                    None
                }
            };
            let Some(kind) = kind else {
                left_out += 1;
                if relation_map.is_some() {
                    unknown_types.insert(ty);
                }
                continue;
            };
            read += 1;
            if LinkKind::parse(&ty).is_none() {
                mapped.insert(format!("{ty} → {kind}"));
            }
            let to = cand[j].id.clone();
            let links = &mut cand[i].links;
            if !links.iter().any(|l| l.to == to) {
                links.push(Link { to, kind });
                crate::text::sorting::sort(links);
            }
        }
        for (n, ids) in self.equivalences {
            let mut found = Vec::new();
            for t in &ids {
                found.extend(find(t, n, "equivalence")?);
            }
            if let Some((&first, rest)) = found.split_first() {
                for &i in rest.iter().filter(|&&i| i != first) {
                    let to = cand[first].id.clone();
                    let links = &mut cand[i].links;
                    if !links.iter().any(|l| l.to == to) {
                        links.push(Link { to, kind: LinkKind::Repeats });
                        crate::text::sorting::sort(links);
                    }
                }
            }
        }
        let mut other_attrs: BTreeSet<String> = BTreeSet::new();
        for (n, name, target, value) in self.attributes {
            let Some(i) = find(&target, n, "attribute")? else { continue };
            match (name.eq_ignore_ascii_case("verdict"), value) {
                (true, Some(v)) => {
                    cand[i].verdict = fitting_attribute(&v.replace('_', " "))
                        .ok_or_else(|| field(at(n), format!("the verdict is longer than {MAX_ATTRIBUTE_CP} characters")))?;
                }
                _ => {
                    other_attrs.insert(name);
                }
            }
        }
        for (n, target, speaker) in self.speakers {
            let Some(i) = find(&target, n, "speaker comment")? else { continue };
            cand[i].speaker = fitting_attribute(&speaker)
                .ok_or_else(|| field(at(n), format!("the speaker is longer than {MAX_ATTRIBUTE_CP} characters")))?;
        }
        if read + left_out > 0 {
            warnings.push(format!("Relations: {read} read as links, {left_out} left out."));
        }
        if !mapped.is_empty() {
            warnings.push(format!("Relation types read as links: {}.", mapped.into_iter().collect::<Vec<_>>().join(", ")));
        }
        if !unknown_types.is_empty() {
            warnings.push(format!(
                "Skipped relations of types this app does not have: {}.",
                unknown_types.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if !other_attrs.is_empty() {
            warnings.push(format!("Skipped attributes other than Verdict: {}.", other_attrs.into_iter().collect::<Vec<_>>().join(", ")));
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for k in &self.skipped {
            *counts.entry(k.as_str()).or_default() += 1;
        }
        let mut kinds: Vec<_> = counts.into_iter().collect();
        crate::text::sorting::sort(&mut kinds);
        for (k, c) in kinds {
            warnings.push(format!("Skipped {c} {k} line{}.", if c == 1 { "" } else { "s" }));
        }
        Ok(unknown)
    }
}
