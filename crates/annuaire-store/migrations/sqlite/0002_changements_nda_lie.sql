-- A provider's history includes the transfers that name it as the other NDA
-- (`nda = ? OR nda_lie = ?`); without this index that query scans the whole log.
CREATE INDEX changements_nda_lie ON changements (nda_lie);
