#!/usr/bin/env bash
# Disk per station and year of the readings database (issue 17 §3; docs/infrastructure.md,
# "Retention"): a scratch InfluxDB of its own writes STATIONS air stations' readings, one a minute
# for DAYS days, as the stream jobs write them (11 fields with their flags, reading_id, source; the
# tags city, point, kind), lets it compact fully, measures the raw policy's shards with du,
# computes the hourly aggregates as the API's rollup does (SELECT ... INTO forever) and measures
# those, and prints the figures extrapolated to a station-year. Stops its InfluxDB and deletes its
# directory at the end.
#   infra/influxdb/measure-disk.sh [STATIONS=10] [DAYS=7] [PORT=28486]
set -euo pipefail
STATIONS=${1:-10}
DAYS=${2:-7}
PORT=${3:-28486}
DIR=$(mktemp -d /tmp/envmon-disk.XXXXXX)
URL="http://127.0.0.1:$PORT"
DB=disk
INFLUXD=$(command -v influxd || echo /usr/sbin/influxd)

cat >"$DIR/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$((PORT + 1))"
[meta]
  dir = "$DIR/meta"
[data]
  dir = "$DIR/data"
  wal-dir = "$DIR/wal"
  cache-snapshot-write-cold-duration = "2s"
  compact-full-write-cold-duration = "5s"
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$PORT"
  log-enabled = false
CONF
"$INFLUXD" -config "$DIR/influxdb.conf" >"$DIR/influxd.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
until curl -sf -o /dev/null "$URL/ping"; do sleep 0.2; done

q() {
  local answer
  answer=$(curl -sS -XPOST "$URL/query" --data-urlencode "db=$DB" --data-urlencode "q=$1")
  [[ $answer != *'"error"'* ]] || { echo "$1: $answer" >&2; exit 1; }
}
# the layout of io.envmon.domain.reading.ReadingStore.setUp (raw 52 weeks, named in every write; forever)
q "CREATE DATABASE $DB"
q "CREATE RETENTION POLICY raw ON $DB DURATION 8736h REPLICATION 1 SHARD DURATION 1w"
q "CREATE RETENTION POLICY forever ON $DB DURATION INF REPLICATION 1 SHARD DURATION 52w"

start=$(( ($(date +%s) / 86400 - DAYS) * 86400 ))
started=$(date +%s)
for ((s = 1; s <= STATIONS; s++)); do
  # mawk's %d is 32 bits: times are printed with %.0f
  # a random walk per field, rounded as analysers report (µg/m³ whole, CO 0.001 mg/m³ ...)
  awk -v s="$s" -v start="$start" -v minutes=$((DAYS * 1440)) 'BEGIN {
    srand(s); pm25 = 35; pm10 = 60; so2 = 8; no2 = 30; o3 = 60; co = 0.6;
    t = 12; rh = 70; p = 101.3; ws = 2; wd = 180;
    for (i = 0; i < minutes; i++) {
      pm25 += rand() - 0.5; pm10 += rand() - 0.5; so2 += (rand() - 0.5) / 4;
      no2 += rand() - 0.5; o3 += rand() - 0.5; co += (rand() - 0.5) / 100;
      t += (rand() - 0.5) / 10; rh += (rand() - 0.5) / 5; p += (rand() - 0.5) / 100;
      ws = 2 + 2 * rand(); wd = int(360 * rand());
      ms = (start + i * 60) * 1000;
      printf "reading,city=city%d,kind=AIR,point=city%d-air-%02d ", s % 3, s % 3, s;
      # a name-based UUID of point and time in the jobs; as random to the compressor
      printf "reading_id=\"%08x-%04x-3%03x-%04x-%04x%08x\",source=\"MQTT\",", int(rand() * 4294967295), int(rand() * 65535), int(rand() * 4095), int(rand() * 65535), int(rand() * 65535), int(rand() * 4294967295);
      printf "pm25=%d,pm25_flag=\"N\",pm10=%d,pm10_flag=\"N\",so2=%d,so2_flag=\"N\",", pm25 < 0 ? 0 : pm25, pm10 < 0 ? 0 : pm10, so2 < 0 ? 0 : so2;
      printf "no2=%d,no2_flag=\"N\",o3=%d,o3_flag=\"N\",co=%.3f,co_flag=\"N\",", no2 < 0 ? 0 : no2, o3 < 0 ? 0 : o3, co;
      printf "air_temp=%.1f,air_temp_flag=\"N\",rh=%.1f,rh_flag=\"N\",pressure=%.2f,pressure_flag=\"N\",", t, rh, p;
      printf "wind_speed=%.1f,wind_speed_flag=\"N\",wind_dir=%d,wind_dir_flag=\"N\" %.0f\n", ws, wd, ms;
    }
  }' | split -l 5000 --filter "curl -sS --fail-with-body -XPOST '$URL/write?db=$DB&rp=raw&precision=ms' --data-binary @- || exit 1" -
done
written=$(date +%s)

# fully compacted: no WAL segment with data left and the TSM files of each shard stop changing
size() { du -sb "$DIR/data/$DB/$1" 2>/dev/null | cut -f1 || echo 0; }
previous=-1
while :; do
  sleep 10
  now=$(size raw)
  [[ $now == "$previous" ]] && break
  previous=$now
done
raw=$(size raw)

fields="pm25 pm10 so2 no2 o3 co air_temp rh pressure wind_speed wind_dir"
for f in $fields; do
  q "SELECT mean(\"$f\") AS \"${f}_mean\", min(\"$f\") AS \"${f}_min\", max(\"$f\") AS \"${f}_max\", count(\"$f\") AS \"${f}_count\" INTO \"forever\".\"reading_1h\" FROM \"raw\".\"reading\" WHERE \"${f}_flag\" = 'N' AND time >= $((start))000000000 GROUP BY time(1h), \"city\", \"point\", \"kind\" fill(none)"
done
previous=-1
while :; do
  sleep 10
  now=$(size forever)
  [[ $now == "$previous" ]] && break
  previous=$now
done
hours=$(size forever)

readings=$((STATIONS * DAYS * 1440))
awk -v raw="$raw" -v hours="$hours" -v n="$STATIONS" -v d="$DAYS" -v r="$readings" -v w=$((written - started)) 'BEGIN {
  printf "stations %d, days %d, readings %d (written in %d s)\n", n, d, r, w;
  printf "raw:   %d bytes on disk, %.1f bytes a reading, %.1f MB per station-year\n", raw, raw / r, raw / n / d * 365 / 1e6;
  printf "hours: %d bytes on disk, %.1f bytes an hour, %.2f MB per station-year\n", hours, hours / (n * d * 24), hours / n / d * 365 / 1e6;
}'
