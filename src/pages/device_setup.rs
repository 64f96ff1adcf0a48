//! Setting up a device: until a kiosk or tablet is enrolled (or after it was revoked), its screens
//! show a form for the one-time code a manager made for it. The code's kind must match the area:
//! a kiosk code does not make an advisor tablet, nor the other way round.

use crate::connection::use_connection;
use crate::api::ApiFailure;
use crate::device::{enrol, use_device};
use crate::i18n::{use_i18n, Msg};
use crate::pages::sign_in::SignIn;
use crate::sync::use_sync;
use crate::js;
use lane_domain::device::DeviceKind;
use leptos::prelude::*;

/// Shows `children` once this device is set up as `kind` (and, on a tablet, an advisor signed
/// in); else the set-up form, saying why when the device was set up before (revoked, or set up
/// for the other area), or the advisors' sign-in. The children are drawn again only when that
/// answer changes: other news of the connection (storage full, a sync problem) must not reset a
/// screen someone is working in.
#[component]
pub fn DeviceGate(kind: DeviceKind, children: ChildrenFn) -> impl IntoView {
    let device = use_device();
    let connection = use_connection();
    let gate = Memo::new(move |_| {
        if !device.loaded.get() {
            return Gate::Loading;
        }
        match device.enrolled.get() {
            None => Gate::SetUp(None),
            Some(enrolled) if enrolled.kind != kind => Gate::SetUp(Some(if enrolled.kind == DeviceKind::Kiosk { Msg::SetupIsKiosk } else { Msg::SetupIsTablet })),
            Some(_) if connection.revoked() => Gate::SetUp(Some(Msg::SetupRevoked)),
            Some(_) if kind == DeviceKind::Tablet && device.session.with(Option::is_none) => Gate::SignIn,
            Some(_) => Gate::Open,
        }
    });
    move || match gate.get() {
        Gate::Loading => None,
        Gate::SetUp(notice) => Some(view! { <DeviceSetup kind notice /> }.into_any()),
        Gate::SignIn => Some(view! { <SignIn /> }.into_any()),
        Gate::Open => Some(children()),
    }
}

/// What the gate shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Nothing until the store was read, rather than the wrong thing.
    Loading,
    SetUp(Option<Msg>),
    SignIn,
    Open,
}

#[component]
fn DeviceSetup(kind: DeviceKind, notice: Option<Msg>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // The message and its `{message}` detail, translated when shown (so a language switch applies).
    let error = RwSignal::new(None::<(Msg, String)>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let failure = match enrol(code.get_untracked().trim(), kind).await {
                Ok(enrolment) => sync.enrol(&enrolment).await.err().map(|e| (Msg::SetupFailed, e.to_string())),
                // The code is for the other kind of device, and stays unused for it.
                Err(failure) if failure.is(js::code::WRONG_DEVICE_KIND) => {
                    Some((if kind == DeviceKind::Tablet { Msg::SetupKioskCode } else { Msg::SetupTabletCode }, String::new()))
                }
                Err(ApiFailure::Network) => Some((Msg::SetupNeedsNetwork, String::new())),
                Err(failure) if failure.is(js::code::INVALID_ENROLMENT_CODE) => Some((Msg::SetupInvalidCode, String::new())),
                Err(ApiFailure::Problem { message, .. }) => Some((Msg::SetupFailed, message)),
                Err(ApiFailure::Other(detail)) => Some((Msg::SetupFailed, detail)),
            };
            error.try_set(failure);
            busy.try_set(false);
        });
    };
    let intro = if kind == DeviceKind::Kiosk { Msg::SetupIntroKiosk } else { Msg::SetupIntroTablet };
    view! {
        <section class="setup">
            <h1>{i18n.msg(Msg::SetupTitle)}</h1>
            {notice.map(|notice| view! { <p class="notice">{i18n.msg(notice)}</p> })}
            <p>{i18n.msg(intro)}</p>
            <form on:submit=submit>
                <label for="setup-code">{i18n.msg(Msg::SetupCodeLabel)}</label>
                <div class="field-row">
                    <input
                        id="setup-code"
                        name="code"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        required
                        aria-describedby="setup-error"
                        prop:value=code
                        on:input=move |ev| code.set(event_target_value(&ev))
                    />
                    <button type="submit" class="primary" aria-disabled=Signal::derive(move || if busy.get() { "true" } else { "false" })>
                        {Signal::derive(move || i18n.t(if busy.get() { Msg::SetupWorking } else { Msg::SetupSubmit }))}
                    </button>
                </div>
                <p id="setup-error" class="error" role="alert">{Signal::derive(move || error.get().map(|(msg, detail)| i18n.t_with(msg, &[("message", &detail)])).unwrap_or_default())}</p>
            </form>
        </section>
    }
}
