//! No import circle anywhere, between folders or between the files of one folder, in the core
//! (`core/src`) and in the app (`src`).
//!
//! # The rule
//! 1. Every source file is a module: `store/records.rs` is `store::records`, `store/mod.rs` is
//!    `store`; `lib.rs` and `main.rs` are the crate root and are not counted.
//! 2. A file uses a module when its code names a path into it: `crate::a::b::…`, `super::…`,
//!    `self::…`, or (in a file with submodules) a submodule's name followed by `::`. Groups
//!    (`crate::{a::X, b}`) name each of their items. The module used is the longest prefix of
//!    the path that is a file. References in comments (doc links included) do not count;
//!    `pub mod x;` declares a submodule and is not a use of it; a file's inline unit tests
//!    (`#[cfg(test)] mod tests { … }`, at its end) are not read.
//! 3. If `a` uses `b`, then `b` never uses `a`, directly or through others. A module re-exporting
//!    a submodule's item (`pub use child::X`) uses that submodule, so a submodule may not use
//!    what its parent defines at the same time.
//! 4. Between the core's folders (`text`, `model`, `formats`, …) the same holds: a folder counts
//!    as one module (this keeps the layers readable at a glance).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

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

/// The module path of a file of `src` (`store/records.rs` → `["store", "records"]`,
/// `store/mod.rs` → `["store"]`, `lib.rs` → `[]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    let last = parts.pop().unwrap();
    let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
    if !(stem == "mod" || (parts.is_empty() && (stem == "lib" || stem == "main"))) {
        parts.push(stem);
    }
    parts
}

/// The code of a line without a `//` comment (a `//` inside a string
/// literal is rare enough here to ignore: it would only hide references).
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(i) => line.get(..i).unwrap_or(line),
        None => line,
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in `code` that starts with one of `starts` and goes on with `::`, as its segments;
/// a group `a::{b::X, c}` gives `a::b::X` and `a::c`.
fn paths(code: &str, starts: &BTreeSet<String>) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !(is_ident_char(chars[i - 1]) || chars[i - 1] == ':');
        if boundary && is_ident_char(chars[i]) {
            let word: String = chars[i..].iter().take_while(|c| is_ident_char(**c)).collect();
            let end = i + word.chars().count();
            if starts.contains(&word) && chars.get(end) == Some(&':') && chars.get(end + 1) == Some(&':') {
                let mut next = end;
                parse_path(&chars, &mut next, vec![word], &mut out);
                i = next.max(i + 1);
                continue;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// Parses the rest of a path after `prefix` at `chars[*at..]` (which starts with `::` or ends it).
fn parse_path(chars: &[char], at: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut segs = prefix;
    loop {
        if chars.get(*at) == Some(&':') && chars.get(*at + 1) == Some(&':') {
            *at += 2;
            while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
                *at += 1;
            }
            if chars.get(*at) == Some(&'{') {
                *at += 1;
                loop {
                    while chars.get(*at).is_some_and(|c| c.is_whitespace() || *c == ',') {
                        *at += 1;
                    }
                    match chars.get(*at) {
                        None => return,
                        Some('}') => {
                            *at += 1;
                            return;
                        }
                        Some(c) if is_ident_char(*c) => {
                            let word: String = chars[*at..].iter().take_while(|c| is_ident_char(**c)).collect();
                            *at += word.chars().count();
                            let mut item = segs.clone();
                            item.push(word);
                            parse_path(chars, at, item, out);
                            // skip `as name` and anything else up to the item's end
                            while chars.get(*at).is_some_and(|c| *c != ',' && *c != '}') {
                                *at += 1;
                            }
                        }
                        Some(_) => *at += 1,
                    }
                }
            }
            let word: String = chars[*at..].iter().take_while(|c| is_ident_char(**c)).collect();
            if word.is_empty() {
                break;
            }
            *at += word.chars().count();
            segs.push(word);
        } else {
            break;
        }
    }
    out.push(segs);
}

/// Whether `line` and `next` open a file's inline unit tests (`#[cfg(test)]` then
/// `mod tests {`): what follows is test code, whose `super` is the file itself, so it is
/// not read (the rule is about the modules the program is made of).
fn is_inline_test_module(line: &str, next: &str) -> bool {
    let next = next.trim();
    line.trim() == "#[cfg(test)]" && next.starts_with("mod ") && next.ends_with('{')
}

/// The file graph of the crate whose sources are in `src`: module → the modules it uses.
fn file_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> = files.iter().map(|f| (module_path(src, f), f.clone())).collect();
    let name = |m: &[String]| m.join("::");
    let mut g: Graph = modules.keys().filter(|m| !m.is_empty()).map(|m| (name(m), BTreeSet::new())).collect();
    for (m, file) in &modules {
        if m.is_empty() {
            continue;
        }
        let children: BTreeSet<String> =
            modules.keys().filter(|c| c.len() == m.len() + 1 && c.starts_with(m)).map(|c| c[m.len()].clone()).collect();
        let mut starts: BTreeSet<String> = ["crate", "super", "self"].iter().map(|s| s.to_string()).collect();
        starts.extend(children.iter().cloned());
        let text = fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (k, line) in lines.iter().enumerate() {
            let code = code_of(line);
            if is_inline_test_module(code, lines.get(k + 1).copied().unwrap_or("")) {
                break;
            }
            if code.trim_start().starts_with("pub mod ") || code.trim_start().starts_with("mod ") {
                continue;
            }
            for path in paths(code, &starts) {
                let mut base: Vec<String> = Vec::new();
                let mut rest = path.as_slice();
                match rest[0].as_str() {
                    "crate" => rest = &rest[1..],
                    "self" => {
                        base = m.clone();
                        rest = &rest[1..];
                    }
                    "super" => {
                        base = m.clone();
                        while rest.first().is_some_and(|s| s == "super") {
                            base.pop();
                            rest = &rest[1..];
                        }
                    }
                    _ => base = m.clone(),
                }
                let full: Vec<String> = base.into_iter().chain(rest.iter().cloned()).collect();
                let target = (1..=full.len()).rev().map(|k| &full[..k]).find(|p| modules.contains_key(*p));
                if let Some(t) = target {
                    if t != m.as_slice() {
                        g.get_mut(&name(m)).unwrap().insert(name(t));
                    }
                }
            }
        }
    }
    g
}

/// `g` with each module replaced by its top-level folder or file (`store::records` → `store`).
fn top_level(g: &Graph) -> Graph {
    let top = |m: &str| m.split("::").next().unwrap_or(m).to_string();
    let mut out: Graph = BTreeMap::new();
    for (m, to) in g {
        let entry = out.entry(top(m)).or_default();
        entry.extend(to.iter().map(|t| top(t)).filter(|t| *t != top(m)));
    }
    out
}

/// A cycle of `g` as a path `a → b → … → a`, if there is one.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit<'a>(n: &'a str, g: &'a Graph, mark: &mut BTreeMap<&'a str, Mark>, stack: &mut Vec<&'a str>) -> Option<Vec<String>> {
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

fn assert_no_cycle(what: &str, g: &Graph) {
    if let Some(cycle) = find_cycle(g) {
        let edges: Vec<String> = g.iter().map(|(m, to)| format!("  {m} → {}", to.iter().cloned().collect::<Vec<_>>().join(", "))).collect();
        panic!("{what}: import circle {}\nall references:\n{}", cycle.join(" → "), edges.join("\n"));
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn paths_are_found_alone_and_in_groups() {
    let starts = set(&["crate", "super", "records"]);
    let p = |s: &str| paths(s, &starts).into_iter().map(|p| p.join("::")).collect::<Vec<_>>();
    assert_eq!(p("use crate::model::{shorten, Label};"), ["crate::model::shorten", "crate::model::Label"]);
    assert_eq!(
        p("use crate::{merge::{self, X}, time, titles::Y as Z};"),
        ["crate::merge::self", "crate::merge::X", "crate::time", "crate::titles::Y"]
    );
    assert_eq!(p("let x = crate::native::f(super::text_index::g());"), ["crate::native::f", "super::text_index::g"]);
    assert_eq!(p("pub use records::{DocStore, Saved};"), ["records::DocStore", "records::Saved"]);
    assert!(p("let r = my_records::x(); other::records::y();").is_empty());
    assert!(p(code_of("x(); // see [`crate::library`]")).is_empty());
}

#[test]
fn cycles_are_found() {
    let mut g: Graph = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    }
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    g.get_mut("c").unwrap().remove("a");
    assert_eq!(find_cycle(&g), None);
}

#[test]
fn a_parent_and_a_child_that_use_each_other_are_a_circle() {
    let dir = std::env::temp_dir().join(format!("module-graph-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("a")).unwrap();
    fs::write(dir.join("lib.rs"), "pub mod a;\n").unwrap();
    fs::write(dir.join("a/mod.rs"), "pub mod b;\npub use b::Thing;\npub struct Base;\n").unwrap();
    fs::write(dir.join("a/b.rs"), "use super::Base;\npub struct Thing(Base);\n").unwrap();
    let g = file_graph(&dir);
    assert_eq!(g["a"], set(&["a::b"]));
    assert_eq!(g["a::b"], set(&["a"]));
    assert!(find_cycle(&g).is_some());
    fs::remove_dir_all(&dir).unwrap();
}

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn core_files_form_no_circle() {
    let g = file_graph(&core_src());
    assert!(
        g.contains_key("store::records") && g.contains_key("formats") && g.contains_key("text::text_index"),
        "modules not found: {g:?}"
    );
    assert_no_cycle("core/src", &g);
}

#[test]
fn core_folders_form_no_circle() {
    let g = top_level(&file_graph(&core_src()));
    assert_no_cycle("core/src (folders)", &g);
}

#[test]
fn app_files_form_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src");
    let g = file_graph(&src);
    assert!(g.contains_key("components::article"), "modules not found: {g:?}");
    assert_no_cycle("src", &g);
}
