package io.envmon.api.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;

/** {@code POST /api/v1/login}: a user name and password for a bearer JWT. */
@Controller("/api/v1/login")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LoginController {

  private final LoginService logins;

  public LoginController(LoginService logins) {
    this.logins = logins;
  }

  @Post
  public LoginResponse login(HttpRequest<?> request, @Valid @Body LoginRequest body) {
    String address = request.getRemoteAddress().getAddress().getHostAddress();
    return logins
        .login(body.username(), body.password(), address)
        .orElseThrow(
            () -> new HttpStatusException(HttpStatus.UNAUTHORIZED, "wrong user name or password"));
  }
}
