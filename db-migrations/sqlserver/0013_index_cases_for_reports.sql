-- The clearance report reads a case that changed since its period began from this index alone (every column it
-- reads is in it), with its moves since then from ix_case_history_at; it counts the open cases that did not
-- change from the filtered index of open cases alone, and the other closed or rejected cases only when listed.
CREATE INDEX ix_cases_updated_at ON cases (updated_at, org_path, id)
    INCLUDE (level, sector, origin, escalation_step, status, reported_at, self_reported, fix_submitted_at, triage_deadline,
             deadline, verification_deadline, assigned_at, extension_count, penalty, listed, listed_level);

CREATE INDEX ix_cases_open_report ON cases (org_path, updated_at)
    INCLUDE (level, sector, origin, escalation_step, status, triage_deadline, deadline, verification_deadline,
             assigned_at, extension_count, penalty, listed, listed_level)
    WHERE status IN ('reported', 'rectifying', 'fixSubmitted');

CREATE INDEX ix_cases_listed ON cases (org_path) WHERE listed = 1;

CREATE INDEX ix_case_history_at ON case_history (at, action, case_id);
