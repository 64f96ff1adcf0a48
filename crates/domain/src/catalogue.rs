//! What a dealership offers and who receives the customers: its advisors and its service types.

use crate::customer::PersonName;
use crate::ids::{AdvisorId, ServiceTypeId};
use crate::{Language, Money};
use serde::{Deserialize, Serialize};

/// A service advisor (服务顾问): receives the customer, writes the order, hands the car back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Advisor {
    pub id: AdvisorId,
    pub name: PersonName,
}

/// A service a customer can book (an oil service, a brake inspection, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceType {
    pub id: ServiceTypeId,
    /// The dealership's own short code, as it appears on its price list.
    pub code: String,
    pub names: LocalizedText,
    /// Workshop time the service takes, for capacity and the promised time.
    pub duration_minutes: u32,
    pub price: Money,
}

/// One text in every language Lane speaks, so a kiosk shows the catalogue in the customer's.
/// Keys on the wire are the language tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    pub ko: String,
}

impl LocalizedText {
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::English => &self.en,
            Language::SimplifiedChinese => &self.zh_cn,
            Language::Korean => &self.ko,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_text_uses_language_tags() {
        let text: LocalizedText = serde_json::from_str(r#"{"en":"Oil service","zh-CN":"机油保养","ko":"엔진오일 교환"}"#).unwrap();
        assert_eq!(text.get(Language::English), "Oil service");
        assert_eq!(text.get(Language::SimplifiedChinese), "机油保养");
        assert_eq!(text.get(Language::Korean), "엔진오일 교환");
        for lang in Language::ALL {
            assert!(serde_json::to_string(&text).unwrap().contains(&format!("\"{}\"", lang.tag())));
        }
    }
}
