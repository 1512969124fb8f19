-- The escalation sweep asks for rectifying cases near or past their deadline or reworked twice; with
-- rework_count in the index it answers from the index instead of reading every rectifying case.
CREATE INDEX ix_cases_status_deadline_rework ON cases (status, deadline, rework_count);
