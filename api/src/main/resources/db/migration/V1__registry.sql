-- The registry of the cluster: cities, monitoring points, users, and what changed them.
CREATE TABLE cluster (
  id      text PRIMARY KEY,
  name    text NOT NULL,
  name_en text
);

CREATE TABLE city (
  id         text PRIMARY KEY,
  cluster_id text NOT NULL REFERENCES cluster (id),
  name       text NOT NULL,
  name_en    text,
  time_zone  text NOT NULL,
  neighbours text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE point (
  id           text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  city_id      text NOT NULL REFERENCES city (id),
  kind         text NOT NULL CHECK (kind IN ('AIR', 'WATER', 'NOISE')),
  name         text NOT NULL,
  name_en      text,
  lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon          double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  status       text NOT NULL CHECK (status IN ('PLANNED', 'ACTIVE', 'DECOMMISSIONED')),
  sharing      text NOT NULL CHECK (sharing IN ('PRIVATE', 'CLUSTER', 'CITIES')),
  shared_with  text[] NOT NULL DEFAULT '{}',
  river        text,
  important    boolean,
  target_class text,
  water_body   text,
  downstream   text[] NOT NULL DEFAULT '{}',
  noise_zone   text,
  updated_at   timestamptz NOT NULL,
  updated_by   text NOT NULL,
  CHECK ((kind = 'WATER') = (river IS NOT NULL AND important IS NOT NULL AND target_class IS NOT NULL)),
  CHECK ((kind = 'NOISE') = (noise_zone IS NOT NULL))
);
CREATE INDEX point_city ON point (city_id, kind);

CREATE TABLE app_user (
  username      text PRIMARY KEY,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('coordinator', 'bureau', 'emergency', 'viewer')),
  city_id       text REFERENCES city (id),
  CHECK ((role = 'coordinator') = (city_id IS NULL))
);

-- Who changed what, in the same transaction as the change.
CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  subject text NOT NULL,
  detail  text
);

-- Messages for Kafka, written in the transaction of the change and drained by OutboxRelay.
CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  topic       text NOT NULL,
  message_key text NOT NULL,
  payload     bytea,
  created_at  timestamptz NOT NULL,
  sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
