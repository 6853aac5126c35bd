package io.envmon.domain.review;

/** What a bureau's review says of the values it covers: not valid data, or valid again. */
public enum Verdict {
  INVALID,
  VALID
}
