-- The real city. People are deactivated, never deleted; org units are retired or merged, never deleted;
-- units close. Every administrative change is a row of admin_history (who, when, before, after).
ALTER TABLE users ADD COLUMN phone TEXT NULL;
ALTER TABLE users ADD COLUMN external_subject TEXT NULL;
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN deactivated_at TEXT NULL;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE UNIQUE INDEX ux_users_external_subject ON users (external_subject) WHERE external_subject IS NOT NULL;

ALTER TABLE org_units ADD COLUMN retired_at TEXT NULL;
ALTER TABLE org_units ADD COLUMN merged_into TEXT NULL;
ALTER TABLE org_units ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- code: the unit's key in the city's own register (单位编码), by which an import finds it again.
ALTER TABLE units ADD COLUMN code TEXT NULL;
ALTER TABLE units ADD COLUMN closed_at TEXT NULL;

CREATE UNIQUE INDEX ux_units_code ON units (code) WHERE code IS NOT NULL;
CREATE INDEX ix_units_grid ON units (grid_code, id);
CREATE INDEX ix_inspection_plans_unit ON inspection_plans (unit_id, id);

-- Append-only: one row per change of an org unit, unit or person.
CREATE TABLE admin_history (
    id          TEXT NOT NULL PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('orgUnit', 'unit', 'user')),
    entity_key  TEXT NOT NULL,
    action      TEXT NOT NULL,
    actor_login TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    at          TEXT NOT NULL,
    before_json TEXT NULL,
    after_json  TEXT NULL,
    import_id   TEXT NULL
);

CREATE INDEX ix_admin_history_entity ON admin_history (entity, entity_key, at);
CREATE INDEX ix_admin_history_at ON admin_history (at, id);

-- A bulk import (orgUnits, units, users): a dry run or an apply, run in the background.
CREATE TABLE imports (
    id           TEXT NOT NULL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('orgUnits', 'units', 'users')),
    dry_run      INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    scope_path   TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_format  TEXT NOT NULL CHECK (file_format IN ('csv', 'xlsx')),
    rows_read    INTEGER NOT NULL DEFAULT 0,
    rows_valid   INTEGER NOT NULL DEFAULT 0,
    rows_applied INTEGER NOT NULL DEFAULT 0,
    error_count  INTEGER NOT NULL DEFAULT 0,
    failure      TEXT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    started_at   TEXT NULL,
    finished_at  TEXT NULL
);

CREATE INDEX ix_imports_state ON imports (state, kind);

CREATE TABLE import_errors (
    import_id   TEXT NOT NULL REFERENCES imports (id),
    row_no      INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (import_id, row_no, column_name, code)
);

-- Staging: the rows of one import (or of one administrative request) while they are checked and applied set-based.
CREATE TABLE import_org_unit_rows (
    import_id   TEXT NOT NULL,
    row_no      INTEGER NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    parent_code TEXT NOT NULL,
    level       TEXT NOT NULL,
    path        TEXT NULL,
    parent_ok   INTEGER NOT NULL DEFAULT 0,
    existing    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, row_no)
);

CREATE INDEX ix_import_org_unit_rows_code ON import_org_unit_rows (import_id, code);

CREATE TABLE import_unit_rows (
    import_id     TEXT NOT NULL,
    row_no        INTEGER NOT NULL,
    unit_id       TEXT NOT NULL,
    code          TEXT NULL,
    name          TEXT NOT NULL,
    credit_code   TEXT NULL,
    grid_code     TEXT NOT NULL,
    sectors       TEXT NOT NULL,
    risk_colour   TEXT NOT NULL,
    address       TEXT NULL,
    org_path      TEXT NULL,
    existing_id   TEXT NULL,
    PRIMARY KEY (import_id, row_no)
);

CREATE INDEX ix_import_unit_rows_code ON import_unit_rows (import_id, code);

CREATE TABLE import_unit_person_rows (
    import_id TEXT NOT NULL,
    row_no    INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    phone     TEXT NULL,
    email     TEXT NULL,
    PRIMARY KEY (import_id, row_no, kind)
);

CREATE TABLE import_user_rows (
    import_id        TEXT NOT NULL,
    row_no           INTEGER NOT NULL,
    user_id          TEXT NOT NULL,
    login            TEXT NOT NULL,
    name             TEXT NOT NULL,
    phone            TEXT NULL,
    email            TEXT NOT NULL,
    role             TEXT NOT NULL,
    org_code         TEXT NOT NULL,
    place_level      TEXT NOT NULL,
    external_subject TEXT NULL,
    org_path         TEXT NULL,
    existing_id      TEXT NULL,
    PRIMARY KEY (import_id, row_no)
);

CREATE INDEX ix_import_user_rows_login ON import_user_rows (import_id, login);

CREATE TABLE import_user_unit_rows (
    import_id TEXT NOT NULL,
    row_no    INTEGER NOT NULL,
    unit_code TEXT NULL,
    unit_id   TEXT NULL
);

CREATE INDEX ix_import_user_unit_rows ON import_user_unit_rows (import_id, row_no);
