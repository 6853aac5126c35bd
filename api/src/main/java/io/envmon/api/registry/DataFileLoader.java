package io.envmon.api.registry;

import io.envmon.api.security.PasswordHasher;
import io.envmon.api.security.Role;
import io.envmon.api.security.UserRepository;
import io.envmon.api.security.UserRow;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.water.WaterClass;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, adds to the registry what the data file names and the registry lacks (existing rows are
 * left as they are). With no users at all afterwards, creates the user {@code coordinator} with
 * {@code envmon.security.initial-coordinator-password} or a generated password printed once.
 */
@Singleton
public class DataFileLoader {

  private static final Logger log = LoggerFactory.getLogger(DataFileLoader.class);

  private final RegistryConfiguration configuration;
  private final ResourceResolver resources;
  private final ObjectMapper json;
  private final ClusterRepository clusters;
  private final CityRepository cities;
  private final PointRepository points;
  private final PointService pointService;
  private final UserRepository users;
  private final PasswordHasher hasher;
  private final String initialCoordinatorPassword;
  private final RegistryVersion registryVersion;

  public DataFileLoader(
      RegistryConfiguration configuration,
      ResourceResolver resources,
      ObjectMapper json,
      ClusterRepository clusters,
      CityRepository cities,
      PointRepository points,
      PointService pointService,
      UserRepository users,
      PasswordHasher hasher,
      RegistryVersion registryVersion,
      @Nullable @Value("${envmon.security.initial-coordinator-password:}")
          String initialCoordinatorPassword) {
    this.configuration = configuration;
    this.resources = resources;
    this.json = json;
    this.clusters = clusters;
    this.cities = cities;
    this.points = points;
    this.pointService = pointService;
    this.users = users;
    this.hasher = hasher;
    this.initialCoordinatorPassword = initialCoordinatorPassword;
    this.registryVersion = registryVersion;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    if (configuration.dataFile() != null && !configuration.dataFile().isBlank()) {
      load(read(configuration.dataFile()));
    }
    int republished = pointService.republishChanged();
    if (republished > 0) {
      log.info(
          "Sent {} point record(s) again on {}: their city's time zone or night window (or the"
              + " record's format) changed",
          republished,
          configuration.pointsTopic());
    }
    if (users.count() == 0) {
      createFirstCoordinator();
    }
  }

  private DataFile read(String location) {
    String resolvable = location.contains(":") ? location : "file:" + location;
    URL url =
        resources
            .getResource(resolvable)
            .orElseThrow(
                () -> new IllegalStateException("registry data file " + location + " not found"));
    try (InputStream in = url.openStream()) {
      return json.readValue(in, DataFile.class);
    } catch (IOException e) {
      throw new UncheckedIOException("reading registry data file " + location, e);
    }
  }

  void load(DataFile data) {
    if (!clusters.existsById(data.cluster().id())) {
      clusters.save(
          new ClusterRow(data.cluster().id(), data.cluster().name(), data.cluster().nameEn()));
    }
    // Cities first without neighbours' existence mattering: neighbours are plain ids.
    for (DataFile.CityEntry city : data.cities()) {
      if (!cities.existsById(city.id())) {
        io.envmon.domain.noise.NightWindow night = city.night();
        cities.save(
            new CityRow(
                city.id(),
                data.cluster().id(),
                city.name(),
                city.nameEn(),
                java.time.ZoneId.of(city.timeZone()).getId(),
                city.neighbours().toArray(String[]::new),
                night.startText(),
                night.endText()));
        registryVersion.raise();
      }
    }
    int added = 0;
    for (PointRequest entry : data.points()) {
      if (!points.existsById(entry.id())) {
        pointService.insertFromDataFile(toPoint(entry));
        added++;
      }
    }
    if (data.users() != null) {
      for (DataFile.UserEntry user : data.users()) {
        if (!users.existsById(user.username())) {
          Role role =
              Role.parse(user.role())
                  .orElseThrow(() -> new IllegalStateException("unknown role " + user.role()));
          users.save(
              new UserRow(
                  user.username(),
                  hasher.hash(user.password()),
                  role.code(),
                  role == Role.COORDINATOR ? null : user.city()));
        }
      }
    }
    log.info(
        "Registry data file {}: {} cities, {} points ({} new), {} users",
        configuration.dataFile(),
        data.cities().size(),
        data.points().size(),
        added,
        data.users() == null ? 0 : data.users().size());
  }

  private static MonitoringPoint toPoint(PointRequest entry) {
    WaterAttributes water =
        entry.kind() == PointKind.WATER
            ? new WaterAttributes(
                entry.river(),
                Boolean.TRUE.equals(entry.important()),
                WaterClass.parse(entry.targetClass())
                    .orElseThrow(() -> new IllegalStateException("targetClass of " + entry.id())),
                entry.waterBody(),
                entry.downstream())
            : null;
    return new MonitoringPoint(
        entry.id(),
        entry.cityId(),
        entry.kind(),
        entry.name(),
        entry.nameEn(),
        entry.lat(),
        entry.lon(),
        entry.status() == null ? PointStatus.PLANNED : entry.status(),
        entry.sharing(),
        entry.sharedWith() == null ? new HashSet<>() : new HashSet<>(entry.sharedWith()),
        water,
        entry.kind() == PointKind.NOISE ? NoiseZone.parse(entry.zone()).orElseThrow() : null);
  }

  private void createFirstCoordinator() {
    String password = initialCoordinatorPassword;
    boolean generated = password == null || password.isBlank();
    if (generated) {
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
    users.save(new UserRow("coordinator", hasher.hash(password), Role.COORDINATOR.code(), null));
    if (generated) {
      log.warn("Created the first user 'coordinator' with password {} (shown only now)", password);
    } else {
      log.info("Created the first user 'coordinator' with the configured initial password");
    }
  }
}
