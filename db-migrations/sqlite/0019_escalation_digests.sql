-- The outbox holds mail of any kind; which sweep's digest a mail is, and whose, belongs to the escalations
-- feature: one row per digest mail, one digest per recipient per sweep.
-- SQLite cannot drop a column that has a REFERENCES clause or an index, so mail_outbox is rebuilt without the
-- digest columns (https://www.sqlite.org/lang_altertable.html#otheralter): new table, copy, drop, rename, and its
-- indexes as 0007 made them. No table references mail_outbox before this script, so the drop and the rename
-- are the same with foreign keys on or off; the digest rows wait in a temporary table meanwhile.
CREATE TEMP TABLE digests_moving AS
SELECT id AS mail_id, digest_sweep_id AS sweep_id, digest_user_id AS user_id
FROM mail_outbox
WHERE digest_sweep_id IS NOT NULL AND digest_user_id IS NOT NULL;

CREATE TABLE mail_outbox_rebuilt (
    id              TEXT NOT NULL PRIMARY KEY,
    message_id      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    to_email        TEXT NOT NULL,
    to_name         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    attachment_name TEXT NULL,
    attachment_type TEXT NULL,
    attachment      BLOB NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT NULL,
    last_error      TEXT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT NULL,
    render          TEXT NULL
);

INSERT INTO mail_outbox_rebuilt (id, message_id, kind, to_email, to_name, subject, html_body, text_body, attachment_name, attachment_type,
                                 attachment, status, attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at, render)
SELECT id, message_id, kind, to_email, to_name, subject, html_body, text_body, attachment_name, attachment_type,
       attachment, status, attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at, render
FROM mail_outbox;

DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_rebuilt RENAME TO mail_outbox;

CREATE UNIQUE INDEX ux_mail_outbox_message_id ON mail_outbox (message_id);
CREATE INDEX ix_mail_outbox_due ON mail_outbox (status, next_attempt_at);

CREATE TABLE escalation_digests (
    mail_id  TEXT NOT NULL PRIMARY KEY REFERENCES mail_outbox (id),
    sweep_id TEXT NOT NULL,
    user_id  TEXT NOT NULL REFERENCES users (id),
    UNIQUE (sweep_id, user_id)
);

INSERT INTO escalation_digests (mail_id, sweep_id, user_id)
SELECT mail_id, sweep_id, user_id FROM digests_moving;

DROP TABLE digests_moving;
