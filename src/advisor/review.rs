//! The customer's review and signature (DOMAIN.md step 5): a large, clean summary of the order,
//! the walk-around and the belongings in the customer's own language, the consent text, and the
//! signature pad ([`SignDocument`], over exactly the `DropOffOrder` shown; the server rebuilds
//! the order from its copy of the visit and refuses a signature that covers anything else). After
//! signing the order is frozen: the visit shows [`SignedOrder`] instead of its steps.

use super::signing::SignDocument;
use super::summary::OrderSummary;
use super::visit::use_visit;
use crate::i18n::{text, use_i18n, Msg};
use lane_domain::document::{Document, DocumentError, Versioned};
use lane_domain::drop_off::{DropOffOrder, OrderError};
use lane_domain::signature::DocumentKind;
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
    let order = Memo::new(move |_| file.loaded.with(|l| l.as_ref().map(|l| Document::next(DocumentKind::DropOffOrder, &l.visit, &l.customer, &l.vehicle))));
    move || match (state.get(), order.get()) {
        (Some(VisitState::CheckedIn), _) => view! {
            <div class="review-start">
                <p class="lead">{i18n.msg(Msg::TabletReviewIntro)}</p>
                <button type="button" class="primary" on:click=move |_| file.walkaround_done()>{i18n.msg(Msg::TabletReviewWalkaroundDone)}</button>
            </div>
        }
        .into_any(),
        (_, Some(Err(DocumentError::Order(error)))) => view! { <p class="error" role="alert">{i18n.msg(missing(error))}</p> }.into_any(),
        (_, Some(Ok(next))) => view! { <SignHere next /> }.into_any(),
        _ => ().into_any(),
    }
}

/// The order as the customer reads it, and the pad they sign on.
#[component]
fn SignHere(next: Versioned) -> impl IntoView {
    let Document::DropOff(order) = next.document.clone() else { return ().into_any() };
    let language = order.language;
    view! {
        <section class="review" lang=language.tag()>
            <h2>{text(language, Msg::TabletReviewTitle)}</h2>
            <OrderSummary order language />
            <SignDocument next language pad_label=Msg::TabletReviewPad sign_label=Msg::TabletReviewSign />
        </section>
    }
    .into_any()
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
