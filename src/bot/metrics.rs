//! What `GET /metrics` shows, in the Prometheus text format (prometheus-client): requests by
//! command and outcome, answer latency, abstentions, cooldown refusals, reindexes and their
//! duration, the index generation served, gateway shard latency and dropped log rows.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::command::Command;
use super::reply::{Body, Notice, Reply};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    command: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ShardLabels {
    shard: u32,
}

/// The bot's metrics; one per process, shared by every transport.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    answer_seconds: Histogram,
    abstentions: Counter,
    cooldowns: Counter,
    reindexes: Counter,
    reindex_seconds: Histogram,
    generation: Gauge,
    shard_latency: Family<ShardLabels, Gauge<f64, AtomicU64>>,
    shards_connected: Gauge,
    dropped: Gauge,
    /// Gateway shards this process runs (0 when it runs none) and how many are connected.
    shards: (AtomicU32, AtomicU32),
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("dossier");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "Requests by command and outcome",
            requests.clone(),
        );
        // 1 ms to about 8 s: a repeated question is answered in microseconds, a new one in
        // tens of milliseconds.
        let answer_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        registry.register(
            "answer_seconds",
            "Time to answer a question, question encoding included",
            answer_seconds.clone(),
        );
        let abstentions = Counter::default();
        registry.register(
            "abstentions",
            "Questions answered with \"the article does not answer that\"",
            abstentions.clone(),
        );
        let cooldowns = Counter::default();
        registry.register(
            "cooldown_refusals",
            "Requests refused by the per-user cooldown",
            cooldowns.clone(),
        );
        let reindexes = Counter::default();
        registry.register("reindexes", "Index rebuilds", reindexes.clone());
        let reindex_seconds = Histogram::new(exponential_buckets(0.01, 2.0, 14));
        registry.register(
            "reindex_seconds",
            "Time to rebuild the index",
            reindex_seconds.clone(),
        );
        let generation = Gauge::default();
        registry.register(
            "index_generation",
            "The index generation served: when it was built, in Unix seconds",
            generation.clone(),
        );
        let shard_latency = Family::<ShardLabels, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "gateway_shard_latency_seconds",
            "Heartbeat latency of each gateway shard",
            shard_latency.clone(),
        );
        let shards_connected = Gauge::default();
        registry.register(
            "gateway_shards_connected",
            "Gateway shards of this process that are connected",
            shards_connected.clone(),
        );
        let dropped = Gauge::default();
        registry.register(
            "dropped_log_rows",
            "Question-log rows dropped since start (queue full or database failing)",
            dropped.clone(),
        );
        Metrics {
            registry,
            requests,
            answer_seconds,
            abstentions,
            cooldowns,
            reindexes,
            reindex_seconds,
            generation,
            shard_latency,
            shards_connected,
            dropped,
            shards: (AtomicU32::new(0), AtomicU32::new(0)),
        }
    }
}

impl Metrics {
    /// A request that ran: its outcome from the reply; `elapsed` when it was timed alone (a
    /// question of a batch is not).
    pub fn observe(&self, command: &Command, reply: &Reply, elapsed: Option<Duration>) {
        let outcome = match &reply.body {
            Body::Answer(answer, _) if answer.hits.is_empty() => {
                self.abstentions.inc();
                "abstained"
            }
            Body::Answer(answer, _) if answer.unsure() => "unsure",
            Body::Answer(..) => "answered",
            Body::Notice(Notice::Error, _) => "error",
            Body::Notice(Notice::Refused, _) => "refused",
            Body::Notice(Notice::Cooldown, _) => "cooldown",
            Body::Reindexed(_) => {
                self.reindexes.inc();
                if let Some(elapsed) = elapsed {
                    self.reindex_seconds.observe(elapsed.as_secs_f64());
                }
                "ok"
            }
            _ => "ok",
        };
        if let (Body::Answer(..), Some(elapsed)) = (&reply.body, elapsed) {
            self.answer_seconds.observe(elapsed.as_secs_f64());
        }
        self.count(command, outcome);
    }

    /// A request refused before it ran: by the cooldown, or as not a moderator's.
    pub fn refused(&self, command: &Command, cooldown: bool) {
        if cooldown {
            self.cooldowns.inc();
        }
        self.count(command, if cooldown { "cooldown" } else { "refused" });
    }

    fn count(&self, command: &Command, outcome: &str) {
        self.requests
            .get_or_create(&RequestLabels {
                command: command.name().to_string(),
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// Gateway mode: this process runs `total` shards, none connected yet.
    pub fn expect_shards(&self, total: u32) {
        self.shards.0.store(total, Ordering::Relaxed);
    }

    /// The gateway shards of this process as serenity's runners see them: (id, connected,
    /// heartbeat latency once known). Shards not started yet still count as expected.
    pub fn shards(&self, shards: &[(u32, bool, Option<Duration>)]) {
        let connected = shards.iter().filter(|(_, c, _)| *c).count() as u32;
        self.shards
            .0
            .fetch_max(shards.len() as u32, Ordering::Relaxed);
        self.shards.1.store(connected, Ordering::Relaxed);
        self.shards_connected.set(i64::from(connected));
        for (shard, _, latency) in shards {
            if let Some(latency) = latency {
                self.shard_latency
                    .get_or_create(&ShardLabels { shard: *shard })
                    .set(latency.as_secs_f64());
            }
        }
    }

    /// (shards run, shards connected); (0, 0) outside gateway mode.
    pub fn shard_counts(&self) -> (u32, u32) {
        (
            self.shards.0.load(Ordering::Relaxed),
            self.shards.1.load(Ordering::Relaxed),
        )
    }

    /// The text format, with the generation and the dropped rows as of now.
    pub fn encode(&self, generation: u64, dropped: u64) -> String {
        self.generation
            .set(i64::try_from(generation).unwrap_or(i64::MAX));
        self.dropped.set(i64::try_from(dropped).unwrap_or(i64::MAX));
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

/// The `Content-Type` of [`Metrics::encode`].
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;
