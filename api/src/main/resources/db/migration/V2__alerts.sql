-- Alerts consumed from Kafka envmon.alerts.v1 (docs/alerts.md): the latest state of each episode,
-- with its acknowledgement by a person, and every change as an event for the SSE stream.
CREATE TABLE alert (
  id              text PRIMARY KEY,
  type            text NOT NULL,
  state           text NOT NULL CHECK (state IN ('RAISED', 'ESCALATED', 'CLEARED')),
  severity        text NOT NULL,
  point_id        text NOT NULL,
  city_id         text NOT NULL, -- the receiving (owning) city; for JOINT not the origin's
  kind            text NOT NULL,
  values_json     text NOT NULL,
  threshold       double precision,
  message         text NOT NULL,
  started_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  origin_city     text,
  origin_point    text,
  path            text, -- JSON array of point ids, JOINT only
  acknowledged_by text,
  acknowledged_at timestamptz,
  CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
CREATE INDEX alert_city_state ON alert (city_id, state);

-- One row per change of an alert; id is the SSE event id (Last-Event-ID resumes after it).
-- (alert_id, state, at) is unique so a redelivered Kafka record adds nothing.
CREATE TABLE alert_event (
  id       bigserial PRIMARY KEY,
  alert_id text NOT NULL REFERENCES alert (id),
  state    text NOT NULL,
  at       timestamptz NOT NULL,
  payload  text NOT NULL, -- the envmon.alerts.v1 JSON of this change
  UNIQUE (alert_id, state, at)
);
