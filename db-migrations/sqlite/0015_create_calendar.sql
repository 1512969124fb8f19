-- The working-day calendar as data: the official years (the State Council's notice, loaded at
-- start from the built-in data and Calendar:ExtraDaysFile, or at run time by PUT /api/v1/calendar/{year}),
-- with who loaded each and when. A year without a row is provisional: the law's holidays, computed.
CREATE TABLE calendar_years (
    year      INTEGER NOT NULL PRIMARY KEY,
    source    TEXT NOT NULL CHECK (source IN ('builtIn', 'extraDaysFile', 'api')),
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    version   INTEGER NOT NULL
);

CREATE TABLE calendar_days (
    day  TEXT NOT NULL PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES calendar_years (year),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL
);

CREATE INDEX ix_calendar_days_year ON calendar_days (year, day);

-- One row: moves with every change of the calendar, so an instance learns of a change by reading one number.
CREATE TABLE calendar_stamp (
    id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    stamp INTEGER NOT NULL
);

INSERT INTO calendar_stamp (id, stamp) VALUES (1, 0);

-- The city admins were told to load the notice for this year: once per year, whichever instance noticed first.
CREATE TABLE calendar_reminders (
    year       INTEGER NOT NULL PRIMARY KEY,
    noticed_at TEXT NOT NULL,
    mails      INTEGER NOT NULL
);

-- Working rows of one recomputation of deadlines after a notice is loaded: for events on one local day
-- (from_at <= event < to_at) and one kind of deadline (subject), the deadline old_due becomes new_due. Emptied by the run.
CREATE TABLE calendar_shifts (
    run_id  TEXT NOT NULL,
    subject TEXT NOT NULL,
    from_at TEXT NOT NULL,
    to_at   TEXT NOT NULL,
    old_due TEXT NOT NULL,
    new_due TEXT NOT NULL,
    PRIMARY KEY (run_id, subject, from_at)
);
