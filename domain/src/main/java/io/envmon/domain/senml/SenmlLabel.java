package io.envmon.domain.senml;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The SenML fields envmon understands, with their JSON label, CBOR label and type: RFC 8428 §4.3
 * table 1 and §6 table 4, plus envmon's {@code flag} extension (an HJ 212-2017 data flag).
 */
public enum SenmlLabel {
  BASE_NAME("bn", -2, Type.STRING),
  BASE_TIME("bt", -3, Type.NUMBER),
  BASE_UNIT("bu", -4, Type.STRING),
  BASE_VALUE("bv", -5, Type.NUMBER),
  // RFC 8428 table 4: Base Sum is -6.
  BASE_SUM("bs", -6, Type.NUMBER),
  BASE_VERSION("bver", -1, Type.INTEGER),
  NAME("n", 0, Type.STRING),
  UNIT("u", 1, Type.STRING),
  VALUE("v", 2, Type.NUMBER),
  STRING_VALUE("vs", 3, Type.STRING),
  BOOLEAN_VALUE("vb", 4, Type.BOOLEAN),
  DATA_VALUE("vd", 8, Type.DATA),
  SUM("s", 5, Type.NUMBER),
  TIME("t", 6, Type.NUMBER),
  UPDATE_TIME("ut", 7, Type.NUMBER),
  /**
   * envmon extension: the HJ 212 data flag of the value. Extensions use text keys in CBOR too (RFC
   * 8428 §6: "any extensions will use string map keys").
   */
  FLAG("flag", null, Type.STRING);

  /**
   * The JSON type of a field (RFC 8428 §5 table 2); INTEGER is the Version's "positive integer".
   */
  public enum Type {
    STRING,
    NUMBER,
    INTEGER,
    BOOLEAN,
    DATA
  }

  private static final Map<String, SenmlLabel> BY_JSON_LABEL =
      Arrays.stream(values()).collect(Collectors.toMap(SenmlLabel::jsonLabel, Function.identity()));
  private static final Map<String, SenmlLabel> BY_CBOR_KEY =
      Arrays.stream(values()).collect(Collectors.toMap(SenmlLabel::cborKey, Function.identity()));

  private final String jsonLabel;
  private final Integer cborLabel;
  private final Type type;

  SenmlLabel(String jsonLabel, Integer cborLabel, Type type) {
    this.jsonLabel = jsonLabel;
    this.cborLabel = cborLabel;
    this.type = type;
  }

  public String jsonLabel() {
    return jsonLabel;
  }

  /** The integer map key in SenML CBOR; empty for extensions, which use their text label. */
  public Optional<Integer> cborLabel() {
    return Optional.ofNullable(cborLabel);
  }

  public Type type() {
    return type;
  }

  /** The CBOR map key as the streaming parser reports it (integer keys arrive as their digits). */
  String cborKey() {
    return cborLabel == null ? jsonLabel : Integer.toString(cborLabel);
  }

  static Optional<SenmlLabel> byJsonLabel(String label) {
    return Optional.ofNullable(BY_JSON_LABEL.get(label));
  }

  static Optional<SenmlLabel> byCborKey(String key) {
    return Optional.ofNullable(BY_CBOR_KEY.get(key));
  }
}
