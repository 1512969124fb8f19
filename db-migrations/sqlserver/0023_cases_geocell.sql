-- Nearby duplicates: the geohash cell (precision 7, about 150 m) of a case's position, so the open
-- cases near a new report are read from the index by the nine cells around it, not by a scan. Cases reported before
-- this have no cell and are not offered as duplicates.
ALTER TABLE cases ADD geocell varchar(12) COLLATE Latin1_General_BIN2 NULL;
GO

CREATE INDEX ix_cases_geocell ON cases (geocell, sector, reported_at) WHERE geocell IS NOT NULL;
