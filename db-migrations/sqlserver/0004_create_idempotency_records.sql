-- The first answer to a POST with an Idempotency-Key, written in the same transaction as its work.
CREATE TABLE idempotency_records (
    principal     nvarchar(100) NOT NULL,
    idem_key      nvarchar(200) NOT NULL,
    request_hash  char(64) NOT NULL,
    status_code   int NOT NULL,
    content_type  varchar(200) NULL,
    location      nvarchar(400) NULL,
    etag          varchar(100) NULL,
    body          varbinary(max) NOT NULL,
    created_at    datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_idempotency_records PRIMARY KEY (principal, idem_key)
);

CREATE INDEX ix_idempotency_records_created ON idempotency_records (created_at);
