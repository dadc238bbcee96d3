//! The version message of the offline support: registers the service worker on mount
//! ([`crate::browser::offline::register`]) and says when a new version was loaded, or is
//! waiting for a reload.
//!
//! A polite live region (`aria-live`, not `role=status`: the page has one status, the save
//! state) that is always in the DOM, so screen readers announce the message when it appears.

use crate::browser::offline::{self, Update};
use yew::prelude::*;

#[function_component(UpdateBanner)]
pub fn update_banner() -> Html {
    let update = use_state(|| None::<Update>);
    {
        let set = update.setter();
        use_effect_with((), move |_| offline::register(move |u| set.set(Some(u))));
    }
    let dismiss = {
        let set = update.setter();
        Callback::from(move |_: MouseEvent| set.set(None))
    };
    let reload = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    html! {
        <div id="update-banner" class="update-banner" aria-live="polite">
            if let Some(u) = *update {
                <p>
                    { match u {
                        Update::Loaded => "A new version was loaded.",
                        Update::Available => "A new version is available — reload to use it.",
                    } }
                    if u == Update::Available {
                        <button type="button" onclick={reload}>{ "Reload" }</button>
                    }
                    <button type="button" class="dismiss" onclick={dismiss}>{ "Dismiss" }</button>
                </p>
            }
        </div>
    }
}
