//! The walk-around (环车检查, DOMAIN.md step 4): existing damage marked on the car's panels, the
//! checklist, the warning lights on the dash, the customer's belongings and the key tag.

use crate::ids::{DamageMarkId, PhotoId};
use crate::newtype::trimmed_within;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The drawings of the car the tablet shows; every zone is on exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CarView {
    Top,
    Front,
    Rear,
    Left,
    Right,
    Interior,
}

/// A panel or part damage can be marked on. Left and right are the driver's, seated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Zone {
    Bonnet,
    Roof,
    /// The boot lid or tailgate.
    Boot,
    FrontBumper,
    Grille,
    Windscreen,
    LeftHeadlight,
    RightHeadlight,
    RearBumper,
    RearWindow,
    LeftTailLight,
    RightTailLight,
    LeftFrontWing,
    LeftFrontDoor,
    LeftRearDoor,
    LeftRearWing,
    LeftSill,
    LeftMirror,
    LeftFrontWheel,
    LeftRearWheel,
    RightFrontWing,
    RightFrontDoor,
    RightRearDoor,
    RightRearWing,
    RightSill,
    RightMirror,
    RightFrontWheel,
    RightRearWheel,
    Dashboard,
    SteeringWheel,
    Seats,
    Carpets,
    Headliner,
    DoorTrims,
}

impl Zone {
    /// The drawing the zone is marked on.
    pub const fn view(self) -> CarView {
        use Zone::*;
        match self {
            Bonnet | Roof | Boot => CarView::Top,
            FrontBumper | Grille | Windscreen | LeftHeadlight | RightHeadlight => CarView::Front,
            RearBumper | RearWindow | LeftTailLight | RightTailLight => CarView::Rear,
            LeftFrontWing | LeftFrontDoor | LeftRearDoor | LeftRearWing | LeftSill | LeftMirror | LeftFrontWheel
            | LeftRearWheel => CarView::Left,
            RightFrontWing | RightFrontDoor | RightRearDoor | RightRearWing | RightSill | RightMirror | RightFrontWheel
            | RightRearWheel => CarView::Right,
            Dashboard | SteeringWheel | Seats | Carpets | Headliner | DoorTrims => CarView::Interior,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DamageKind {
    Scratch,
    Dent,
    Chip,
    Crack,
    Missing,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Severity {
    Minor,
    Moderate,
    Severe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkaroundError {
    NoteTooLong { length: usize },
    KeyTagWrongLength { length: usize },
    KeyTagInvalidCharacter { character: char },
    DuplicateMark,
    ChecklistItemTwice { item: ChecklistItem },
    WarningLightTwice { light: WarningLight },
    BelongingEmpty,
    BelongingTooLong { length: usize },
    TooManyBelongings { count: usize },
}

impl fmt::Display for WalkaroundError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalkaroundError::NoteTooLong { length } => {
                write!(f, "A note has at most {MAX_NOTE} characters; this one has {length}.")
            }
            WalkaroundError::KeyTagWrongLength { length } => {
                write!(f, "A key tag has 1 to {MAX_KEY_TAG} letters or digits; this one has {length}.")
            }
            WalkaroundError::KeyTagInvalidCharacter { character } => {
                write!(f, "A key tag has letters and digits only; '{character}' is not one.")
            }
            WalkaroundError::DuplicateMark => write!(f, "The same damage mark is on the sheet twice."),
            WalkaroundError::ChecklistItemTwice { item } => write!(f, "The checklist has {item:?} twice; keep one."),
            WalkaroundError::WarningLightTwice { light } => write!(f, "The warning light {light:?} is listed twice."),
            WalkaroundError::BelongingEmpty => write!(f, "An item left in the car needs a description."),
            WalkaroundError::BelongingTooLong { length } => {
                write!(f, "Describe an item in at most {MAX_BELONGING} characters; this is {length}.")
            }
            WalkaroundError::TooManyBelongings { count } => {
                write!(f, "List at most {MAX_BELONGINGS} items left in the car; this is {count}. Group small ones.")
            }
        }
    }
}

impl std::error::Error for WalkaroundError {}

const MAX_NOTE: usize = 500;
const MAX_KEY_TAG: usize = 8;
const MAX_BELONGING: usize = 100;
const MAX_BELONGINGS: usize = 50;

validated_string!(
    /// The advisor's note on a mark or a checklist item: trimmed, at most 500 characters.
    Note,
    WalkaroundError
);

impl Note {
    pub fn parse(input: &str) -> Result<Note, WalkaroundError> {
        trimmed_within(input, MAX_NOTE).map(Note).map_err(|length| WalkaroundError::NoteTooLong { length })
    }
}

/// One piece of existing damage, marked with the customer before work is agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DamageMark {
    pub id: DamageMarkId,
    pub zone: Zone,
    pub kind: DamageKind,
    pub severity: Severity,
    pub note: Note,
    pub photos: Vec<PhotoId>,
}

/// The checks of the client's walk-around, in the order the advisor walks (DOMAIN.md step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChecklistItem {
    Tyres,
    FrontLights,
    Wipers,
    Fluids,
    Belts,
    Hoses,
    Battery,
    /// The boot: spare wheel, tools, warning triangle.
    Boot,
    TailLights,
    /// Only when the car is lifted.
    Underbody,
    InteriorTrim,
    Controls,
    InstrumentPanel,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 13] = {
        use ChecklistItem::*;
        [Tyres, FrontLights, Wipers, Fluids, Belts, Hoses, Battery, Boot, TailLights, Underbody, InteriorTrim, Controls, InstrumentPanel]
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CheckOutcome {
    Ok,
    /// Worth telling the customer about (a possible added job).
    Attention,
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistResult {
    pub item: ChecklistItem,
    pub outcome: CheckOutcome,
    pub note: Note,
}

/// A dashboard warning light lit at drop-off (ISO 2575 symbols), recorded so that no one later
/// thinks the workshop caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WarningLight {
    CheckEngine,
    OilPressure,
    Battery,
    Brake,
    Abs,
    Airbag,
    TyrePressure,
    CoolantTemperature,
    Esp,
    PowerSteering,
    Seatbelt,
    GlowPlug,
    ParticulateFilter,
    LowFuel,
    ServiceDue,
    Other,
}

/// Items left in the car (随车物品清单), and whether the customer was reminded to take their
/// valuables (贵重物品提醒): the customer signs this list with the order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Belongings {
    pub items: Vec<String>,
    pub valuables_reminder_confirmed: bool,
}

impl Belongings {
    /// Items are described (1 to 100 characters after trimming), at most 50 of them.
    pub fn check(&self) -> Result<(), WalkaroundError> {
        if self.items.len() > MAX_BELONGINGS {
            return Err(WalkaroundError::TooManyBelongings { count: self.items.len() });
        }
        for item in &self.items {
            match trimmed_within(item, MAX_BELONGING) {
                Ok(text) if text.is_empty() => return Err(WalkaroundError::BelongingEmpty),
                Ok(_) => {}
                Err(length) => return Err(WalkaroundError::BelongingTooLong { length }),
            }
        }
        Ok(())
    }
}

validated_string!(
    /// The number on the key's tag, matching its hook in the key cabinet: 1 to 8 letters or digits,
    /// upper case.
    KeyTag,
    WalkaroundError
);

impl KeyTag {
    pub fn parse(input: &str) -> Result<KeyTag, WalkaroundError> {
        let tag = input.trim().to_ascii_uppercase();
        if let Some(character) = tag.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(WalkaroundError::KeyTagInvalidCharacter { character });
        }
        if !(1..=MAX_KEY_TAG).contains(&tag.len()) {
            return Err(WalkaroundError::KeyTagWrongLength { length: tag.len() });
        }
        Ok(KeyTag(tag))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Walkaround {
    pub marks: Vec<DamageMark>,
    pub checklist: Vec<ChecklistResult>,
    pub warning_lights: Vec<WarningLight>,
}

/// The first element that equals an earlier one.
fn first_repeat<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Option<T> {
    let mut seen = Vec::new();
    for item in items {
        if seen.contains(&item) {
            return Some(item);
        }
        seen.push(item);
    }
    None
}

impl Walkaround {
    /// A sheet lists each mark, checklist item and warning light once: two entries for one thing
    /// would be two answers to one question.
    pub fn check(&self) -> Result<(), WalkaroundError> {
        if first_repeat(self.marks.iter().map(|m| &m.id)).is_some() {
            return Err(WalkaroundError::DuplicateMark);
        }
        if let Some(item) = first_repeat(self.checklist.iter().map(|c| c.item)) {
            return Err(WalkaroundError::ChecklistItemTwice { item });
        }
        if let Some(light) = first_repeat(self.warning_lights.iter().copied()) {
            return Err(WalkaroundError::WarningLightTwice { light });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_sit_on_their_view() {
        assert_eq!(Zone::Bonnet.view(), CarView::Top);
        assert_eq!(Zone::Windscreen.view(), CarView::Front);
        assert_eq!(Zone::RearBumper.view(), CarView::Rear);
        assert_eq!(Zone::LeftMirror.view(), CarView::Left);
        assert_eq!(Zone::RightRearWheel.view(), CarView::Right);
        assert_eq!(Zone::Headliner.view(), CarView::Interior);
        assert_eq!(serde_json::to_string(&Zone::LeftFrontWing).unwrap(), "\"left_front_wing\"");
    }

    #[test]
    fn key_tags_are_short_and_plain() {
        assert_eq!(KeyTag::parse(" a17 ").unwrap().as_str(), "A17");
        assert_eq!(KeyTag::parse(""), Err(WalkaroundError::KeyTagWrongLength { length: 0 }));
        assert_eq!(KeyTag::parse("123456789"), Err(WalkaroundError::KeyTagWrongLength { length: 9 }));
        assert_eq!(KeyTag::parse("A-1"), Err(WalkaroundError::KeyTagInvalidCharacter { character: '-' }));
        assert_eq!(KeyTag::parse("一"), Err(WalkaroundError::KeyTagInvalidCharacter { character: '一' }));
    }

    #[test]
    fn notes_are_bounded() {
        assert!(Note::parse(&"划".repeat(500)).is_ok());
        assert_eq!(Note::parse(&"划".repeat(501)), Err(WalkaroundError::NoteTooLong { length: 501 }));
        assert!(serde_json::from_str::<Note>(&format!("\"{}\"", "x".repeat(501))).is_err());
    }

    #[test]
    fn belongings_are_described() {
        let mut belongings = Belongings { items: vec!["child seat".into(), "umbrella".into()], valuables_reminder_confirmed: true };
        assert_eq!(belongings.check(), Ok(()));
        belongings.items.push("  ".into());
        assert_eq!(belongings.check(), Err(WalkaroundError::BelongingEmpty));
        belongings.items = vec!["x".repeat(101)];
        assert_eq!(belongings.check(), Err(WalkaroundError::BelongingTooLong { length: 101 }));
        belongings.items = vec!["x".into(); 51];
        assert_eq!(belongings.check(), Err(WalkaroundError::TooManyBelongings { count: 51 }));
    }

    fn mark(id: &str) -> DamageMark {
        DamageMark {
            id: DamageMarkId::parse(id).unwrap(),
            zone: Zone::LeftFrontDoor,
            kind: DamageKind::Scratch,
            severity: Severity::Minor,
            note: Note::parse("10 cm, below the handle").unwrap(),
            photos: vec![PhotoId::parse("ph-1").unwrap()],
        }
    }

    #[test]
    fn a_sheet_lists_each_thing_once() {
        let ok = |item| ChecklistResult { item, outcome: CheckOutcome::Ok, note: Note::parse("").unwrap() };
        let mut sheet = Walkaround {
            marks: vec![mark("m-1"), mark("m-2")],
            checklist: ChecklistItem::ALL.map(ok).to_vec(),
            warning_lights: vec![WarningLight::TyrePressure],
        };
        assert_eq!(sheet.check(), Ok(()));
        sheet.warning_lights.push(WarningLight::TyrePressure);
        assert_eq!(sheet.check(), Err(WalkaroundError::WarningLightTwice { light: WarningLight::TyrePressure }));
        sheet.checklist.push(ok(ChecklistItem::Fluids));
        assert_eq!(sheet.check(), Err(WalkaroundError::ChecklistItemTwice { item: ChecklistItem::Fluids }));
        sheet.marks.push(mark("m-1"));
        assert_eq!(sheet.check(), Err(WalkaroundError::DuplicateMark));
    }

    #[test]
    fn the_checklist_covers_each_item_once() {
        assert_eq!(first_repeat(ChecklistItem::ALL), None);
    }
}
