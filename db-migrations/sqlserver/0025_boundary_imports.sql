-- Boundaries come in by the import too, as one GeoJSON FeatureCollection keyed by org unit code.
-- imports takes the kind 'boundaries' and the format 'geoJson'.
ALTER TABLE imports DROP CONSTRAINT ck_imports_kind;
ALTER TABLE imports ADD CONSTRAINT ck_imports_kind CHECK (kind IN ('orgUnits', 'units', 'users', 'boundaries'));
ALTER TABLE imports DROP CONSTRAINT ck_imports_format;
ALTER TABLE imports ALTER COLUMN file_format varchar(7) NOT NULL;
ALTER TABLE imports ADD CONSTRAINT ck_imports_format CHECK (file_format IN ('csv', 'xlsx', 'geoJson'));

-- What an import reports without refusing the row: a boundary overlapping a sibling's, as PUT .../boundary reports it.
CREATE TABLE import_warnings (
    import_id   uniqueidentifier NOT NULL CONSTRAINT fk_import_warnings_import REFERENCES imports (id),
    row_no      int NOT NULL,
    column_name varchar(40) NOT NULL,
    code        varchar(60) NOT NULL,
    message     nvarchar(400) NOT NULL,
    CONSTRAINT pk_import_warnings PRIMARY KEY (import_id, row_no, column_name, code)
);
