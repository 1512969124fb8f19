-- A case drawn while an earlier draw's task on it is still pending is left out of the new draw,
-- and the draw records each case it left out for that reason and the draw whose task is pending.
CREATE TABLE spot_check_exclusions (
    draw_id         TEXT NOT NULL REFERENCES spot_check_draws (id),
    case_id         TEXT NOT NULL REFERENCES cases (id),
    pending_draw_id TEXT NOT NULL REFERENCES spot_check_draws (id),
    PRIMARY KEY (draw_id, case_id)
);

-- A case drawn twice before this migration has two pending tasks, and one finding marked both. The later one is
-- closed without a finding (status done, no finding, no check time, so no report counts it); the first keeps it.
UPDATE spot_check_tasks
SET status = 'done'
WHERE status = 'pending'
  AND EXISTS (
      SELECT 1
      FROM spot_check_tasks e
      JOIN spot_check_draws de ON de.id = e.draw_id
      JOIN spot_check_draws d ON d.id = spot_check_tasks.draw_id
      WHERE e.case_id = spot_check_tasks.case_id AND e.status = 'pending'
        AND (de.drawn_at < d.drawn_at OR (de.drawn_at = d.drawn_at AND e.draw_id < spot_check_tasks.draw_id)));

-- At most one pending task per case, whatever runs concurrently.
CREATE UNIQUE INDEX ux_spot_check_tasks_pending ON spot_check_tasks (case_id) WHERE status = 'pending';
