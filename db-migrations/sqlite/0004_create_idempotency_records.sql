-- The first answer to a POST with an Idempotency-Key, written in the same transaction as its work.
CREATE TABLE idempotency_records (
    principal     TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status_code   INTEGER NOT NULL,
    content_type  TEXT NULL,
    location      TEXT NULL,
    etag          TEXT NULL,
    body          BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (principal, idem_key)
);

CREATE INDEX ix_idempotency_records_created ON idempotency_records (created_at);
