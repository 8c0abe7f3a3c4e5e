//! `/timeline [from: …] [to: …] [topic: …]` — dated events in order, with a picture.

use super::{Given, Kind, Opt, Slash};
use crate::bot::command::{Command, DATE_MAX, TOPIC_MAX, UsageError, date_option};

pub const TIMELINE: Slash = Slash {
    name: "timeline",
    description: "Dated events in order",
    options: &[
        Opt::text(
            "from",
            "Earliest date: 2014, June 2014, 2014-06-15",
            DATE_MAX,
        ),
        Opt::text("to", "Latest date: 2015, June 2015, 2015-06-15", DATE_MAX),
        Opt {
            name: "topic",
            description: "Only events about a person, place or subject",
            kind: Kind::Text {
                max: TOPIC_MAX,
                autocomplete: true,
            },
            required: false,
            registered: true,
        },
        Opt::HIDE,
    ],
    actions: &[],
    moderation: false,
    help: "/timeline [from: 2014] [to: June 2015] [topic: …] — dated events in order, with a picture\n\
           e.g. /timeline from: 2014 to: 2016",
    build,
};

fn build(given: &Given) -> Result<Command, UsageError> {
    Ok(Command::Timeline {
        from: date_option("from", given.text("from")?)?,
        to: date_option("to", given.text("to")?)?,
        topic: given.text("topic")?.unwrap_or_default().trim().to_string(),
        offset: 0,
    })
}
