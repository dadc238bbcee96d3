use annotator_core::anchor::approx_match_ends;
use std::time::Instant;
fn main() {
    let words = ["the ", "minister ", "said ", "Kabul ", "📊 ", "پاکستان ", "中文 ", "e\u{301} ", "border "];
    let mut s = String::new(); let mut x: u64 = 88172645463325252;
    while s.chars().count() < 1_000_000 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; s.push_str(words[(x % 9) as usize]); }
    for m in [30usize, 60, 100, 200] {
        let pat: String = "жўжўжўжўжўжўжўжўжў".repeat(20).chars().take(m).collect();
        let t = Instant::now(); let mut steps = 0;
        for _ in 0..5 { approx_match_ends(&s, &pat, (m/4).min(32), &mut steps); }
        let el = t.elapsed().as_secs_f64() / 5.0;
        println!("m={m}: {:.2} ms per pass, {:.2} ns/step", el*1e3, el*1e9/(steps as f64/5.0));
    }
    let t = Instant::now(); let mut found = 0;
    for i in 0..100 { if s.find(&format!("zzz{i} the minister")).is_some() { found += 1; } }
    println!("str::find miss over {} bytes: {:.2} ms each ({found})", s.len(), t.elapsed().as_secs_f64()*1e3/100.0);
}
