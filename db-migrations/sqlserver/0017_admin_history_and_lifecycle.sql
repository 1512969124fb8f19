-- The real city. People are deactivated, never deleted; org units are retired or merged, never deleted;
-- units close. Every administrative change is a row of admin_history (who, when, before, after).
ALTER TABLE users ADD
    phone            varchar(32) NULL,
    external_subject nvarchar(200) NULL,
    active           bit NOT NULL CONSTRAINT df_users_active DEFAULT 1,
    deactivated_at   datetimeoffset(7) NULL,
    version          int NOT NULL CONSTRAINT df_users_version DEFAULT 1;

ALTER TABLE org_units ADD
    retired_at  datetimeoffset(7) NULL,
    merged_into varchar(15) COLLATE Latin1_General_BIN2 NULL,
    version     int NOT NULL CONSTRAINT df_org_units_version DEFAULT 1;

-- code: the unit's key in the city's own register (单位编码), by which an import finds it again.
ALTER TABLE units ADD
    code      nvarchar(64) NULL,
    closed_at datetimeoffset(7) NULL;
GO

CREATE UNIQUE INDEX ux_users_external_subject ON users (external_subject) WHERE external_subject IS NOT NULL;
CREATE UNIQUE INDEX ux_units_code ON units (code) WHERE code IS NOT NULL;
CREATE INDEX ix_units_grid ON units (grid_code, id);
CREATE INDEX ix_inspection_plans_unit ON inspection_plans (unit_id, id);

-- Append-only: one row per change of an org unit, unit or person.
CREATE TABLE admin_history (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_admin_history PRIMARY KEY NONCLUSTERED,
    entity      varchar(10) NOT NULL CONSTRAINT ck_admin_history_entity CHECK (entity IN ('orgUnit', 'unit', 'user')),
    entity_key  nvarchar(64) NOT NULL,
    action      varchar(20) NOT NULL,
    actor_login nvarchar(64) NOT NULL,
    actor_role  varchar(20) NOT NULL,
    at          datetimeoffset(7) NOT NULL,
    before_json nvarchar(max) NULL,
    after_json  nvarchar(max) NULL,
    import_id   uniqueidentifier NULL
);

CREATE INDEX ix_admin_history_entity ON admin_history (entity, entity_key, at);
CREATE CLUSTERED INDEX ix_admin_history_at ON admin_history (at, id);

-- A bulk import (orgUnits, units, users): a dry run or an apply, run in the background.
CREATE TABLE imports (
    id           uniqueidentifier NOT NULL CONSTRAINT pk_imports PRIMARY KEY,
    kind         varchar(10) NOT NULL CONSTRAINT ck_imports_kind CHECK (kind IN ('orgUnits', 'units', 'users')),
    dry_run      bit NOT NULL,
    state        varchar(10) NOT NULL CONSTRAINT ck_imports_state CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    scope_path   varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    file_name    nvarchar(260) NOT NULL,
    file_format  varchar(4) NOT NULL CONSTRAINT ck_imports_format CHECK (file_format IN ('csv', 'xlsx')),
    rows_read    int NOT NULL CONSTRAINT df_imports_rows_read DEFAULT 0,
    rows_valid   int NOT NULL CONSTRAINT df_imports_rows_valid DEFAULT 0,
    rows_applied int NOT NULL CONSTRAINT df_imports_rows_applied DEFAULT 0,
    error_count  int NOT NULL CONSTRAINT df_imports_error_count DEFAULT 0,
    failure      nvarchar(400) NULL,
    created_by   nvarchar(64) NOT NULL,
    created_at   datetimeoffset(7) NOT NULL,
    started_at   datetimeoffset(7) NULL,
    finished_at  datetimeoffset(7) NULL
);

CREATE INDEX ix_imports_state ON imports (state, kind);

CREATE TABLE import_errors (
    import_id   uniqueidentifier NOT NULL CONSTRAINT fk_import_errors_import REFERENCES imports (id),
    row_no      int NOT NULL,
    column_name varchar(40) NOT NULL,
    code        varchar(60) NOT NULL,
    message     nvarchar(400) NOT NULL,
    CONSTRAINT pk_import_errors PRIMARY KEY (import_id, row_no, column_name, code)
);

-- Staging: the rows of one import (or of one administrative request) while they are checked and applied set-based.
CREATE TABLE import_org_unit_rows (
    import_id   uniqueidentifier NOT NULL,
    row_no      int NOT NULL,
    code        varchar(15) COLLATE Latin1_General_BIN2 NOT NULL,
    name        nvarchar(100) NOT NULL,
    parent_code varchar(15) COLLATE Latin1_General_BIN2 NOT NULL,
    level       varchar(10) NOT NULL,
    path        varchar(100) COLLATE Latin1_General_BIN2 NULL,
    parent_ok   bit NOT NULL CONSTRAINT df_import_org_unit_rows_parent_ok DEFAULT 0,
    existing    bit NOT NULL CONSTRAINT df_import_org_unit_rows_existing DEFAULT 0,
    CONSTRAINT pk_import_org_unit_rows PRIMARY KEY (import_id, row_no)
);

CREATE INDEX ix_import_org_unit_rows_code ON import_org_unit_rows (import_id, code);

CREATE TABLE import_unit_rows (
    import_id     uniqueidentifier NOT NULL,
    row_no        int NOT NULL,
    unit_id       uniqueidentifier NOT NULL,
    code          nvarchar(64) NULL,
    name          nvarchar(200) NOT NULL,
    credit_code   varchar(18) NULL,
    grid_code     varchar(15) COLLATE Latin1_General_BIN2 NOT NULL,
    sectors       varchar(400) NOT NULL,
    risk_colour   varchar(10) NOT NULL,
    address       nvarchar(400) NULL,
    org_path      varchar(100) COLLATE Latin1_General_BIN2 NULL,
    existing_id   uniqueidentifier NULL,
    CONSTRAINT pk_import_unit_rows PRIMARY KEY (import_id, row_no)
);

CREATE INDEX ix_import_unit_rows_code ON import_unit_rows (import_id, code);

CREATE TABLE import_unit_person_rows (
    import_id uniqueidentifier NOT NULL,
    row_no    int NOT NULL,
    kind      varchar(24) NOT NULL,
    name      nvarchar(100) NOT NULL,
    phone     varchar(32) NULL,
    email     nvarchar(254) NULL,
    CONSTRAINT pk_import_unit_person_rows PRIMARY KEY (import_id, row_no, kind)
);

CREATE TABLE import_user_rows (
    import_id        uniqueidentifier NOT NULL,
    row_no           int NOT NULL,
    user_id          uniqueidentifier NOT NULL,
    login            nvarchar(64) NOT NULL,
    name             nvarchar(100) NOT NULL,
    phone            varchar(32) NULL,
    email            nvarchar(254) NOT NULL,
    role             varchar(20) NOT NULL,
    org_code         varchar(15) COLLATE Latin1_General_BIN2 NOT NULL,
    place_level      varchar(10) NOT NULL,
    external_subject nvarchar(200) NULL,
    org_path         varchar(100) COLLATE Latin1_General_BIN2 NULL,
    existing_id      uniqueidentifier NULL,
    CONSTRAINT pk_import_user_rows PRIMARY KEY (import_id, row_no)
);

CREATE INDEX ix_import_user_rows_login ON import_user_rows (import_id, login);

CREATE TABLE import_user_unit_rows (
    import_id uniqueidentifier NOT NULL,
    row_no    int NOT NULL,
    unit_code nvarchar(64) NULL,
    unit_id   uniqueidentifier NULL
);

CREATE INDEX ix_import_user_unit_rows ON import_user_unit_rows (import_id, row_no);
