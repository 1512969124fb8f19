-- Supervision (design §8): spot checks (真查), public tips and rewards (举报), the responsibility board
-- with major risks, and the deadline of a listing by hand (挂牌督办).

ALTER TABLE cases ADD listing_deadline date NULL;

-- One row per draw, with what it takes to re-derive it: the seed, the weights, and (below) the population.
CREATE TABLE spot_check_draws (
    id              uniqueidentifier NOT NULL CONSTRAINT pk_spot_check_draws PRIMARY KEY NONCLUSTERED,
    org_code        varchar(15) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT fk_spot_check_draws_org REFERENCES org_units (code),
    org_path        varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    closed_from     date NOT NULL,
    closed_to       date NOT NULL,
    rate            float NULL,
    requested_count int NULL,
    seed            varchar(64) NOT NULL,
    weights         varchar(200) NOT NULL,
    population_size int NOT NULL,
    population_hash char(64) NOT NULL,
    drawn_count     int NOT NULL,
    drawn_by        nvarchar(64) NOT NULL,
    drawn_at        datetimeoffset(7) NOT NULL
);

CREATE CLUSTERED INDEX ix_spot_check_draws_org_path ON spot_check_draws (org_path, drawn_at);

-- The population as it stood at the draw, each case with its weight; later closings and reopenings leave it alone.
CREATE TABLE spot_check_population (
    draw_id uniqueidentifier NOT NULL CONSTRAINT fk_spot_check_population_draw REFERENCES spot_check_draws (id),
    case_id uniqueidentifier NOT NULL CONSTRAINT fk_spot_check_population_case REFERENCES cases (id),
    weight  int NOT NULL,
    CONSTRAINT pk_spot_check_population PRIMARY KEY (draw_id, case_id)
);

-- A drawn case is a task until a regulator records the finding; a fake one counts against the unit, the
-- verifier who closed it and the district, which these rows keep as they were at the draw.
CREATE TABLE spot_check_tasks (
    draw_id       uniqueidentifier NOT NULL CONSTRAINT fk_spot_check_tasks_draw REFERENCES spot_check_draws (id),
    case_id       uniqueidentifier NOT NULL CONSTRAINT fk_spot_check_tasks_case REFERENCES cases (id),
    ordinal       int NOT NULL,
    org_path      varchar(100) COLLATE Latin1_General_BIN2 NOT NULL,
    district_code varchar(6) NOT NULL,
    unit_id       uniqueidentifier NULL CONSTRAINT fk_spot_check_tasks_unit REFERENCES units (id),
    verified_by   nvarchar(64) NULL,
    self_verified bit NOT NULL,
    fixed_on_spot bit NOT NULL,
    status        varchar(8) NOT NULL CONSTRAINT ck_spot_check_tasks_status CHECK (status IN ('pending', 'done')),
    finding       varchar(12) NULL CONSTRAINT ck_spot_check_tasks_finding CHECK (finding IN ('genuine', 'notGenuine')),
    checked_by    nvarchar(64) NULL,
    checked_at    datetimeoffset(7) NULL,
    CONSTRAINT pk_spot_check_tasks PRIMARY KEY (draw_id, case_id)
);

CREATE INDEX ix_spot_check_tasks_case ON spot_check_tasks (case_id, status);
CREATE INDEX ix_spot_check_tasks_org_path ON spot_check_tasks (org_path, finding);

-- 举报: the code a tipster follows their tip by, the case it became, and a contact if they left one.
CREATE TABLE public_tips (
    tracking_code char(12) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT pk_public_tips PRIMARY KEY,
    case_id       uniqueidentifier NOT NULL CONSTRAINT fk_public_tips_case REFERENCES cases (id),
    contact       nvarchar(200) NULL,
    received_at   datetimeoffset(7) NOT NULL
);

CREATE UNIQUE INDEX ux_public_tips_case ON public_tips (case_id);

-- One reward decision per tip; amounts in fen (分) so both databases count them exactly.
CREATE TABLE tip_rewards (
    case_id             uniqueidentifier NOT NULL CONSTRAINT pk_tip_rewards PRIMARY KEY CONSTRAINT fk_tip_rewards_case REFERENCES cases (id),
    fine_amount_fen     bigint NOT NULL,
    amount_fen          bigint NOT NULL,
    standard_amount_fen bigint NOT NULL,
    basis               nvarchar(400) NOT NULL,
    note                nvarchar(2000) NULL,
    decided_by          nvarchar(64) NOT NULL,
    decided_at          datetimeoffset(7) NOT NULL
);

-- 重大风险 of a unit, each with its own four responsible persons and control measures.
CREATE TABLE unit_major_risks (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_unit_major_risks PRIMARY KEY NONCLUSTERED,
    unit_id     uniqueidentifier NOT NULL CONSTRAINT fk_unit_major_risks_unit REFERENCES units (id),
    name        nvarchar(200) NOT NULL,
    risk_colour varchar(10) NOT NULL CONSTRAINT ck_unit_major_risks_colour CHECK (risk_colour IN ('red', 'orange', 'yellow', 'blue')),
    measures    nvarchar(4000) NOT NULL,
    created_by  nvarchar(64) NOT NULL,
    created_at  datetimeoffset(7) NOT NULL
);

CREATE CLUSTERED INDEX ix_unit_major_risks_unit ON unit_major_risks (unit_id, id);

CREATE TABLE major_risk_persons (
    risk_id uniqueidentifier NOT NULL CONSTRAINT fk_major_risk_persons_risk REFERENCES unit_major_risks (id),
    kind    varchar(24) NOT NULL CONSTRAINT ck_major_risk_persons_kind CHECK (kind IN ('administrative', 'industryRegulator', 'professionalRegulator', 'enterprise')),
    name    nvarchar(100) NOT NULL,
    phone   varchar(32) NULL,
    email   nvarchar(254) NULL,
    CONSTRAINT pk_major_risk_persons PRIMARY KEY (risk_id, kind)
);

-- Append-only: every change to a unit's board (a person set, changed or cleared; a risk added).
CREATE TABLE unit_board_history (
    unit_id     uniqueidentifier NOT NULL CONSTRAINT fk_unit_board_history_unit REFERENCES units (id),
    seq         int NOT NULL,
    subject     varchar(8) NOT NULL CONSTRAINT ck_unit_board_history_subject CHECK (subject IN ('person', 'risk')),
    subject_key varchar(40) NOT NULL,
    change_kind varchar(8) NOT NULL CONSTRAINT ck_unit_board_history_change CHECK (change_kind IN ('set', 'changed', 'cleared', 'added')),
    old_value   nvarchar(4000) NULL,
    new_value   nvarchar(4000) NULL,
    changed_by  nvarchar(64) NOT NULL,
    changed_at  datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_unit_board_history PRIMARY KEY (unit_id, seq)
);
