-- The weekly clearance report, once per district and ISO week: the unique key stops a second run, late
-- run or concurrent run from mailing the same week's report twice.
CREATE TABLE report_deliveries (
    district_code varchar(15) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT fk_report_deliveries_district REFERENCES org_units (code),
    week_key      varchar(8) NOT NULL,
    week_start    date NOT NULL,
    week_end      date NOT NULL,
    mails         int NOT NULL,
    created_at    datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_report_deliveries PRIMARY KEY (district_code, week_key)
);
