-- The inbox (GET /me/tasks) asks for the cases of one status under the caller's org unit; with the path
-- after the status it reads only those, instead of every case of that status in the city.
CREATE INDEX ix_cases_status_org_path ON cases (status, org_path);
