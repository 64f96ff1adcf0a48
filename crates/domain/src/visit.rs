//! The visit (repair order) lifecycle: only the lane's real transitions are allowed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a visit stands, in the order of DOMAIN.md steps 2-11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitState {
    CheckedIn,
    WalkAroundDone,
    WrittenUpAndSigned,
    InWorkshop,
    QualityCheck,
    Ready,
    Delivered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTransition {
    pub from: VisitState,
    pub to: VisitState,
}

impl fmt::Display for InvalidTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "A visit that is {:?} cannot become {:?}", self.from, self.to)?;
        match self.from.next() {
            Some(next) => write!(f, "; the next step is {next:?}."),
            None => write!(f, "; it is finished."),
        }
    }
}

impl std::error::Error for InvalidTransition {}

impl VisitState {
    /// The step that follows in the normal course.
    pub const fn next(self) -> Option<VisitState> {
        use VisitState::*;
        match self {
            CheckedIn => Some(WalkAroundDone),
            WalkAroundDone => Some(WrittenUpAndSigned),
            WrittenUpAndSigned => Some(InWorkshop),
            InWorkshop => Some(QualityCheck),
            QualityCheck => Some(Ready),
            Ready => Some(Delivered),
            Delivered => None,
        }
    }

    /// The next step, or a failed quality check sending the car back to the workshop.
    pub fn can_become(self, to: VisitState) -> bool {
        self.next() == Some(to) || (self == VisitState::QualityCheck && to == VisitState::InWorkshop)
    }

    pub fn transition(self, to: VisitState) -> Result<VisitState, InvalidTransition> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(InvalidTransition { from: self, to })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::VisitState::*;
    use super::*;

    const ALL: [VisitState; 7] = [CheckedIn, WalkAroundDone, WrittenUpAndSigned, InWorkshop, QualityCheck, Ready, Delivered];

    #[test]
    fn the_normal_course_runs_from_check_in_to_delivery() {
        let mut state = CheckedIn;
        while let Some(next) = state.next() {
            state = state.transition(next).unwrap();
        }
        assert_eq!(state, Delivered);
    }

    #[test]
    fn only_real_transitions_are_allowed() {
        let allowed: Vec<(VisitState, VisitState)> =
            ALL.iter().flat_map(|&a| ALL.iter().map(move |&b| (a, b))).filter(|(a, b)| a.can_become(*b)).collect();
        assert_eq!(
            allowed,
            vec![
                (CheckedIn, WalkAroundDone),
                (WalkAroundDone, WrittenUpAndSigned),
                (WrittenUpAndSigned, InWorkshop),
                (InWorkshop, QualityCheck),
                (QualityCheck, InWorkshop),
                (QualityCheck, Ready),
                (Ready, Delivered),
            ]
        );
    }

    #[test]
    fn a_refusal_names_the_next_step() {
        let err = CheckedIn.transition(Delivered).unwrap_err();
        assert_eq!(err, InvalidTransition { from: CheckedIn, to: Delivered });
        assert_eq!(err.to_string(), "A visit that is CheckedIn cannot become Delivered; the next step is WalkAroundDone.");
        assert!(Delivered.transition(Ready).unwrap_err().to_string().ends_with("it is finished."));
    }
}
