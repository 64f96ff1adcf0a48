//! Random values from `crypto.getRandomValues`, which works on plain http too (unlike
//! `crypto.randomUUID`), and a kiosk on a LAN may be served that way.

/// `N` random bytes.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).expect("crypto in every browser Lane supports");
    crypto.get_random_values_with_u8_array(&mut bytes).expect("random bytes");
    bytes
}

/// A random (version 4) UUID: the id of a record or change made on this device.
pub fn uuid_v4() -> String {
    let mut bytes: [u8; 16] = bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}
