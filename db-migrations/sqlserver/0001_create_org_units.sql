-- The five-level network: city, district, township/street, village/community, grid.
-- path holds the codes from the city down ('/500000/500103/500103001/'), so a subtree is one range scan;
-- a binary collation keeps that range exact.
CREATE TABLE org_units (
    code        varchar(15) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT pk_org_units PRIMARY KEY,
    name        nvarchar(100) NOT NULL,
    level       varchar(10) NOT NULL CONSTRAINT ck_org_units_level CHECK (level IN ('city', 'district', 'township', 'village', 'grid')),
    parent_code varchar(15) COLLATE Latin1_General_BIN2 NULL CONSTRAINT fk_org_units_parent REFERENCES org_units (code),
    path        varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    created_at  datetimeoffset(7) NOT NULL
);

CREATE UNIQUE INDEX ux_org_units_path ON org_units (path);
CREATE INDEX ix_org_units_parent ON org_units (parent_code, code);
