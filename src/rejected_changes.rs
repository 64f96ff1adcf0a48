//! The changes the server rejected, each with its reason in the person's language and a way to
//! discard it. (Fixing one in place comes with the screens of each feature.)

use crate::i18n::{use_i18n, Msg};
use crate::store::Rejected;
use crate::sync::use_sync;
use leptos::prelude::*;

/// The reason for a rejection, by its stable code; the server's own text fills in the details.
pub fn reason(code: &str) -> Msg {
    match code {
        "slot_full" => Msg::RejectedReasonSlotFull,
        "invalid" => Msg::RejectedReasonInvalid,
        "forbidden" => Msg::RejectedReasonForbidden,
        "sign_in_required" => Msg::RejectedReasonSignInRequired,
        _ => Msg::RejectedReasonOther,
    }
}

/// Nothing while every change went through.
#[component]
pub fn RejectedChanges() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let rejected = sync.rejected();
    move || {
        let items = rejected.get();
        (!items.is_empty()).then(|| {
            view! {
                <section class="rejected" aria-labelledby="rejected-title">
                    <h2 id="rejected-title">{i18n.msg(Msg::RejectedTitle)}</h2>
                    <ul>
                        {items.into_iter().map(|item| view! { <RejectedItem item /> }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

#[component]
fn RejectedItem(item: Rejected) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let Rejected { seq, code, message, .. } = item;
    let text_id = format!("rejected-{seq}");
    let discard = move |_| {
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = sync.discard(seq).await {
                web_sys::console::warn_1(&format!("Lane: discarding a rejected change failed: {error}").into());
            }
        });
    };
    view! {
        <li>
            <span id=text_id.clone()>{Signal::derive(move || i18n.t_with(reason(&code), &[("message", &message)]))}</span>
            <button type="button" aria-describedby=text_id on:click=discard>
                {i18n.msg(Msg::RejectedDiscard)}
            </button>
        </li>
    }
}
