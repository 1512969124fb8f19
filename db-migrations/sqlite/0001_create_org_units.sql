-- The five-level network: city, district, township/street, village/community, grid.
-- path holds the codes from the city down ('/500000/500103/500103001/'), so a subtree is one range scan.
CREATE TABLE org_units (
    code        TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('city', 'district', 'township', 'village', 'grid')),
    parent_code TEXT NULL REFERENCES org_units (code),
    path        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_org_units_path ON org_units (path);
CREATE INDEX ix_org_units_parent ON org_units (parent_code, code);
