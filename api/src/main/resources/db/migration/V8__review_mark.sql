-- Issue 15 §1, review of data (数据审核): a bureau marks a point's values over [from_time, to_time)
-- invalid or valid again, of one parameter or of every value of the readings (parameter NULL).
-- Marks are only ever added: a later mark (higher id) wins where it overlaps an earlier one, and
-- the raw values stay in InfluxDB untouched. Each mark is audited in audit_log (review.mark).
CREATE TABLE review_mark (
  id         bigserial PRIMARY KEY,
  point_id   text NOT NULL REFERENCES point (id),
  from_time  timestamptz NOT NULL,
  to_time    timestamptz NOT NULL,
  parameter  text,
  verdict    text NOT NULL CHECK (verdict IN ('INVALID', 'VALID')),
  reason     text NOT NULL CHECK (reason IN ('CALIBRATION', 'MAINTENANCE', 'INSTRUMENT_FAULT',
                                             'EXTERNAL_INTERFERENCE', 'OTHER')),
  note       text,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  CHECK (from_time < to_time),
  CHECK (reason <> 'OTHER' OR (note IS NOT NULL AND note <> ''))
);
CREATE INDEX review_mark_point ON review_mark (point_id, id);
