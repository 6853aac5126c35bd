package io.envmon.api.management;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.problem.Problem;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.security.PasswordHasher;
import io.envmon.api.security.Role;
import io.envmon.api.security.UserRepository;
import io.envmon.api.security.UserRow;
import io.envmon.api.security.Viewer;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Users: the coordinator manages every user; a bureau user the bureau, emergency and viewer users
 * of its own city (never a coordinator, never another city's). Emergency and viewer users manage
 * none (403). A user outside the caller's reach answers 404, as if it did not exist. Passwords are
 * stored as bcrypt hashes; every change is audited ({@code user.create}, {@code user.update},
 * {@code user.delete}, detail = role and city, never the password).
 */
@Singleton
public class UserService {

  private final UserRepository users;
  private final CityRepository cities;
  private final PasswordHasher hasher;
  private final AuditRepository audit;
  private final Clock clock;

  public UserService(
      UserRepository users,
      CityRepository cities,
      PasswordHasher hasher,
      AuditRepository audit,
      Clock clock) {
    this.users = users;
    this.cities = cities;
    this.hasher = hasher;
    this.audit = audit;
    this.clock = clock;
  }

  public List<UserRow> list(Viewer viewer, Optional<String> city) {
    requireManager(viewer);
    if (viewer.isCoordinator()) {
      return city.map(users::findByCityIdOrderByUsername).orElseGet(users::findAllOrderByUsername);
    }
    return users.findByCityIdOrderByUsername(viewer.cityId().orElseThrow());
  }

  public UserRow get(Viewer viewer, String username) {
    requireManager(viewer);
    return reachable(viewer, username);
  }

  @Transactional
  public UserRow create(Viewer viewer, UserRequest request) {
    requireManager(viewer);
    if (request.username() == null) {
      throw InvalidRequestException.field("username", "must not be null");
    }
    if (request.password() == null) {
      throw InvalidRequestException.field("password", "must not be null");
    }
    Role role = checked(viewer, request);
    if (users.existsById(request.username())) {
      throw new HttpStatusException(
          HttpStatus.CONFLICT, "user name " + request.username() + " is taken");
    }
    UserRow row =
        new UserRow(
            request.username(),
            hasher.hash(request.password()),
            role.code(),
            cityOf(role, request));
    users.save(row);
    audit(viewer, "user.create", row);
    return row;
  }

  @Transactional
  public UserRow update(Viewer viewer, String username, UserRequest request) {
    requireManager(viewer);
    UserRow existing = reachable(viewer, username);
    if (request.username() != null && !request.username().equals(username)) {
      throw InvalidRequestException.field("username", "cannot change; it is " + username);
    }
    Role role = checked(viewer, request);
    if (username.equals(viewer.username()) && role != viewer.role()) {
      throw InvalidRequestException.field("role", "you cannot change your own role");
    }
    UserRow row =
        new UserRow(
            username,
            request.password() == null ? existing.passwordHash() : hasher.hash(request.password()),
            role.code(),
            cityOf(role, request));
    users.update(row);
    audit(viewer, "user.update", row);
    return row;
  }

  @Transactional
  public void delete(Viewer viewer, String username) {
    requireManager(viewer);
    UserRow existing = reachable(viewer, username);
    if (username.equals(viewer.username())) {
      throw new HttpStatusException(HttpStatus.CONFLICT, "you cannot delete yourself");
    }
    users.deleteById(username);
    audit(viewer, "user.delete", existing);
  }

  private void requireManager(Viewer viewer) {
    if (!viewer.isCoordinator() && viewer.role() != Role.BUREAU) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN, "only the coordinator or a bureau user manages users");
    }
  }

  /** The user if the viewer may manage it, else 404. */
  private UserRow reachable(Viewer viewer, String username) {
    return users
        .findById(username)
        .filter(
            u ->
                viewer.isCoordinator()
                    || (u.cityId() != null
                        && u.cityId().equals(viewer.cityId().orElse(null))
                        && !Role.COORDINATOR.code().equals(u.role())))
        .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no user " + username));
  }

  /** The role of the request, checked against what the viewer may grant and the city rules. */
  private Role checked(Viewer viewer, UserRequest request) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Role role = Role.parse(request.role()).orElse(null);
    if (role == null) {
      errors.add(
          new Problem.FieldError("role", "must be coordinator, bureau, emergency or viewer"));
    } else if (role == Role.COORDINATOR) {
      if (request.city() != null) {
        errors.add(new Problem.FieldError("city", "the coordinator has no city"));
      }
    } else if (request.city() == null) {
      errors.add(new Problem.FieldError("city", "required for a " + role.code()));
    } else if (!cities.existsById(request.city())) {
      errors.add(new Problem.FieldError("city", "unknown city " + request.city()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(
          errors.size() + " field(s) of the user are invalid", errors);
    }
    if (!viewer.isCoordinator()
        && (role == Role.COORDINATOR || !request.city().equals(viewer.cityId().orElse(null)))) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "a bureau user manages the bureau, emergency and viewer users of its own city only");
    }
    return role;
  }

  private static String cityOf(Role role, UserRequest request) {
    return role == Role.COORDINATOR ? null : request.city();
  }

  private void audit(Viewer viewer, String action, UserRow row) {
    audit.save(
        new AuditRow(
            null,
            clock.instant(),
            viewer.username(),
            action,
            "user:" + row.username(),
            row.role() + (row.cityId() == null ? "" : " " + row.cityId())));
  }
}
