//! Signatures on documents (DOMAIN.md steps 4, 5, 7, 11): a signed document never changes, and a
//! signature is a record of its own that proves what was signed, under which consent text, by whom,
//! on which device and when (the ESIGN/UETA and eIDAS points in REFERENCES.md).
//!
//! # The canonical form
//!
//! What is hashed for a document is the UTF-8 JSON text that `serde_json` writes, without any
//! whitespace, for the object
//!
//! ```text
//! {"kind":<kind>,"visit":<visit id>,"version":<version>,"content":<content>}
//! ```
//!
//! with the keys in exactly that order, `kind` as its snake_case name (`"drop_off_order"`), and
//! `content` serialised by its own `Serialize`: struct fields in declaration order, maps in their
//! iteration order, strings with serde_json's escaping (only `"`, `\` and control characters are
//! escaped; other characters are written as themselves). So that the same content always gives the
//! same text, content types hold maps as `BTreeMap` (sorted keys), never `HashMap` or
//! `serde_json::Value`, and no floats. Reordering or renaming a field of a signed type changes the
//! hash of every document signed before: add fields with care, and keep the known-answer test
//! below passing. Wrapping the content with its kind, visit and version means a signature over
//! one document cannot be replayed onto another with the same content.
//!
//! The consent text (what the signer was shown above the pad) is hashed as its UTF-8 bytes after
//! turning `\r\n` and lone `\r` into `\n`. Both hashes are SHA-256, written as 64 lower-case hex
//! digits.

use crate::customer::PersonName;
use crate::ids::{DeviceId, SignatureId, VisitId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::fmt;

mod compact;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SignerRole {
    Customer,
    Advisor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub name: PersonName,
    pub role: SignerRole,
}

/// The documents a visit has signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentKind {
    /// The repair order with the walk-around sheet and belongings list (steps 4-5).
    DropOffOrder,
    /// A supplementary order for added work (step 7).
    AddedWorkApproval,
    /// Acceptance of the car and the charges at pickup (step 11).
    PickupAcceptance,
}

/// A point of the pen. `x` and `y` are in ten-thousandths of the pad's width and height, so a
/// signature reads the same from any screen; `t` is milliseconds since the signature began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub x: u16,
    pub y: u16,
    pub t: u32,
    /// 0 when the device reports none (a finger on most screens).
    pub pressure: u8,
}

/// One pen-down to pen-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stroke {
    pub points: Vec<Point>,
}

/// The strokes of a signature: enough ink to be a mark made on purpose, and bounded in size (a
/// long signature at a pen's 240 points a second is a few thousand points). Stored and sent in a
/// compact text form (`Strokes::encode`, about a tenth of JSON objects' size), checked by the same
/// rules as typed input when read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "v1.CtAPkE4AAHgACAB4AAgAeAAIAHgACAB4AAgAeAAIAHgACAB4AAgAeAAIAA"))]
pub struct Strokes(Vec<Stroke>);

/// The full width or height of the pad, in the units of [`Point`].
pub const PAD_SCALE: u16 = 10_000;
const MAX_STROKES: usize = 200;
const MAX_POINTS: usize = 20_000;
/// Fewer points than this is a tap, not a signature.
const MIN_POINTS: usize = 10;
/// Less ink than 5% of the pad's width is a dot or a slip, not a signature.
const MIN_INK: f64 = 500.0;

impl Strokes {
    pub fn new(strokes: Vec<Stroke>) -> Result<Strokes, SignatureError> {
        if strokes.len() > MAX_STROKES {
            return Err(SignatureError::TooManyStrokes { count: strokes.len() });
        }
        let points: usize = strokes.iter().map(|s| s.points.len()).sum();
        if points > MAX_POINTS {
            return Err(SignatureError::TooManyPoints { count: points });
        }
        if strokes.iter().any(|s| s.points.is_empty()) {
            return Err(SignatureError::EmptyStroke);
        }
        if let Some(p) = strokes.iter().flat_map(|s| &s.points).find(|p| p.x > PAD_SCALE || p.y > PAD_SCALE) {
            return Err(SignatureError::PointOffPad { x: p.x, y: p.y });
        }
        if points < MIN_POINTS || ink_length(&strokes) < MIN_INK {
            return Err(SignatureError::Empty);
        }
        Ok(Strokes(strokes))
    }

    /// Reads the stored form written by [`Strokes::encode`].
    pub fn parse(text: &str) -> Result<Strokes, SignatureError> {
        let strokes = compact::decode(text).map_err(|reason| SignatureError::MalformedStrokes { reason })?;
        Strokes::new(strokes)
    }

    /// The stored form: `v1.` and base64url (see `compact.rs`).
    pub fn encode(&self) -> String {
        compact::encode(&self.0)
    }

    pub fn as_slice(&self) -> &[Stroke] {
        &self.0
    }
}

/// The length of the line drawn, in pad units (the gaps between strokes are not ink).
fn ink_length(strokes: &[Stroke]) -> f64 {
    strokes
        .iter()
        .flat_map(|s| s.points.windows(2))
        .map(|pair| {
            let dx = f64::from(pair[1].x) - f64::from(pair[0].x);
            let dy = f64::from(pair[1].y) - f64::from(pair[0].y);
            (dx * dx + dy * dy).sqrt()
        })
        .sum()
}

impl TryFrom<String> for Strokes {
    type Error = SignatureError;
    fn try_from(text: String) -> Result<Strokes, SignatureError> {
        Strokes::parse(&text)
    }
}

impl From<Strokes> for String {
    fn from(strokes: Strokes) -> String {
        strokes.encode()
    }
}

validated_string!(
    /// A SHA-256 digest as 64 lower-case hex digits.
    Sha256,
    SignatureError
);

impl Sha256 {
    pub fn parse(input: &str) -> Result<Sha256, SignatureError> {
        if input.len() == 64 && input.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(Sha256(input.to_owned()))
        } else {
            Err(SignatureError::MalformedSha256)
        }
    }

    pub fn of(bytes: &[u8]) -> Sha256 {
        let digest = sha2::Sha256::digest(bytes);
        Sha256(digest.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// What a signature was given on: the document by kind, visit and version, and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    pub kind: DocumentKind,
    pub visit: VisitId,
    pub version: u32,
    /// Of the canonical form (see the module's documentation).
    pub sha256: Sha256,
}

/// A signature, stored and synced as a record of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub id: SignatureId,
    pub document: DocumentRef,
    /// Of the text above the pad, which states the intent and the consent to sign electronically.
    pub consent_sha256: Sha256,
    /// That text itself, as the signer was shown it: kept, so the record proves what they agreed to.
    pub consent_text: String,
    pub signer: Signer,
    pub strokes: Strokes,
    pub device: DeviceId,
    /// The device's clock when the pen lifted; the server adds its own receipt time.
    pub signed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// No stroke, too few points or too little ink.
    Empty,
    EmptyStroke,
    TooManyStrokes { count: usize },
    TooManyPoints { count: usize },
    PointOffPad { x: u16, y: u16 },
    /// The stored form of the strokes cannot be read; `reason` says where it goes wrong.
    MalformedStrokes { reason: &'static str },
    NoConsentText,
    MalformedSha256,
    /// The content could not be written as JSON (a map with keys that are not strings).
    Unserialisable { reason: String },
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Empty => write!(f, "The signature is empty or too small; sign across the pad."),
            SignatureError::EmptyStroke => write!(f, "A stroke of the signature has no points; clear the pad and sign again."),
            SignatureError::TooManyStrokes { count } => {
                write!(f, "A signature has at most {MAX_STROKES} strokes; this one has {count}. Clear the pad and sign again.")
            }
            SignatureError::TooManyPoints { count } => {
                write!(f, "A signature has at most {MAX_POINTS} points; this one has {count}. Clear the pad and sign again.")
            }
            SignatureError::PointOffPad { x, y } => {
                write!(f, "The point ({x}, {y}) is off the pad (0 to {PAD_SCALE}); the device sent a bad signature.")
            }
            SignatureError::MalformedStrokes { reason } => write!(
                f,
                "The signature's strokes cannot be read: {reason}. The device sent a damaged signature or runs another version of Lane; update the app and sign again."
            ),
            SignatureError::NoConsentText => write!(f, "A signature needs the consent text the signer was shown."),
            SignatureError::MalformedSha256 => write!(f, "A SHA-256 hash is 64 lower-case hex digits."),
            SignatureError::Unserialisable { reason } => write!(f, "The document cannot be written for signing: {reason}."),
        }
    }
}

impl std::error::Error for SignatureError {}

/// Why a signature does not hold for a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// The content differs from what was signed.
    DocumentChanged,
    /// The consent text differs from what the signer was shown.
    ConsentChanged,
    /// The signature is for another document (kind, visit or version).
    WrongDocument,
}

impl fmt::Display for Tamper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tamper::DocumentChanged => write!(f, "The document was changed after it was signed."),
            Tamper::ConsentChanged => write!(f, "The consent text differs from the one the signer was shown."),
            Tamper::WrongDocument => write!(f, "The signature belongs to another document or another version of it."),
        }
    }
}

impl std::error::Error for Tamper {}

#[derive(Serialize)]
struct Canonical<'a, T> {
    kind: DocumentKind,
    visit: &'a VisitId,
    version: u32,
    content: &'a T,
}

/// The canonical form of a document (see the module's documentation): what is hashed, and what
/// is kept so the signed document can be shown again exactly.
pub fn canonical_document<T: Serialize>(kind: DocumentKind, visit: &VisitId, version: u32, content: &T) -> Result<String, SignatureError> {
    serde_json::to_string(&Canonical { kind, visit, version, content })
        .map_err(|e| SignatureError::Unserialisable { reason: e.to_string() })
}

pub fn document_sha256<T: Serialize>(kind: DocumentKind, visit: &VisitId, version: u32, content: &T) -> Result<Sha256, SignatureError> {
    canonical_document(kind, visit, version, content).map(|text| Sha256::of(text.as_bytes()))
}

/// The consent text's hash, the same whichever line endings the device used.
pub fn consent_sha256(consent_text: &str) -> Sha256 {
    Sha256::of(consent_text.replace("\r\n", "\n").replace('\r', "\n").as_bytes())
}

/// Checks that `signature` was given on this document and under this consent text.
pub fn verify<T: Serialize>(
    signature: &Signature,
    kind: DocumentKind,
    visit: &VisitId,
    version: u32,
    content: &T,
    consent_text: &str,
) -> Result<(), Tamper> {
    let signed = &signature.document;
    if signed.kind != kind || &signed.visit != visit || signed.version != version {
        return Err(Tamper::WrongDocument);
    }
    // Content that cannot be written now could not have been signed.
    if document_sha256(kind, visit, version, content).ok().as_ref() != Some(&signed.sha256) {
        return Err(Tamper::DocumentChanged);
    }
    if consent_sha256(consent_text) != signature.consent_sha256 {
        return Err(Tamper::ConsentChanged);
    }
    Ok(())
}

/// A document being prepared: it can change until it is signed. Versions start at 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft<T> {
    kind: DocumentKind,
    visit: VisitId,
    version: u32,
    content: T,
}

impl<T: Serialize> Draft<T> {
    /// `version`: 1 for a new document, the next for an amended one.
    pub fn new(kind: DocumentKind, visit: VisitId, version: u32, content: T) -> Draft<T> {
        Draft { kind, visit, version, content }
    }

    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    pub fn visit(&self) -> &VisitId {
        &self.visit
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn content(&self) -> &T {
        &self.content
    }

    pub fn content_mut(&mut self) -> &mut T {
        &mut self.content
    }

    /// Signs the draft as it is now. Each argument is part of the legal record, so none is
    /// defaulted: `at` is the device's time, `id` the device's new id for the signature.
    pub fn sign(
        self,
        consent_text: &str,
        signer: Signer,
        strokes: Strokes,
        device: DeviceId,
        at: DateTime<Utc>,
        id: SignatureId,
    ) -> Result<Signed<T>, SignatureError> {
        if consent_text.trim().is_empty() {
            return Err(SignatureError::NoConsentText);
        }
        let sha256 = document_sha256(self.kind, &self.visit, self.version, &self.content)?;
        let signature = Signature {
            id,
            document: DocumentRef { kind: self.kind, visit: self.visit, version: self.version, sha256 },
            consent_sha256: consent_sha256(consent_text),
            consent_text: consent_text.to_owned(),
            signer,
            strokes,
            device,
            signed_at: at,
        };
        Ok(Signed { content: self.content, signature })
    }
}

/// A signed document: read-only, held with its signature. A change is a new version (`amend`),
/// signed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed<T> {
    content: T,
    signature: Signature,
}

impl<T: Serialize> Signed<T> {
    /// A signed document read back from storage or sync, accepted only if its signature holds.
    pub fn from_stored(content: T, signature: Signature, consent_text: &str) -> Result<Signed<T>, Tamper> {
        let document = &signature.document;
        verify(&signature, document.kind, &document.visit, document.version, &content, consent_text)?;
        Ok(Signed { content, signature })
    }

    pub fn content(&self) -> &T {
        &self.content
    }

    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// A new draft of the same document with the next version number; the signed one stays as it is.
    pub fn amend(&self) -> Draft<T>
    where
        T: Clone,
    {
        let document = &self.signature.document;
        Draft { kind: document.kind, visit: document.visit.clone(), version: document.version + 1, content: self.content.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Order {
        customer: String,
        total_minor: i64,
        lines: Vec<String>,
        extras: BTreeMap<String, u32>,
    }

    const CONSENT: &str = "I have read this order and sign it electronically.\nLane";

    fn order() -> Order {
        Order {
            customer: "王小明".into(),
            total_minor: 128_000,
            lines: vec!["Oil service".into(), "Brake \"pads\"".into()],
            extras: BTreeMap::from([("z".into(), 1), ("a".into(), 2)]),
        }
    }

    fn visit(id: &str) -> VisitId {
        VisitId::parse(id).unwrap()
    }

    /// A zig-zag across half the pad.
    fn strokes() -> Strokes {
        let points = (0..20u16).map(|i| Point { x: 2000 + i * 250, y: 4000 + (i % 2) * 800, t: u32::from(i) * 16, pressure: 0 }).collect();
        Strokes::new(vec![Stroke { points }]).unwrap()
    }

    fn signer() -> Signer {
        Signer { name: PersonName::parse("王小明").unwrap(), role: SignerRole::Customer }
    }

    fn signed() -> Signed<Order> {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 1, 42, 0).unwrap();
        Draft::new(DocumentKind::DropOffOrder, visit("v-1"), 1, order())
            .sign(CONSENT, signer(), strokes(), DeviceId::parse("tab-3").unwrap(), at, SignatureId::parse("sig-1").unwrap())
            .unwrap()
    }

    #[test]
    fn the_canonical_form_is_pinned() {
        let text = canonical_document(DocumentKind::DropOffOrder, &visit("v-1"), 2, &order()).unwrap();
        assert_eq!(
            text,
            r#"{"kind":"drop_off_order","visit":"v-1","version":2,"content":{"customer":"王小明","total_minor":128000,"lines":["Oil service","Brake \"pads\""],"extras":{"a":2,"z":1}}}"#
        );
        assert_eq!(
            document_sha256(DocumentKind::DropOffOrder, &visit("v-1"), 2, &order()).unwrap().as_str(),
            "ff2d0e5d134a92ac7682ea0279036a916728990f6755763dfa165e869adb7ede"
        );
        assert_eq!(consent_sha256("I sign.\r\nLane\r"), consent_sha256("I sign.\nLane\n"));
        assert_eq!(consent_sha256("abc").as_str(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn a_signed_document_verifies() {
        let signed = signed();
        let s = signed.signature();
        assert_eq!(s.document.version, 1);
        assert_eq!(verify(s, DocumentKind::DropOffOrder, &visit("v-1"), 1, signed.content(), CONSENT), Ok(()));
        assert_eq!(verify(s, DocumentKind::DropOffOrder, &visit("v-1"), 1, &order(), &CONSENT.replace('\n', "\r\n")), Ok(()));
    }

    #[test]
    fn any_change_of_the_content_is_detected() {
        let signed = signed();
        let changes: [fn(&mut Order); 4] = [
            |o| o.customer.push(' '),
            |o| o.total_minor += 1,
            |o| o.lines.swap(0, 1),
            |o| {
                o.extras.insert("b".into(), 0);
            },
        ];
        for change in changes {
            let mut content = order();
            change(&mut content);
            let result = verify(signed.signature(), DocumentKind::DropOffOrder, &visit("v-1"), 1, &content, CONSENT);
            assert_eq!(result, Err(Tamper::DocumentChanged));
        }
    }

    #[test]
    fn another_consent_text_is_detected() {
        let result = verify(signed().signature(), DocumentKind::DropOffOrder, &visit("v-1"), 1, &order(), "I agree.");
        assert_eq!(result, Err(Tamper::ConsentChanged));
    }

    #[test]
    fn a_signature_does_not_fit_another_document() {
        let s = signed().signature().clone();
        assert_eq!(verify(&s, DocumentKind::DropOffOrder, &visit("v-1"), 2, &order(), CONSENT), Err(Tamper::WrongDocument));
        assert_eq!(verify(&s, DocumentKind::DropOffOrder, &visit("v-2"), 1, &order(), CONSENT), Err(Tamper::WrongDocument));
        assert_eq!(verify(&s, DocumentKind::PickupAcceptance, &visit("v-1"), 1, &order(), CONSENT), Err(Tamper::WrongDocument));
        // Relabelling the reference does not help: the hash covers kind, visit and version.
        let mut moved = s;
        moved.document.visit = visit("v-2");
        assert_eq!(verify(&moved, DocumentKind::DropOffOrder, &visit("v-2"), 1, &order(), CONSENT), Err(Tamper::DocumentChanged));
    }

    #[test]
    fn amending_makes_the_next_version_to_sign_again() {
        let signed = signed();
        let mut draft = signed.amend();
        assert_eq!((draft.kind(), draft.visit().as_str(), draft.version()), (DocumentKind::DropOffOrder, "v-1", 2));
        draft.content_mut().total_minor = 150_000;
        assert_eq!(signed.content().total_minor, 128_000);
        let at = signed.signature().signed_at;
        let resigned = draft.sign(CONSENT, signer(), strokes(), DeviceId::parse("tab-3").unwrap(), at, SignatureId::parse("sig-2").unwrap()).unwrap();
        assert_eq!(resigned.signature().document.version, 2);
        assert_ne!(resigned.signature().document.sha256, signed.signature().document.sha256);
    }

    #[test]
    fn signing_needs_the_consent_text() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 1, 42, 0).unwrap();
        let result = Draft::new(DocumentKind::PickupAcceptance, visit("v-1"), 1, order()).sign(
            " \n",
            signer(),
            strokes(),
            DeviceId::parse("kiosk-1").unwrap(),
            at,
            SignatureId::parse("sig-3").unwrap(),
        );
        assert_eq!(result.unwrap_err(), SignatureError::NoConsentText);
    }

    #[test]
    fn empty_and_oversized_signatures_are_refused() {
        let point = |x, y| Point { x, y, t: 0, pressure: 0 };
        assert_eq!(Strokes::new(vec![]), Err(SignatureError::Empty));
        assert_eq!(Strokes::new(vec![Stroke { points: vec![] }]), Err(SignatureError::EmptyStroke));
        // Many points, all on one spot: a pen resting on the pad.
        assert_eq!(Strokes::new(vec![Stroke { points: vec![point(5000, 5000); 50] }]), Err(SignatureError::Empty));
        // Enough ink but only two points.
        assert_eq!(Strokes::new(vec![Stroke { points: vec![point(0, 0), point(9000, 0)] }]), Err(SignatureError::Empty));
        assert_eq!(Strokes::new(vec![Stroke { points: vec![point(10_001, 0)] }]), Err(SignatureError::PointOffPad { x: 10_001, y: 0 }));
        let dot = Stroke { points: vec![point(1, 1)] };
        assert_eq!(Strokes::new(vec![dot.clone(); 201]), Err(SignatureError::TooManyStrokes { count: 201 }));
        assert_eq!(Strokes::new(vec![Stroke { points: vec![point(1, 1); 20_001] }]), Err(SignatureError::TooManyPoints { count: 20_001 }));
        assert_eq!(serde_json::from_str::<Strokes>(r#""v1.""#).unwrap_err().to_string(), SignatureError::Empty.to_string());
        // A stroke of no points, then a dot: the stored form is checked by the same rules.
        let empty_stroke = Strokes(vec![Stroke { points: vec![] }, dot]).encode();
        assert_eq!(Strokes::parse(&empty_stroke), Err(SignatureError::EmptyStroke));
    }

    /// A signature as a pen at 240 Hz writes it: `strokes` loops of `points` points each, 4 ms
    /// apart, with the pressure rising and falling.
    fn pen_signature(strokes: u16, points: u16) -> Vec<Stroke> {
        (0..strokes)
            .map(|s| {
                let points = (0..points)
                    .map(|i| {
                        let a = f64::from(i) / f64::from(points) * std::f64::consts::TAU * 3.0;
                        Point {
                            x: (1000.0 + f64::from(s) * 2000.0 + f64::from(i) * 1.5 + 600.0 * a.cos()) as u16,
                            y: (5000.0 + 2500.0 * (a * 0.5).sin() * a.cos()) as u16,
                            t: u32::from(s) * 1500 + u32::from(i) * 4,
                            pressure: (128.0 + 90.0 * (a * 0.7).sin()) as u8,
                        }
                    })
                    .collect();
                Stroke { points }
            })
            .collect()
    }

    #[test]
    fn the_stored_form_round_trips() {
        for strokes in [strokes(), Strokes::new(pen_signature(4, 500)).unwrap()] {
            let text = strokes.encode();
            assert!(text.starts_with("v1."));
            assert_eq!(Strokes::parse(&text), Ok(strokes.clone()));
            let json = serde_json::to_string(&strokes).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Strokes>(&json).unwrap(), strokes);
        }
        // The extremes of every field survive the differences.
        let corners = [(0, 0, 0, 0), (PAD_SCALE, PAD_SCALE, u32::MAX, u8::MAX), (0, PAD_SCALE, 0, 0), (PAD_SCALE, 0, 7, 1)];
        let points: Vec<Point> = corners.iter().cycle().take(12).map(|&(x, y, t, pressure)| Point { x, y, t, pressure }).collect();
        let extremes = Strokes::new(vec![Stroke { points: points[..5].to_vec() }, Stroke { points: points[5..].to_vec() }]).unwrap();
        assert_eq!(Strokes::parse(&extremes.encode()), Ok(extremes));
        // The example in the API's schema: a line of ten points.
        let line = (0..10).map(|i| Point { x: 1000 + i * 60, y: 5000, t: u32::from(i) * 4, pressure: 0 }).collect();
        assert_eq!(Strokes::new(vec![Stroke { points: line }]).unwrap().encode(), "v1.CtAPkE4AAHgACAB4AAgAeAAIAHgACAB4AAgAeAAIAHgACAB4AAgAeAAIAA");
    }

    #[test]
    fn a_malformed_stored_form_is_refused() {
        let text = strokes().encode();
        let malformed = |input: &str| match Strokes::parse(input) {
            Err(SignatureError::MalformedStrokes { reason }) => reason,
            other => panic!("{input:?} gave {other:?}"),
        };
        assert_eq!(malformed(&text.replacen("v1.", "v2.", 1)), "it does not start with \"v1.\"");
        assert_eq!(malformed(&text[3..]), "it does not start with \"v1.\"");
        assert_eq!(malformed(&format!("{text}=")), "it has a character that is not base64url");
        assert_eq!(malformed(&format!("{text}+")), "it has a character that is not base64url");
        assert_eq!(malformed("v1.AgAAAAB"), "its base64url text does not end cleanly");
        assert_eq!(malformed("v1.AgAAA"), "its base64url text has a stray character at the end");
        // A stroke of two points that ends after the first.
        assert_eq!(malformed("v1.AgAAAAA"), "it ends in the middle of a point");
        assert_eq!(malformed("v1.AgAAAIA"), "it ends in the middle of a number");
        // Two points: x 0, then x 0 - 1, below the range of a coordinate.
        assert_eq!(malformed("v1.AgAAAAABAAAA"), "a value is out of range");
        // The old form, a JSON array of point objects, is not read.
        assert!(serde_json::from_str::<Strokes>(r#"[{"points":[{"x":1,"y":1,"t":0,"pressure":0}]}]"#).is_err());
        // A person reading the error learns what to do.
        let message = SignatureError::MalformedStrokes { reason: "it does not start with \"v1.\"" }.to_string();
        assert!(message.contains("update the app and sign again"), "{message}");
    }

    #[test]
    fn the_stored_form_is_far_smaller_than_json() {
        let strokes = Strokes::new(pen_signature(4, 500)).unwrap();
        let points: usize = strokes.as_slice().iter().map(|s| s.points.len()).sum();
        assert_eq!(points, 2000);
        // What the strokes took as JSON objects before this form.
        let json: String = strokes
            .as_slice()
            .iter()
            .map(|s| {
                let points: Vec<String> =
                    s.points.iter().map(|p| format!(r#"{{"x":{},"y":{},"t":{},"pressure":{}}}"#, p.x, p.y, p.t, p.pressure)).collect();
                format!(r#"{{"points":[{}]}}"#, points.join(","))
            })
            .collect::<Vec<_>>()
            .join(",");
        let compact = strokes.encode();
        assert!(compact.len() <= 6 * points, "{} bytes for {points} points", compact.len());
        assert!(compact.len() * 6 < json.len(), "{} bytes against {} of JSON", compact.len(), json.len());
    }

    #[test]
    fn a_stored_signature_still_verifies() {
        let signed = signed();
        let json = serde_json::to_string(signed.signature()).unwrap();
        let stored: Signature = serde_json::from_str(&json).unwrap();
        assert_eq!(&stored, signed.signature());
        assert!(json.contains(r#""kind":"drop_off_order""#));
        let reloaded = Signed::from_stored(order(), stored.clone(), CONSENT).unwrap();
        assert_eq!(reloaded, signed);
        let mut changed = order();
        changed.total_minor = 1;
        assert_eq!(Signed::from_stored(changed, stored, CONSENT).unwrap_err(), Tamper::DocumentChanged);
    }

    #[test]
    fn hashes_parse_only_in_lower_case_hex() {
        let hash = Sha256::of(b"");
        assert_eq!(hash.as_str(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(Sha256::parse(hash.as_str()), Ok(hash.clone()));
        assert_eq!(Sha256::parse(&hash.as_str().to_uppercase()), Err(SignatureError::MalformedSha256));
        assert_eq!(Sha256::parse("abc"), Err(SignatureError::MalformedSha256));
        assert!(serde_json::from_str::<Sha256>("\"xyz\"").is_err());
    }
}
