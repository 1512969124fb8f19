-- Production and business units (生产经营单位/场所), each in one grid, with the four responsible persons.
CREATE TABLE units (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_units PRIMARY KEY NONCLUSTERED,
    name        nvarchar(200) NOT NULL,
    credit_code varchar(18) NULL,
    grid_code   varchar(15) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT fk_units_grid REFERENCES org_units (code),
    org_path    varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    sectors     varchar(400) NOT NULL,
    risk_colour varchar(10) NOT NULL CONSTRAINT ck_units_risk_colour CHECK (risk_colour IN ('red', 'orange', 'yellow', 'blue')),
    address     nvarchar(400) NULL,
    version     int NOT NULL,
    created_at  datetimeoffset(7) NOT NULL,
    created_by  nvarchar(64) NOT NULL
);

CREATE CLUSTERED INDEX ix_units_org_path ON units (org_path, id);

CREATE TABLE unit_responsible_persons (
    unit_id uniqueidentifier NOT NULL CONSTRAINT fk_unit_persons_unit REFERENCES units (id),
    kind    varchar(24) NOT NULL CONSTRAINT ck_unit_persons_kind CHECK (kind IN ('administrative', 'industryRegulator', 'professionalRegulator', 'enterprise')),
    name    nvarchar(100) NOT NULL,
    phone   varchar(32) NULL,
    email   nvarchar(254) NULL,
    CONSTRAINT pk_unit_responsible_persons PRIMARY KEY (unit_id, kind)
);
