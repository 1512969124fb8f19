-- The 快警快控快处 ladder: one notice per subject and step, numbered per district, year and step
-- without gaps, with the people it went to.
CREATE TABLE escalation_notices (
    id             TEXT NOT NULL PRIMARY KEY,
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('fix', 'triage', 'verification', 'inspection')),
    subject_id     TEXT NOT NULL,
    subject_round  TEXT NOT NULL,
    step           INTEGER NOT NULL CHECK (step BETWEEN 0 AND 4),
    case_id        TEXT NULL REFERENCES cases (id),
    plan_id        TEXT NULL REFERENCES inspection_plans (id),
    unit_id        TEXT NULL REFERENCES units (id),
    org_path       TEXT NOT NULL,
    grid_code      TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    letter_year    INTEGER NOT NULL,
    letter_seq     INTEGER NOT NULL,
    due_at         TEXT NULL,
    misses         INTEGER NULL,
    respond_by     TEXT NOT NULL,
    sweep_id       TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_escalation_notices_subject ON escalation_notices (subject_kind, subject_id, subject_round, step);
CREATE UNIQUE INDEX ux_escalation_notices_letter ON escalation_notices (district_code, letter_year, step, letter_seq);
CREATE INDEX ix_escalation_notices_org_path ON escalation_notices (org_path, created_at);
CREATE INDEX ix_escalation_notices_sweep ON escalation_notices (sweep_id);
CREATE INDEX ix_escalation_notices_case ON escalation_notices (case_id, step);

CREATE TABLE letter_sequences (
    district_code TEXT NOT NULL,
    year          INTEGER NOT NULL,
    step          INTEGER NOT NULL,
    last_value    INTEGER NOT NULL,
    PRIMARY KEY (district_code, year, step)
);

CREATE TABLE notice_recipients (
    notice_id TEXT NOT NULL REFERENCES escalation_notices (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (notice_id, user_id)
);

CREATE INDEX ix_notice_recipients_user ON notice_recipients (user_id);

-- Mail leaves through this table: written in the transaction that decided to send it, sent by the
-- dispatcher, retried with backoff, marked sent or, after the last attempt, failed.
CREATE TABLE mail_outbox (
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
    sent_at         TEXT NULL
);

CREATE UNIQUE INDEX ux_mail_outbox_message_id ON mail_outbox (message_id);
CREATE INDEX ix_mail_outbox_due ON mail_outbox (status, next_attempt_at);

-- 挂牌督办 at district level, or city level for a major hazard; cleared when the case closes (摘牌).
ALTER TABLE cases ADD COLUMN listed_level TEXT NULL CHECK (listed_level IN ('district', 'city'));
