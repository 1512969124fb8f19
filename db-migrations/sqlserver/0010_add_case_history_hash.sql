-- Tamper evidence: each history row carries the SHA-256 of its canonical form chained over the previous
-- row's hash, so an edit anywhere breaks the chain from that row on.
ALTER TABLE case_history ADD prev_hash char(64) NOT NULL CONSTRAINT df_case_history_prev_hash DEFAULT '';
ALTER TABLE case_history ADD hash char(64) NOT NULL CONSTRAINT df_case_history_hash DEFAULT '';
