//! The customer's review and signature (DOMAIN.md step 5): a large, clean summary of the order,
//! the walk-around and the belongings in the customer's own language, the consent text, and the
//! signature pad. Signing makes the `Signature` record with the domain's `Draft::sign` over
//! exactly the `DropOffOrder` shown; the server rebuilds the order from its copy of the visit and
//! refuses a signature that covers anything else. After signing the order is frozen: the visit
//! shows [`SignedOrder`] instead of its steps.

use super::signature_pad::SignaturePad;
use super::summary::OrderSummary;
use super::visit::{use_visit, Loaded, Problem};
use crate::i18n::{text, use_i18n, Msg};
use crate::random;
use crate::store::LocalRecord;
use crate::sync::use_sync;
use lane_domain::drop_off::{DropOffOrder, OrderError};
use lane_domain::ids::{DeviceId, SignatureId};
use lane_domain::signature::{DocumentKind, Draft, Signer, SignerRole, Stroke, Strokes};
use lane_domain::sync::Change;
use lane_domain::visit::VisitState;
use leptos::prelude::*;

/// What the advisor still has to do before the customer can sign.
fn missing(error: OrderError) -> Msg {
    match error {
        OrderError::NotReadyToSign { .. } => Msg::TabletReviewWalkaroundFirst,
        OrderError::NoJobLines => Msg::TabletReviewNoLines,
        OrderError::NoReadings => Msg::TabletReviewNoReadings,
        OrderError::NoEstimate => Msg::TabletReviewNoEstimate,
        OrderError::ValuablesReminderMissing => Msg::TabletReviewNoReminder,
        OrderError::Total(_) => Msg::TabletReviewCurrencies,
    }
}

#[component]
pub fn ReviewStep() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    let state = Memo::new(move |_| file.loaded.with(|l| l.as_ref().map(|l| l.visit.state)));
    let order = Memo::new(move |_| file.loaded.with(|l| l.as_ref().map(|l| DropOffOrder::of(&l.visit, &l.customer, &l.vehicle))));
    move || match (state.get(), order.get()) {
        (Some(VisitState::CheckedIn), _) => view! {
            <div class="review-start">
                <p class="lead">{i18n.msg(Msg::TabletReviewIntro)}</p>
                <button type="button" class="primary" on:click=move |_| file.walkaround_done()>{i18n.msg(Msg::TabletReviewWalkaroundDone)}</button>
            </div>
        }
        .into_any(),
        (_, Some(Err(error))) => view! { <p class="error" role="alert">{i18n.msg(missing(error))}</p> }.into_any(),
        (_, Some(Ok(order))) => view! { <SignHere order /> }.into_any(),
        _ => ().into_any(),
    }
}

/// The order as the customer reads it, and the pad they sign on.
#[component]
fn SignHere(order: DropOffOrder) -> impl IntoView {
    let (i18n, sync, file) = (use_i18n(), use_sync(), use_visit());
    let language = order.language;
    // The warranty terms are part of what the customer agrees to, so they are hashed with the
    // consent (the signature's consent_sha256) and printed from it.
    let warranty = text(language, Msg::TabletReviewWarranty);
    let consent = format!("{warranty}\n\n{}", text(language, Msg::TabletReviewConsent));
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let empty = RwSignal::new(false);
    let signing = RwSignal::new(false);
    let shown = (order.clone(), consent.clone());
    let sign = move |_| {
        let Some(Loaded { visit, customer, .. }) = file.loaded.get_untracked() else { return };
        let Ok(strokes) = Strokes::new(strokes.get_untracked()) else {
            empty.set(true);
            return;
        };
        empty.set(false);
        let device = sync.device().enrolled.get_untracked().and_then(|e| DeviceId::parse(&e.device).ok());
        let Some(device) = device else { return };
        let id = SignatureId::parse(&random::uuid_v4()).expect("a UUID is an id");
        let signer = Signer { name: customer.name.clone(), role: SignerRole::Customer };
        let draft = Draft::new(DocumentKind::DropOffOrder, visit.id.clone(), visit.order_version, order.clone());
        let Ok(signed) = draft.sign(&consent, signer, strokes, device, chrono::Utc::now(), id) else { return };
        let signature = signed.signature().clone();
        // As the server will: signing writes the visit up, in the same change.
        let mut written_up = visit;
        if written_up.take_signature(DocumentKind::DropOffOrder, &customer.name, signature.signed_at).is_err() {
            return;
        }
        let records = [LocalRecord::of("signature", signature.id.as_str(), &signature), LocalRecord::of("visit", written_up.id.as_str(), &written_up)];
        signing.set(true);
        let sync = sync.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let saved = match records.into_iter().collect::<Result<Vec<_>, _>>() {
                Ok(records) => sync.save_together(&records, Change::Sign(signature.clone())).await,
                Err(error) => Err(error),
            };
            match saved {
                Ok(_) => {
                    file.loaded.try_update(|l| {
                        if let Some(l) = l {
                            l.signature = Some(signature);
                            l.visit = written_up;
                        }
                    });
                }
                Err(error) => {
                    file.problem.try_set(Some(Problem::Store(error)));
                }
            }
            signing.try_set(false);
        });
    };
    view! {
        <section class="review" lang=language.tag()>
            <h2>{text(language, Msg::TabletReviewTitle)}</h2>
            <OrderSummary order=shown.0 language />
            <p class="consent" id="consent">{shown.1}</p>
            <SignaturePad label=Msg::TabletReviewPad strokes />
            <p class="error" role="alert">{move || empty.get().then(|| text(language, Msg::TabletReviewEmptySignature))}</p>
            <button type="button" class="primary sign" aria-describedby="consent" disabled=move || signing.get() on:click=sign>
                {text(language, Msg::TabletReviewSign)}
            </button>
            <p class="quiet">{i18n.msg(Msg::TabletReviewAdvisorHint)}</p>
        </section>
    }
}

/// A signed visit: the order as signed, read-only, with who signed, when, and the document's hash.
#[component]
pub fn SignedOrder() -> impl IntoView {
    let i18n = use_i18n();
    let file = use_visit();
    move || {
        file.loaded.get().map(|l| {
            let order = DropOffOrder::as_signed(&l.visit, &l.customer, &l.vehicle).ok();
            let id = l.visit.id.to_string();
            let signed = l.signature.as_ref().map(|s| {
                let when = crate::format::moment(s.signed_at.timestamp_millis() as f64, i18n.language());
                let who = i18n.t_with(Msg::TabletSignedBy, &[("name", s.signer.name.as_str()), ("when", &when)]);
                let version = i18n.t_with(Msg::TabletSignedVersion, &[("version", &s.document.version.to_string())]);
                view! {
                    <p class="signed-by">{who}" · "{version}</p>
                    <p class="hash">{i18n.msg(Msg::TabletSignedHash)}" "<code>{s.document.sha256.to_string()}</code></p>
                }
            });
            let amendable = (l.visit.state == VisitState::WrittenUpAndSigned).then(|| view! { <AmendOrder /> });
            view! {
                <section class="signed">
                    <p class="lead" role="status">{i18n.msg(Msg::TabletSignedFrozen)}</p>
                    {signed}
                    <a class="button primary" href=format!("/advisor/visits/{id}/print")>{i18n.msg(Msg::TabletSignedPrint)}</a>
                    {amendable}
                    {order.map(|order| {
                        let language = order.language;
                        view! { <OrderSummary order language /> }
                    })}
                </section>
            }
        })
    }
}

/// Amending the signed order, with a second tap to confirm: the customer will sign again.
#[component]
fn AmendOrder() -> impl IntoView {
    let (i18n, file) = (use_i18n(), use_visit());
    let asking = RwSignal::new(false);
    view! {
        <div class="amend">
            <p>{i18n.msg(Msg::TabletSignedAmendHint)}</p>
            <button type="button" hidden=asking on:click=move |_| asking.set(true)>{i18n.msg(Msg::TabletSignedAmend)}</button>
            <div role="group" aria-label=i18n.msg(Msg::TabletSignedAmend) hidden=move || !asking.get()>
                <p>{i18n.msg(Msg::TabletSignedAmendConfirm)}</p>
                <button type="button" class="primary" on:click=move |_| file.amend()>{i18n.msg(Msg::TabletSignedAmendYes)}</button>
                <button type="button" on:click=move |_| asking.set(false)>{i18n.msg(Msg::TabletSignedAmendNo)}</button>
            </div>
        </div>
    }
}
