-- The weekly clearance report, once per district and ISO week: the unique key stops a second run, late
-- run or concurrent run from mailing the same week's report twice.
CREATE TABLE report_deliveries (
    district_code TEXT NOT NULL REFERENCES org_units (code),
    week_key      TEXT NOT NULL,
    week_start    TEXT NOT NULL,
    week_end      TEXT NOT NULL,
    mails         INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (district_code, week_key)
);
