-- Finding cases: GET /cases filters by reporter, by origin and by the day of report; each is
-- an equality or a range followed by the id the list walks, so a page is read from the index in the list's order.
CREATE INDEX ix_cases_reported_by ON cases (reported_by, id);
CREATE INDEX ix_cases_origin ON cases (origin, id);
CREATE INDEX ix_cases_reported_at ON cases (reported_at, id);
