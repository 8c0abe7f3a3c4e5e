//! The integration tests, one binary (as ripgrep's): each module a part of dossier, from the
//! outside — the real binary, the HTTP endpoint with signed requests, the serenity client
//! against a fake Discord on loopback, the question log on SQLite and PostgreSQL. One binary
//! links candle, tantivy, serenity and sqlx once instead of twelve times.

mod common;
mod fake_discord;

mod admin;
mod article;
mod cli;
mod feedback;
mod formats;
mod gateway;
mod generation;
mod hardening;
mod http;
mod ops;
mod pictures;
mod quality;
mod reliability;
