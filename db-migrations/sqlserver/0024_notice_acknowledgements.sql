-- 签收 and 叫应. A notice of step 2 and above expects an acknowledgement from its addressees (the
-- responsible unit's officers and the grid's workers; the township's officers for a case placed at a township) by
-- acknowledge_by; acknowledged_at is the first such acknowledgement. Every recipient's acknowledgement is kept, once.
ALTER TABLE escalation_notices ADD acknowledge_by datetimeoffset(7) NULL, acknowledged_at datetimeoffset(7) NULL;
ALTER TABLE notice_recipients ADD addressee bit NOT NULL CONSTRAINT df_notice_recipients_addressee DEFAULT 0;
GO

CREATE INDEX ix_escalation_notices_acknowledge_by ON escalation_notices (acknowledge_by) WHERE acknowledged_at IS NULL;

CREATE TABLE notice_acknowledgements (
    notice_id       uniqueidentifier NOT NULL CONSTRAINT fk_notice_acknowledgements_notice REFERENCES escalation_notices (id),
    user_id         uniqueidentifier NOT NULL CONSTRAINT fk_notice_acknowledgements_user REFERENCES users (id),
    acknowledged_at datetimeoffset(7) NOT NULL,
    via             varchar(8) NOT NULL CONSTRAINT ck_notice_acknowledgements_via CHECK (via IN ('page', 'app')),
    CONSTRAINT pk_notice_acknowledgements PRIMARY KEY (notice_id, user_id)
);

-- A notice nobody of its addressees acknowledged in time is chased once ("未签收") to the level above them, in the
-- sweep that found it; the chase's recipients get it in that sweep's digest.
CREATE TABLE notice_chases (
    notice_id  uniqueidentifier NOT NULL CONSTRAINT pk_notice_chases PRIMARY KEY CONSTRAINT fk_notice_chases_notice REFERENCES escalation_notices (id),
    sweep_id   uniqueidentifier NOT NULL,
    created_at datetimeoffset(7) NOT NULL
);

CREATE INDEX ix_notice_chases_sweep ON notice_chases (sweep_id);

CREATE TABLE chase_recipients (
    notice_id uniqueidentifier NOT NULL CONSTRAINT fk_chase_recipients_chase REFERENCES notice_chases (notice_id),
    user_id   uniqueidentifier NOT NULL CONSTRAINT fk_chase_recipients_user REFERENCES users (id),
    sweep_id  uniqueidentifier NOT NULL,
    CONSTRAINT pk_chase_recipients PRIMARY KEY (notice_id, user_id)
);

CREATE INDEX ix_chase_recipients_sweep ON chase_recipients (sweep_id, user_id);
