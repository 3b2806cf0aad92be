-- Snapshots of the official list, one per import that changed something.
CREATE TABLE snapshots (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    date          TEXT NOT NULL,            -- date of the list (Last-Modified, --date, or import day)
    source        TEXT NOT NULL,            -- URL or path it was read from
    etag          TEXT,
    last_modified TEXT,
    sha256        TEXT NOT NULL,            -- of the decoded file
    raw_path      TEXT,                     -- compressed copy, relative to the data dir
    lignes        INTEGER NOT NULL,
    valides       INTEGER NOT NULL,
    rejetees      INTEGER NOT NULL,
    corrections   INTEGER NOT NULL,
    certifies     INTEGER NOT NULL,
    changements   INTEGER NOT NULL,
    synthetique   INTEGER NOT NULL DEFAULT 0,
    imported_at   TEXT NOT NULL
);

-- Current state per NDA, including providers no longer listed (present = 0).
CREATE TABLE organismes (
    nda                 TEXT PRIMARY KEY NOT NULL,
    siren               TEXT,
    siret               TEXT,
    denomination        TEXT NOT NULL,
    code_postal         TEXT,
    code_region         TEXT,
    certifie            INTEGER NOT NULL,
    actions_formation   INTEGER NOT NULL,
    bilans_competences  INTEGER NOT NULL,
    vae                 INTEGER NOT NULL,
    apprentissage       INTEGER NOT NULL,
    present             INTEGER NOT NULL,
    first_seen          TEXT NOT NULL,
    last_seen           TEXT NOT NULL,      -- written when the provider leaves; read as the latest snapshot date while present
    certified_since     TEXT,
    nda_predecesseur    TEXT,
    nda_successeur      TEXT,
    code_commune        TEXT,
    lat                 REAL,
    lon                 REAL,
    precision_geo       TEXT,
    departement         TEXT,
    fingerprint         INTEGER NOT NULL,
    data                TEXT NOT NULL       -- the normalised record as JSON (annuaire_core::Organisme)
);
CREATE INDEX organismes_siren ON organismes (siren);
CREATE INDEX organismes_siret ON organismes (siret);

-- Append-only history. The triggers make the invariant hold whatever code runs against the file.
CREATE TABLE changements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    date        TEXT NOT NULL,
    nda         TEXT NOT NULL,
    type        TEXT NOT NULL,
    avant       TEXT,                       -- JSON
    apres       TEXT,                       -- JSON
    nda_lie     TEXT
);
CREATE INDEX changements_date ON changements (date);
CREATE INDEX changements_nda ON changements (nda);
CREATE TRIGGER changements_no_update BEFORE UPDATE ON changements
BEGIN SELECT RAISE(ABORT, 'changements is append-only'); END;
CREATE TRIGGER changements_no_delete BEFORE DELETE ON changements
BEGIN SELECT RAISE(ABORT, 'changements is append-only'); END;

-- Rows of a snapshot that could not be imported, and values repaired on the way in.
CREATE TABLE rejets (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    ligne       INTEGER NOT NULL,
    nda         TEXT,
    motif       TEXT NOT NULL,
    message     TEXT NOT NULL,
    brut        TEXT NOT NULL
);
CREATE INDEX rejets_snapshot ON rejets (snapshot_id);
CREATE TABLE corrections (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    ligne       INTEGER NOT NULL,
    nda         TEXT NOT NULL,
    champ       TEXT NOT NULL,
    avant       TEXT NOT NULL,
    apres       TEXT
);
CREATE INDEX corrections_snapshot ON corrections (snapshot_id);
