//! `/advisor/visits/:id/print`: the signed repair order on paper (DOMAIN.md step 5: two copies,
//! one for the customer, one kept). Each copy carries the order, the signature drawn from its
//! vector strokes, when it was signed and the SHA-256 of the signed document, so a paper copy can
//! be checked against the stored record; once the car is delivered, the pickup section follows with
//! the acceptance signature. The print stylesheet fits A4 and Letter alike.

use super::signature_pad::SignatureImage;
use super::summary::{JobLinesTable, OrderSummary};
use super::visit::{load, Loaded};
use crate::i18n::{fill, text, use_i18n, Msg};
use crate::pages::DeviceGate;
use crate::sync::use_sync;
use lane_domain::device::DeviceKind;
use lane_domain::document::Heading;
use lane_domain::drop_off::DropOffOrder;
use lane_domain::pickup::PickupAcceptance;
use lane_domain::signature::{DocumentKind, Signature};
use lane_domain::Language;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AdvisorPrint() -> impl IntoView {
    view! {
        <crate::layout::AdvisorLayout>
            <DeviceGate kind=DeviceKind::Tablet>
                <PrintPage />
            </DeviceGate>
        </crate::layout::AdvisorLayout>
    }
}

#[component]
fn PrintPage() -> impl IntoView {
    let (i18n, sync) = (use_i18n(), use_sync());
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let loaded = RwSignal::new(None::<Loaded>);
    let back = format!("/advisor/visits/{id}");
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(Some(found)) = load(&sync, &id).await {
            loaded.try_set(Some(found));
        }
    });
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <div class="print-actions">
            <a class="button" href=back>{i18n.msg(Msg::TabletPrintBack)}</a>
            <button type="button" class="primary" on:click=print>{i18n.msg(Msg::TabletPrintPrint)}</button>
        </div>
        {move || loaded.get().map(|l| {
            let copies = [Msg::TabletPrintCustomerCopy, Msg::TabletPrintDealershipCopy];
            copies.into_iter().map(|copy| view! { <Copy loaded=l.clone() copy /> }).collect_view()
        })}
    }
}

#[component]
fn Copy(loaded: Loaded, copy: Msg) -> impl IntoView {
    let Ok(order) = DropOffOrder::as_signed(&loaded.visit, &loaded.customer, &loaded.vehicle) else {
        return view! { <p role="alert">{use_i18n().msg(Msg::TabletPrintNotReady)}</p> }.into_any();
    };
    let language = order.language;
    let t = move |msg| text(language, msg);
    let signature = loaded.signature.clone().map(|signature| view! { <PrintedSignature signature language /> });
    let pickup = loaded.signatures.iter().find(|s| s.document.kind == DocumentKind::PickupAcceptance).cloned().and_then(|signature| {
        let acceptance = PickupAcceptance::as_signed(&loaded.visit, Heading::of(&loaded.customer, &loaded.vehicle)).ok()?;
        let readings = fill(
            t(Msg::PickupSignReadings),
            &[
                ("drop_off", &crate::format::number(acceptance.drop_off.odometer.value, language)),
                ("pickup", &crate::format::number(acceptance.pickup.odometer.value, language)),
                ("fuel", &acceptance.pickup.fuel.eighths().to_string()),
            ],
        );
        let marks = fill(t(Msg::PickupSignMarks), &[("before", &acceptance.drop_off_marks.len().to_string()), ("new", &acceptance.new_marks.len().to_string())]);
        let declined: Vec<String> = acceptance.declined.iter().map(|l| l.description.clone()).collect();
        Some(view! {
            <section class="printed-pickup">
                <h2>{t(Msg::TabletPrintPickupTitle)}</h2>
                <JobLinesTable lines=acceptance.charged total=acceptance.total language />
                {(!declined.is_empty()).then(|| view! { <p>{t(Msg::PickupRecommended)}" "{declined.join(", ")}</p> })}
                <p>{readings}</p>
                <p>{marks}</p>
                <p>{t(Msg::PickupSignReturned)}" "{acceptance.belongings_returned.join(", ")}</p>
                <PrintedSignature signature language />
            </section>
        })
    });
    view! {
        <article class="printed-order" lang=language.tag()>
            <header>
                <h1>{t(Msg::TabletPrintTitle)}</h1>
                <h2 class="copy">{t(copy)}</h2>
            </header>
            <OrderSummary order language />
            {signature}
            {pickup}
        </article>
    }
    .into_any()
}

/// A signature on paper: drawn from its strokes, with who, when, the consent and the hash.
#[component]
fn PrintedSignature(signature: Signature, language: Language) -> impl IntoView {
    let t = move |msg| text(language, msg);
    let when = crate::format::moment(signature.signed_at.timestamp_millis() as f64, language);
    view! {
        <div class="printed-signature">
            <SignatureImage strokes=signature.strokes.as_slice().to_vec() label=t(Msg::TabletReviewPad).to_owned() />
            <p>{signature.signer.name.to_string()}" · "{when}" · "{fill(t(Msg::TabletSignedVersion), &[("version", &signature.document.version.to_string())])}</p>
            <p class="consent">{signature.consent_text.clone()}</p>
            <p class="hash">{t(Msg::TabletSignedHash)}" "<code>{signature.document.sha256.to_string()}</code></p>
        </div>
    }
}
