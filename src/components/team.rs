//! The "Team sync" panel: the connection form, the status line and the
//! alert. What happens is in `crate::effects::team`.

use crate::hooks::field::{use_field, Field};
use annotator_core::sync::session::view::{TeamStatus, TeamView};
use std::rc::Rc;
use yew::prelude::*;

/// What the panel asks for. No `Debug`: `Connect` carries a password.
#[derive(Clone, PartialEq)]
pub enum TeamCmd {
    /// Connect with what was typed: server URL, database, user name, password.
    Connect {
        url: String,
        db: String,
        user: String,
        password: String,
    },
    Disconnect,
    /// Open (`true`) or close the panel.
    Toggle(bool),
}

#[derive(Properties, PartialEq)]
pub struct TeamPanelProps {
    pub view: Rc<TeamView>,
    pub oncmd: Callback<TeamCmd>,
}

fn value(r: &NodeRef) -> String {
    r.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

#[function_component(TeamPanel)]
pub fn team_panel(props: &TeamPanelProps) -> Html {
    let view = &props.view;
    let s = view.settings.clone().unwrap_or_default();
    let (url, db, user) = (use_field(&s.url), use_field(&s.db), use_field(&s.user));
    let password = use_node_ref();
    let running = view.status.running();
    let busy = view.status == TeamStatus::Connecting;
    let ontoggle = props.oncmd.reform({
        let open = view.open;
        move |_: MouseEvent| TeamCmd::Toggle(!open)
    });
    let onsubmit = {
        let (cb, url, db, user, password) = (props.oncmd.clone(), url.clone(), db.clone(), user.clone(), password.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            [&url, &db, &user].into_iter().for_each(Field::committed);
            let typed = |f: &Field| f.value().unwrap_or_default();
            cb.emit(TeamCmd::Connect { url: typed(&url), db: typed(&db), user: typed(&user), password: value(&password) });
            // The password goes to the server once and is not kept, not even in the form.
            if let Some(p) = password.cast::<web_sys::HtmlInputElement>() {
                p.set_value("");
            }
        })
    };
    let ondisconnect = props.oncmd.reform(|_: MouseEvent| TeamCmd::Disconnect);
    let status = view.status.text();
    html! {
        <div class="team-sync">
            <button type="button" class="team-toggle" aria-expanded={view.open.to_string()} aria-controls={view.open.then_some("team-sync")} onclick={ontoggle}>
                { "Team sync" }
            </button>
            if view.open {
                <section id="team-sync" class="team-panel" role="region" aria-label="Team sync">
                    <form class="team-form" {onsubmit}>
                        <label>{ "Server URL" }
                            <input ref={url.node.clone()} oninput={url.oninput.clone()} type="url" name="url" placeholder="https://couch.example.org" disabled={running || busy} required=true />
                        </label>
                        <label>{ "Database" }
                            <input ref={db.node.clone()} oninput={db.oninput.clone()} type="text" name="db" placeholder="desk" disabled={running || busy} required=true autocapitalize="none" spellcheck="false" />
                        </label>
                        <label>{ "User name" }
                            <input ref={user.node.clone()} oninput={user.oninput.clone()} type="text" name="user" autocomplete="username" disabled={running || busy} autocapitalize="none" spellcheck="false" />
                        </label>
                        <label>{ "Password" }
                            <input ref={password} type="password" name="password" autocomplete="current-password" disabled={running || busy} />
                        </label>
                        if running {
                            <button type="button" onclick={ondisconnect}>{ "Disconnect" }</button>
                        } else {
                            <button type="submit" disabled={busy}>{ "Connect" }</button>
                        }
                    </form>
                    <p id="sync-status" role="status" class={classes!("sync-status", format!("sync-{:?}", view.status).to_lowercase())}>{ status }</p>
                    <p id="sync-error" role="alert" class="sync-error">{ view.error.clone().unwrap_or_default() }</p>
                    if view.foreign > 0 {
                        <p class="hint">{ format!("{} record(s) in this database were not written by this app and were skipped.", view.foreign) }</p>
                    }
                    <p class="hint">{ "Documents you share (Documents → Share with team) sync with everyone in this database; the others stay in this browser. Your password is sent to the server only to sign in, and never stored." }</p>
                </section>
            }
        </div>
    }
}
