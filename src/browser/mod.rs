//! Browser glue: the only module that touches web-sys, js-sys and gloo.

pub mod busy;
pub mod caret;
pub mod download;
pub mod durable;
pub mod idb;
pub mod keys;
pub mod offline;
pub mod rare;
pub mod selection;
pub mod storage;
pub mod team;
pub mod url;

/// Current time as an RFC 3339 string (UTC, milliseconds).
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Milliseconds since 1970 (for backup key names).
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A new id for this tab (names its journal keys): time and random digits.
pub fn new_tab_id() -> String {
    let r = (js_sys::Math::random() * 2_176_782_336.0) as u64; // 36^6
    format!("t{}{}", to_base36(js_sys::Date::now() as u64), to_base36(r))
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

/// Runs `f` once, right after the next frame is painted (a task queued from
/// that frame's animation callback), or after 100 ms when no frame comes (a
/// background tab): work that must not delay what the person sees.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    // Whichever of the two callbacks comes first takes the job.
    type Once = std::rc::Rc<std::cell::Cell<Option<Box<dyn FnOnce()>>>>;
    let slot: Once = std::rc::Rc::new(std::cell::Cell::new(Some(Box::new(f))));
    let run = |slot: Once| {
        if let Some(f) = slot.take() {
            f();
        }
    };
    let fallback = slot.clone();
    gloo::timers::callback::Timeout::new(100, move || run(fallback)).forget();
    let after_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        gloo::timers::callback::Timeout::new(0, move || run(slot)).forget();
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(after_frame.unchecked_ref());
    }
}

/// Reads a chosen file's bytes (`Blob.arrayBuffer()`), then calls `done`
/// with them or with the reason the browser gave.
pub fn read_file_bytes(file: web_sys::File, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
            .map_err(|e| js_error_text(&e));
        done(result);
    });
}

/// Scrolls the highlight of annotation `id` to the middle of the view (an
/// id `theirs:{n}`: the compared file's `n`th span).
pub fn scroll_highlight_into_view(id: &str) {
    let clean = |s: &str| s.replace(['"', '\\'], "");
    let sel = match id.strip_prefix(annotator_core::app::compare::THEIRS_PREFIX) {
        Some(n) => format!("[data-theirs~=\"{}\"]", clean(n)),
        None => format!("mark[data-ids~=\"{}\"]", clean(id)),
    };
    if let Ok(Some(el)) = gloo::utils::document().query_selector(&sel) {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// The files chosen in the file input of `e` (a `change` event); the input is
/// emptied so that choosing the same file again is a change too.
pub fn take_chosen_files(e: &web_sys::Event) -> Vec<web_sys::File> {
    use wasm_bindgen::JsCast;
    let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return Vec::new() };
    let files = input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}

/// Moves keyboard focus to the element of `node` (a refusal leaves focus where it was).
pub fn focus(node: &yew::NodeRef) {
    if let Some(el) = node.cast::<web_sys::HtmlElement>() {
        if el.focus().is_err() {
            web_sys::console::warn_1(&"an element could not take focus".into());
        }
    }
}

/// Whether `el` has keyboard focus.
pub fn has_focus(el: &web_sys::Element) -> bool {
    gloo::utils::document().active_element().is_some_and(|a| &a == el)
}

/// Loads one script and waits for it (or its failure).
pub async fn load_script(src: &str) -> Result<(), String> {
    let doc = gloo::utils::document();
    let el = doc.create_element("script").map_err(|e| js_error_text(&e))?;
    el.set_attribute("src", src).map_err(|e| js_error_text(&e))?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = el.add_event_listener_with_callback("load", &resolve);
        let _ = el.add_event_listener_with_callback("error", &reject);
    });
    doc.head().ok_or("the page has no head")?.append_child(&el).map_err(|e| js_error_text(&e))?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ()).map_err(|_| format!("could not load {src}"))
}
