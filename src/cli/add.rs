//! `dossier add [--dry-run] FILE`: a document added from the command line, as a moderator adds
//! one with `/document add` (the same checks, the same audit-free write, the same reindex), or
//! with `--dry-run` shown as it would be indexed, with nothing written.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::bot::command::{Attachment, Command, Request};
use crate::bot::render::text::printable;
use crate::corpus::document_edit::{Upload, prepare};
use crate::corpus::{Document, Metadata};

/// The `/document add` request for `file`, its bytes attached.
pub(super) fn request(file: &Path) -> Result<Request> {
    let (name, bytes) = read(file)?;
    Ok(Request::new(Command::AddDocument {
        file: Box::new(Attachment {
            size: bytes.len() as u64,
            file_name: name,
            url: String::new(),
            bytes: Some(bytes),
        }),
        meta: Box::new(Metadata::default()),
    }))
}

/// Prints `file` as it would be indexed, with every check `dossier add` makes; writes nothing.
pub(super) fn dry_run(file: &Path) -> Result<()> {
    let (name, bytes) = read(file)?;
    let upload = Upload {
        file_name: &name,
        bytes,
        meta: Metadata::default(),
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    print!("{}", shown(&prepare(dir, &upload)?.document));
    Ok(())
}

fn read(file: &Path) -> Result<(String, Vec<u8>)> {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{}: not a file name", file.display()))?
        .to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok((name, bytes))
}

/// The document as the index would hold it: what it is, its blocks by role, its events.
fn shown(d: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): {}",
        d.id,
        d.format.name(),
        printable(&d.title)
    );
    let fields = [
        ("author", &d.author),
        ("published", &d.published),
        ("url", &d.url),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            let _ = writeln!(out, "{name}: {}", printable(value));
        }
    }
    if !d.dropped.is_empty() {
        let _ = writeln!(out, "left out: {}", d.dropped.join(", "));
    }
    let _ = writeln!(
        out,
        "{} paragraphs, {} events\n",
        d.paragraphs.len(),
        d.events.len()
    );
    for p in &d.paragraphs {
        let _ = writeln!(
            out,
            "[{} {}] {}",
            p.number,
            p.role.as_str(),
            printable(&p.text)
        );
    }
    if !d.events.is_empty() {
        let _ = writeln!(out, "\nevents:");
    }
    for e in &d.events {
        let from = if e.from_published {
            " (said from the day of publication)"
        } else {
            ""
        };
        let _ = writeln!(out, "{}  {}{from}", e.date, printable(&e.text));
    }
    out
}
