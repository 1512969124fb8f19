-- Text search: q in a district or narrower is read from this index alone, its range of paths with
-- the three texts q matches, so a word that few cases hold (or none) costs one pass over the district's entries, not
-- a walk of every case; narrower than the clustered index, which carries every column. The ids it finds are then read by key.
CREATE INDEX ix_cases_text ON cases (org_path, id) INCLUDE (title, description, address);
