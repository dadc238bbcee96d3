//! The annotated page (`<name>.annotated.html`), export only: one static,
//! self-contained HTML file for publishing a fact-check. No script, nothing
//! fetched (a Content-Security-Policy forbids both), works from `file://` and
//! inside a CMS. It shows the document details, the article with its
//! highlights (each label also named in text, so colour is never the only
//! cue) and a legend, each claim's speaker and verdict, and the links as
//! sentences. Every piece of text is escaped.

use crate::model::details::DocDetails;
use crate::model::link_views::links_of;
use crate::model::{Annotation, Document, Label};
use crate::render::plan::{annotations_by_paragraph, paragraphs, segments};

/// MIME type of the export.
pub const MIME: &str = "text/html;charset=utf-8";

/// `s` with `& < > " '` escaped for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str =
    "body{font:1.05rem/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}\
mark{background:none;color:inherit;padding:0 .05em}\
mark.claim{background:#dbe8ff;border-bottom:2px solid #0b4fb3}\
mark.denial{background:#ffe0e0;border-bottom:2px wavy #a40000}\
mark.statistic{background:#ddf5e3;border-bottom:2px dotted #146c2e}\
.tag{font-size:.75em;font-weight:600;vertical-align:super}\
.legend span{margin-right:1rem}.details{color:#333}article p{white-space:pre-wrap}\
dl.review dt{font-weight:600;margin-top:.8rem}";

/// The annotated page of `annotations` (see the module documentation).
pub fn export(doc: &Document, details: &DocDetails, annotations: &[Annotation]) -> String {
    let title = escape(&doc.title);
    let mut h = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
    );
    let mut facts = Vec::new();
    if !details.publisher.is_empty() {
        facts.push(format!("Publisher: {}", escape(&details.publisher)));
    }
    if !details.published.is_empty() {
        facts.push(format!("Published: <time datetime=\"{0}\">{0}</time>", escape(&details.published)));
    }
    if !details.source_url.is_empty() {
        facts.push(format!("Source: <a href=\"{0}\">{0}</a>", escape(&details.source_url)));
    }
    if !facts.is_empty() {
        h.push_str(&format!("<p class=\"details\">{}</p>\n", facts.join(" · ")));
    }
    h.push_str("<p class=\"legend\" aria-label=\"Legend\">");
    for l in Label::ALL {
        h.push_str(&format!("<span><mark class=\"{}\">{}</mark></span>", l.as_str(), l.display()));
    }
    h.push_str("</p>\n<article>\n");
    let index = &doc.index;
    let paras = paragraphs(index);
    let by_para = annotations_by_paragraph(&paras, annotations);
    let text = index.text();
    for (p, anns) in paras.iter().zip(&by_para) {
        h.push_str("<p>");
        for seg in segments(index, p, anns) {
            let piece = escape(text.get(seg.utf8.0..seg.utf8.1).unwrap_or_default().trim_end_matches(['\n', '\r']));
            if seg.covering.is_empty() {
                h.push_str(&piece);
                continue;
            }
            let inner = &anns[*seg.covering.last().unwrap_or(&0)];
            let starts: Vec<&str> =
                seg.covering.iter().map(|&i| &anns[i]).filter(|a| a.start == seg.start_cp).map(|a| a.label.display()).collect();
            if !starts.is_empty() {
                h.push_str(&format!("<span class=\"tag\">[{}]</span>", starts.join(", ")));
            }
            h.push_str(&format!("<mark class=\"{}\">{piece}</mark>", inner.label.as_str()));
        }
        h.push_str("</p>\n");
    }
    h.push_str("</article>\n");
    // Claims with their speaker, verdict and links.
    let reviewed: Vec<&Annotation> = annotations.iter().filter(|a| a.label != Label::Statistic || !a.links.is_empty()).collect();
    if !reviewed.is_empty() {
        h.push_str("<section aria-labelledby=\"review\">\n<h2 id=\"review\">The fact-check</h2>\n<dl class=\"review\">\n");
        for a in reviewed {
            h.push_str(&format!("<dt>{}: “{}”</dt>\n", a.label.display(), escape(&a.quote)));
            if !a.speaker.is_empty() {
                h.push_str(&format!("<dd>Speaker: {}</dd>\n", escape(&a.speaker)));
            }
            if !a.verdict.is_empty() {
                h.push_str(&format!("<dd>Verdict: <strong>{}</strong></dd>\n", escape(&a.verdict)));
            }
            for v in links_of(annotations, &a.id).into_iter().filter(|v| v.outgoing) {
                h.push_str(&format!(
                    "<dd>It {} the {} “{}”.</dd>\n",
                    v.kind,
                    v.other.label.display().to_lowercase(),
                    escape(&v.other.quote)
                ));
            }
            if !a.note.is_empty() {
                h.push_str(&format!("<dd>Note: {}</dd>\n", escape(&a.note)));
            }
        }
        h.push_str("</dl>\n</section>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}
