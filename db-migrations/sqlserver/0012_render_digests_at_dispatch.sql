-- The escalation sweep writes its digests set-based, one outbox row per recipient and sweep, and the
-- dispatcher renders each when it first takes it: `render` names the renderer until the body is written,
-- the digest columns say which sweep's notices and whose mail it is. One digest per recipient per sweep.
ALTER TABLE mail_outbox ADD
    render          varchar(32) NULL,
    digest_sweep_id uniqueidentifier NULL,
    digest_user_id  uniqueidentifier NULL CONSTRAINT fk_mail_outbox_digest_user REFERENCES users (id);
GO

CREATE UNIQUE INDEX ux_mail_outbox_digest ON mail_outbox (digest_sweep_id, digest_user_id) WHERE digest_sweep_id IS NOT NULL;
