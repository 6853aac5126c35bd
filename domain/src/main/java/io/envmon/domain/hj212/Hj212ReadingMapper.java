package io.envmon.domain.hj212;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Quote;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps HJ 212-2017 data packets to envmon readings and back (docs/standards.md §7). The gateway
 * maps the station's MN to a point; this class takes the point id as given. A bad factor is
 * reported and left out; the other factors are kept.
 */
public final class Hj212ReadingMapper {

  /** A plain decimal number, as HJ 212 writes values; no exponent, no NaN, no hex. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  private static final int MAX_VALUE_CHARS = 40;
  private static final DateTimeFormatter QN = DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS");

  private Hj212ReadingMapper() {}

  /**
   * The reading a data packet (CN 2011, 2051, 2061 or 2031) carries for {@code pointId}: its
   * DataTime is the observation time; each factor's {@code Rtd} (real-time) or {@code Avg} (minute,
   * hourly, daily) is the value, with its {@code Flag} (N when absent).
   *
   * @throws DecodeException when the packet is not a data upload or has no DataTime
   */
  public static Hj212DecodeResult toReadings(Hj212Packet packet, String pointId)
      throws DecodeException {
    Objects.requireNonNull(pointId, "pointId");
    DataCommand command =
        DataCommand.byCn(packet.cn())
            .orElseThrow(
                () ->
                    new DecodeException(
                        "CN "
                            + Quote.text(packet.cn())
                            + " is not a data upload; envmon reads 2011, 2051, 2061 and 2031",
                        "CN"));
    Instant dataTime = packet.cp().dataTime();
    if (dataTime == null) {
      throw new DecodeException("no DataTime in a CN " + packet.cn() + " packet", "CP");
    }
    List<Measurement> measurements = new ArrayList<>();
    List<FactorError> errors = new ArrayList<>();
    for (FactorValues factor : packet.cp().factors()) {
      measurement(factor, command, errors).ifPresent(measurements::add);
    }
    List<Reading> readings =
        measurements.isEmpty()
            ? List.of()
            : List.of(
                new Reading(
                    Reading.idFor(pointId, dataTime),
                    pointId,
                    dataTime,
                    measurements,
                    Source.HJ212,
                    packet.resent()));
    return new Hj212DecodeResult(readings, errors);
  }

  private static Optional<Measurement> measurement(
      FactorValues factor, DataCommand command, List<FactorError> errors) {
    String code = factor.code();
    Optional<Parameter> parameter = Parameter.byHj212FactorCode(code);
    if (parameter.isEmpty()) {
      errors.add(
          new FactorError(code, FactorError.CODE, "unknown factor code " + Quote.text(code)));
      return Optional.empty();
    }
    String valueField = command.valueField();
    Optional<String> text = factor.field(valueField);
    if (text.isEmpty()) {
      errors.add(
          new FactorError(
              code,
              valueField,
              "no " + code + "-" + valueField + " in a CN " + command.cn() + " packet"));
      return Optional.empty();
    }
    Double value = decimal(text.get());
    if (value == null) {
      errors.add(
          new FactorError(
              code, valueField, "value " + Quote.text(text.get()) + " is not a decimal number"));
      return Optional.empty();
    }
    Optional<String> flagText = factor.field(FactorValues.FLAG);
    Optional<DataFlag> flag =
        flagText.isEmpty() ? Optional.of(DataFlag.N) : DataFlag.parse(flagText.get());
    if (flag.isEmpty()) {
      errors.add(
          new FactorError(
              code,
              FactorValues.FLAG,
              "unknown data flag "
                  + Quote.text(flagText.get())
                  + "; expected one of N, F, M, S, D, C, T, B"));
      return Optional.empty();
    }
    return Optional.of(new Measurement(parameter.get(), value, flag.get()));
  }

  private static Double decimal(String text) {
    if (text.length() > MAX_VALUE_CHARS || !DECIMAL.matcher(text).matches()) {
      return null;
    }
    double value = Double.parseDouble(text);
    return Double.isFinite(value) ? value : null;
  }

  /**
   * A data packet carrying {@code reading}, as a station would send it (used by the station
   * simulator). Each measurement becomes {@code code-Rtd} or {@code code-Avg} with {@code
   * code-Flag}.
   *
   * @param sentAt the request time, written as QN in the station's time zone
   * @param stationZone the station's time zone; encode the packet with the same zone
   * @param asksForReply sets Flag bit 0, asking the platform for a 9014 data response
   * @throws IllegalArgumentException when the reading is empty, mixes point kinds, has a parameter
   *     without an HJ 212 factor code or a value that is not finite
   */
  public static Hj212Packet toPacket(
      Reading reading,
      DataCommand command,
      String mn,
      String pw,
      Instant sentAt,
      ZoneId stationZone,
      boolean asksForReply) {
    List<Measurement> measurements = reading.measurements();
    if (measurements.isEmpty()) {
      throw new IllegalArgumentException("reading " + reading.readingId() + " has no measurement");
    }
    PointKind kind = measurements.get(0).parameter().kind();
    List<FactorValues> factors = new ArrayList<>(measurements.size());
    for (Measurement measurement : measurements) {
      Parameter parameter = measurement.parameter();
      if (parameter.kind() != kind) {
        throw new IllegalArgumentException(
            "reading mixes " + kind + " and " + parameter.kind() + " parameters");
      }
      String code =
          parameter
              .hj212FactorCode()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "HJ 212 has no factor code for " + parameter.canonicalName()));
      if (!Double.isFinite(measurement.value())) {
        throw new IllegalArgumentException(
            "HJ 212 cannot carry " + measurement.value() + " for " + parameter.canonicalName());
      }
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put(command.valueField(), plainDecimal(measurement.value()));
      fields.put(FactorValues.FLAG, measurement.flag().name());
      factors.add(new FactorValues(code, fields));
    }
    int flag = Hj212Packet.FLAG_2017 | (asksForReply ? Hj212Packet.FLAG_ASKS_FOR_REPLY : 0);
    return new Hj212Packet(
        QN.format(sentAt.atZone(stationZone)),
        SystemCode.of(kind).st(),
        command.cn(),
        pw,
        mn,
        flag,
        null,
        null,
        CpData.of(reading.observedAt(), factors));
  }

  private static String plainDecimal(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
