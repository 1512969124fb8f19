-- 签收 and 叫应. A notice of step 2 and above expects an acknowledgement from its addressees (the
-- responsible unit's officers and the grid's workers; the township's officers for a case placed at a township) by
-- acknowledge_by; acknowledged_at is the first such acknowledgement. Every recipient's acknowledgement is kept, once.
ALTER TABLE escalation_notices ADD COLUMN acknowledge_by TEXT NULL;
ALTER TABLE escalation_notices ADD COLUMN acknowledged_at TEXT NULL;
ALTER TABLE notice_recipients ADD COLUMN addressee INTEGER NOT NULL DEFAULT 0;

CREATE INDEX ix_escalation_notices_acknowledge_by ON escalation_notices (acknowledge_by) WHERE acknowledged_at IS NULL;

CREATE TABLE notice_acknowledgements (
    notice_id       TEXT NOT NULL REFERENCES escalation_notices (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    acknowledged_at TEXT NOT NULL,
    via             TEXT NOT NULL CHECK (via IN ('page', 'app')),
    PRIMARY KEY (notice_id, user_id)
);

-- A notice nobody of its addressees acknowledged in time is chased once ("未签收") to the level above them, in the
-- sweep that found it; the chase's recipients get it in that sweep's digest.
CREATE TABLE notice_chases (
    notice_id  TEXT NOT NULL PRIMARY KEY REFERENCES escalation_notices (id),
    sweep_id   TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX ix_notice_chases_sweep ON notice_chases (sweep_id);

CREATE TABLE chase_recipients (
    notice_id TEXT NOT NULL REFERENCES notice_chases (notice_id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    sweep_id  TEXT NOT NULL,
    PRIMARY KEY (notice_id, user_id)
);

CREATE INDEX ix_chase_recipients_sweep ON chase_recipients (sweep_id, user_id);
