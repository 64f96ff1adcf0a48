//! Damage photos: taken on the tablet during the walk-around, downscaled there, and uploaded in the
//! background. The capture time on the device is the evidence time, not the time the server
//! received the bytes (that may be hours later, after the wifi came back).

use crate::ids::{PhotoId, VisitId};
use crate::signature::Sha256;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest photo the server takes. A 1600 px JPEG at quality 0.8 is a few hundred KiB; this
/// leaves room for a detailed one while refusing an undownscaled camera original.
pub const MAX_PHOTO_BYTES: usize = 4 * 1024 * 1024;

/// The longest side of a photo after downscaling on the device: enough to read a scratch.
pub const PHOTO_LONGEST_SIDE: u32 = 1600;

/// The image formats a photo may be in, told by their first bytes (a `Content-Type` can lie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
}

impl ImageKind {
    pub fn sniff(bytes: &[u8]) -> Result<ImageKind, PhotoError> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Ok(ImageKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Ok(ImageKind::Png)
        } else {
            Err(PhotoError::NotAnImage)
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<ImageKind> {
        [ImageKind::Jpeg, ImageKind::Png].into_iter().find(|kind| kind.media_type() == media_type)
    }
}

/// Why a photo's bytes are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    NotAnImage,
    TooLarge { bytes: usize },
}

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhotoError::NotAnImage => f.write_str("A photo must be a JPEG or PNG image; these bytes are neither."),
            PhotoError::TooLarge { bytes } => {
                write!(f, "A photo has at most {} MiB; this one has {:.1} MiB. Downscale it first.", MAX_PHOTO_BYTES / (1024 * 1024), *bytes as f64 / (1024.0 * 1024.0))
            }
        }
    }
}

impl std::error::Error for PhotoError {}

/// Checks a photo's bytes: a JPEG or PNG of at most [`MAX_PHOTO_BYTES`].
pub fn check(bytes: &[u8]) -> Result<ImageKind, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge { bytes: bytes.len() });
    }
    ImageKind::sniff(bytes)
}

/// `PUT /api/photos/{id}?visit=…&taken_at=…`: the body is the image itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PhotoUpload {
    /// The visit whose walk-around the photo documents.
    pub visit: VisitId,
    /// When the photo was taken, by the device's clock (RFC 3339).
    pub taken_at: DateTime<Utc>,
}

/// What the server keeps of an uploaded photo besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StoredPhoto {
    pub id: PhotoId,
    pub visit: VisitId,
    pub taken_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// What an upload of the same id must match.
    pub sha256: Sha256,
    pub byte_length: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_jpeg_and_png_bytes_of_a_bounded_size_are_photos() {
        assert_eq!(check(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Ok(ImageKind::Jpeg));
        assert_eq!(check(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(ImageKind::Png));
        assert_eq!(check(b"GIF89a"), Err(PhotoError::NotAnImage));
        assert_eq!(check(b""), Err(PhotoError::NotAnImage));
        assert_eq!(check(&[0xFF, 0xD8]), Err(PhotoError::NotAnImage));
        let mut huge = vec![0xFF, 0xD8, 0xFF];
        huge.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(check(&huge), Err(PhotoError::TooLarge { bytes: MAX_PHOTO_BYTES + 1 }));
        assert!(PhotoError::TooLarge { bytes: MAX_PHOTO_BYTES + 1 }.to_string().contains("at most 4 MiB"));
    }

    #[test]
    fn media_types_round_trip() {
        for kind in [ImageKind::Jpeg, ImageKind::Png] {
            assert_eq!(ImageKind::from_media_type(kind.media_type()), Some(kind));
        }
        assert_eq!(ImageKind::from_media_type("image/gif"), None);
    }

    #[test]
    fn uploads_name_a_visit_and_an_rfc3339_time() {
        let upload: PhotoUpload = serde_json::from_str(r#"{"visit":"v-1","taken_at":"2026-11-24T09:30:00.123Z"}"#).unwrap();
        assert_eq!(upload.visit.as_str(), "v-1");
        assert!(serde_json::from_str::<PhotoUpload>(r#"{"visit":"v-1","taken_at":"yesterday"}"#).is_err());
    }
}
