CREATE TABLE users (
    id         TEXT NOT NULL PRIMARY KEY,
    login      TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('gridWorker', 'unitOfficer', 'townshipOfficer', 'districtRegulator', 'cityAdmin')),
    org_code   TEXT NOT NULL REFERENCES org_units (code),
    created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_users_login ON users (login);
CREATE INDEX ix_users_org ON users (org_code, role);

-- The units a unit officer answers for.
CREATE TABLE user_units (
    user_id TEXT NOT NULL REFERENCES users (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (user_id, unit_id)
);

CREATE INDEX ix_user_units_unit ON user_units (unit_id);
