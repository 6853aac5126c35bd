-- Issue 13: a city's noise night window (Noise Pollution Prevention Law, in force 2022-06-05: a city
-- government may move the start and end of the night, which stays 8 hours). Local time HH:mm, in
-- the city's time_zone; GB 3096-2008's 22:00-06:00 by default. The API checks the 8 hours.
ALTER TABLE city
  ADD COLUMN night_start text NOT NULL DEFAULT '22:00' CHECK (night_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  ADD COLUMN night_end   text NOT NULL DEFAULT '06:00' CHECK (night_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');
