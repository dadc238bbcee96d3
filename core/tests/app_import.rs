//! Importing chosen files through the app reducer: `FilesParsed` (native,
//! W3C, brat with its .txt), unknown labels held back in `pending_labels`
//! until `ResolveLabels` maps, skips or cancels, and refusals that change nothing.

mod app_support;

use annotator_core::app::action::AppAction;
use annotator_core::app::import::{first_pass, import_files};
use annotator_core::app::state::AppState;
use annotator_core::formats::native;
use annotator_core::formats::{brat, w3c, RelationMap, UnknownLabelPolicy};
use annotator_core::model::{Document, Label};
use app_support::*;
use serde_json::{json, Value};

/// What the app does with chosen files: the first pass (in the module of
/// rare parts; `first_pass` here), handed to the reducer.
fn files_parsed(s: &AppState, files: Vec<(&str, Vec<u8>)>) -> AppAction {
    let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|(n, b)| (n.to_string(), b)).collect();
    let parsed = first_pass(&files, &s.model.doc, T2);
    AppAction::FilesParsed { files, doc_id: s.model.doc.id.clone(), parsed }
}

/// `files_parsed`, reduced.
fn read(s: &AppState, files: Vec<(&str, Vec<u8>)>) -> AppState {
    r(s, files_parsed(s, files))
}

/// What the app does at the labels question: the held files imported under
/// `policy` (in the module of rare parts; `import_files` here), or cancel.
fn resolve(s: &AppState, policy: Option<UnknownLabelPolicy>) -> AppAction {
    let Some(policy) = policy else { return AppAction::CancelImport };
    let imported = match &s.pending_labels {
        Some(p) => import_files(&p.files, &s.model.doc, T3, policy.clone(), None),
        None => Err("nothing is held".into()),
    };
    AppAction::ResolveLabels { policy, imported }
}

/// The same at the relation types question.
fn relations(s: &AppState, mapping: Option<RelationMap>) -> AppAction {
    let Some(map) = mapping else { return AppAction::CancelImport };
    let p = s.pending_labels.as_ref().expect("a question is open");
    AppAction::ResolveRelations { imported: import_files(&p.files, &s.model.doc, T3, p.label_policy.clone(), Some(map)) }
}

/// A W3C annotation of the first occurrence of `exact` in TEXT with tag `label`.
fn w3c_item(id: &str, exact: &str, label: &str) -> Value {
    let (start, end) = span(exact);
    json!({
        "id": format!("urn:x-annotator:{id}"), "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": label}],
        "target": {"source": "urn:x", "selector": [
            {"type": "TextQuoteSelector", "exact": exact},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ]},
    })
}

fn w3c_file(items: Vec<Value>) -> Vec<u8> {
    json!({"@context": w3c::CONTEXT, "type": "AnnotationCollection", "items": items}).to_string().into_bytes()
}

/// One known (claim on "Kabul") and two "opinion" annotations.
fn with_opinions() -> Vec<u8> {
    w3c_file(vec![w3c_item("a1", "Kabul", "claim"), w3c_item("a2", "Islamabad said", "opinion"), w3c_item("a3", "were injured", "opinion")])
}

fn start() -> AppState {
    app(vec![ann("d", "denied", Label::Denial)])
}

/// Only the notice differs (and a shown info is replaced by it).
#[track_caller]
fn assert_only_notice_changed(before: &AppState, after: &AppState) {
    let mut want = snapshot(before);
    want.notice = after.notice.clone();
    want.info = None;
    assert_eq!(snapshot(after), want);
    assert!(after.notice.is_some());
}

// ---------------------------------------------------------------- native

#[test]
fn a_native_file_for_this_text_with_a_wrong_quote_is_refused_with_its_location() {
    let s0 = r(&start(), AppAction::Info("earlier".into()));
    let d = doc();
    let mut v: Value =
        serde_json::from_str(&native::export(&d, &[ann("k", "Kabul", Label::Claim), ann("i", "Islamabad", Label::Claim)])).unwrap();
    v["annotations"][1]["quote"] = json!("Islamabat");
    let s1 = read(&s0, vec![("kabul.annotations.json", v.to_string().into_bytes())]);
    let notice = s1.notice.clone().unwrap();
    assert!(notice.starts_with("Could not import kabul.annotations.json: At annotations[1].quote:"), "{notice}");
    assert!(notice.contains("“Islamabat” does not match the text at 26..35 (“Islamabad”)"), "{notice}");
    assert!(notice.ends_with("Nothing was changed."), "{notice}");
    assert_only_notice_changed(&s0, &s1);
}

#[test]
fn a_native_file_for_this_text_is_imported_exactly_as_one_undo_step() {
    let s0 = start();
    let mut k = ann("k", "Kabul", Label::Claim);
    k.note = "the capital".into();
    let bytes = native::export(&doc(), &[k.clone(), ann("n", "1,463", Label::Statistic)]).into_bytes();
    let s1 = read(&s0, vec![("kabul.annotations.json", bytes)]);
    assert_eq!(s1.notice, None);
    assert_eq!(ids(&s1), ["k", "d", "n"]);
    assert_eq!(get(&s1, "k"), &k, "lossless: note and times kept");
    assert_eq!(s1.history.undo_description(), Some("Import kabul.annotations.json"));
    assert!(s1.info.as_deref().unwrap().starts_with("Imported kabul.annotations.json: 2 anchored exactly"), "{:?}", s1.info);
    assert_eq!(s1.revision, 1);
    assert_eq!(r(&s1, AppAction::Undo).model.annotations, s0.model.annotations);
    assert_invariants(&s1);
}

#[test]
fn a_native_file_made_for_another_text_is_re_anchored_by_its_quotes() {
    // The same article with an introduction added: every offset moved by 7.
    let other = Document::new("Earlier draft", "draft", &format!("Intro. {TEXT}"));
    let ix = &other.index;
    let (s, e) = span("Islamabad said");
    let a = annotator_core::model::Annotation {
        id: "old".into(),
        start: s + 7,
        end: e + 7,
        quote: ix.slice_cp(s + 7, e + 7).unwrap().into(),
        label: Label::Claim,
        note: String::new(),
        speaker: String::new(),
        verdict: String::new(),
        links: Vec::new(),
        created: T0.into(),
        modified: T0.into(),
    };
    assert_eq!(a.quote, "Islamabad said");
    let s1 = read(&start(), vec![("draft.annotations.json", native::export(&other, &[a]).into_bytes())]);
    assert_eq!(s1.notice, None, "{:?}", s1.notice);
    let k = get(&s1, "old");
    assert_eq!((k.start, k.end, k.quote.as_str()), (s, e, "Islamabad said"));
    assert!(s1.info.as_deref().unwrap().contains("1 moved"), "{:?}", s1.info);
}

#[test]
fn invalid_json_is_refused_with_line_and_column() {
    let s0 = start();
    let s1 = read(&s0, vec![("bad.json", b"{\n  \"format\": ,\n}".to_vec())]);
    let notice = s1.notice.clone().unwrap();
    assert!(notice.starts_with("Could not import bad.json: Not valid JSON at line 2, column"), "{notice}");
    assert_only_notice_changed(&s0, &s1);
}

#[test]
fn several_files_that_are_not_a_brat_pair_or_none_are_refused() {
    let s0 = start();
    let two = read(&s0, vec![("a.json", with_opinions()), ("b.json", with_opinions())]);
    assert_eq!(
        two.notice.as_deref(),
        Some("Could not import Choose one annotation file (or a brat .ann together with its .txt). Nothing was changed.")
    );
    assert_only_notice_changed(&s0, &two);
    let none = read(&s0, vec![]);
    assert_eq!(none.notice.as_deref(), Some("Could not import No file was chosen. Nothing was changed."));
}

#[test]
fn a_file_over_the_size_limit_is_refused_naming_it() {
    let s0 = start();
    let big = vec![b' '; native::MAX_FILE_BYTES + 1];
    let s1 = read(&s0, vec![("huge.json", big)]);
    let notice = s1.notice.clone().unwrap();
    assert!(notice.starts_with("Could not import huge.json: The file is too large"), "{notice}");
    assert_only_notice_changed(&s0, &s1);
}

// ---------------------------------------------------------------- unknown labels

#[test]
fn a_w3c_file_with_an_unknown_label_waits_for_a_decision() {
    let s0 = start();
    let bytes = with_opinions();
    let s1 = read(&s0, vec![("views.jsonld", bytes.clone())]);
    let p = s1.pending_labels.as_ref().expect("held back");
    assert_eq!(p.names, "views.jsonld");
    assert_eq!(*p.files, vec![("views.jsonld".to_string(), bytes)]);
    assert!(
        p.message.starts_with("views.jsonld uses labels this app does not have: “opinion” (2 annotations, first at items[1].body)."),
        "{}",
        p.message
    );
    assert!(p.message.contains("Nothing has been imported yet"), "{}", p.message);
    assert_eq!(s1.model, s0.model, "nothing imported yet, not even the known label");
    assert_eq!(s1.revision, s0.revision);
    assert_eq!(s1.history.undo_len(), 0);
    assert_eq!(s1.notice, None);
}

#[test]
fn resolving_unknown_labels_by_mapping_imports_them_with_that_label() {
    let s1 = read(&start(), vec![("views.jsonld", with_opinions())]);
    let s2 = r(&s1, resolve(&s1, Some(UnknownLabelPolicy::MapTo(Label::Claim))));
    assert!(s2.pending_labels.is_none());
    assert_eq!(s2.notice, None);
    let labels: Vec<(&str, Label)> = s2.model.annotations.iter().map(|a| (a.quote.as_str(), a.label)).collect();
    assert_eq!(
        labels,
        [("Kabul", Label::Claim), ("denied", Label::Denial), ("Islamabad said", Label::Claim), ("were injured", Label::Claim)]
    );
    assert_eq!(s2.history.undo_len(), 1, "one undo step");
    assert_eq!(s2.history.undo_description(), Some("Import views.jsonld"));
    assert_eq!(s2.revision, s1.revision + 1);
    assert!(s2.info.as_deref().unwrap().starts_with("Imported views.jsonld: 3 anchored exactly"), "{:?}", s2.info);
    assert_invariants(&s2);
}

#[test]
fn resolving_unknown_labels_by_skipping_imports_only_the_known_ones() {
    let s1 = read(&start(), vec![("views.jsonld", with_opinions())]);
    let s2 = r(&s1, resolve(&s1, Some(UnknownLabelPolicy::Skip)));
    assert!(s2.pending_labels.is_none());
    assert_eq!(s2.model.annotations.iter().map(|a| a.quote.as_str()).collect::<Vec<_>>(), ["Kabul", "denied"]);
    let info = s2.info.clone().unwrap();
    assert!(info.contains("2 skipped (labels opinion)"), "{info}");
}

#[test]
fn cancelling_the_label_decision_imports_nothing_and_says_so() {
    let s0 = start();
    let s1 = read(&s0, vec![("views.jsonld", with_opinions())]);
    let s2 = r(&s1, resolve(&s1, None));
    assert!(s2.pending_labels.is_none());
    assert_eq!(s2.info.as_deref(), Some("Import cancelled; nothing was changed."));
    assert_eq!(s2.notice, None);
    assert_eq!(s2.model, s0.model);
    assert_eq!(s2.revision, s0.revision);
    assert_eq!(s2.history.undo_len(), 0);
}

#[test]
fn resolving_with_nothing_pending_changes_nothing() {
    let s0 = start();
    assert!(s0.reduce(resolve(&s0, None)).is_none());
    assert!(s0.reduce(resolve(&s0, Some(UnknownLabelPolicy::MapTo(Label::Denial)))).is_none());
}

#[test]
fn opening_another_document_drops_a_pending_import() {
    use annotator_core::app::action::Opened;
    let s1 = read(&start(), vec![("views.jsonld", with_opinions())]);
    let opened =
        Opened { model: annotator_core::model::State::new(doc()), history: Default::default(), orphans: vec![], notice: None, info: None };
    let s2 = r(&s1, AppAction::OpenDoc(Box::new(opened)));
    assert!(s2.pending_labels.is_none());
    assert!(s2.reduce(resolve(&s2, Some(UnknownLabelPolicy::Skip))).is_none());
}

// ---------------------------------------------------------------- brat and orphans

#[test]
fn a_brat_ann_with_its_txt_imports() {
    let s0 = start();
    let ann_file = "T1\tClaim 0 5\tKabul\nT2\tStatistic 41 46\t1,463\n#1\tAnnotatorNotes T2\tcasualties\n";
    let s1 = read(&s0, vec![("kabul.ann", ann_file.as_bytes().to_vec()), ("kabul.txt", TEXT.as_bytes().to_vec())]);
    assert_eq!(s1.notice, None, "{:?}", s1.notice);
    let got: Vec<(&str, Label, &str)> = s1.model.annotations.iter().map(|a| (a.quote.as_str(), a.label, a.note.as_str())).collect();
    assert_eq!(got, [("Kabul", Label::Claim, ""), ("denied", Label::Denial, ""), ("1,463", Label::Statistic, "casualties")]);
    assert_eq!(s1.history.undo_description(), Some("Import kabul.ann + kabul.txt"));
    assert!(s1.info.as_deref().unwrap().starts_with("Imported kabul.ann + kabul.txt:"), "{:?}", s1.info);
    for a in s1.model.annotations.iter().filter(|a| a.id != "d") {
        assert_eq!((a.created.as_str(), a.modified.as_str()), (T2, T2), "brat has no times: the import's");
    }
    assert_eq!(s1.revision, 1);
    assert_invariants(&s1);
}

#[test]
fn a_brat_pair_in_either_order_and_an_exported_ann_round_trip() {
    let anns = vec![ann("k", "Kabul", Label::Claim), ann("i", "Islamabad said", Label::Denial)];
    let exported = brat::export_ann(&anns);
    let txt = brat::export_txt(&doc());
    let s1 = read(&app(vec![]), vec![("x.txt", txt.into_bytes()), ("x.ann", exported.into_bytes())]);
    assert_eq!(s1.notice, None, "{:?}", s1.notice);
    let got: Vec<(usize, usize, Label)> = s1.model.annotations.iter().map(|a| (a.start, a.end, a.label)).collect();
    assert_eq!(got, anns.iter().map(|a| (a.start, a.end, a.label)).collect::<Vec<_>>());
}

#[test]
fn a_brat_txt_that_does_not_match_its_ann_is_refused() {
    let s0 = start();
    let s1 = read(&s0, vec![("k.ann", b"T1\tClaim 0 5\tKabul\n".to_vec()), ("k.txt", b"Kabol denied".to_vec())]);
    let notice = s1.notice.clone().unwrap();
    assert!(notice.starts_with("Could not import k.ann: "), "{notice}");
    assert_only_notice_changed(&s0, &s1);
}

#[test]
fn a_file_whose_quotes_are_not_in_the_text_adds_orphans_and_is_saved() {
    let s0 = start();
    let item = json!({
        "id": "urn:x-annotator:gone", "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "denial"}],
        "target": {"source": "urn:x", "selector": [{"type": "TextQuoteSelector", "exact": "a sentence that is nowhere"}]},
    });
    let s1 = read(&s0, vec![("old.jsonld", w3c_file(vec![item]))]);
    assert_eq!(s1.notice, None, "{:?}", s1.notice);
    assert_eq!(s1.model.annotations, s0.model.annotations);
    assert_eq!(
        s1.open_orphans().iter().map(|o| (o.id.as_str(), o.quote.as_str())).collect::<Vec<_>>(),
        [("gone", "a sentence that is nowhere")]
    );
    assert_eq!(s1.revision, s0.revision + 1, "orphans must be saved");
    assert!(s1.info.as_deref().unwrap().contains("1 orphaned"), "{:?}", s1.info);
}

#[test]
fn import_files_decides_the_format_and_applies_the_label_policy() {
    let d = doc();
    let skip = import_files(&[("v.jsonld".into(), with_opinions())], &d, T2, UnknownLabelPolicy::Skip, None).unwrap();
    assert_eq!(skip.annotations.len(), 1);
    assert_eq!(skip.unknown_labels.len(), 1);
    let err = import_files(&[("v.jsonld".into(), with_opinions())], &d, T2, UnknownLabelPolicy::Error, None).unwrap_err();
    assert!(err.starts_with("v.jsonld: At items[1].body"), "{err}");
    let mapped = import_files(&[("v.jsonld".into(), with_opinions())], &d, T2, UnknownLabelPolicy::MapTo(Label::Statistic), None).unwrap();
    assert_eq!(mapped.annotations.iter().filter(|a| a.label == Label::Statistic).count(), 2);
}

#[test]
fn a_brat_file_with_unknown_labels_and_relation_types_asks_about_both_in_turn() {
    use annotator_core::model::links::LinkKind;
    let s0 = app(vec![]);
    let ann_file = "T1\tClaim 0 5\tKabul\nT2\tPremise 6 12\tdenied\nT3\tPremise 41 46\t1,463\n\
                    R1\tAttacks Arg1:T2 Arg2:T1\nR2\tBacks Arg1:T3 Arg2:T1\t\nR3\tAttacks Arg1:T3 Arg2:T2\n";
    let files = |s: &AppState| files_parsed(s, vec![("e.ann", ann_file.as_bytes().to_vec()), ("e.txt", TEXT.as_bytes().to_vec())]);
    // First the labels.
    let s1 = r(&s0, files(&s0));
    let pending = s1.pending_labels.as_ref().expect("the labels are asked about");
    assert!(pending.relations.is_empty() && pending.message.contains("Premise"));
    // Then the relation types, each with the kind its name suggests; nothing imported yet.
    let s2 = r(&s1, resolve(&s1, Some(UnknownLabelPolicy::MapTo(Label::Statistic))));
    assert!(s2.model.annotations.is_empty());
    let pending = s2.pending_labels.as_ref().expect("the relation types are asked about");
    let asked: Vec<(&str, usize, Option<LinkKind>)> = pending.relations.iter().map(|u| (u.name.as_str(), u.count, u.suggested)).collect();
    assert_eq!(asked, [("Attacks", 2, Some(LinkKind::Contradicts)), ("Backs", 1, Some(LinkKind::Supports))]);
    assert!(pending.message.contains("“Attacks” (2 relations, first at line 4)"), "{}", pending.message);
    // The person keeps Attacks → contradicts and leaves Backs out: one undo step, mapped labels kept.
    let mapping = Some(vec![("Attacks".to_string(), Some(LinkKind::Contradicts)), ("Backs".to_string(), None)]);
    let s3 = r(&s2, relations(&s2, mapping));
    assert!(s3.pending_labels.is_none());
    assert_eq!(s3.model.counts(), [1, 0, 2]);
    let links: usize = s3.model.annotations.iter().map(|a| a.links.len()).sum();
    assert_eq!(links, 2, "two Attacks relations, Backs left out");
    let info = s3.info.as_deref().unwrap();
    assert!(info.contains("2 with a label mapped (labels Premise)") && info.contains("Relations: 2 read as links, 1 left out."), "{info}");
    assert_eq!(s3.history.undo_description(), Some("Import e.ann + e.txt"));
    // Cancelling at the second question imports nothing.
    let c = r(&s2, relations(&s2, None));
    assert!(c.model.annotations.is_empty() && c.pending_labels.is_none());
    assert_eq!(c.info.as_deref(), Some("Import cancelled; nothing was changed."));
}

// ---------------------------------------------------------------- in two tasks

/// A result parsed for another document (one was opened while the file was
/// read) is refused with a message, and nothing else changes.
#[test]
fn files_parsed_for_another_document_changes_nothing() {
    use annotator_core::app::import::first_pass;
    let s = start();
    let files = vec![("w.json".to_string(), w3c_file(vec![w3c_item("a1", "Kabul", "claim")]))];
    let parsed = first_pass(&files, &s.model.doc, T2);
    assert!(parsed.is_ok());
    let after = s.reduce(AppAction::FilesParsed { files, doc_id: "another".into(), parsed }).expect("a notice");
    assert_only_notice_changed(&s, &after);
    assert!(after.notice.as_deref().unwrap_or("").contains("another document was opened"), "{:?}", after.notice);
}
