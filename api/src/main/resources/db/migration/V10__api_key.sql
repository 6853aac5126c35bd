-- Issue 17 §4, API keys of the public API: issued by the coordinator to a holder (a research
-- group, an app), each with its own requests per minute. Only the SHA-256 of the key's 256-bit
-- random secret is stored; the key itself is answered once, when it is issued. A revoked key stays
-- (revoked_at) so the list and the audit log keep saying who held it.
CREATE TABLE api_key (
  id                  bigserial PRIMARY KEY,
  name                text NOT NULL,
  secret_sha256       bytea NOT NULL CHECK (length(secret_sha256) = 32),
  requests_per_minute integer NOT NULL CHECK (requests_per_minute > 0),
  created_at          timestamptz NOT NULL,
  created_by          text NOT NULL,
  revoked_at          timestamptz,
  revoked_by          text
);
