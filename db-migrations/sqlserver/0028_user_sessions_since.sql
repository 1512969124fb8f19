-- A token issued before sessions_since is refused: set when the person's external subject (the identity provider's
-- name for them) changes, so whoever held a session under the old link holds it no longer.
ALTER TABLE users ADD sessions_since datetimeoffset(7) NULL;
