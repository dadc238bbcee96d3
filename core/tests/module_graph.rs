//! The crate's top-level modules form no circle: if `a` uses `crate::b`
//! then `b` never uses (directly or through others) `crate::a`. A module
//! directory (`formats/`, `store/`) counts as one module. Only code counts:
//! references in comments (doc links included) are ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src` belongs to (`formats/brat.rs` → `formats`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// The code of a line without a `//` comment (a `//` inside a string
/// literal is rare enough here to ignore: it would only hide references).
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(i) => line.get(..i).unwrap_or(line),
        None => line,
    }
}

fn ident_at(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Top-level names after every `crate::` in `code`, including each item of
/// a group `crate::{a::X, b, c::{..}}`.
fn crate_refs(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = rest.get(i + "crate::".len()..).unwrap_or("");
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item_start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_whitespace() => {}
                    _ if item_start => {
                        item_start = false;
                        let id = ident_at(group.get(k..).unwrap_or(""));
                        if !id.is_empty() {
                            out.push(id);
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let id = ident_at(after);
            if !id.is_empty() {
                out.push(id);
            }
        }
        rest = after;
    }
    out
}

/// Module → the other top-level modules it references.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    modules.remove("lib");
    let mut g: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for f in &files {
        let from = module_of(&src, f);
        if from == "lib" {
            continue;
        }
        let text = fs::read_to_string(f).unwrap();
        for line in text.lines() {
            for to in crate_refs(code_of(line)) {
                if to != from && modules.contains(&to) {
                    g.get_mut(&from).unwrap().insert(to);
                }
            }
        }
    }
    g
}

/// A cycle of `g` as a path `a → b → … → a`, if there is one.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit<'a>(
        n: &'a str,
        g: &'a BTreeMap<String, BTreeSet<String>>,
        mark: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        mark.insert(n, Mark::Open);
        stack.push(n);
        for m in g.get(n).into_iter().flatten() {
            match mark.get(m.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let at = stack.iter().position(|s| *s == m.as_str()).unwrap();
                    let mut cycle: Vec<String> = stack[at..].iter().map(|s| s.to_string()).collect();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(m, g, mark, stack) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        mark.insert(n, Mark::Done);
        None
    }
    let mut mark = BTreeMap::new();
    for n in g.keys() {
        if mark.get(n.as_str()).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(n, g, &mut mark, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn crate_references_are_found_alone_and_in_groups() {
    assert_eq!(crate_refs("use crate::model::{shorten, Label};"), ["model"]);
    assert_eq!(crate_refs("use crate::{merge::{self, X}, time, titles::Y};"), ["merge", "time", "titles"]);
    assert_eq!(crate_refs("let x = crate::native::f(crate::text_index::g());"), ["native", "text_index"]);
    assert!(crate_refs(code_of("x(); // see [`crate::library`]")).is_empty());
}

#[test]
fn cycles_are_found() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    }
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    g.get_mut("c").unwrap().remove("a");
    assert_eq!(find_cycle(&g), None);
}

#[test]
fn core_modules_form_no_cycle() {
    let g = graph();
    assert!(g.contains_key("store") && g.contains_key("formats") && g.contains_key("text"), "modules not found: {g:?}");
    if let Some(cycle) = find_cycle(&g) {
        let edges: Vec<String> = g.iter().map(|(m, to)| format!("  {m} → {}", to.iter().cloned().collect::<Vec<_>>().join(", "))).collect();
        panic!("module cycle: {}\nall references:\n{}", cycle.join(" → "), edges.join("\n"));
    }
}
