-- One counter for the whole registry of points, raised in the transaction of every point change
-- (PointService). The row lock orders the changes by commit, so a reader that saw version v has
-- seen every change up to v: the API caches the points for as long as the version stays the same.
CREATE TABLE registry_version (
  id      int PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 0);
