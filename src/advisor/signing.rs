//! The customer's signature on any of a visit's documents (the drop-off order, an added-work
//! approval, the pickup acceptance): the consent text, the pad and the sign button. Signing makes
//! the `Signature` with the domain's `Draft::sign` over exactly the document shown (built by
//! `Document::next`, as the server builds it again), applies what the signature does to the visit
//! (`Visit::take_signature`) and saves both with one change, so neither is stored without the other.

use super::signature_pad::SignaturePad;
use super::visit::{refusal, use_visit, Loaded, Problem};
use crate::i18n::{text, use_i18n, Msg};
use crate::random;
use crate::sync::use_sync;
use lane_domain::document::Versioned;
use lane_domain::ids::{DeviceId, SignatureId};
use lane_domain::signature::{DocumentKind, Draft, Signer, SignerRole, Stroke, Strokes};
use lane_domain::Language;
use leptos::prelude::*;

/// What the customer agrees to by signing a document of `kind`, in their language.
pub fn consent(kind: DocumentKind, language: Language) -> String {
    match kind {
        // The warranty terms are part of what the customer agrees to at drop-off, so they are
        // hashed with the consent (the signature's consent_sha256) and printed from it.
        DocumentKind::DropOffOrder => format!("{}\n\n{}", text(language, Msg::TabletReviewWarranty), text(language, Msg::TabletReviewConsent)),
        DocumentKind::AddedWorkApproval => text(language, Msg::AddedConsent).to_owned(),
        DocumentKind::PickupAcceptance => text(language, Msg::PickupConsent).to_owned(),
    }
}

fn kind_tag(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::DropOffOrder => "order",
        DocumentKind::AddedWorkApproval => "added",
        DocumentKind::PickupAcceptance => "pickup",
    }
}

/// The consent, the pad and the button for the document `next`, in the customer's `language`.
#[component]
pub fn SignDocument(next: Versioned, language: Language, pad_label: Msg, sign_label: Msg) -> impl IntoView {
    let (i18n, sync, file) = (use_i18n(), use_sync(), use_visit());
    let kind = next.document.kind();
    let consent = consent(kind, language);
    let consent_id = format!("consent-{}", kind_tag(kind));
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let empty = RwSignal::new(false);
    let signing = RwSignal::new(false);
    let shown = consent.clone();
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
        let draft = Draft::new(kind, visit.id.clone(), next.version, next.document.clone());
        let Ok(signed) = draft.sign(&consent, signer, strokes, device, chrono::Utc::now(), id) else { return };
        let signature = signed.signature().clone();
        // As the server will, in the same change.
        let mut after = visit;
        if let Err(error) = after.take_signature(kind, &customer.name, signature.signed_at) {
            file.problem.set(Some(Problem::Rule(refusal(&error))));
            return;
        }
        signing.set(true);
        file.sign(signature, after, move || {
            signing.try_set(false);
        });
    };
    view! {
        <p class="consent" id=consent_id.clone()>{shown}</p>
        <SignaturePad label=pad_label strokes />
        <p class="error" role="alert">{move || empty.get().then(|| text(language, Msg::TabletReviewEmptySignature))}</p>
        <button type="button" class="primary sign" aria-describedby=consent_id disabled=move || signing.get() on:click=sign>
            {text(language, sign_label)}
        </button>
        <p class="quiet">{i18n.msg(Msg::TabletReviewAdvisorHint)}</p>
    }
}
