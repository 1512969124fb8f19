-- Supervision (design §8): spot checks (真查), public tips and rewards (举报), the responsibility board
-- with major risks, and the deadline of a listing by hand (挂牌督办).

ALTER TABLE cases ADD COLUMN listing_deadline TEXT NULL;

-- One row per draw, with what it takes to re-derive it: the seed, the weights, and (below) the population.
CREATE TABLE spot_check_draws (
    id              TEXT NOT NULL PRIMARY KEY,
    org_code        TEXT NOT NULL REFERENCES org_units (code),
    org_path        TEXT NOT NULL,
    closed_from     TEXT NOT NULL,
    closed_to       TEXT NOT NULL,
    rate            REAL NULL,
    requested_count INTEGER NULL,
    seed            TEXT NOT NULL,
    weights         TEXT NOT NULL,
    population_size INTEGER NOT NULL,
    population_hash TEXT NOT NULL,
    drawn_count     INTEGER NOT NULL,
    drawn_by        TEXT NOT NULL,
    drawn_at        TEXT NOT NULL
);

CREATE INDEX ix_spot_check_draws_org_path ON spot_check_draws (org_path, drawn_at);

-- The population as it stood at the draw, each case with its weight; later closings and reopenings leave it alone.
CREATE TABLE spot_check_population (
    draw_id TEXT NOT NULL REFERENCES spot_check_draws (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    weight  INTEGER NOT NULL,
    PRIMARY KEY (draw_id, case_id)
);

-- A drawn case is a task until a regulator records the finding; a fake one counts against the unit, the
-- verifier who closed it and the district, which these rows keep as they were at the draw.
CREATE TABLE spot_check_tasks (
    draw_id       TEXT NOT NULL REFERENCES spot_check_draws (id),
    case_id       TEXT NOT NULL REFERENCES cases (id),
    ordinal       INTEGER NOT NULL,
    org_path      TEXT NOT NULL,
    district_code TEXT NOT NULL,
    unit_id       TEXT NULL REFERENCES units (id),
    verified_by   TEXT NULL,
    self_verified INTEGER NOT NULL,
    fixed_on_spot INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'done')),
    finding       TEXT NULL CHECK (finding IN ('genuine', 'notGenuine')),
    checked_by    TEXT NULL,
    checked_at    TEXT NULL,
    PRIMARY KEY (draw_id, case_id)
);

CREATE INDEX ix_spot_check_tasks_case ON spot_check_tasks (case_id, status);
CREATE INDEX ix_spot_check_tasks_org_path ON spot_check_tasks (org_path, finding);

-- 举报: the code a tipster follows their tip by, the case it became, and a contact if they left one.
CREATE TABLE public_tips (
    tracking_code TEXT NOT NULL PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    contact       TEXT NULL,
    received_at   TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_public_tips_case ON public_tips (case_id);

-- One reward decision per tip; amounts in fen (分) so both databases count them exactly.
CREATE TABLE tip_rewards (
    case_id             TEXT NOT NULL PRIMARY KEY REFERENCES cases (id),
    fine_amount_fen     INTEGER NOT NULL,
    amount_fen          INTEGER NOT NULL,
    standard_amount_fen INTEGER NOT NULL,
    basis               TEXT NOT NULL,
    note                TEXT NULL,
    decided_by          TEXT NOT NULL,
    decided_at          TEXT NOT NULL
);

-- 重大风险 of a unit, each with its own four responsible persons and control measures.
CREATE TABLE unit_major_risks (
    id          TEXT NOT NULL PRIMARY KEY,
    unit_id     TEXT NOT NULL REFERENCES units (id),
    name        TEXT NOT NULL,
    risk_colour TEXT NOT NULL CHECK (risk_colour IN ('red', 'orange', 'yellow', 'blue')),
    measures    TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE INDEX ix_unit_major_risks_unit ON unit_major_risks (unit_id, id);

CREATE TABLE major_risk_persons (
    risk_id TEXT NOT NULL REFERENCES unit_major_risks (id),
    kind    TEXT NOT NULL CHECK (kind IN ('administrative', 'industryRegulator', 'professionalRegulator', 'enterprise')),
    name    TEXT NOT NULL,
    phone   TEXT NULL,
    email   TEXT NULL,
    PRIMARY KEY (risk_id, kind)
);

-- Append-only: every change to a unit's board (a person set, changed or cleared; a risk added).
CREATE TABLE unit_board_history (
    unit_id     TEXT NOT NULL REFERENCES units (id),
    seq         INTEGER NOT NULL,
    subject     TEXT NOT NULL CHECK (subject IN ('person', 'risk')),
    subject_key TEXT NOT NULL,
    change_kind TEXT NOT NULL CHECK (change_kind IN ('set', 'changed', 'cleared', 'added')),
    old_value   TEXT NULL,
    new_value   TEXT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (unit_id, seq)
);
