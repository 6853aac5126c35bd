package io.envmon.jobs.ratio;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.envmon.domain.ratio.CityRatios;
import io.envmon.domain.ratio.ClusterRatios;
import io.envmon.domain.ratio.Ratio;
import io.envmon.domain.wire.LineProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code envmon.sharing-ratios.v1} and of InfluxDB {@code sharing_ratio}: a city's or
 * the cluster's ratios at minute T (docs/stream-jobs.md has the JSON form).
 *
 * @param scope {@code city} or {@code cluster}
 */
public record SharingRatioRecord(String scope, CityRatios ratios) {

  private static final JsonFactory FACTORY = new JsonFactory();

  public static List<SharingRatioRecord> of(ClusterRatios cluster) {
    List<SharingRatioRecord> records = new ArrayList<>();
    cluster.cities().forEach(city -> records.add(new SharingRatioRecord("city", city)));
    records.add(new SharingRatioRecord("cluster", cluster.cluster()));
    return records;
  }

  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("cityId", ratios.cityId());
      json.writeStringField("scope", scope);
      json.writeStringField("at", ratios.at().toString());
      writeRatio(json, "air", ratios.air());
      writeRatio(json, "water", ratios.water());
      writeRatio(json, "noise", ratios.noise());
      if (ratios.score() != null) {
        json.writeNumberField("score", ratios.score());
      } else {
        json.writeNullField("score");
        json.writeStringField("scoreNullReason", ratios.scoreNullReason());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeRatio(JsonGenerator json, String name, Ratio ratio) throws IOException {
    json.writeObjectFieldStart(name);
    json.writeNumberField("numerator", ratio.numerator());
    json.writeNumberField("denominator", ratio.denominator());
    json.writeNumberField("conditional", ratio.conditionalNumerator());
    if (ratio.value() != null) {
      json.writeNumberField("value", ratio.value());
    } else {
      json.writeNullField("value");
      json.writeStringField("nullReason", ratio.nullReason());
    }
    json.writeEndObject();
  }

  /** The InfluxDB line agreed with the API: measurement sharing_ratio, time = T. */
  public void writeLine(LineProtocol lines) {
    lines.measurement("sharing_ratio").tag("city", ratios.cityId()).tag("scope", scope);
    addRatio(lines, "air", ratios.air());
    addRatio(lines, "water", ratios.water());
    addRatio(lines, "noise", ratios.noise());
    if (ratios.score() != null) {
      lines.field("score", ratios.score());
    } else {
      lines.field("score_null_reason", ratios.scoreNullReason());
    }
    lines.time(ratios.at().toEpochMilli());
  }

  private static void addRatio(LineProtocol lines, String kind, Ratio ratio) {
    lines.field(kind + "_num", (long) ratio.numerator());
    lines.field(kind + "_den", (long) ratio.denominator());
    lines.field(kind + "_cond", (long) ratio.conditionalNumerator());
    if (ratio.value() != null) {
      lines.field(kind + "_value", ratio.value());
    } else {
      lines.field(kind + "_null_reason", ratio.nullReason());
    }
  }
}
