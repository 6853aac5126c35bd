package io.envmon.domain.point;

/**
 * Who besides the owning city may see a point: nobody, the whole cluster, or the cities named in
 * {@code sharedWith} (conditional sharing, which does not count toward the sharing ratio).
 */
public enum SharingScope {
  PRIVATE,
  CLUSTER,
  CITIES
}
