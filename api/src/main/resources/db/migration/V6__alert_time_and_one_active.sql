-- Issue 12 (docs/alerts.md, docs/api.md "Alerts"):
-- 1. an event's detection time by the platform's clock and whether it came from late data;
-- 2. at most one active alert per point and type (and receiving city, and origin for JOINT), kept
--    by the API whatever the stream sends: the episode that started later wins, the other is
--    closed as superseded (superseded_by), and a superseded episode never comes back.

-- No alert is written while this runs (an API replica of the previous version may be running).
LOCK TABLE alert IN SHARE ROW EXCLUSIVE MODE;
-- The advisory lock of AlertStore.EVENT_WRITER_LOCK: appends to alert_event in id order.
SELECT pg_advisory_xact_lock(28550427568991745);

ALTER TABLE alert
  ADD COLUMN detected_at   timestamptz,                   -- when the platform produced the event
  ADD COLUMN delayed       boolean NOT NULL DEFAULT false, -- the event came from late data
  ADD COLUMN superseded_by text;                          -- the alert id that closed this episode

-- Existing data may hold several active alerts of one point and type (stream jobs restarted
-- without their state raise the episode again under a new id): close all but the one that started
-- last (ties: the greater id, as AlertStore decides), each with a CLEARED event and its webhook
-- deliveries, as AlertStore does when it closes one.
WITH ranked AS (
  SELECT id,
         first_value(id) OVER episode         AS winner,
         first_value(started_at) OVER episode AS winner_started,
         row_number() OVER episode            AS place
  FROM alert
  WHERE state <> 'CLEARED'
  WINDOW episode AS (PARTITION BY point_id, type, city_id, coalesce(origin_point, '')
                     ORDER BY started_at DESC, id COLLATE "C" DESC)
),
closed AS (
  UPDATE alert a
  SET state         = 'CLEARED',
      superseded_by = r.winner,
      message       = 'superseded by alert ' || r.winner
                      || ' of the same point and type (one active alert per point and type)',
      message_zh    = '已被同一点位同类告警 ' || r.winner || ' 取代（每个点位同类告警只保留一条）',
      updated_at    = greatest(a.updated_at, r.winner_started),
      detected_at   = now()
  FROM ranked r
  WHERE a.id = r.id AND r.place > 1
  RETURNING a.*
),
texts AS (
  SELECT c.*,
         to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')  AS started,
         to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')  AS updated,
         to_char(c.detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS detected
  FROM closed c
),
events AS (
  -- payload: the envmon.alerts.v1 JSON (AlertJson), as for a consumed record
  INSERT INTO alert_event (alert_id, state, at, payload)
  SELECT id, 'CLEARED', updated_at,
         json_strip_nulls(json_build_object(
           'alertId', id, 'type', type, 'state', state, 'severity', severity,
           'pointId', point_id, 'cityId', city_id, 'kind', kind, 'values', values_json::json,
           'threshold', threshold, 'message', message, 'messageZh', message_zh,
           'startedAt', started, 'updatedAt', updated, 'originPointId', origin_point,
           'originCityId', origin_city, 'path', path::json, 'detectedAt', detected,
           'delayed', CASE WHEN delayed THEN true END))::text
  FROM texts
  ORDER BY updated_at, id
  ON CONFLICT (alert_id, state, at) DO NOTHING
  RETURNING id, alert_id
)
-- body: the API's alert JSON (AlertView), as AlertStore enqueues it
INSERT INTO webhook_delivery (webhook_id, event_id, alert_id, body, next_attempt_at)
SELECT w.id, e.id, e.alert_id,
       json_strip_nulls(json_build_object(
         'id', t.id, 'type', t.type, 'state', t.state, 'severity', t.severity,
         'pointId', t.point_id, 'cityId', t.city_id, 'kind', t.kind,
         'values', t.values_json::json, 'threshold', t.threshold, 'message', t.message,
         'messageZh', t.message_zh, 'startedAt', t.started, 'updatedAt', t.updated,
         'detectedAt', t.detected, 'delayed', t.delayed, 'originPointId', t.origin_point,
         'originCityId', t.origin_city, 'path', t.path::json))::text,
       now()
FROM events e
JOIN texts t ON t.id = e.alert_id
JOIN webhook w ON w.city_id = t.city_id;

-- The database itself keeps the rule from now on.
CREATE UNIQUE INDEX alert_one_active ON alert (point_id, type, city_id, coalesce(origin_point, ''))
  WHERE state <> 'CLEARED';
