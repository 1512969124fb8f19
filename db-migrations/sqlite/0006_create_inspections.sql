-- The 日周月 inspection cadence: plans with one slot per period, records that fill a slot, and the
-- slots found empty after their period (plus grace) ended.
CREATE TABLE inspection_plans (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    unit_id     TEXT NULL REFERENCES units (id),
    grid_code   TEXT NULL REFERENCES org_units (code),
    org_path    TEXT NOT NULL,
    cadence     TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    level       TEXT NOT NULL CHECK (level IN ('team', 'workshop', 'enterprise', 'principal', 'gridPatrol')),
    checklist   TEXT NOT NULL,
    active_from TEXT NOT NULL,
    active_to   TEXT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    CHECK ((unit_id IS NULL) <> (grid_code IS NULL))
);

CREATE INDEX ix_inspection_plans_org_path ON inspection_plans (org_path, id);
CREATE INDEX ix_inspection_plans_cadence ON inspection_plans (cadence, active_from);

CREATE TABLE inspection_records (
    id            TEXT NOT NULL PRIMARY KEY,
    plan_id       TEXT NOT NULL REFERENCES inspection_plans (id),
    period_key    TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    inspectors    TEXT NOT NULL,
    results       TEXT NOT NULL,
    note          TEXT NULL,
    request_hash  TEXT NOT NULL,
    late          INTEGER NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_inspection_records_slot ON inspection_records (plan_id, period_key);

CREATE TABLE inspection_missed (
    plan_id      TEXT NOT NULL REFERENCES inspection_plans (id),
    period_key   TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    consecutive  INTEGER NOT NULL,
    streak_start TEXT NOT NULL,
    detected_at  TEXT NOT NULL,
    PRIMARY KEY (plan_id, period_key)
);

CREATE INDEX ix_inspection_missed_detected ON inspection_missed (period_end, plan_id);

-- How far each sweep has looked, so a run after downtime catches up every period it missed.
CREATE TABLE sweep_watermarks (
    name       TEXT NOT NULL PRIMARY KEY,
    swept_to   TEXT NOT NULL
);

ALTER TABLE cases ADD COLUMN inspection_record_id TEXT NULL REFERENCES inspection_records (id);
