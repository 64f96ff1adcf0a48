//! Numbers a person types (a price, a quantity), read exactly as whole multiples of their smallest
//! unit: no floating point between the keyboard and the order.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    Empty,
    /// Not digits with at most one `.` (and commas only between groups of three).
    NotANumber,
    /// More decimals than the unit has (the won has none, a yuan two).
    TooManyDecimals { allowed: u32 },
    TooLarge,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalError::Empty => write!(f, "Type a number."),
            DecimalError::NotANumber => write!(f, "Type digits, with a point for decimals, such as 1200.50."),
            DecimalError::TooManyDecimals { allowed: 0 } => write!(f, "Type a whole number, without decimals."),
            DecimalError::TooManyDecimals { allowed } => write!(f, "Type at most {allowed} decimals."),
            DecimalError::TooLarge => write!(f, "That number is too large."),
        }
    }
}

impl std::error::Error for DecimalError {}

/// `typed` in units of 10^-`digits`: "12.5" with 2 digits is 1250. Digits with at most one `.`;
/// commas may group thousands ("1,200.50"); surrounding spaces are ignored; no sign.
pub fn parse_scaled(typed: &str, digits: u32) -> Result<u64, DecimalError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(DecimalError::Empty);
    }
    let (whole, fraction) = typed.split_once('.').unwrap_or((typed, ""));
    let whole = ungrouped(whole).ok_or(DecimalError::NotANumber)?;
    if (whole.is_empty() && fraction.is_empty()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalError::NotANumber);
    }
    if fraction.len() > digits as usize {
        return Err(DecimalError::TooManyDecimals { allowed: digits });
    }
    let padding = std::iter::repeat_n(b'0', digits as usize - fraction.len());
    whole.bytes().chain(fraction.bytes()).chain(padding).try_fold(0u64, |value, digit| {
        value.checked_mul(10).and_then(|v| v.checked_add(u64::from(digit - b'0'))).ok_or(DecimalError::TooLarge)
    })
}

/// The whole part's digits without its thousands commas, if it is digits grouped correctly.
fn ungrouped(whole: &str) -> Option<String> {
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let mut digits = first.to_owned();
    let grouped = whole.contains(',');
    if !all_digits(first) || (grouped && !(1..=3).contains(&first.len())) {
        return None;
    }
    for group in groups {
        if group.len() != 3 || !all_digits(group) {
            return None;
        }
        digits.push_str(group);
    }
    Some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_decimals_exactly_in_the_smallest_unit() {
        assert_eq!(parse_scaled("12.5", 2), Ok(1250));
        assert_eq!(parse_scaled(" 1,200.05 ", 2), Ok(120_005));
        assert_eq!(parse_scaled("0.1", 2), Ok(10)); // 0.1 as a float is not 0.1
        assert_eq!(parse_scaled(".5", 3), Ok(500));
        assert_eq!(parse_scaled("7.", 2), Ok(700));
        assert_eq!(parse_scaled("48000", 0), Ok(48_000));
        assert_eq!(parse_scaled("1,234,567", 0), Ok(1_234_567));
    }

    #[test]
    fn refuses_what_is_not_a_plain_number() {
        assert_eq!(parse_scaled("  ", 2), Err(DecimalError::Empty));
        for typed in [".", "-5", "1.2.3", "12a", "1,20", "12,3456", ",100", "1e3", "¥100", "1 000"] {
            assert_eq!(parse_scaled(typed, 2), Err(DecimalError::NotANumber), "{typed}");
        }
        assert_eq!(parse_scaled("1.005", 2), Err(DecimalError::TooManyDecimals { allowed: 2 }));
        assert_eq!(parse_scaled("100.0", 0), Err(DecimalError::TooManyDecimals { allowed: 0 }));
        assert_eq!(parse_scaled("18446744073709551616", 0), Err(DecimalError::TooLarge));
        assert_eq!(parse_scaled("184467440737095517", 2), Err(DecimalError::TooLarge));
    }
}
