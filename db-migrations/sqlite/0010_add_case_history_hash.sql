-- Tamper evidence: each history row carries the SHA-256 of its canonical form chained over the previous
-- row's hash, so an edit anywhere breaks the chain from that row on.
ALTER TABLE case_history ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE case_history ADD COLUMN hash TEXT NOT NULL DEFAULT '';
