//! The walk-around's camera button: the tablet's camera (or a picked image) through a file input,
//! the image downscaled on the tablet and kept in its store with an upload entry before anyone is
//! told it was taken. The background uploader (`sync::PhotoUploads`) sends it when online.

use crate::fields::text;
use crate::i18n::{use_i18n, Msg};
use crate::save_failure::SaveFailure;
use crate::store::{PendingPhoto, Store, StoreError};
use crate::sync::{use_photo_uploads, use_sync};
use lane_domain::ids::{PhotoId, VisitId};
use lane_domain::photo::PHOTO_LONGEST_SIDE;
use lane_domain::signature::Sha256;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmap, ImageEncodeOptions, OffscreenCanvas, OffscreenCanvasRenderingContext2d, Url};

/// JPEG quality: scratches stay readable at a few hundred KiB per photo.
const QUALITY: f64 = 0.8;
const MEDIA_TYPE: &str = "image/jpeg";

/// Why a photo was not kept.
#[derive(Debug, Clone, PartialEq)]
pub enum PhotoFailure {
    /// The file is no image this browser can decode.
    NotAnImage,
    /// Downscaling or encoding failed, with the browser's account.
    Processing(String),
    Store(StoreError),
}

/// Decodes `file`, downscales it to a JPEG whose longest side is at most
/// [`PHOTO_LONGEST_SIDE`], and keeps it with its upload entry (taken at `taken_at`, milliseconds
/// since the epoch by the device's clock). Returns the new photo's id and its JPEG.
pub async fn keep(store: &Store, visit: &VisitId, file: &Blob, taken_at: f64) -> Result<(PhotoId, Blob), PhotoFailure> {
    let jpeg = downscale(file).await?;
    let buffer = JsFuture::from(jpeg.array_buffer()).await.map_err(processing)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let id = PhotoId::parse(&crate::random::uuid_v4()).expect("a UUID is an id");
    let photo = PendingPhoto {
        id: id.clone(),
        visit: visit.clone(),
        taken_at: js_sys::Date::new(&taken_at.into()).to_iso_string().into(),
        byte_length: bytes.len() as u32,
        sha256: Sha256::of(&bytes),
        media_type: MEDIA_TYPE.to_owned(),
    };
    store.keep_photo(&photo, &bytes).await.map_err(PhotoFailure::Store)?;
    Ok((id, jpeg))
}

async fn downscale(file: &Blob) -> Result<Blob, PhotoFailure> {
    let window = web_sys::window().ok_or(PhotoFailure::NotAnImage)?;
    let decoding = window.create_image_bitmap_with_blob(file).map_err(|_| PhotoFailure::NotAnImage)?;
    let bitmap: ImageBitmap = JsFuture::from(decoding).await.map_err(|_| PhotoFailure::NotAnImage)?.unchecked_into();
    let (width, height) = (bitmap.width(), bitmap.height());
    let scale = (f64::from(PHOTO_LONGEST_SIDE) / f64::from(width.max(height).max(1))).min(1.0);
    let (width, height) = ((f64::from(width) * scale).round().max(1.0), (f64::from(height) * scale).round().max(1.0));
    let canvas = OffscreenCanvas::new(width as u32, height as u32).map_err(processing)?;
    let context: OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d").map_err(processing)?.ok_or_else(|| PhotoFailure::Processing("no 2d canvas".into()))?.unchecked_into();
    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, width, height).map_err(processing)?;
    bitmap.close();
    let options = ImageEncodeOptions::new();
    options.set_type(MEDIA_TYPE);
    options.set_quality(QUALITY);
    let encoded = JsFuture::from(canvas.convert_to_blob_with_options(&options).map_err(processing)?).await.map_err(processing)?;
    Ok(encoded.unchecked_into())
}

fn processing(error: JsValue) -> PhotoFailure {
    let message = js_sys::Reflect::get(&error, &"message".into()).ok().and_then(|m| m.as_string());
    PhotoFailure::Processing(message.unwrap_or_else(|| format!("{error:?}")))
}

/// A 48 px button that opens the tablet's back camera (`capture="environment"`; a desktop offers
/// a file). Each photo is kept on the tablet before `on_taken` hears its id, and shown as a
/// thumbnail below the button.
#[component]
pub fn PhotoButton(visit: VisitId, on_taken: Callback<PhotoId>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let uploads = use_photo_uploads();
    let input = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let failure = RwSignal::new(None::<PhotoFailure>);
    let thumbnails = RwSignal::new(Vec::<String>::new());
    // The object URLs outlive the view unless revoked; kept outside the reactive graph, which is
    // torn down with the view.
    let urls = SendWrapper::new(Rc::new(RefCell::new(Vec::<String>::new())));
    on_cleanup({
        let urls = urls.clone();
        move || urls.borrow().iter().for_each(|url| drop(Url::revoke_object_url(url)))
    });

    let chosen = move |_| {
        let Some(element) = input.get_untracked() else { return };
        let Some(file) = element.files().and_then(|files| files.get(0)) else { return };
        let taken_at = js_sys::Date::now();
        // Cleared, so that choosing the same file again is a change too.
        element.set_value("");
        busy.set(true);
        saved.set(false);
        failure.set(None);
        let (sync, uploads, visit, urls) = (sync.clone(), uploads.clone(), visit.clone(), urls.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let kept = match sync.store().await {
                Ok(store) => keep(&store, &visit, &file, taken_at).await,
                Err(error) => Err(PhotoFailure::Store(error)),
            };
            busy.try_set(false);
            match kept {
                Ok((id, jpeg)) => {
                    if let Ok(url) = Url::create_object_url_with_blob(&jpeg) {
                        urls.borrow_mut().push(url.clone());
                        thumbnails.try_update(|list| list.push(url));
                    }
                    saved.try_set(true);
                    uploads.kick();
                    on_taken.run(id);
                }
                Err(error) => drop(failure.try_set(Some(error))),
            }
        });
    };
    let open_camera = move |_| {
        if let Some(element) = input.get_untracked() {
            element.click();
        }
    };
    let status = text(move || match (busy.get(), saved.get()) {
        (true, _) => i18n.t(Msg::PhotoSaving).to_owned(),
        (false, true) => i18n.t(Msg::PhotoSaved).to_owned(),
        _ => String::new(),
    });
    let problem = text(move || match failure.get() {
        Some(PhotoFailure::NotAnImage) => i18n.t(Msg::PhotoNotAnImage).to_owned(),
        Some(PhotoFailure::Processing(message)) => i18n.t_with(Msg::PhotoFailed, &[("message", &message)]),
        _ => String::new(),
    });
    let stored = Signal::derive(move || match failure.get() {
        Some(PhotoFailure::Store(error)) => Some(error),
        _ => None,
    });
    let thumbnails = move || {
        thumbnails
            .get()
            .into_iter()
            .enumerate()
            .map(|(at, url)| {
                let alt = i18n.t_with(Msg::PhotoThumbnail, &[("number", &(at + 1).to_string())]);
                view! { <li><img src=url alt=alt /></li> }
            })
            .collect_view()
    };
    view! {
        <div class="photo-button">
            <button type="button" class="photo-take" disabled=busy on:click=open_camera>{i18n.msg(Msg::PhotoTake)}</button>
            <input node_ref=input type="file" accept="image/*" capture="environment" hidden=true aria-label=i18n.msg(Msg::PhotoTake) on:change=chosen />
            <p class="photo-status" role="status">{status}</p>
            <p class="error" role="alert">{problem}</p>
            <SaveFailure failure=stored />
            <ul class="photo-thumbnails">{thumbnails}</ul>
        </div>
    }
}
