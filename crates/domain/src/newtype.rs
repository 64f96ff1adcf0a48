//! The glue every validated string type shares, so that each module only says what is valid.

/// Declares `pub struct $name(String)` whose only way in is `$name::parse(&str) -> Result<$name,
/// $error>` (written by the module): JSON is checked by the same `parse` as typed input, because
/// serde goes through `TryFrom<String>`. Adds `as_str`, `Display` (the stored form) and the schema.
macro_rules! validated_string {
    ($(#[$meta:meta])* $name:ident, $error:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(value: String) -> Result<$name, $error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Free text as people type it: trimmed, at most `max_chars` characters (not bytes: Chinese and
/// Korean text is three bytes a character). The error is the trimmed length.
pub(crate) fn trimmed_within(input: &str, max_chars: usize) -> Result<String, usize> {
    let text = input.trim();
    let length = text.chars().count();
    if length > max_chars {
        Err(length)
    } else {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(trimmed_within("  刹车异响  ", 4), Ok("刹车异响".to_owned()));
        assert_eq!(trimmed_within("刹车异响有", 4), Err(5));
        assert_eq!(trimmed_within("   ", 4), Ok(String::new()));
    }
}
