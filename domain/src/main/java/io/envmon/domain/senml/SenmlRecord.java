package io.envmon.domain.senml;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * One SenML record exactly as on the wire (RFC 8428 §4.1–4.3), before base fields are applied. A
 * {@code null} component means the field is absent. {@code flag} is envmon's extension: the
 * one-letter HJ 212-2017 data flag of the value.
 */
public record SenmlRecord(
    String bn,
    Double bt,
    String bu,
    Double bv,
    Double bs,
    Integer bver,
    String n,
    String u,
    Double v,
    String vs,
    Boolean vb,
    byte[] vd,
    Double s,
    Double t,
    Double ut,
    String flag) {

  public SenmlRecord {
    vd = vd == null ? null : vd.clone();
  }

  /** A copy of the data value; {@code null} when absent. */
  @Override
  public byte[] vd() {
    return vd == null ? null : vd.clone();
  }

  /**
   * True when the record carries a regular field, i.e. it is more than a carrier of base fields.
   */
  public boolean hasRegularField() {
    return n != null
        || u != null
        || v != null
        || vs != null
        || vb != null
        || vd != null
        || s != null
        || t != null
        || ut != null
        || flag != null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SenmlRecord r
        && Objects.equals(bn, r.bn)
        && Objects.equals(bt, r.bt)
        && Objects.equals(bu, r.bu)
        && Objects.equals(bv, r.bv)
        && Objects.equals(bs, r.bs)
        && Objects.equals(bver, r.bver)
        && Objects.equals(n, r.n)
        && Objects.equals(u, r.u)
        && Objects.equals(v, r.v)
        && Objects.equals(vs, r.vs)
        && Objects.equals(vb, r.vb)
        && Arrays.equals(vd, r.vd)
        && Objects.equals(s, r.s)
        && Objects.equals(t, r.t)
        && Objects.equals(ut, r.ut)
        && Objects.equals(flag, r.flag);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bn, bt, bu, bv, bs, bver, n, u, v, vs, vb, Arrays.hashCode(vd), s, t, ut)
            * 31
        + Objects.hashCode(flag);
  }

  @Override
  public String toString() {
    StringJoiner fields = new StringJoiner(", ", "SenmlRecord{", "}");
    add(fields, "bn", bn);
    add(fields, "bt", bt);
    add(fields, "bu", bu);
    add(fields, "bv", bv);
    add(fields, "bs", bs);
    add(fields, "bver", bver);
    add(fields, "n", n);
    add(fields, "u", u);
    add(fields, "v", v);
    add(fields, "vs", vs);
    add(fields, "vb", vb);
    add(
        fields,
        "vd",
        vd == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(vd));
    add(fields, "s", s);
    add(fields, "t", t);
    add(fields, "ut", ut);
    add(fields, "flag", flag);
    return fields.toString();
  }

  private static void add(StringJoiner fields, String label, Object value) {
    if (value != null) {
      fields.add(label + "=" + value);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a record field by field; every field starts absent. */
  public static final class Builder {
    private String bn;
    private Double bt;
    private String bu;
    private Double bv;
    private Double bs;
    private Integer bver;
    private String n;
    private String u;
    private Double v;
    private String vs;
    private Boolean vb;
    private byte[] vd;
    private Double s;
    private Double t;
    private Double ut;
    private String flag;

    private Builder() {}

    public Builder bn(String baseName) {
      this.bn = baseName;
      return this;
    }

    public Builder bt(Double baseTime) {
      this.bt = baseTime;
      return this;
    }

    public Builder bu(String baseUnit) {
      this.bu = baseUnit;
      return this;
    }

    public Builder bv(Double baseValue) {
      this.bv = baseValue;
      return this;
    }

    public Builder bs(Double baseSum) {
      this.bs = baseSum;
      return this;
    }

    public Builder bver(Integer version) {
      this.bver = version;
      return this;
    }

    public Builder n(String name) {
      this.n = name;
      return this;
    }

    public Builder u(String unit) {
      this.u = unit;
      return this;
    }

    public Builder v(Double value) {
      this.v = value;
      return this;
    }

    public Builder vs(String stringValue) {
      this.vs = stringValue;
      return this;
    }

    public Builder vb(Boolean booleanValue) {
      this.vb = booleanValue;
      return this;
    }

    public Builder vd(byte[] dataValue) {
      this.vd = dataValue;
      return this;
    }

    public Builder s(Double sum) {
      this.s = sum;
      return this;
    }

    public Builder t(Double time) {
      this.t = time;
      return this;
    }

    public Builder ut(Double updateTime) {
      this.ut = updateTime;
      return this;
    }

    public Builder flag(String dataFlag) {
      this.flag = dataFlag;
      return this;
    }

    public SenmlRecord build() {
      return new SenmlRecord(bn, bt, bu, bv, bs, bver, n, u, v, vs, vb, vd, s, t, ut, flag);
    }
  }
}
