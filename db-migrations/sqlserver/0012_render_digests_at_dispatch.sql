-- The escalation sweep writes its digests set-based, one outbox row per recipient and sweep, and the
-- dispatcher renders each when it first takes it: `render` names the renderer until the body is written,
-- the digest columns say which sweep's notices and whose mail it is. One digest per recipient per sweep.
ALTER TABLE mail_outbox ADD
    render          varchar(32) NULL,
    digest_sweep_id uniqueidentifier NULL,
    digest_user_id  uniqueidentifier NULL CONSTRAINT fk_mail_outbox_digest_user REFERENCES users (id);

-- A digest reads one recipient's notices of one sweep: the recipient row carries its notice's sweep, so that
-- read is one index range however many notices the sweep or the recipient's past hold.
ALTER TABLE notice_recipients ADD sweep_id uniqueidentifier NULL;
GO

CREATE UNIQUE INDEX ux_mail_outbox_digest ON mail_outbox (digest_sweep_id, digest_user_id) WHERE digest_sweep_id IS NOT NULL;

UPDATE r SET sweep_id = n.sweep_id FROM notice_recipients r JOIN escalation_notices n ON n.id = r.notice_id;
DROP INDEX ix_notice_recipients_user ON notice_recipients;
CREATE INDEX ix_notice_recipients_user ON notice_recipients (user_id, sweep_id);
