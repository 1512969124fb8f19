-- The clearance report replays the history only of cases changed since its period began, found by when they
-- last changed; it counts the other open cases from this partial index alone (every column it reads is in
-- it), and the other closed or rejected cases only when listed.
CREATE INDEX ix_cases_updated_at ON cases (updated_at, org_path);

CREATE INDEX ix_cases_open_report ON cases (
    org_path, updated_at, level, sector, origin, escalation_step, status, triage_deadline, deadline,
    verification_deadline, assigned_at, extension_count, penalty, listed, listed_level)
    WHERE status IN ('reported', 'rectifying', 'fixSubmitted');

CREATE INDEX ix_cases_listed ON cases (org_path) WHERE listed = 1;
