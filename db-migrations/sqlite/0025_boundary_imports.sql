-- Boundaries come in by the import too, as one GeoJSON FeatureCollection keyed by org unit code.
-- imports takes the kind 'boundaries' and the format 'geoJson'; SQLite cannot change a CHECK in place, so imports is
-- rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter) with ix_imports_state as 0017 made it. import_errors
-- references imports, so it is rebuilt around it, its rows waiting in a temporary table: that way the drops hold with
-- foreign keys on or off.
CREATE TEMP TABLE import_errors_moving AS SELECT import_id, row_no, column_name, code, message FROM import_errors;

DROP TABLE import_errors;

CREATE TABLE imports_rebuilt (
    id           TEXT NOT NULL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('orgUnits', 'units', 'users', 'boundaries')),
    dry_run      INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    scope_path   TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_format  TEXT NOT NULL CHECK (file_format IN ('csv', 'xlsx', 'geoJson')),
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

INSERT INTO imports_rebuilt (id, kind, dry_run, state, scope_path, file_name, file_format, rows_read, rows_valid, rows_applied, error_count,
                             failure, created_by, created_at, started_at, finished_at)
SELECT id, kind, dry_run, state, scope_path, file_name, file_format, rows_read, rows_valid, rows_applied, error_count,
       failure, created_by, created_at, started_at, finished_at
FROM imports;

DROP TABLE imports;
ALTER TABLE imports_rebuilt RENAME TO imports;

CREATE INDEX ix_imports_state ON imports (state, kind);

CREATE TABLE import_errors (
    import_id   TEXT NOT NULL REFERENCES imports (id),
    row_no      INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (import_id, row_no, column_name, code)
);

INSERT INTO import_errors (import_id, row_no, column_name, code, message)
SELECT import_id, row_no, column_name, code, message FROM import_errors_moving;

DROP TABLE import_errors_moving;

-- What an import reports without refusing the row: a boundary overlapping a sibling's, as PUT .../boundary reports it.
CREATE TABLE import_warnings (
    import_id   TEXT NOT NULL REFERENCES imports (id),
    row_no      INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (import_id, row_no, column_name, code)
);
