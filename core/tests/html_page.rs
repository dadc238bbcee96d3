//! The annotated page export: static, escaped, every label named in text.

use annotator_core::formats::html_page;
use annotator_core::model::details::DocDetails;
use annotator_core::model::links::{Link, LinkKind};
use annotator_core::model::{Annotation, Document, Label};

#[test]
fn the_page_escapes_everything_and_says_links_as_sentences() {
    let text = "Kabul <denied> the claim & more; Islamabad said 1,463.";
    let doc = Document::new("A <b>title</b>", "t", text);
    let q = |s: usize, e: usize| text.chars().skip(s).take(e - s).collect::<String>();
    let mut claim = Annotation::new("c", 15, 24, &q(15, 24), Label::Claim, "2024-05-01T00:00:00Z");
    claim.verdict = "Mostly <false>".into();
    claim.speaker = "O'Brien".into();
    let mut denial = Annotation::new("d", 0, 14, &q(0, 14), Label::Denial, "2024-05-01T00:00:00Z");
    denial.note = "<script>alert(1)</script>".into();
    denial.links = vec![Link { to: "c".into(), kind: LinkKind::Denies }];
    let details = DocDetails::new("https://x.org/?a=1&b=\"2\"", "Geo & Co", "2024-05-01").unwrap();
    let page = html_page::export(&doc, &details, &[denial, claim]);
    assert!(!page.contains("<script>") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("<title>A &lt;b&gt;title&lt;/b&gt;</title>"));
    assert!(page.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""));
    assert!(page.contains("<span class=\"tag\">[Denial]</span><mark class=\"denial\">Kabul &lt;denied&gt;</mark>"), "{page}");
    assert!(page.contains("<dd>Verdict: <strong>Mostly &lt;false&gt;</strong></dd>"));
    assert!(page.contains("<dd>Speaker: O&#39;Brien</dd>"));
    assert!(page.contains("<dd>It denies the claim “the claim”.</dd>"), "{page}");
    assert!(page.contains("href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\""));
    assert!(page.contains("Publisher: Geo &amp; Co"));
}
