-- The escalation sweep writes its digests set-based, one outbox row per recipient and sweep, and the
-- dispatcher renders each when it first takes it: `render` names the renderer until the body is written,
-- the digest columns say which sweep's notices and whose mail it is. One digest per recipient per sweep.
ALTER TABLE mail_outbox ADD COLUMN render TEXT NULL;
ALTER TABLE mail_outbox ADD COLUMN digest_sweep_id TEXT NULL;
ALTER TABLE mail_outbox ADD COLUMN digest_user_id TEXT NULL REFERENCES users (id);

CREATE UNIQUE INDEX ux_mail_outbox_digest ON mail_outbox (digest_sweep_id, digest_user_id) WHERE digest_sweep_id IS NOT NULL;

-- A digest reads one recipient's notices of one sweep: the recipient row carries its notice's sweep, so that
-- read is one index range however many notices the sweep or the recipient's past hold.
ALTER TABLE notice_recipients ADD COLUMN sweep_id TEXT NULL;
UPDATE notice_recipients SET sweep_id = (SELECT n.sweep_id FROM escalation_notices n WHERE n.id = notice_recipients.notice_id);
DROP INDEX ix_notice_recipients_user;
CREATE INDEX ix_notice_recipients_user ON notice_recipients (user_id, sweep_id);
