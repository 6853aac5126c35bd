-- Issue 17 §3, retention: an import's readings older than the raw readings' retention are stored
-- as hourly aggregates only (InfluxDB would drop them from the policy raw); counted here.
ALTER TABLE import_job ADD COLUMN hours_only bigint NOT NULL DEFAULT 0;
