-- The outbox holds mail of any kind; which sweep's digest a mail is, and whose, belongs to the escalations
-- feature: one row per digest mail, one digest per recipient per sweep.
CREATE TABLE escalation_digests (
    mail_id  uniqueidentifier NOT NULL CONSTRAINT pk_escalation_digests PRIMARY KEY
                              CONSTRAINT fk_escalation_digests_mail REFERENCES mail_outbox (id),
    sweep_id uniqueidentifier NOT NULL,
    user_id  uniqueidentifier NOT NULL CONSTRAINT fk_escalation_digests_user REFERENCES users (id),
    CONSTRAINT ux_escalation_digests_sweep_user UNIQUE (sweep_id, user_id)
);

INSERT INTO escalation_digests (mail_id, sweep_id, user_id)
SELECT id, digest_sweep_id, digest_user_id
FROM mail_outbox
WHERE digest_sweep_id IS NOT NULL AND digest_user_id IS NOT NULL;

DROP INDEX ux_mail_outbox_digest ON mail_outbox;
ALTER TABLE mail_outbox DROP CONSTRAINT fk_mail_outbox_digest_user;
ALTER TABLE mail_outbox DROP COLUMN digest_sweep_id;
ALTER TABLE mail_outbox DROP COLUMN digest_user_id;
