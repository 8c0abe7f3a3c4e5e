//! The store thread: connects, migrates, then writes logged questions in batches and runs the
//! jobs that wait for an answer (votes first). A failed write is counted as dropped rows and
//! the pool connects again on the next write, so a database that comes back is used again.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row};
use tokio::sync::mpsc;
use tracing::{info, warn};

use super::{Asked, Change, Figures, GENERATION_CHANNEL, Generation, Job, StoreError, Vote};

/// Log rows that may wait for the database; beyond that they are dropped.
pub const QUEUE: usize = 4096;
/// Rows written in one transaction at most.
const BATCH: usize = 256;

/// The migrations, in order, embedded in the binary.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "question log",
        include_str!("migrations/0001_question_log.sql"),
    ),
    (2, "audit", include_str!("migrations/0002_audit.sql")),
    (
        3,
        "generation",
        include_str!("migrations/0003_generation.sql"),
    ),
];

fn migrator() -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// `sqlite` or `postgres`, from the URL.
pub(super) fn backend(url: &str) -> &'static str {
    if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    }
}

pub(super) async fn connect(url: &str) -> Result<AnyPool, StoreError> {
    install_default_drivers();
    let sqlite = backend(url) == "sqlite";
    let pool = AnyPoolOptions::new()
        .max_connections(if sqlite { 1 } else { 4 })
        .acquire_timeout(Duration::from_secs(3))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    conn.execute("PRAGMA busy_timeout = 3000").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await?;
    if sqlite {
        pool.execute("PRAGMA journal_mode = WAL").await?;
    }
    migrator().run(&pool).await?;
    info!(backend = backend(url), "database ready");
    Ok(pool)
}

/// Serves until every [`super::Store`] is dropped.
pub(super) async fn serve(
    pool: AnyPool,
    mut log: mpsc::Receiver<Asked>,
    mut jobs: mpsc::Receiver<Job>,
    dropped: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        tokio::select! {
            biased;
            job = jobs.recv() => match job {
                Some(job) => run(&pool, job).await,
                None => break,
            },
            n = log.recv_many(&mut batch, BATCH) => {
                if n == 0 {
                    break;
                }
                if let Err(err) = write(&pool, &batch).await {
                    let total = dropped.fetch_add(batch.len() as u64, Ordering::Relaxed)
                        + batch.len() as u64;
                    warn!(error = %err, rows = batch.len(), dropped = total, "question log rows dropped");
                }
                batch.clear();
            }
        }
    }
    pool.close().await;
}

async fn write(pool: &AnyPool, rows: &[Asked]) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    for row in rows {
        sqlx::query(
            "INSERT INTO questions (id, asked_at, transport, guild_id, channel_id, user_hash, \
             question, outcome, document, paragraph, confidence, generation) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(row.id)
        .bind(row.at)
        .bind(row.transport)
        .bind(row.guild.map(|g| g as i64))
        .bind(row.channel.map(|c| c as i64))
        .bind(&row.user_hash)
        .bind(&row.question)
        .bind(row.outcome.name())
        .bind(row.hit.as_ref().map(|(d, _)| d.clone()))
        .bind(row.hit.as_ref().map(|(_, p)| i64::from(*p)))
        .bind(f64::from(row.confidence))
        .bind(row.generation)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn run(pool: &AnyPool, job: Job) {
    match job {
        Job::Vote(vote, reply) => {
            let _ = reply.send(store_vote(pool, &vote).await);
        }
        Job::Gaps(since, reply) => {
            let _ = reply.send(gaps(pool, since).await);
        }
        Job::Figures(since, reply) => {
            let _ = reply.send(figures(pool, since).await);
        }
        Job::Purge(before, reply) => {
            let _ = reply.send(purge(pool, before).await);
        }
        Job::Audit(change, reply) => {
            let _ = reply.send(audit(pool, &change).await);
        }
        Job::History(limit, reply) => {
            let _ = reply.send(history(pool, limit).await);
        }
        Job::OldHashKey(forget, reply) => {
            let _ = reply.send(old_hash_key(pool, forget).await);
        }
        Job::Announce(generation, reply) => {
            let _ = reply.send(announce(pool, &generation).await);
        }
        Job::Announced(reply) => {
            let _ = reply.send(announced(pool).await);
        }
        Job::Ping(reply) => {
            let pinged = sqlx::query("SELECT 1").execute(pool).await;
            let _ = reply.send(pinged.map(|_| ()).map_err(StoreError::from));
        }
    }
}

/// Stores a vote on a logged answer; `false` (nothing stored) when no answer of that id was
/// logged: a forged or expired button moves no figure.
async fn store_vote(pool: &AnyPool, vote: &Vote) -> Result<bool, StoreError> {
    // A reason given later (the 👎 form) keeps the vote and adds the reason; a new press
    // replaces both.
    let done = sqlx::query(
        "INSERT INTO votes (question_id, user_hash, vote, reason, voted_at) \
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM questions WHERE id = $1) \
         ON CONFLICT (question_id, user_hash) DO UPDATE SET \
         vote = excluded.vote, reason = excluded.reason, voted_at = excluded.voted_at",
    )
    .bind(vote.question)
    .bind(&vote.user_hash)
    .bind(if vote.helpful { 1_i64 } else { -1 })
    .bind(vote.reason.clone())
    .bind(vote.at)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

async fn gaps(pool: &AnyPool, since: i64) -> Result<Vec<super::gaps::Row>, StoreError> {
    let rows = sqlx::query(
        "SELECT q.question, q.outcome, q.asked_at, \
         (SELECT COUNT(*) FROM votes v WHERE v.question_id = q.id AND v.vote < 0) AS down, \
         (SELECT MAX(v.reason) FROM votes v WHERE v.question_id = q.id AND v.vote < 0) AS reason \
         FROM questions q WHERE q.asked_at >= $1 ORDER BY q.asked_at",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(super::gaps::Row {
                question: row.try_get(0)?,
                outcome: row.try_get(1)?,
                at: row.try_get(2)?,
                down_votes: u32::try_from(row.try_get::<i64, _>(3)?).unwrap_or(0),
                reason: row.try_get(4)?,
            })
        })
        .collect()
}

async fn figures(pool: &AnyPool, since: i64) -> Result<Figures, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END), 0) \
         FROM questions WHERE asked_at >= $1",
    )
    .bind(since)
    .fetch_one(pool)
    .await?;
    let votes = sqlx::query(
        "SELECT COALESCE(SUM(CASE WHEN vote > 0 THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN vote < 0 THEN 1 ELSE 0 END), 0) \
         FROM votes WHERE voted_at >= $1",
    )
    .bind(since)
    .fetch_one(pool)
    .await?;
    let count = |row: &sqlx::any::AnyRow, i: usize| -> Result<u64, StoreError> {
        Ok(u64::try_from(row.try_get::<i64, _>(i)?).unwrap_or(0))
    };
    Ok(Figures {
        questions: count(&row, 0)?,
        answered: count(&row, 1)?,
        up_votes: count(&votes, 0)?,
        down_votes: count(&votes, 1)?,
        dropped: 0,
    })
}

async fn purge(pool: &AnyPool, before: i64) -> Result<u64, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "DELETE FROM votes WHERE question_id IN (SELECT id FROM questions WHERE asked_at < $1)",
    )
    .bind(before)
    .execute(&mut *tx)
    .await?;
    let gone = sqlx::query("DELETE FROM questions WHERE asked_at < $1")
        .bind(before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone)
}

async fn old_hash_key(pool: &AnyPool, forget: bool) -> Result<Option<String>, StoreError> {
    if forget {
        sqlx::query("DELETE FROM secrets WHERE name = 'user-hash'")
            .execute(pool)
            .await?;
        return Ok(None);
    }
    let row = sqlx::query("SELECT value FROM secrets WHERE name = 'user-hash'")
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

async fn audit(pool: &AnyPool, change: &Change) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit (id, changed_at, user_hash, action, target, before_hash, after_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(super::new_id(&change.target))
    .bind(change.at)
    .bind(&change.user_hash)
    .bind(&change.action)
    .bind(&change.target)
    .bind(change.before.clone())
    .bind(change.after.clone())
    .execute(pool)
    .await?;
    Ok(())
}

async fn history(pool: &AnyPool, limit: i64) -> Result<Vec<Change>, StoreError> {
    let rows = sqlx::query(
        "SELECT changed_at, user_hash, action, target, before_hash, after_hash FROM audit \
         ORDER BY changed_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Change {
                at: row.try_get(0)?,
                user_hash: row.try_get(1)?,
                action: row.try_get(2)?,
                target: row.try_get(3)?,
                before: row.try_get(4)?,
                after: row.try_get(5)?,
            })
        })
        .collect()
}

/// Records `generation` as the one to serve and, on PostgreSQL, tells every listening process.
async fn announce(pool: &AnyPool, generation: &Generation) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO generation (id, data_hash, built_at, announced_at) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET data_hash = excluded.data_hash, \
         built_at = excluded.built_at, announced_at = excluded.announced_at",
    )
    .bind(&generation.data_hash)
    .bind(generation.built_at)
    .bind(super::now())
    .execute(pool)
    .await?;
    if pool
        .connect_options()
        .database_url
        .scheme()
        .starts_with("postgres")
    {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(GENERATION_CHANNEL)
            .bind(&generation.data_hash)
            .execute(pool)
            .await?;
    }
    Ok(())
}

async fn announced(pool: &AnyPool) -> Result<Option<Generation>, StoreError> {
    let row = sqlx::query("SELECT data_hash, built_at FROM generation WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(Generation {
            data_hash: row.try_get(0)?,
            built_at: row.try_get(1)?,
        })
    })
    .transpose()
}

/// Forwards every announcement on PostgreSQL's `LISTEN` channel to `tx`, reconnecting after a
/// lost connection; returns when nobody receives any more.
pub(super) async fn listen(url: &str, tx: std::sync::mpsc::Sender<()>) {
    loop {
        match sqlx::postgres::PgListener::connect(url).await {
            Ok(mut listener) => match listener.listen(GENERATION_CHANNEL).await {
                Ok(()) => {
                    // A check on (re)connecting catches what was announced meanwhile.
                    if tx.send(()).is_err() {
                        return;
                    }
                    while listener.recv().await.is_ok() {
                        if tx.send(()).is_err() {
                            return;
                        }
                    }
                }
                Err(err) => tracing::warn!(error = %err, "cannot listen for new generations"),
            },
            Err(err) => tracing::debug!(error = %err, "cannot connect to listen for generations"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
