-- The working-day calendar as data: the official years (the State Council's notice, loaded at
-- start from the built-in data and Calendar:ExtraDaysFile, or at run time by PUT /api/v1/calendar/{year}),
-- with who loaded each and when. A year without a row is provisional: the law's holidays, computed.
CREATE TABLE calendar_years (
    year      int NOT NULL CONSTRAINT pk_calendar_years PRIMARY KEY,
    source    varchar(16) NOT NULL CONSTRAINT ck_calendar_years_source CHECK (source IN ('builtIn', 'extraDaysFile', 'api')),
    loaded_by nvarchar(64) NOT NULL,
    loaded_at datetimeoffset(7) NOT NULL,
    version   int NOT NULL
);

CREATE TABLE calendar_days (
    day  date NOT NULL CONSTRAINT pk_calendar_days PRIMARY KEY,
    year int NOT NULL CONSTRAINT fk_calendar_days_year REFERENCES calendar_years (year),
    kind varchar(8) NOT NULL CONSTRAINT ck_calendar_days_kind CHECK (kind IN ('holiday', 'workday')),
    name nvarchar(50) NOT NULL
);

CREATE INDEX ix_calendar_days_year ON calendar_days (year, day);

-- One row: moves with every change of the calendar, so an instance learns of a change by reading one number.
CREATE TABLE calendar_stamp (
    id    int NOT NULL CONSTRAINT pk_calendar_stamp PRIMARY KEY CONSTRAINT ck_calendar_stamp_one CHECK (id = 1),
    stamp int NOT NULL
);

INSERT INTO calendar_stamp (id, stamp) VALUES (1, 0);

-- The city admins were told to load the notice for this year: once per year, whichever instance noticed first.
CREATE TABLE calendar_reminders (
    year       int NOT NULL CONSTRAINT pk_calendar_reminders PRIMARY KEY,
    noticed_at datetimeoffset(7) NOT NULL,
    mails      int NOT NULL
);

-- Working rows of one recomputation of deadlines after a notice is loaded: for events on one local day
-- (from_at <= event < to_at) and one kind of deadline (subject), the deadline old_due becomes new_due. Emptied by the run.
CREATE TABLE calendar_shifts (
    run_id  uniqueidentifier NOT NULL,
    subject varchar(48) NOT NULL,
    from_at datetimeoffset(7) NOT NULL,
    to_at   datetimeoffset(7) NOT NULL,
    old_due datetimeoffset(7) NOT NULL,
    new_due datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_calendar_shifts PRIMARY KEY (run_id, subject, from_at)
);
