-- What-if for ReportSql.Cases (bench/README.md, "reports"): one pass per case, cases settled before @Start
-- left out (brought back for the listing counts only). Needs, on the file:
--   CREATE INDEX ix_cases_report2 ON cases (org_path, id, status, closed_at, updated_at);
--   CREATE INDEX ix_cases_listed ON cases (org_path) WHERE listed = 1;
-- Run: reports --db <file with the indexes> --bare bench/Hazards.Bench/Reports/cases-settled-pruned.sqlite.sql
SELECT k.child AS Child, k.level AS Level, k.sector AS Sector, k.origin AS Origin,
       SUM(k.is_new) AS New, SUM(k.is_new_self) AS NewSelfReported, SUM(k.is_carried) AS CarriedOver,
       SUM(k.is_closed) AS Closed, SUM(k.is_on_time) AS FixedOnTime, SUM(k.is_due) AS OnTimeDue,
       SUM(k.is_open) AS OpenAtEnd, SUM(k.is_overdue) AS Overdue, SUM(k.rejects_in) AS Rejected,
       SUM(k.is_rectifying) AS Rectifying, SUM(k.is_extended) AS Extended,
       SUM(k.is_exempt) AS Exempt, SUM(k.is_aggravated) AS Aggravated,
       SUM(k.is_listed_district) AS ListedDistrict, SUM(k.is_listed_city) AS ListedCity,
       SUM(k.fixes_in) AS FixSubmissions, SUM(k.fails_in) AS Reworks, SUM(k.reopens_in) AS Reopens, SUM(k.passes_in) AS Closes,
       SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 0 THEN 1 ELSE 0 END) AS OverdueStep0,
       SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 1 THEN 1 ELSE 0 END) AS OverdueStep1,
       SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 2 THEN 1 ELSE 0 END) AS OverdueStep2,
       SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 3 THEN 1 ELSE 0 END) AS OverdueStep3,
       SUM(CASE WHEN k.is_overdue = 1 AND k.escalation_step = 4 THEN 1 ELSE 0 END) AS OverdueStep4
FROM (SELECT substr(c.org_path, @ChildStart, @ChildLength) AS child, c.level, c.sector, c.origin, c.escalation_step,
       CASE WHEN (c.reported_at >= @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0) THEN 1 ELSE 0 END AS is_new,
       CASE WHEN (c.reported_at >= @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0) AND c.self_reported = 1 THEN 1 ELSE 0 END AS is_new_self,
       CASE WHEN (c.reported_at < @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END)) THEN 1 ELSE 0 END AS is_carried,
       CASE WHEN SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) > 0 THEN 1 ELSE 0 END AS is_closed,
       CASE WHEN SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) > 0 AND c.status = 'closed' AND c.fix_submitted_at <= c.deadline THEN 1 ELSE 0 END AS is_on_time,
       CASE WHEN SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) > 0 OR ((SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reopen' AND h.at >= @Start THEN 1 ELSE 0 END)) AND c.deadline >= @Start AND c.deadline < @End) THEN 1 ELSE 0 END AS is_due,
       CASE WHEN (SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reopen' AND h.at >= @Start THEN 1 ELSE 0 END)) THEN 1 ELSE 0 END AS is_open,
       CASE WHEN ((SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reopen' AND h.at >= @Start THEN 1 ELSE 0 END)) AND ((c.status = 'reported' AND c.triage_deadline < @Now)
 OR (c.status = 'rectifying' AND c.deadline < @Now)
 OR (c.status = 'fixSubmitted' AND c.verification_deadline < @Now))) THEN 1 ELSE 0 END AS is_overdue,
       CASE WHEN ((c.reported_at < @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END)) OR (c.reported_at >= @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0)) AND c.assigned_at < @End THEN 1 ELSE 0 END AS is_rectifying,
       CASE WHEN ((c.reported_at < @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END)) OR (c.reported_at >= @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0)) AND c.assigned_at < @End AND c.extension_count > 0 THEN 1 ELSE 0 END AS is_extended,
       CASE WHEN ((c.reported_at < @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END)) OR (c.reported_at >= @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0)) AND c.penalty = 'exempt' THEN 1 ELSE 0 END AS is_exempt,
       CASE WHEN ((c.reported_at < @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) = 0 AND SUM(CASE WHEN h.action = 'verifyPass' AND h.at < @Start THEN 1 ELSE 0 END) = SUM(CASE WHEN h.action = 'reopen' AND h.at < @Start THEN 1 ELSE 0 END)) OR (c.reported_at >= @Start AND SUM(CASE WHEN h.action = 'reject' AND h.at < @Start THEN 1 ELSE 0 END) + SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) = 0)) AND c.penalty = 'aggravated' THEN 1 ELSE 0 END AS is_aggravated,
       CASE WHEN c.listed = 1 AND c.listed_level = 'city' THEN 1 ELSE 0 END AS is_listed_city,
       CASE WHEN c.listed = 1 AND (c.listed_level IS NULL OR c.listed_level <> 'city') THEN 1 ELSE 0 END AS is_listed_district,
       SUM(CASE WHEN h.action = 'reject' AND h.at >= @Start THEN 1 ELSE 0 END) AS rejects_in, SUM(CASE WHEN h.action IN ('submitFix', 'reportFixedOnSpot') AND h.at >= @Start THEN 1 ELSE 0 END) AS fixes_in, SUM(CASE WHEN h.action = 'verifyFail' AND h.at >= @Start THEN 1 ELSE 0 END) AS fails_in, SUM(CASE WHEN h.action = 'reopen' AND h.at >= @Start THEN 1 ELSE 0 END) AS reopens_in, SUM(CASE WHEN h.action = 'verifyPass' AND h.at >= @Start THEN 1 ELSE 0 END) AS passes_in
FROM cases c INDEXED BY ix_cases_report2
JOIN case_history h ON h.case_id = c.id AND h.at < @End
WHERE c.org_path >= @PathFrom AND c.org_path < @PathTo AND c.reported_at < @End AND NOT ((c.status = 'closed' AND c.closed_at < @Start) OR (c.status = 'rejected' AND c.updated_at < @Start))
GROUP BY c.org_path, c.id
UNION ALL
SELECT substr(c.org_path, @ChildStart, @ChildLength) AS child, c.level, c.sector, c.origin, c.escalation_step, 0 AS is_new, 0 AS is_new_self, 0 AS is_carried, 0 AS is_closed, 0 AS is_on_time, 0 AS is_due, 0 AS is_open, 0 AS is_overdue, 0 AS is_rectifying, 0 AS is_extended, 0 AS is_exempt, 0 AS is_aggravated, CASE WHEN c.listed = 1 AND c.listed_level = 'city' THEN 1 ELSE 0 END AS is_listed_city, CASE WHEN c.listed = 1 AND (c.listed_level IS NULL OR c.listed_level <> 'city') THEN 1 ELSE 0 END AS is_listed_district, 0 AS rejects_in, 0 AS fixes_in, 0 AS fails_in, 0 AS reopens_in, 0 AS passes_in
FROM cases c INDEXED BY ix_cases_listed
WHERE c.org_path >= @PathFrom AND c.org_path < @PathTo AND c.reported_at < @End AND ((c.status = 'closed' AND c.closed_at < @Start) OR (c.status = 'rejected' AND c.updated_at < @Start)) AND c.listed = 1) k
GROUP BY k.child, k.level, k.sector, k.origin;
