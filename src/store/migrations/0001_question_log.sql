-- The question log and the votes on answers. One set of statements for SQLite and PostgreSQL:
-- integer ids made by the bot (they travel in button ids), times as Unix seconds.
CREATE TABLE questions (
    id BIGINT PRIMARY KEY,
    asked_at BIGINT NOT NULL,
    transport TEXT NOT NULL,
    guild_id BIGINT,
    channel_id BIGINT,
    user_hash TEXT NOT NULL,
    question TEXT NOT NULL,
    outcome TEXT NOT NULL,
    document TEXT,
    paragraph BIGINT,
    confidence DOUBLE PRECISION NOT NULL,
    generation BIGINT NOT NULL
);

CREATE INDEX questions_by_time ON questions (asked_at);

CREATE TABLE votes (
    question_id BIGINT NOT NULL,
    user_hash TEXT NOT NULL,
    vote BIGINT NOT NULL,
    reason TEXT,
    voted_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, user_hash)
);

-- The key of the user-id hash when DOSSIER_HASH_KEY is not set, made at first start.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
