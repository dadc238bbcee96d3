//! Browser glue: the only module that touches web-sys, js-sys and gloo.

pub mod caret;
pub mod download;
pub mod idb;
pub mod offline;
pub mod selection;
pub mod storage;

/// Current time as an RFC 3339 string (UTC, milliseconds).
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// A new annotation id: time in base 36 plus random digits, unique per browser in practice.
pub fn new_id() -> String {
    let t = js_sys::Date::now() as u64;
    let r = (js_sys::Math::random() * 2_176_782_336.0) as u64; // 36^6
    format!("a{}{}", to_base36(t), to_base36(r))
}

fn to_base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Describes a JS error value for a person (its `message`, or its string form).
pub fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    if let Some(err) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Error>(e) {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}
