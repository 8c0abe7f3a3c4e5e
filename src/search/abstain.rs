//! Refusal: the bot refuses when the learned answerability of a question is low (see
//! [`super::fusion`]); the reason it gives is the strongest evidence the doubts hold.

use serde::Serialize;

use super::fusion::Doubts;

/// Why the bot refused a question (`reason` in `ask --json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    /// A name the question gives occurs nowhere in the documents, or not in the passage
    /// closest to the question.
    UnknownName,
    /// What the question asks about ("how many *bombs*") occurs nowhere in the documents.
    UnknownSubject,
    /// The passages about the question lack the kind of answer asked for (a date, a person, a
    /// number).
    MissingKind,
    /// The passage about the question gives another date than the question does.
    Contradiction,
    /// No passage is close enough to the question.
    OffTopic,
}

impl Refusal {
    /// The strongest evidence among the doubts of a refused question.
    pub(super) fn of(d: &Doubts) -> Refusal {
        if d.unknown_name > 0.0 {
            Refusal::UnknownName
        } else if d.unknown_focus > 0.0 {
            Refusal::UnknownSubject
        } else if d.contradiction > 0.0 {
            Refusal::Contradiction
        } else if d.missing_kind > 0.0 || d.missing_date > 0.0 {
            Refusal::MissingKind
        } else if d.names_all == 0.0 {
            Refusal::UnknownName
        } else {
            Refusal::OffTopic
        }
    }

    /// The sentence users read.
    pub fn describe(self) -> &'static str {
        match self {
            Refusal::UnknownName => "a name in the question is not in the documents",
            Refusal::UnknownSubject => "the documents never mention what is asked about",
            Refusal::MissingKind => "the passages about it lack the kind of answer asked for",
            Refusal::Contradiction => "the passages about it give other dates than the question",
            Refusal::OffTopic => "no passage is about the question",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_the_strongest_evidence() {
        let clear = Doubts {
            bias: 1.0,
            names_all: 1.0,
            ..Doubts::default()
        };
        let table = [
            ("nothing against", clear, Refusal::OffTopic),
            (
                "unknown name first",
                Doubts {
                    unknown_name: 1.0,
                    missing_kind: 1.0,
                    ..clear
                },
                Refusal::UnknownName,
            ),
            (
                "unknown subject",
                Doubts {
                    unknown_focus: 1.0,
                    ..clear
                },
                Refusal::UnknownSubject,
            ),
            (
                "another date",
                Doubts {
                    contradiction: 1.0,
                    missing_kind: 1.0,
                    ..clear
                },
                Refusal::Contradiction,
            ),
            (
                "no date",
                Doubts {
                    missing_kind: 1.0,
                    ..clear
                },
                Refusal::MissingKind,
            ),
            (
                "a name missing from the passage",
                Doubts {
                    names_all: 0.0,
                    ..clear
                },
                Refusal::UnknownName,
            ),
        ];
        for (label, d, expected) in table {
            assert_eq!(Refusal::of(&d), expected, "{label}");
        }
        let json = serde_json::to_string(&Refusal::MissingKind).unwrap();
        assert_eq!(json, "\"missing-kind\"");
    }
}
