-- One row per hidden hazard (隐患), its current state; every change is also a row of case_history.
CREATE TABLE cases (
    id                    TEXT NOT NULL PRIMARY KEY,
    code                  TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('reported', 'rectifying', 'fixSubmitted', 'closed', 'rejected')),
    level                 TEXT NOT NULL CHECK (level IN ('general', 'major')),
    sector                TEXT NOT NULL,
    origin                TEXT NOT NULL,
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL,
    standard_clause       TEXT NULL,
    unit_id               TEXT NULL REFERENCES units (id),
    grid_code             TEXT NULL REFERENCES org_units (code),
    responsible_unit_id   TEXT NULL REFERENCES units (id),
    org_path              TEXT NOT NULL,
    district_code         TEXT NOT NULL,
    latitude              REAL NULL,
    longitude             REAL NULL,
    address               TEXT NULL,
    reported_by           TEXT NOT NULL,
    reported_by_role      TEXT NOT NULL,
    reported_at           TEXT NOT NULL,
    triage_deadline       TEXT NULL,
    assigned_by           TEXT NULL,
    assigned_by_role      TEXT NULL,
    assigned_at           TEXT NULL,
    deadline              TEXT NULL,
    plan_goals            TEXT NULL,
    plan_measures         TEXT NULL,
    plan_funds            TEXT NULL,
    plan_people           TEXT NULL,
    plan_time_limit       TEXT NULL,
    plan_safety_measures  TEXT NULL,
    plan_approved         INTEGER NOT NULL DEFAULT 0,
    extension_until       TEXT NULL,
    extension_reason      TEXT NULL,
    extension_requested_by TEXT NULL,
    extension_requested_at TEXT NULL,
    extension_count       INTEGER NOT NULL DEFAULT 0,
    fix_submitted_by      TEXT NULL,
    fix_submitted_at      TEXT NULL,
    verification_deadline TEXT NULL,
    closed_at             TEXT NULL,
    closed_by             TEXT NULL,
    fixed_on_spot         INTEGER NOT NULL DEFAULT 0,
    self_reported         INTEGER NOT NULL DEFAULT 0,
    penalty               TEXT NOT NULL CHECK (penalty IN ('none', 'exempt', 'aggravated')),
    rework_count          INTEGER NOT NULL DEFAULT 0,
    listed                INTEGER NOT NULL DEFAULT 0,
    fake_rectification    INTEGER NOT NULL DEFAULT 0,
    escalation_step       INTEGER NOT NULL DEFAULT 0,
    reject_reason         TEXT NULL,
    duplicate_of          TEXT NULL REFERENCES cases (id),
    version               INTEGER NOT NULL,
    updated_at            TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_cases_code ON cases (code);
CREATE INDEX ix_cases_org_path ON cases (org_path, id);
CREATE INDEX ix_cases_status_deadline ON cases (status, deadline);
CREATE INDEX ix_cases_unit ON cases (unit_id, id);
CREATE INDEX ix_cases_responsible_unit ON cases (responsible_unit_id, id);

-- Append-only: a row per move, Hangfire-style (who, role, when, from, to, why, evidence).
CREATE TABLE case_history (
    case_id      TEXT NOT NULL REFERENCES cases (id),
    seq          INTEGER NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT NULL,
    to_status    TEXT NOT NULL,
    actor_login  TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    at           TEXT NOT NULL,
    reason       TEXT NULL,
    evidence_ids TEXT NOT NULL,
    details      TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- Case codes YH-<district>-<year>-<seq>: the counter moves inside the reporting transaction, so a
-- rolled-back report leaves no gap.
CREATE TABLE case_code_sequences (
    district_code TEXT NOT NULL,
    year          INTEGER NOT NULL,
    last_value    INTEGER NOT NULL,
    PRIMARY KEY (district_code, year)
);

-- Evidence files, stored by content under the attachments root; bound to a case when it is used.
CREATE TABLE attachments (
    id           TEXT NOT NULL PRIMARY KEY,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    case_id      TEXT NULL REFERENCES cases (id),
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);

CREATE INDEX ix_attachments_case ON attachments (case_id);
