package io.envmon.api.management;

import io.envmon.api.registry.CityView;
import io.envmon.api.security.Viewer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * User management ({@code /api/v1/users}: the coordinator all users, a bureau user its own city's)
 * and city management ({@code POST/PUT /api/v1/cities}: the coordinator only).
 */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "management")
public class ManagementController {

  private final UserService users;
  private final CityService cities;

  public ManagementController(UserService users, CityService cities) {
    this.users = users;
    this.cities = cities;
  }

  @Get("/users")
  @Operation(summary = "Users: all for the coordinator (or one city's), a bureau its own city's")
  @ApiResponse(responseCode = "403", description = "emergency and viewer users")
  public List<UserView> listUsers(
      Authentication authentication, @QueryValue @Nullable String city) {
    return users.list(Viewer.of(authentication), Optional.ofNullable(city)).stream()
        .map(UserView::of)
        .toList();
  }

  @Get("/users/{username}")
  @Operation(summary = "One user")
  @ApiResponse(responseCode = "404", description = "no such user, or out of the caller's reach")
  public UserView getUser(Authentication authentication, @PathVariable String username) {
    return UserView.of(users.get(Viewer.of(authentication), username));
  }

  @Post("/users")
  @Operation(
      summary = "Create a user (password stored as a bcrypt hash)",
      description =
          "The coordinator any user; a bureau user the bureau, emergency and viewer users of its"
              + " own city.")
  @ApiResponse(responseCode = "201", description = "created")
  @ApiResponse(responseCode = "400", description = "bad user name, password, role or city")
  @ApiResponse(responseCode = "403", description = "may not create this user")
  @ApiResponse(responseCode = "409", description = "user name taken")
  public HttpResponse<UserView> createUser(
      Authentication authentication, @Valid @Body UserRequest request) {
    UserView created = UserView.of(users.create(Viewer.of(authentication), request));
    return HttpResponse.created(created, URI.create("/api/v1/users/" + created.username()));
  }

  @Put("/users/{username}")
  @Operation(summary = "Replace a user's role, city and (when given) password")
  @ApiResponse(responseCode = "400", description = "bad role or city, or your own role")
  @ApiResponse(responseCode = "403", description = "may not grant this role or city")
  @ApiResponse(responseCode = "404", description = "no such user, or out of the caller's reach")
  public UserView updateUser(
      Authentication authentication,
      @PathVariable String username,
      @Valid @Body UserRequest request) {
    return UserView.of(users.update(Viewer.of(authentication), username, request));
  }

  @Delete("/users/{username}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Delete a user",
      description = "Tokens already issued stay valid until they expire (at most 8 h).")
  @ApiResponse(responseCode = "404", description = "no such user, or out of the caller's reach")
  @ApiResponse(responseCode = "409", description = "yourself")
  public void deleteUser(Authentication authentication, @PathVariable String username) {
    users.delete(Viewer.of(authentication), username);
  }

  @Post("/cities")
  @Operation(summary = "Create a city (coordinator)")
  @ApiResponse(responseCode = "201", description = "created")
  @ApiResponse(responseCode = "400", description = "bad id, cluster, time zone or neighbours")
  @ApiResponse(responseCode = "403", description = "not the coordinator")
  @ApiResponse(responseCode = "409", description = "city id taken")
  public HttpResponse<CityView> createCity(
      Authentication authentication, @Valid @Body CityRequest request) {
    CityView created = CityView.of(cities.create(Viewer.of(authentication), request));
    return HttpResponse.created(created, URI.create("/api/v1/cities/" + created.id()));
  }

  @Put("/cities/{id}")
  @Operation(summary = "Replace a city's names, time zone and neighbours (coordinator)")
  @ApiResponse(responseCode = "400", description = "bad name, time zone or neighbours")
  @ApiResponse(responseCode = "403", description = "not the coordinator")
  @ApiResponse(responseCode = "404", description = "no such city")
  public CityView updateCity(
      Authentication authentication, @PathVariable String id, @Valid @Body CityRequest request) {
    return CityView.of(cities.update(Viewer.of(authentication), id, request));
  }
}
