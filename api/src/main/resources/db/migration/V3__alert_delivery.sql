-- Where alerts go besides the API (docs/api.md "Webhooks", "Alerts on MQTT", "SSE").

-- An acknowledgement is an event of the stream too: state 'ACKNOWLEDGED', with who did it.
ALTER TABLE alert_event ADD COLUMN acknowledged_by text;

-- The webhooks of a city: every event of an alert the city receives is POSTed to each of them.
CREATE TABLE webhook (
  id         bigserial PRIMARY KEY,
  city_id    text NOT NULL REFERENCES city (id),
  url        text NOT NULL,
  secret     text NOT NULL, -- the HMAC-SHA256 key; shown once, when the webhook is created
  created_at timestamptz NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX webhook_city ON webhook (city_id);

-- One row per (webhook, event), written in the transaction of the event: the exact body to send,
-- the attempts made and when the next one is due. Delivered rows keep delivered_at; after the last
-- failed attempt dead_at is set and the row is a dead letter.
CREATE TABLE webhook_delivery (
  id              bigserial PRIMARY KEY,
  webhook_id      bigint NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
  event_id        bigint NOT NULL REFERENCES alert_event (id),
  alert_id        text NOT NULL,
  body            text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  last_attempt_at timestamptz,
  delivered_at    timestamptz,
  dead_at         timestamptz,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at)
  WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX webhook_delivery_dead ON webhook_delivery (webhook_id) WHERE dead_at IS NOT NULL;

-- How far a publisher of alert events (e.g. 'mqtt') has got in alert_event.
CREATE TABLE alert_publication_cursor (
  channel       text PRIMARY KEY,
  last_event_id bigint NOT NULL
);
