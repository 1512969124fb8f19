-- The 日周月 inspection cadence: plans with one slot per period, records that fill a slot, and the
-- slots found empty after their period (plus grace) ended.
CREATE TABLE inspection_plans (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_inspection_plans PRIMARY KEY NONCLUSTERED,
    name        nvarchar(200) NOT NULL,
    unit_id     uniqueidentifier NULL CONSTRAINT fk_inspection_plans_unit REFERENCES units (id),
    grid_code   varchar(15) COLLATE Latin1_General_BIN2 NULL CONSTRAINT fk_inspection_plans_grid REFERENCES org_units (code),
    org_path    varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    cadence     varchar(8) NOT NULL CONSTRAINT ck_inspection_plans_cadence CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    level       varchar(12) NOT NULL CONSTRAINT ck_inspection_plans_level CHECK (level IN ('team', 'workshop', 'enterprise', 'principal', 'gridPatrol')),
    checklist   nvarchar(max) NOT NULL,
    active_from date NOT NULL,
    active_to   date NULL,
    created_at  datetimeoffset(7) NOT NULL,
    created_by  nvarchar(64) NOT NULL,
    CONSTRAINT ck_inspection_plans_owner CHECK ((unit_id IS NULL AND grid_code IS NOT NULL) OR (unit_id IS NOT NULL AND grid_code IS NULL))
);

CREATE CLUSTERED INDEX ix_inspection_plans_org_path ON inspection_plans (org_path, id);
CREATE INDEX ix_inspection_plans_cadence ON inspection_plans (cadence, active_from);

CREATE TABLE inspection_records (
    id            uniqueidentifier NOT NULL CONSTRAINT pk_inspection_records PRIMARY KEY,
    plan_id       uniqueidentifier NOT NULL CONSTRAINT fk_inspection_records_plan REFERENCES inspection_plans (id),
    period_key    varchar(10) NOT NULL,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    inspectors    nvarchar(1000) NOT NULL,
    results       nvarchar(max) NOT NULL,
    note          nvarchar(4000) NULL,
    request_hash  char(64) NOT NULL,
    late          bit NOT NULL,
    submitted_by  nvarchar(64) NOT NULL,
    submitted_at  datetimeoffset(7) NOT NULL
);

CREATE UNIQUE INDEX ux_inspection_records_slot ON inspection_records (plan_id, period_key);

CREATE TABLE inspection_missed (
    plan_id      uniqueidentifier NOT NULL CONSTRAINT fk_inspection_missed_plan REFERENCES inspection_plans (id),
    period_key   varchar(10) NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    consecutive  int NOT NULL,
    streak_start varchar(10) NOT NULL,
    detected_at  datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_inspection_missed PRIMARY KEY (plan_id, period_key)
);

CREATE INDEX ix_inspection_missed_detected ON inspection_missed (period_end, plan_id);

-- How far each sweep has looked, so a run after downtime catches up every period it missed.
CREATE TABLE sweep_watermarks (
    name       varchar(64) NOT NULL CONSTRAINT pk_sweep_watermarks PRIMARY KEY,
    swept_to   datetimeoffset(7) NOT NULL
);

ALTER TABLE cases ADD inspection_record_id uniqueidentifier NULL CONSTRAINT fk_cases_inspection_record REFERENCES inspection_records (id);
