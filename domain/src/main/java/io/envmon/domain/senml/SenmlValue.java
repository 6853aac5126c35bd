package io.envmon.domain.senml;

import java.util.Arrays;
import java.util.Base64;

/** The value of a resolved SenML record: exactly one of the four kinds of RFC 8428 §4.2. */
public sealed interface SenmlValue {

  /** The SenML label the value travels in: {@code v}, {@code vs}, {@code vb} or {@code vd}. */
  String label();

  /** {@code v}, with the base value added (RFC 8428 §4.5.4). May be non-finite from CBOR. */
  record Numeric(double value) implements SenmlValue {
    @Override
    public String label() {
      return "v";
    }
  }

  /** {@code vs}. */
  record Text(String value) implements SenmlValue {
    @Override
    public String label() {
      return "vs";
    }
  }

  /** {@code vb}. */
  record Bool(boolean value) implements SenmlValue {
    @Override
    public String label() {
      return "vb";
    }
  }

  /** {@code vd}: base64url text in JSON, a byte string in CBOR (RFC 8428 §5, §6). */
  record Data(byte[] value) implements SenmlValue {
    public Data {
      value = value.clone();
    }

    @Override
    public String label() {
      return "vd";
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Data d && Arrays.equals(value, d.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Data[" + Base64.getUrlEncoder().withoutPadding().encodeToString(value) + "]";
    }
  }
}
