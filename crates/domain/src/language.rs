//! The languages Lane speaks to customers in.

use serde::{Deserialize, Serialize};

/// A language of the user interface and of a customer's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
    #[serde(rename = "ko")]
    Korean,
}

impl Language {
    /// Every supported language, in the order the language switch shows them.
    pub const ALL: [Language; 3] = [Language::English, Language::SimplifiedChinese, Language::Korean];

    /// The BCP 47 tag, used for the `lang` attribute, storage and the API.
    pub const fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::SimplifiedChinese => "zh-CN",
            Language::Korean => "ko",
        }
    }

    /// The language's name in itself, so that a person who cannot read the current language
    /// still finds their own on the switch.
    pub const fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::SimplifiedChinese => "中文",
            Language::Korean => "한국어",
        }
    }

    /// Parses a tag, accepting the forms browsers report (`zh`, `zh-Hans-CN`, `ko-KR`, `en-GB`).
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::English),
            "zh" => Some(Language::SimplifiedChinese),
            "ko" => Some(Language::Korean),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for lang in Language::ALL {
            assert_eq!(Language::from_tag(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn browser_tags_map_to_the_language() {
        assert_eq!(Language::from_tag("zh-Hans-CN"), Some(Language::SimplifiedChinese));
        assert_eq!(Language::from_tag("ko_KR"), Some(Language::Korean));
        assert_eq!(Language::from_tag("EN-gb"), Some(Language::English));
        assert_eq!(Language::from_tag("fr"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn serde_uses_the_tag() {
        let json = serde_json::to_string(&Language::SimplifiedChinese).unwrap();
        assert_eq!(json, "\"zh-CN\"");
        assert_eq!(serde_json::from_str::<Language>("\"ko\"").unwrap(), Language::Korean);
    }
}
