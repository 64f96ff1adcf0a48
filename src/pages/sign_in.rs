//! An advisor signs in on a tablet: their name from the list (the advisors the tablet pulled),
//! then their PIN on a pad. The session is kept on the tablet, so a reload (even offline) keeps
//! them signed in; their changes go to the server with it.

use crate::connection::use_connection;
use crate::api::ApiFailure;
use crate::device::{sign_in, SignedIn};
use crate::i18n::{use_i18n, Msg};
use crate::js;
use crate::sync::{use_records, use_sync};
use lane_domain::customer::PersonName;
use lane_domain::ids::AdvisorId;
use leptos::prelude::*;

/// An advisor as the list shows them: id and name.
type Choice = (AdvisorId, String);

const DIGITS: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];
const MAX_PIN: usize = 8;

/// The advisors as large buttons (re-read from the store after every pull that brought records),
/// then, for the one chosen, the PIN pad. Both are in the page; `hidden` shows one at a time.
#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let connection = use_connection();
    let sync = use_sync();
    // In the store's order (by id); `lane_domain::catalogue::Advisor` is `{"id","name"}`.
    let advisors = use_records("advisor", |record| {
        let id = AdvisorId::parse(&js::text(record, "id")?).ok()?;
        Some((id, PersonName::parse(&js::text(record, "name")?).ok()?.to_string()))
    });
    let chosen = RwSignal::new(None::<Choice>);
    let pin = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<(Msg, String)>);

    let choose = move |choice: Option<Choice>| {
        pin.set(String::new());
        error.set(None);
        chosen.set(choice);
    };
    let title = Signal::derive(move || match chosen.get() {
        Some((_, name)) => i18n.t_with(Msg::SignInPinTitle, &[("name", &name)]),
        None => i18n.t(Msg::SignInTitle).to_owned(),
    });
    // Nothing until the store was read; then the advisors, or why there are none yet.
    let empty = Signal::derive(move || match advisors.with(|list| list.as_ref().map(Vec::is_empty)) {
        Some(true) => i18n.t(if connection.online.get() { Msg::SignInLoading } else { Msg::SignInNeedsNetwork }),
        _ => "",
    });
    let buttons = move || {
        advisors
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|choice| {
                let name = choice.1.clone();
                view! {
                    <li>
                        <button type="button" on:click=move |_| choose(Some(choice.clone()))>{name}</button>
                    </li>
                }
            })
            .collect_view()
    };
    let keys = DIGITS
        .into_iter()
        .map(|digit| {
            let press = move |_| pin.update(|pin| if pin.len() < MAX_PIN { pin.push_str(digit) });
            view! { <button type="button" class="key" on:click=press>{digit}</button> }
        })
        .collect_view();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some((advisor, name)) = chosen.get_untracked() else { return };
        if busy.get_untracked() || pin.with_untracked(String::is_empty) {
            return;
        }
        if !connection.online.get_untracked() {
            error.set(Some((Msg::SignInNeedsNetwork, String::new())));
            return;
        }
        busy.set(true);
        error.set(None);
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let token = match sync.store().await {
                Ok(store) => store.token().await.ok().flatten().unwrap_or_default(),
                Err(_) => String::new(),
            };
            let failure = match sign_in(&token, advisor, pin.get_untracked()).await {
                Ok(session) => {
                    let signed_in = SignedIn { advisor: session.advisor, name, token: session.token };
                    sync.set_session(Some(signed_in)).await.err().map(|e| (Msg::SignInFailed, e.to_string()))
                }
                Err(ApiFailure::Network) => Some((Msg::SignInNeedsNetwork, String::new())),
                Err(ApiFailure::Problem { code, attempts_left, .. }) if code == js::code::WRONG_PIN => Some(match attempts_left {
                    Some(left) => (Msg::SignInWrongPin, left.to_string()),
                    None => (Msg::SignInWrongPinPlain, String::new()),
                }),
                Err(failure) if failure.is(js::code::PIN_LOCKED) => Some((Msg::SignInLocked, String::new())),
                Err(ApiFailure::Problem { message, .. }) => Some((Msg::SignInFailed, message)),
                Err(ApiFailure::Other(detail)) => Some((Msg::SignInFailed, detail)),
            };
            if failure.is_some() {
                pin.try_set(String::new());
            }
            error.try_set(failure);
            busy.try_set(false);
        });
    };
    view! {
        <section class="sign-in">
            <h1>{title}</h1>
            <div hidden=move || chosen.with(Option::is_some)>
                <p>{empty}</p>
                <ul class="choices">{buttons}</ul>
            </div>
            <form class="pin" hidden=move || chosen.with(Option::is_none) on:submit=submit>
                <p class="pin-display" aria-hidden="true">{Signal::derive(move || "●".repeat(pin.with(String::len)))}</p>
                <p class="visually-hidden" role="status">
                    {Signal::derive(move || i18n.t_with(Msg::SignInDigits, &[("count", &pin.with(String::len).to_string())]))}
                </p>
                <div class="pin-pad" role="group" aria-label=i18n.msg(Msg::SignInPinLabel)>
                    {keys}
                    <button type="button" class="key" aria-label=i18n.msg(Msg::SignInDelete) on:click=move |_| pin.update(|pin| { pin.pop(); })>
                        <span aria-hidden="true">"⌫"</span>
                    </button>
                </div>
                <p class="error" role="alert">
                    {Signal::derive(move || error.get().map(|(msg, detail)| i18n.t_with(msg, &[("count", &detail), ("message", &detail)])).unwrap_or_default())}
                </p>
                <div class="actions">
                    <button type="submit" class="primary" aria-disabled=Signal::derive(move || if busy.get() { "true" } else { "false" })>{i18n.msg(Msg::SignInSubmit)}</button>
                    <button type="button" on:click=move |_| choose(None)>{i18n.msg(Msg::SignInOther)}</button>
                </div>
            </form>
        </section>
    }
}
