-- The 快警快控快处 ladder: one notice per subject and step, numbered per district, year and step
-- without gaps, with the people it went to.
CREATE TABLE escalation_notices (
    id             uniqueidentifier NOT NULL CONSTRAINT pk_escalation_notices PRIMARY KEY NONCLUSTERED,
    subject_kind   varchar(16) NOT NULL CONSTRAINT ck_escalation_notices_kind CHECK (subject_kind IN ('fix', 'triage', 'verification', 'inspection')),
    subject_id     uniqueidentifier NOT NULL,
    subject_round  varchar(40) NOT NULL,
    step           int NOT NULL CONSTRAINT ck_escalation_notices_step CHECK (step BETWEEN 0 AND 4),
    case_id        uniqueidentifier NULL CONSTRAINT fk_escalation_notices_case REFERENCES cases (id),
    plan_id        uniqueidentifier NULL CONSTRAINT fk_escalation_notices_plan REFERENCES inspection_plans (id),
    unit_id        uniqueidentifier NULL CONSTRAINT fk_escalation_notices_unit REFERENCES units (id),
    org_path       varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    grid_code      varchar(15) NOT NULL,
    district_code  varchar(6) NOT NULL,
    letter_year    int NOT NULL,
    letter_seq     int NOT NULL,
    due_at         datetimeoffset(7) NULL,
    misses         int NULL,
    respond_by     datetimeoffset(7) NOT NULL,
    sweep_id       uniqueidentifier NOT NULL,
    created_at     datetimeoffset(7) NOT NULL
);

CREATE UNIQUE INDEX ux_escalation_notices_subject ON escalation_notices (subject_kind, subject_id, subject_round, step);
CREATE UNIQUE INDEX ux_escalation_notices_letter ON escalation_notices (district_code, letter_year, step, letter_seq);
CREATE CLUSTERED INDEX ix_escalation_notices_org_path ON escalation_notices (org_path, created_at);
CREATE INDEX ix_escalation_notices_sweep ON escalation_notices (sweep_id);
CREATE INDEX ix_escalation_notices_case ON escalation_notices (case_id, step);

CREATE TABLE letter_sequences (
    district_code varchar(6) NOT NULL,
    year          int NOT NULL,
    step          int NOT NULL,
    last_value    int NOT NULL,
    CONSTRAINT pk_letter_sequences PRIMARY KEY (district_code, year, step)
);

CREATE TABLE notice_recipients (
    notice_id uniqueidentifier NOT NULL CONSTRAINT fk_notice_recipients_notice REFERENCES escalation_notices (id),
    user_id   uniqueidentifier NOT NULL CONSTRAINT fk_notice_recipients_user REFERENCES users (id),
    CONSTRAINT pk_notice_recipients PRIMARY KEY (notice_id, user_id)
);

CREATE INDEX ix_notice_recipients_user ON notice_recipients (user_id);

-- Mail leaves through this table: written in the transaction that decided to send it, sent by the
-- dispatcher, retried with backoff, marked sent or, after the last attempt, failed.
CREATE TABLE mail_outbox (
    id              uniqueidentifier NOT NULL CONSTRAINT pk_mail_outbox PRIMARY KEY,
    message_id      varchar(200) NOT NULL,
    kind            varchar(32) NOT NULL,
    to_email        nvarchar(254) NOT NULL,
    to_name         nvarchar(100) NOT NULL,
    subject         nvarchar(400) NOT NULL,
    html_body       nvarchar(max) NOT NULL,
    text_body       nvarchar(max) NOT NULL,
    attachment_name nvarchar(200) NULL,
    attachment_type varchar(100) NULL,
    attachment      varbinary(max) NULL,
    status          varchar(8) NOT NULL CONSTRAINT ck_mail_outbox_status CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        int NOT NULL,
    next_attempt_at datetimeoffset(7) NOT NULL,
    claimed_until   datetimeoffset(7) NULL,
    last_error      nvarchar(2000) NULL,
    created_at      datetimeoffset(7) NOT NULL,
    sent_at         datetimeoffset(7) NULL
);

CREATE UNIQUE INDEX ux_mail_outbox_message_id ON mail_outbox (message_id);
CREATE INDEX ix_mail_outbox_due ON mail_outbox (status, next_attempt_at);

-- 挂牌督办 at district level, or city level for a major hazard; cleared when the case closes (摘牌).
ALTER TABLE cases ADD listed_level varchar(8) NULL CONSTRAINT ck_cases_listed_level CHECK (listed_level IN ('district', 'city'));
