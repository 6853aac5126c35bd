package io.envmon.api.webhooks;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.security.Role;
import io.envmon.api.security.Viewer;
import io.envmon.api.web.Paging;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may manage which webhooks: the coordinator any city's, a bureau its own city's (403 for
 * everyone else; an unknown city or webhook is 404). Creating and deleting are audited.
 */
@Singleton
public class WebhookService {

  private final WebhookRepository webhooks;
  private final CityRepository cities;
  private final AuditRepository audit;
  private final Clock clock;
  private final WebhookTargets targets;
  private final SecureRandom random = new SecureRandom();

  public WebhookService(
      WebhookRepository webhooks,
      CityRepository cities,
      AuditRepository audit,
      Clock clock,
      WebhookTargets targets) {
    this.targets = targets;
    this.webhooks = webhooks;
    this.cities = cities;
    this.audit = audit;
    this.clock = clock;
  }

  public List<Webhook> list(Viewer viewer, String cityId) {
    requireManager(viewer, cityId);
    return webhooks.findByCityIdOrderById(cityId);
  }

  @Transactional
  public Webhook create(Viewer viewer, String cityId, WebhookRequest request) {
    requireManager(viewer, cityId);
    String url = checkedUrl(request.url());
    String secret =
        request.secret() == null ? HexFormat.of().formatHex(randomBytes()) : request.secret();
    Instant now = clock.instant();
    Webhook created = webhooks.save(new Webhook(null, cityId, url, secret, now, viewer.username()));
    audit.save(
        new AuditRow(
            null, now, viewer.username(), "webhook.create", "webhook:" + created.id(), url));
    return created;
  }

  @Transactional
  public void delete(Viewer viewer, String cityId, long id) {
    requireManager(viewer, cityId);
    Webhook webhook =
        webhooks
            .findById(id)
            .filter(w -> w.cityId().equals(cityId))
            .orElseThrow(() -> notFound("no webhook " + id + " in " + cityId));
    webhooks.deleteById(id);
    audit.save(
        new AuditRow(
            null,
            clock.instant(),
            viewer.username(),
            "webhook.delete",
            "webhook:" + id,
            webhook.url()));
  }

  /** The dead letters of the viewer's city (the coordinator: of all, or of {@code city}). */
  public List<Delivery> deadLetters(
      Viewer viewer, Optional<String> city, Optional<Long> webhookId, Paging paging) {
    Optional<String> scope;
    if (viewer.isCoordinator()) {
      scope = city;
    } else {
      String own = viewer.cityId().orElseThrow();
      requireManager(viewer, city.orElse(own));
      scope = Optional.of(own);
    }
    return webhooks.deadLetters(
        scope.orElse(null), webhookId.orElse(null), paging.limit(), paging.offset());
  }

  /** Makes a dead letter due again (its attempts start over). */
  @Transactional
  public Delivery redeliver(Viewer viewer, long deliveryId) {
    Delivery delivery =
        webhooks
            .findDelivery(deliveryId)
            .filter(d -> d.deadAt() != null)
            .orElseThrow(() -> notFound("no dead letter " + deliveryId));
    if (!mayManage(viewer, delivery.cityId())) {
      // a dead letter of another city is not visible at all
      throw notFound("no dead letter " + deliveryId);
    }
    webhooks.redeliver(deliveryId);
    audit.save(
        new AuditRow(
            null,
            clock.instant(),
            viewer.username(),
            "webhook.redeliver",
            "webhook-delivery:" + deliveryId,
            null));
    return webhooks.findDelivery(deliveryId).orElseThrow();
  }

  private void requireManager(Viewer viewer, String cityId) {
    if (!cities.existsById(cityId)) {
      throw notFound("no city " + cityId);
    }
    if (!mayManage(viewer, cityId)) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "only the coordinator or a bureau user of " + cityId + " may manage its webhooks");
    }
  }

  private static boolean mayManage(Viewer viewer, String cityId) {
    return viewer.isCoordinator()
        || (viewer.role() == Role.BUREAU && viewer.cityId().orElse("").equals(cityId));
  }

  private String checkedUrl(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw InvalidRequestException.field("url", "must be an absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw InvalidRequestException.field("url", "must be an absolute http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw InvalidRequestException.field("url", "must not carry a user name or password");
    }
    targets
        .refusal(uri)
        .ifPresent(
            reason -> {
              throw InvalidRequestException.field("url", reason);
            });
    return uri.toString();
  }

  private byte[] randomBytes() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return bytes;
  }

  private static HttpStatusException notFound(String message) {
    return new HttpStatusException(HttpStatus.NOT_FOUND, message);
  }
}
