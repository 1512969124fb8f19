-- Where each org unit is: its boundary as a GeoJSON Polygon or MultiPolygon in WGS-84, as checked and
-- normalised by the service, with its bounding box and number of vertices; synthetic marks the demo's made-up shapes.
CREATE TABLE org_unit_boundaries (
    org_code   varchar(15) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT pk_org_unit_boundaries PRIMARY KEY
               CONSTRAINT fk_org_unit_boundaries_org_unit REFERENCES org_units (code),
    geojson    nvarchar(max) NOT NULL,
    vertices   int NOT NULL,
    min_lng    float NOT NULL,
    min_lat    float NOT NULL,
    max_lng    float NOT NULL,
    max_lat    float NOT NULL,
    synthetic  bit NOT NULL CONSTRAINT df_org_unit_boundaries_synthetic DEFAULT 0,
    updated_at datetimeoffset(7) NOT NULL,
    updated_by nvarchar(64) NOT NULL
);

-- One row: moves with every change of a boundary, so each instance rebuilds its lookup index when another changed one.
CREATE TABLE boundary_stamp (
    id    int NOT NULL CONSTRAINT pk_boundary_stamp PRIMARY KEY CONSTRAINT ck_boundary_stamp_one CHECK (id = 1),
    stamp int NOT NULL
);

INSERT INTO boundary_stamp (id, stamp) VALUES (1, 0);
