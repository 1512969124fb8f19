-- An import whose starter left or lost the scope before it applied is 'cancelled'; an import keeps only its first
-- refused rows (Imports:MaxStoredErrors) and counts the rest: errors_stored says how many of error_count it kept.
ALTER TABLE imports DROP CONSTRAINT ck_imports_state;
ALTER TABLE imports ADD CONSTRAINT ck_imports_state CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE imports ADD errors_stored int NOT NULL CONSTRAINT df_imports_errors_stored DEFAULT 0;
GO

UPDATE imports SET errors_stored = error_count;
