-- One row per hidden hazard (隐患), its current state; every change is also a row of case_history.
CREATE TABLE cases (
    id                    uniqueidentifier NOT NULL CONSTRAINT pk_cases PRIMARY KEY NONCLUSTERED,
    code                  varchar(32) NOT NULL,
    status                varchar(16) NOT NULL CONSTRAINT ck_cases_status CHECK (status IN ('reported', 'rectifying', 'fixSubmitted', 'closed', 'rejected')),
    level                 varchar(8) NOT NULL CONSTRAINT ck_cases_level CHECK (level IN ('general', 'major')),
    sector                varchar(32) NOT NULL,
    origin                varchar(32) NOT NULL,
    title                 nvarchar(200) NOT NULL,
    description           nvarchar(4000) NOT NULL,
    standard_clause       nvarchar(400) NULL,
    unit_id               uniqueidentifier NULL CONSTRAINT fk_cases_unit REFERENCES units (id),
    grid_code             varchar(15) COLLATE Latin1_General_BIN2 NULL CONSTRAINT fk_cases_grid REFERENCES org_units (code),
    responsible_unit_id   uniqueidentifier NULL CONSTRAINT fk_cases_responsible_unit REFERENCES units (id),
    org_path              varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    district_code         varchar(6) NOT NULL,
    latitude              float NULL,
    longitude             float NULL,
    address               nvarchar(400) NULL,
    reported_by           nvarchar(64) NOT NULL,
    reported_by_role      varchar(20) NOT NULL,
    reported_at           datetimeoffset(7) NOT NULL,
    triage_deadline       datetimeoffset(7) NULL,
    assigned_by           nvarchar(64) NULL,
    assigned_by_role      varchar(20) NULL,
    assigned_at           datetimeoffset(7) NULL,
    deadline              datetimeoffset(7) NULL,
    plan_goals            nvarchar(4000) NULL,
    plan_measures         nvarchar(4000) NULL,
    plan_funds            nvarchar(4000) NULL,
    plan_people           nvarchar(4000) NULL,
    plan_time_limit       date NULL,
    plan_safety_measures  nvarchar(4000) NULL,
    plan_approved         bit NOT NULL CONSTRAINT df_cases_plan_approved DEFAULT 0,
    extension_until       date NULL,
    extension_reason      nvarchar(2000) NULL,
    extension_requested_by nvarchar(64) NULL,
    extension_requested_at datetimeoffset(7) NULL,
    extension_count       int NOT NULL CONSTRAINT df_cases_extension_count DEFAULT 0,
    fix_submitted_by      nvarchar(64) NULL,
    fix_submitted_at      datetimeoffset(7) NULL,
    verification_deadline datetimeoffset(7) NULL,
    closed_at             datetimeoffset(7) NULL,
    closed_by             nvarchar(64) NULL,
    fixed_on_spot         bit NOT NULL CONSTRAINT df_cases_fixed_on_spot DEFAULT 0,
    self_reported         bit NOT NULL CONSTRAINT df_cases_self_reported DEFAULT 0,
    penalty               varchar(12) NOT NULL CONSTRAINT ck_cases_penalty CHECK (penalty IN ('none', 'exempt', 'aggravated')),
    rework_count          int NOT NULL CONSTRAINT df_cases_rework_count DEFAULT 0,
    listed                bit NOT NULL CONSTRAINT df_cases_listed DEFAULT 0,
    fake_rectification    bit NOT NULL CONSTRAINT df_cases_fake DEFAULT 0,
    escalation_step       int NOT NULL CONSTRAINT df_cases_escalation_step DEFAULT 0,
    reject_reason         nvarchar(2000) NULL,
    duplicate_of          uniqueidentifier NULL CONSTRAINT fk_cases_duplicate_of REFERENCES cases (id),
    version               int NOT NULL,
    updated_at            datetimeoffset(7) NOT NULL
);

CREATE UNIQUE INDEX ux_cases_code ON cases (code);
CREATE CLUSTERED INDEX ix_cases_org_path ON cases (org_path, id);
CREATE INDEX ix_cases_status_deadline ON cases (status, deadline);
CREATE INDEX ix_cases_unit ON cases (unit_id, id);
CREATE INDEX ix_cases_responsible_unit ON cases (responsible_unit_id, id);

-- Append-only: a row per move, Hangfire-style (who, role, when, from, to, why, evidence).
CREATE TABLE case_history (
    case_id      uniqueidentifier NOT NULL CONSTRAINT fk_case_history_case REFERENCES cases (id),
    seq          int NOT NULL,
    action       varchar(24) NOT NULL,
    from_status  varchar(16) NULL,
    to_status    varchar(16) NOT NULL,
    actor_login  nvarchar(64) NOT NULL,
    actor_role   varchar(20) NOT NULL,
    at           datetimeoffset(7) NOT NULL,
    reason       nvarchar(2000) NULL,
    evidence_ids varchar(4000) NOT NULL,
    details      nvarchar(4000) NOT NULL,
    CONSTRAINT pk_case_history PRIMARY KEY (case_id, seq)
);

-- Case codes YH-<district>-<year>-<seq>: the counter moves inside the reporting transaction, so a
-- rolled-back report leaves no gap.
CREATE TABLE case_code_sequences (
    district_code varchar(6) NOT NULL,
    year          int NOT NULL,
    last_value    int NOT NULL,
    CONSTRAINT pk_case_code_sequences PRIMARY KEY (district_code, year)
);

-- Evidence files, stored by content under the attachments root; bound to a case when it is used.
CREATE TABLE attachments (
    id           uniqueidentifier NOT NULL CONSTRAINT pk_attachments PRIMARY KEY,
    sha256       char(64) NOT NULL,
    content_type varchar(64) NOT NULL,
    size_bytes   bigint NOT NULL,
    file_name    nvarchar(255) NOT NULL,
    case_id      uniqueidentifier NULL CONSTRAINT fk_attachments_case REFERENCES cases (id),
    uploaded_by  nvarchar(64) NOT NULL,
    uploaded_at  datetimeoffset(7) NOT NULL
);

CREATE INDEX ix_attachments_case ON attachments (case_id);
