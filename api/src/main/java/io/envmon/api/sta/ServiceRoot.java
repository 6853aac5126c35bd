package io.envmon.api.sta;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The service root document (OGC 18-088 §9.2.1): the server's settings and the entity sets. */
@Serdeable
public record ServiceRoot(ServerSettings serverSettings, List<EntitySetLink> value) {

  /** The conformance classes answered in full. */
  @Serdeable
  public record ServerSettings(List<String> conformance) {}

  @Serdeable
  public record EntitySetLink(String name, String url) {}
}
