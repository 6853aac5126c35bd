package io.envmon.domain.validation;

/**
 * Why a gateway (or an import of history) refused a reading or one of its values; the code devices,
 * metrics and import reports see.
 */
public enum RefusalReason {
  /** The payload could not be decoded (SenML, HJ 212), or a record of it was malformed. */
  MALFORMED("malformed"),
  /** The point is not in the registry the gateway follows. */
  UNKNOWN_POINT("unknown_point"),
  /** The point belongs to another city than this gateway's. */
  POINT_OF_OTHER_CITY("point_of_other_city"),
  /**
   * The point is DECOMMISSIONED: its equipment is retired, so whatever still sends for it is not a
   * reading of the point (a PLANNED point is accepted: a station is tested before it turns ACTIVE,
   * and the sharing ratio counts readings of ACTIVE points only).
   */
  POINT_DECOMMISSIONED("point_decommissioned"),
  /** The parameter does not belong to the point's kind (e.g. pm25 at a WATER point). */
  PARAMETER_NOT_OF_KIND("parameter_not_of_kind"),
  /** The value is NaN or infinite. */
  NOT_FINITE("not_finite"),
  /** The value cannot be measured: a negative concentration, pH outside 0–14, dB outside 0–200. */
  IMPOSSIBLE_VALUE("impossible_value"),
  /** The observation time is more than the allowed skew ahead of the gateway's clock. */
  FUTURE_TIMESTAMP("future_timestamp"),
  /**
   * The observation time is further in the past than the lateness horizon ({@code
   * validation.max.age}, 7 days by default, as the stream jobs' {@code envmon.lateness-horizon}):
   * the platform no longer takes readings that old.
   */
  TOO_OLD("too_old"),
  /**
   * The device is not known, its secret / password is wrong, or it may not write the point (a plain
   * CoAP request from an address no device's {@code coap.plain-from} names).
   */
  UNAUTHORISED("unauthorised"),
  /**
   * The device sends far more readings than its interval allows (per-device limit, {@code
   * limit.rate.factor}); the reading was not taken, the device may send it again later.
   */
  THROTTLED("throttled");

  private final String code;

  RefusalReason(String code) {
    this.code = code;
  }

  /** The stable lower-case code used in answers to devices and in metric labels. */
  public String code() {
    return code;
  }
}
