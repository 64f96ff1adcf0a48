//! Money in integer minor units: no floating point ever touches a price.

use crate::decimal::{parse_scaled, DecimalError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency that a dealership can price in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "KRW")]
    Krw,
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "EUR")]
    Eur,
}

impl Currency {
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Krw => "KRW",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
        }
    }

    pub fn from_code(code: &str) -> Option<Currency> {
        match code {
            "CNY" => Some(Currency::Cny),
            "KRW" => Some(Currency::Krw),
            "USD" => Some(Currency::Usd),
            "EUR" => Some(Currency::Eur),
            _ => None,
        }
    }

    /// How many decimal places the currency's minor unit has (the won has none).
    pub const fn minor_digits(self) -> u32 {
        match self {
            Currency::Krw => 0,
            Currency::Cny | Currency::Usd | Currency::Eur => 2,
        }
    }
}

/// An amount of money: integer minor units (fen, cents; whole won) and its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// Adding amounts of two currencies is a bug in the caller, reported rather than guessed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrencyMismatch {
    pub left: Currency,
    pub right: Currency,
}

impl fmt::Display for CurrencyMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot combine {} with {}", self.left.code(), self.right.code())
    }
}

impl std::error::Error for CurrencyMismatch {}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// A price as a person types it ("1,200.50", "48000"), exactly, with no more decimals than
    /// the currency's minor unit has.
    pub fn parse(typed: &str, currency: Currency) -> Result<Money, DecimalError> {
        let minor = parse_scaled(typed, currency.minor_digits())?;
        Ok(Money::new(i64::try_from(minor).map_err(|_| DecimalError::TooLarge)?, currency))
    }

    /// The amount as a person types it ("1280.50", "48000"): what [`Money::parse`] reads back.
    pub fn typed_form(self) -> String {
        let digits = self.currency.minor_digits();
        let scale = 10u64.pow(digits);
        let (abs, sign) = (self.minor.unsigned_abs(), if self.minor < 0 { "-" } else { "" });
        match digits {
            0 => format!("{sign}{abs}"),
            _ => format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize),
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, CurrencyMismatch> {
        if self.currency != other.currency {
            return Err(CurrencyMismatch { left: self.currency, right: other.currency });
        }
        Ok(Money::new(self.minor + other.minor, self.currency))
    }

    /// The amount times a quantity given in thousandths (1.5 hours of labour is 1500), rounded
    /// half away from zero to the minor unit.
    pub fn times_milli(self, quantity_milli: i64) -> Money {
        let product = i128::from(self.minor) * i128::from(quantity_milli);
        let rounded = (product + product.signum() * 500) / 1000;
        Money::new(rounded as i64, self.currency)
    }
}

impl fmt::Display for Money {
    /// Plain form with the currency code (`CNY 1,280.00`); views may format for a locale.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.currency.minor_digits();
        let scale = 10i64.pow(digits);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let major = abs / scale as u64;
        let minor = abs % scale as u64;
        let major = group_thousands(major);
        if digits == 0 {
            write!(f, "{} {sign}{major}", self.currency.code())
        } else {
            write!(f, "{} {sign}{major}.{minor:0width$}", self.currency.code(), width = digits as usize)
        }
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_with_minor_digits_and_grouping() {
        assert_eq!(Money::new(128_000, Currency::Cny).to_string(), "CNY 1,280.00");
        assert_eq!(Money::new(5, Currency::Usd).to_string(), "USD 0.05");
        assert_eq!(Money::new(-1_234_567, Currency::Eur).to_string(), "EUR -12,345.67");
        assert_eq!(Money::new(89_000, Currency::Krw).to_string(), "KRW 89,000");
    }

    #[test]
    fn adding_different_currencies_is_refused() {
        let a = Money::new(100, Currency::Cny);
        assert_eq!(a.checked_add(Money::new(50, Currency::Cny)), Ok(Money::new(150, Currency::Cny)));
        assert_eq!(
            a.checked_add(Money::new(50, Currency::Usd)),
            Err(CurrencyMismatch { left: Currency::Cny, right: Currency::Usd })
        );
    }

    #[test]
    fn quantity_multiplication_rounds_half_away_from_zero() {
        let rate = Money::new(333, Currency::Usd);
        assert_eq!(rate.times_milli(1500), Money::new(500, Currency::Usd)); // 499.5 -> 500
        assert_eq!(rate.times_milli(1000), rate);
        assert_eq!(Money::new(-333, Currency::Usd).times_milli(1500).minor, -500);
    }

    #[test]
    fn typed_prices_honour_the_currencys_decimals() {
        assert_eq!(Money::parse("1,200.5", Currency::Cny), Ok(Money::new(120_050, Currency::Cny)));
        assert_eq!(Money::parse("0.07", Currency::Usd), Ok(Money::new(7, Currency::Usd)));
        assert_eq!(Money::parse("48,000", Currency::Krw), Ok(Money::new(48_000, Currency::Krw)));
        assert_eq!(Money::parse("480.5", Currency::Krw), Err(DecimalError::TooManyDecimals { allowed: 0 }));
        assert_eq!(Money::parse("9223372036854775808", Currency::Krw), Err(DecimalError::TooLarge));
        assert_eq!(Money::parse("", Currency::Eur), Err(DecimalError::Empty));
        for money in [Money::new(128_050, Currency::Cny), Money::new(5, Currency::Usd), Money::new(48_000, Currency::Krw)] {
            assert_eq!(Money::parse(&money.typed_form(), money.currency), Ok(money));
        }
        assert_eq!(Money::new(128_050, Currency::Cny).typed_form(), "1280.50");
    }

    #[test]
    fn currency_codes_round_trip() {
        for c in [Currency::Cny, Currency::Krw, Currency::Usd, Currency::Eur] {
            assert_eq!(Currency::from_code(c.code()), Some(c));
        }
        assert_eq!(Currency::from_code("XXX"), None);
    }
}
