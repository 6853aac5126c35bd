package io.envmon.api;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** Starts the envmon HTTP API: registry, readings, sharing ratios and security. */
@OpenAPIDefinition(
    info =
        @Info(
            title = "envmon-api",
            version = "1",
            description =
                "Joint environmental monitoring of a city cluster: registry of monitoring points,"
                    + " shared readings, sharing ratios (L3P1-A1). Sign in with POST"
                    + " /api/v1/login and send the token as Authorization: Bearer."),
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
    name = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT")
@SecurityScheme(
    name = "apiKey",
    type = SecuritySchemeType.APIKEY,
    in = SecuritySchemeIn.HEADER,
    paramName = "X-API-Key",
    description =
        "An API key of the public API and the SensorThings API, issued by the coordinator (POST"
            + " /api/v1/api-keys): optional there, it raises the requests per minute to the key's"
            + " own; an unknown or revoked key is 401. It opens nothing else.")
public final class Application {

  private Application() {}

  public static void main(String[] args) {
    Micronaut.run(Application.class, args);
  }
}
