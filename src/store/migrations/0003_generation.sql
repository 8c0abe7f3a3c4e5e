-- The index generation every process serving this data should answer from: the data hash of
-- the latest reindex a moderator asked for, and when it was built. One row (id 1).
CREATE TABLE generation (
    id BIGINT PRIMARY KEY,
    data_hash TEXT NOT NULL,
    built_at BIGINT NOT NULL,
    announced_at BIGINT NOT NULL
);
