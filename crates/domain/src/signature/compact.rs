//! The stored form of a signature's strokes: `v1.` and then, in base64url without padding, for
//! each stroke its number of points and then each point as four LEB128 varints, the zigzag
//! differences of x, y, t and pressure from the point before (the first from all zeros). A pen at
//! 240 Hz moves a few pad units a sample, so most points take four bytes instead of the forty of a
//! JSON object. Each list of strokes has exactly one form (no padding, unused bits zero).

use super::{Point, Stroke};

pub(super) const PREFIX: &str = "v1.";

pub(super) fn encode(strokes: &[Stroke]) -> String {
    let mut bytes = Vec::new();
    let mut previous = [0i64; 4];
    for stroke in strokes {
        push_varint(&mut bytes, stroke.points.len() as u64);
        for point in &stroke.points {
            let values = fields(point);
            for (value, before) in values.iter().zip(&mut previous) {
                push_varint(&mut bytes, zigzag(value - *before));
                *before = *value;
            }
        }
    }
    let mut text = String::with_capacity(PREFIX.len() + bytes.len().div_ceil(3) * 4);
    text.push_str(PREFIX);
    push_base64url(&mut text, &bytes);
    text
}

/// The strokes as written, not yet checked by `Strokes::new`; the error says what is wrong.
pub(super) fn decode(text: &str) -> Result<Vec<Stroke>, &'static str> {
    let payload = text.strip_prefix(PREFIX).ok_or("it does not start with \"v1.\"")?;
    let bytes = base64url(payload)?;
    let mut reader = bytes.iter().copied();
    let mut strokes = Vec::new();
    let mut previous = [0i64; 4];
    while let Some(count) = read_varint(&mut reader)? {
        // At least four bytes a point: a count beyond that is a lie, not a reason to allocate.
        let mut points = Vec::with_capacity((count as usize).min(bytes.len() / 4));
        for _ in 0..count {
            for before in &mut previous {
                let delta = read_varint(&mut reader)?.ok_or("it ends in the middle of a point")?;
                *before = before.checked_add(unzigzag(delta)).ok_or("a value is out of range")?;
            }
            points.push(point(previous)?);
        }
        strokes.push(Stroke { points });
    }
    Ok(strokes)
}

fn fields(point: &Point) -> [i64; 4] {
    [point.x.into(), point.y.into(), point.t.into(), point.pressure.into()]
}

fn point([x, y, t, pressure]: [i64; 4]) -> Result<Point, &'static str> {
    let out_of_range = |_| "a value is out of range";
    Ok(Point {
        x: x.try_into().map_err(out_of_range)?,
        y: y.try_into().map_err(out_of_range)?,
        t: t.try_into().map_err(out_of_range)?,
        pressure: pressure.try_into().map_err(out_of_range)?,
    })
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

fn push_varint(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

/// `None` at the end of the input; an error for a varint cut short, too long or not minimal.
fn read_varint(bytes: &mut impl Iterator<Item = u8>) -> Result<Option<u64>, &'static str> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let Some(byte) = bytes.next() else {
            return if shift == 0 { Ok(None) } else { Err("it ends in the middle of a number") };
        };
        let bits = u64::from(byte & 0x7f);
        if shift == 63 && bits > 1 {
            return Err("a number is too long");
        }
        if shift > 0 && byte == 0 {
            return Err("a number is not written in its shortest form");
        }
        value |= bits << shift;
        if byte & 0x80 == 0 {
            return Ok(Some(value));
        }
    }
    Err("a number is too long")
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn push_base64url(text: &mut String, bytes: &[u8]) {
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (i, &b)| group | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            text.push(char::from(ALPHABET[(group >> (18 - 6 * i) & 0x3f) as usize]));
        }
    }
}

fn base64url(text: &str) -> Result<Vec<u8>, &'static str> {
    if text.len() % 4 == 1 {
        return Err("its base64url text has a stray character at the end");
    }
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        let mut group = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let digit = ALPHABET.iter().position(|&a| a == c).ok_or("it has a character that is not base64url")?;
            group |= (digit as u32) << (18 - 6 * i);
        }
        let whole = chunk.len() - 1;
        if group << (8 * whole) & 0xff_ffff != 0 {
            return Err("its base64url text does not end cleanly");
        }
        bytes.extend((0..whole).map(|i| (group >> (16 - 8 * i)) as u8));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_the_standard() {
        // RFC 4648's test vectors, without padding.
        let vectors = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")];
        for (plain, coded) in vectors {
            let mut text = String::new();
            push_base64url(&mut text, plain.as_bytes());
            assert_eq!(text, coded);
            assert_eq!(base64url(coded).unwrap(), plain.as_bytes());
        }
        let mut text = String::new();
        push_base64url(&mut text, &[0xfb, 0xff]);
        assert_eq!(text, "-_8");
        assert!(base64url("Zh").is_err(), "unused bits set");
        assert!(base64url("Zg==").is_err(), "padding");
        assert!(base64url("Zm9vY").is_err(), "a lone last character");
    }

    #[test]
    fn varints_round_trip_and_must_be_minimal() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut bytes = Vec::new();
            push_varint(&mut bytes, value);
            assert_eq!(read_varint(&mut bytes.into_iter()), Ok(Some(value)));
        }
        for value in [0, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(value)), value);
        }
        assert_eq!(read_varint(&mut [0x80, 0x00].into_iter()), Err("a number is not written in its shortest form"));
        assert_eq!(read_varint(&mut [0x80].into_iter()), Err("it ends in the middle of a number"));
        assert_eq!(read_varint(&mut [0xff; 11].into_iter()), Err("a number is too long"));
    }
}
