-- The Chinese text of an alert (envmon.alerts.v1 "messageZh", docs/alerts.md); absent in records
-- written before the stream jobs produced it.
ALTER TABLE alert ADD COLUMN message_zh text;
