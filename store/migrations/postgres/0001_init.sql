-- Teams, tokens, the register store behind sync, config and the audit trail.
-- Stamps compare byte-wise (COLLATE "C") so SQL keeps the same newest write as Rust.
CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    -- Last change version handed out; the row is the per-team write lock.
    last_version BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE tokens (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE clients (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id TEXT NOT NULL,
    last_mutation_id BIGINT NOT NULL,
    PRIMARY KEY (team_id, client_id)
);

CREATE TABLE registers (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    item_id TEXT NOT NULL,
    name TEXT NOT NULL,
    payload TEXT NOT NULL,
    stamp TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    token_id BIGINT NOT NULL REFERENCES tokens (id),
    day TEXT,
    PRIMARY KEY (team_id, item_id, name)
);
CREATE INDEX registers_by_version ON registers (team_id, version);
CREATE INDEX registers_by_day ON registers (team_id, name, day);

CREATE TABLE mutations (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id TEXT NOT NULL,
    mutation_id BIGINT NOT NULL,
    token_id BIGINT NOT NULL REFERENCES tokens (id),
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (team_id, client_id, mutation_id)
);
CREATE INDEX mutations_by_day ON mutations (team_id, day);

CREATE TABLE config (
    team_id BIGINT PRIMARY KEY REFERENCES teams (id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES tokens (id)
);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    token_id BIGINT NOT NULL REFERENCES tokens (id),
    kind TEXT NOT NULL,
    rule TEXT,
    severity TEXT,
    network TEXT NOT NULL,
    at BIGINT NOT NULL,
    day TEXT NOT NULL
);
CREATE INDEX events_by_day ON events (team_id, day);
