//! Why a change could not be saved on this device, in the person's language: the store's errors
//! as a kiosk customer or an advisor can act on them.

use crate::fields::text;
use crate::i18n::{use_i18n, Msg};
use crate::store::StoreError;
use leptos::prelude::*;

/// Why saving failed; nothing when it did not.
#[component]
pub fn SaveFailure(#[prop(into)] failure: Signal<Option<StoreError>>) -> impl IntoView {
    let i18n = use_i18n();
    let why = text(move || match failure.get() {
        None => String::new(),
        Some(StoreError::Full) => i18n.t(Msg::ConnectionStorageFull).to_owned(),
        Some(StoreError::Unavailable | StoreError::Blocked | StoreError::Closed) => i18n.t(Msg::ConnectionStorageUnavailable).to_owned(),
        Some(StoreError::Failed(detail)) => i18n.t_with(Msg::KioskSaveFailed, &[("message", &detail)]),
    });
    view! { <p class="error" role="alert">{why}</p> }
}
