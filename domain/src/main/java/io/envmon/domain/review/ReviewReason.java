package io.envmon.domain.review;

/** Why a bureau marked values (数据审核): OTHER takes a note saying what. */
public enum ReviewReason {
  CALIBRATION,
  MAINTENANCE,
  INSTRUMENT_FAULT,
  EXTERNAL_INTERFERENCE,
  OTHER
}
