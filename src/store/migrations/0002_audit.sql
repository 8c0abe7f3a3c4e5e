-- What moderators changed from Discord: who (hashed), when, what, and the data's hash before
-- and after.
CREATE TABLE audit (
    id BIGINT PRIMARY KEY,
    changed_at BIGINT NOT NULL,
    user_hash TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before_hash TEXT,
    after_hash TEXT
);

CREATE INDEX audit_by_time ON audit (changed_at);
