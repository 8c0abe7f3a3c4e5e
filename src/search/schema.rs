//! The tantivy schema: one index holds paragraphs (with captions, headings, title and byline),
//! events, and one `info` record describing the build.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

/// Bumped whenever the schema or the way documents are read changes; an index built by another
/// version is rebuilt at start.
pub const SCHEMA_VERSION: u32 = 3;

/// Tokenizer of the searchable text: words, lower-cased, English stems.
pub const STEMMED: &str = "en_stem";
/// Tokenizer of the vocabulary field: words, lower-cased, as written (for "did you mean").
pub const WORDS: &str = "default";

pub const KIND_PARAGRAPH: &str = "paragraph";
pub const KIND_EVENT: &str = "event";
pub const KIND_INFO: &str = "info";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `paragraph`, `event` or `info`.
    pub kind: Field,
    /// The [`crate::corpus::Role`] of a paragraph.
    pub role: Field,
    /// Document id (file stem).
    pub doc: Field,
    pub doc_title: Field,
    pub doc_author: Field,
    pub paragraph: Field,
    pub heading: Field,
    /// The passage (paragraph) or the clause (event), as written.
    pub text: Field,
    /// The same words as written, for the vocabulary.
    pub words: Field,
    /// Words describing what a block is ("author", "title", "caption"), searchable only.
    pub meta: Field,
    /// Paragraphs: the sentences and their dates, JSON.
    pub sentences: Field,
    /// Events: the whole sentence of the clause.
    pub sentence: Field,
    /// Events: EDTF date.
    pub date: Field,
    pub date_lo: Field,
    pub date_hi: Field,
    /// The `info` record: JSON of [`super::BuildInfo`].
    pub info: Field,
    /// Paragraphs: the paragraph's and its sentences' vectors ([`super::dense::Vectors`]).
    pub vectors: Field,
    /// Paragraphs: the key their vectors are reused by ([`super::dense::text_key`]).
    pub text_key: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stemmed = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(STEMMED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::Basic),
    );
    let number = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        role: b.add_text_field("role", STRING | STORED),
        doc: b.add_text_field("doc", STRING | STORED),
        doc_title: b.add_text_field("doc_title", STORED),
        doc_author: b.add_text_field("doc_author", STORED),
        paragraph: b.add_u64_field("paragraph", number.clone()),
        heading: b.add_text_field("heading", stemmed(true)),
        text: b.add_text_field("text", stemmed(true)),
        words: b.add_text_field("words", words),
        meta: b.add_text_field("meta", stemmed(false)),
        sentences: b.add_text_field("sentences", STORED),
        sentence: b.add_text_field("sentence", STORED),
        date: b.add_text_field("date", STORED),
        date_lo: b.add_i64_field("date_lo", number.clone()),
        date_hi: b.add_i64_field("date_hi", number),
        info: b.add_text_field("info", STORED),
        vectors: b.add_bytes_field("vectors", STORED),
        text_key: b.add_text_field("text_key", STORED),
    };
    (b.build(), fields)
}
