//! dossier answers questions about articles: the passage that answers, the sentence that
//! matters, and the dates of the events involved.
//!
//! ```text
//! data/ ──corpus::load──▶ Corpus (documents → paragraphs, sentences, dates, events)
//!        ──search::Engine::reindex──▶ tantivy index in index/
//! question ──search::Engine::ask──▶ Answer (hits with answer sentence and dates)
//! ```
//!
//! - [`corpus`]: reading the data directory as a reader does; dates as EDTF; events.
//! - [`search`]: the tantivy index, building and swapping it, and answering.
//! - [`store`]: the question log and votes, in SQLite or PostgreSQL.
//! - [`bot`]: the command model, its renderers, and the transports (gateway, HTTP, console).
//! - [`cli`]: the command line; [`config`]: the run's configuration, read once.
//!
//! The search core imports neither serenity nor tokio.

pub mod bot;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod search;
pub mod store;
