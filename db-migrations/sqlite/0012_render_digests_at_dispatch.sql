-- The escalation sweep writes its digests set-based, one outbox row per recipient and sweep, and the
-- dispatcher renders each when it first takes it: `render` names the renderer until the body is written,
-- the digest columns say which sweep's notices and whose mail it is. One digest per recipient per sweep.
ALTER TABLE mail_outbox ADD COLUMN render TEXT NULL;
ALTER TABLE mail_outbox ADD COLUMN digest_sweep_id TEXT NULL;
ALTER TABLE mail_outbox ADD COLUMN digest_user_id TEXT NULL REFERENCES users (id);

CREATE UNIQUE INDEX ux_mail_outbox_digest ON mail_outbox (digest_sweep_id, digest_user_id) WHERE digest_sweep_id IS NOT NULL;
