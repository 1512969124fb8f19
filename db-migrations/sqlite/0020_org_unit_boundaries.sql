-- Where each org unit is: its boundary as a GeoJSON Polygon or MultiPolygon in WGS-84, as checked and
-- normalised by the service, with its bounding box and number of vertices; synthetic marks the demo's made-up shapes.
CREATE TABLE org_unit_boundaries (
    org_code   TEXT NOT NULL PRIMARY KEY REFERENCES org_units (code),
    geojson    TEXT NOT NULL,
    vertices   INTEGER NOT NULL,
    min_lng    REAL NOT NULL,
    min_lat    REAL NOT NULL,
    max_lng    REAL NOT NULL,
    max_lat    REAL NOT NULL,
    synthetic  INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- One row: moves with every change of a boundary, so each instance rebuilds its lookup index when another changed one.
CREATE TABLE boundary_stamp (
    id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    stamp INTEGER NOT NULL
);

INSERT INTO boundary_stamp (id, stamp) VALUES (1, 0);
