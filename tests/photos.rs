//! Photos on the device, in headless Chromium: an image made on a canvas is downscaled to a JPEG
//! and kept with its upload entry; what is not an image keeps nothing; an answered photo no longer
//! waits but keeps its bytes.

use lane_app::advisor::photo::{keep, PhotoFailure};
use lane_app::store::Store;
use lane_domain::ids::VisitId;
use lane_domain::photo::PHOTO_LONGEST_SIDE;
use lane_domain::signature::Sha256;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Blob, ImageBitmap, OffscreenCanvas, OffscreenCanvasRenderingContext2d};

wasm_bindgen_test_configure!(run_in_browser);

async fn open(test: &str) -> Store {
    Store::open(&format!("lane-test-{test}-{}", js_sys::Math::random().to_bits())).await.expect("the database opens")
}

/// A PNG of this size, drawn on a canvas as a camera would deliver a (large) picture.
async fn picture(width: u32, height: u32) -> Blob {
    let canvas = OffscreenCanvas::new(width, height).unwrap();
    let context: OffscreenCanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    context.set_fill_style_str("#2a6");
    context.fill_rect(0.0, 0.0, width.into(), height.into());
    context.set_fill_style_str("#c33");
    context.fill_rect(f64::from(width) / 3.0, f64::from(height) / 3.0, 40.0, 40.0);
    JsFuture::from(canvas.convert_to_blob().unwrap()).await.unwrap().unchecked_into()
}

async fn size_of(bytes: &[u8]) -> (u32, u32) {
    let blob = Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes))).unwrap();
    let bitmap: ImageBitmap = JsFuture::from(web_sys::window().unwrap().create_image_bitmap_with_blob(&blob).unwrap()).await.unwrap().unchecked_into();
    (bitmap.width(), bitmap.height())
}

#[wasm_bindgen_test]
async fn a_photo_is_downscaled_to_a_jpeg_and_kept_with_its_upload_entry() {
    let store = open("photo-kept").await;
    let visit = VisitId::parse("visit-1").unwrap();
    // 2026-11-24T09:30:00.250Z, by the device's clock when the file was chosen.
    let taken_at = 1_795_512_600_250.0;
    let (id, jpeg) = keep(&store, &visit, &picture(3200, 1800).await, taken_at).await.expect("kept");

    let bytes = store.photo_bytes(&id).await.unwrap().expect("the bytes are on the device");
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
    assert_eq!(jpeg.size() as usize, bytes.len());
    assert_eq!(size_of(&bytes).await, (PHOTO_LONGEST_SIDE, 900));

    let waiting = store.photos_waiting().await.unwrap();
    assert_eq!(waiting.len(), 1);
    let photo = &waiting[0];
    assert_eq!((&photo.id, &photo.visit), (&id, &visit));
    assert_eq!(photo.taken_at, "2026-11-24T09:30:00.250Z");
    assert_eq!(photo.byte_length as usize, bytes.len());
    assert_eq!(photo.sha256, Sha256::of(&bytes));
    assert_eq!(photo.media_type, "image/jpeg");

    // A small picture is not enlarged.
    let (small, _) = keep(&store, &visit, &picture(640, 480).await, taken_at - 1000.0).await.unwrap();
    assert_eq!(size_of(&store.photo_bytes(&small).await.unwrap().unwrap()).await, (640, 480));
    // Oldest first.
    let order: Vec<_> = store.photos_waiting().await.unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(order, [small.clone(), id.clone()]);

    // Answered, it waits no more, and its bytes stay.
    store.photo_answered(&small, js_sys::Date::now(), Ok(())).await.unwrap();
    store.photo_answered(&id, js_sys::Date::now(), Err("bad_request")).await.unwrap();
    assert!(store.photos_waiting().await.unwrap().is_empty());
    assert!(store.photo_bytes(&small).await.unwrap().is_some());
}

#[wasm_bindgen_test]
async fn what_is_not_an_image_keeps_nothing() {
    let store = open("photo-refused").await;
    let text = Blob::new_with_str_sequence(&js_sys::Array::of1(&"not a photo".into())).unwrap();
    let kept = keep(&store, &VisitId::parse("visit-1").unwrap(), &text, js_sys::Date::now()).await;
    assert_eq!(kept.map(|(id, _)| id), Err(PhotoFailure::NotAnImage));
    assert!(store.photos_waiting().await.unwrap().is_empty());
}
