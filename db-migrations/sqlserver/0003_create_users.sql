CREATE TABLE users (
    id         uniqueidentifier NOT NULL CONSTRAINT pk_users PRIMARY KEY,
    login      nvarchar(64) NOT NULL,
    name       nvarchar(100) NOT NULL,
    email      nvarchar(254) NOT NULL,
    role       varchar(20) NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('gridWorker', 'unitOfficer', 'townshipOfficer', 'districtRegulator', 'cityAdmin')),
    org_code   varchar(15) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT fk_users_org REFERENCES org_units (code),
    created_at datetimeoffset(7) NOT NULL
);

CREATE UNIQUE INDEX ux_users_login ON users (login);
CREATE INDEX ix_users_org ON users (org_code, role);

-- The units a unit officer answers for.
CREATE TABLE user_units (
    user_id uniqueidentifier NOT NULL CONSTRAINT fk_user_units_user REFERENCES users (id),
    unit_id uniqueidentifier NOT NULL CONSTRAINT fk_user_units_unit REFERENCES units (id),
    CONSTRAINT pk_user_units PRIMARY KEY (user_id, unit_id)
);

CREATE INDEX ix_user_units_unit ON user_units (unit_id);
