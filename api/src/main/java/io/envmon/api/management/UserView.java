package io.envmon.api.management;

import io.envmon.api.security.UserRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A user in the API's answers: never its password hash. */
@Serdeable
public record UserView(String username, String role, @Nullable String city) {
  static UserView of(UserRow row) {
    return new UserView(row.username(), row.role(), row.cityId());
  }
}
