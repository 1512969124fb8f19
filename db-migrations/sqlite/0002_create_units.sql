-- Production and business units (生产经营单位/场所), each in one grid, with the four responsible persons.
CREATE TABLE units (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    credit_code TEXT NULL,
    grid_code   TEXT NOT NULL REFERENCES org_units (code),
    org_path    TEXT NOT NULL,
    sectors     TEXT NOT NULL,
    risk_colour TEXT NOT NULL CHECK (risk_colour IN ('red', 'orange', 'yellow', 'blue')),
    address     TEXT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);

CREATE INDEX ix_units_org_path ON units (org_path, id);

CREATE TABLE unit_responsible_persons (
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind    TEXT NOT NULL CHECK (kind IN ('administrative', 'industryRegulator', 'professionalRegulator', 'enterprise')),
    name    TEXT NOT NULL,
    phone   TEXT NULL,
    email   TEXT NULL,
    PRIMARY KEY (unit_id, kind)
);
