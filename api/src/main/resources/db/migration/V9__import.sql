-- Issue 17 §2, import of history: a bureau's file of readings (CSV or SenML), validated row by row
-- by the gateway's rules and produced to envmon.readings.v1 in the background. import_job holds
-- its progress and counts; import_refusal the refused rows and values (line, reason, detail),
-- at most envmon.imports.max-listed-refusals of them per import (the counts are always complete).
CREATE TABLE import_job (
  id             text PRIMARY KEY,
  city_id        text NOT NULL REFERENCES city (id),
  point_id       text REFERENCES point (id),
  format         text NOT NULL CHECK (format IN ('CSV', 'SENML')),
  status         text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
  file_bytes     bigint NOT NULL,
  bytes_read     bigint NOT NULL DEFAULT 0,
  rows_read      bigint NOT NULL DEFAULT 0,
  accepted       bigint NOT NULL DEFAULT 0,
  refused        bigint NOT NULL DEFAULT 0,
  values_refused bigint NOT NULL DEFAULT 0,
  first_observed timestamptz,
  last_observed  timestamptz,
  error          text,
  created_at     timestamptz NOT NULL,
  created_by     text NOT NULL,
  replica        text NOT NULL,
  started_at     timestamptz,
  finished_at    timestamptz
);
CREATE INDEX import_job_city ON import_job (city_id, created_at);

CREATE TABLE import_refusal (
  id        bigserial PRIMARY KEY,
  import_id text NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
  line      bigint NOT NULL,
  point_id  text,
  whole_row boolean NOT NULL,
  reason    text NOT NULL,
  location  text NOT NULL,
  detail    text NOT NULL
);
CREATE INDEX import_refusal_import ON import_refusal (import_id, id);
