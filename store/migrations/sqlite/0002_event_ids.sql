-- Audit events carry the sending client's id and its own number for each event, so a
-- retried POST /v1/events stores nothing twice. Events sent without ids (NULLs) are
-- never taken for duplicates: unique indexes treat NULLs as distinct.
ALTER TABLE events ADD COLUMN client_id TEXT;
ALTER TABLE events ADD COLUMN event_id INTEGER;
CREATE UNIQUE INDEX events_once ON events (team_id, client_id, event_id);
