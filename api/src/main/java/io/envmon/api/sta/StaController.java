package io.envmon.api.sta;

import io.envmon.api.open.PublicAccessFilter;
import io.envmon.api.problem.InvalidRequestException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.server.cors.CrossOrigin;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OGC SensorThings API 1.1 (read-only) of the public points: the same audience, data and rate
 * limit as the public API ({@link io.envmon.api.open.PublicData}, {@link PublicAccessFilter}), for
 * GIS and research tools. Paths and query options are {@link StaResources}'.
 */
@Controller(StaController.PATH)
@Secured(SecurityRule.IS_ANONYMOUS)
@CrossOrigin(
    allowedOriginsRegex = ".*",
    allowedMethods = HttpMethod.GET,
    allowCredentials = false,
    exposedHeaders = {HttpHeaders.RETRY_AFTER, PublicAccessFilter.REMAINING})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(
    name = "SensorThings API",
    description =
        "OGC SensorThings API 1.1, read-only, without sign-in: the public points (ACTIVE, shared"
            + " with the cluster) as Things, Locations, Datastreams (point × parameter), Sensors"
            + " (per kind), ObservedProperties (per parameter) and Observations (hourly means of"
            + " the valid, reviewed values). $top (default 100, at most 1000), $skip, $count,"
            + " $orderby, $select, $expand (at most 3 deep; the Observations of at most"
            + " envmon.sta.max-expanded-observation-streams, 50, Datastreams per request) and"
            + " $filter (eq ne gt ge lt le and or not). Same rate"
            + " limit as the public API (429 with Retry-After); CORS: any origin may GET.")
@ApiResponse(
    responseCode = "429",
    description = "too many requests from this address; Retry-After says how many seconds to wait")
public class StaController {

  public static final String PATH = "/sta/v1.1";

  /** The conformance classes of OGC 18-088 envmon answers in full. */
  static final List<String> CONFORMANCE =
      List.of(
          "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities");

  private final StaResources resources;
  private final HttpHostResolver hosts;

  public StaController(StaResources resources, HttpHostResolver hosts) {
    this.resources = resources;
    this.hosts = hosts;
  }

  @Get
  @Operation(summary = "The service root: the entity sets and the server's settings (conformance)")
  @ApiResponse(responseCode = "200", description = "serverSettings and one URL per entity set")
  public ServiceRoot root(HttpRequest<?> request) {
    String base = base(request);
    return new ServiceRoot(
        new ServiceRoot.ServerSettings(CONFORMANCE),
        Arrays.stream(EntitySet.values())
            .map(set -> new ServiceRoot.EntitySetLink(set.setName(), base + "/" + set.setName()))
            .toList());
  }

  @Get("/Things")
  @Operation(
      summary = "Things: one per public point, id the point's id; properties city, kind, code")
  @ApiResponse(responseCode = "200", description = "{value, @iot.count, @iot.nextLink}")
  @ApiResponse(responseCode = "400", description = "an option not supported or malformed")
  public HttpResponse<?> things(HttpRequest<?> request, @RequestBean StaOptionsDoc options) {
    return resource(request, "Things");
  }

  @Get("/Locations")
  @Operation(summary = "Locations: a GeoJSON Point per public point, id the point's id")
  @ApiResponse(responseCode = "200", description = "{value, @iot.count, @iot.nextLink}")
  @ApiResponse(responseCode = "400", description = "an option not supported or malformed")
  public HttpResponse<?> locations(HttpRequest<?> request, @RequestBean StaOptionsDoc options) {
    return resource(request, "Locations");
  }

  @Get("/Datastreams")
  @Operation(
      summary = "Datastreams: one per public point and parameter, id 'point:parameter'",
      description =
          "A Datastream's Observations: /Datastreams('qingpu-air-01:pm25')/Observations, the"
              + " hourly means of the valid, reviewed values over the hours $filter bounds on"
              + " phenomenonTime give (else the last envmon.sta.default-observation-range, 168 h;"
              + " at most envmon.sta.max-observation-range, 744 h).")
  @ApiResponse(responseCode = "200", description = "{value, @iot.count, @iot.nextLink}")
  @ApiResponse(responseCode = "400", description = "an option not supported or malformed")
  public HttpResponse<?> datastreams(HttpRequest<?> request, @RequestBean StaOptionsDoc options) {
    return resource(request, "Datastreams");
  }

  @Get("/Sensors")
  @Operation(summary = "Sensors: one per kind of point (AIR, WATER, NOISE)")
  @ApiResponse(responseCode = "200", description = "{value, @iot.count, @iot.nextLink}")
  @ApiResponse(responseCode = "400", description = "an option not supported or malformed")
  public HttpResponse<?> sensors(HttpRequest<?> request, @RequestBean StaOptionsDoc options) {
    return resource(request, "Sensors");
  }

  @Get("/ObservedProperties")
  @Operation(summary = "ObservedProperties: one per parameter, id its canonical name (pm25)")
  @ApiResponse(responseCode = "200", description = "{value, @iot.count, @iot.nextLink}")
  @ApiResponse(responseCode = "400", description = "an option not supported or malformed")
  public HttpResponse<?> observedProperties(
      HttpRequest<?> request, @RequestBean StaOptionsDoc options) {
    return resource(request, "ObservedProperties");
  }

  /**
   * Every other path (an entity by id, navigation, a property, $value, $ref): left out of the
   * OpenAPI document, which cannot describe OData paths; docs/api.md lists them.
   */
  @Get("/{+path}")
  @Hidden
  public HttpResponse<?> anyPath(HttpRequest<?> request, @PathVariable String path) {
    String raw = rawPath(request);
    if (raw.replace("/", "").isEmpty()) {
      // the root with a trailing slash, as clients that append paths to it ask for it
      return HttpResponse.ok(root(request));
    }
    return resource(request, raw);
  }

  private HttpResponse<?> resource(HttpRequest<?> request, String path) {
    Map<String, String> parameters = new LinkedHashMap<>();
    request
        .getParameters()
        .asMap()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                parameters.put(name, values.get(0));
              }
            });
    StaResources.Answer answer = resources.answer(base(request), path, parameters);
    if (answer instanceof StaResources.Answer.Text text) {
      return HttpResponse.ok(text.body()).contentType(MediaType.TEXT_PLAIN_TYPE);
    }
    return HttpResponse.ok(((StaResources.Answer.Json) answer).body())
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** The path after the root, each %-escape decoded ('+' stays a plus in a path). */
  private static String rawPath(HttpRequest<?> request) {
    String raw = request.getUri().getRawPath();
    String after = raw.substring(Math.min(raw.length(), raw.indexOf(PATH) + PATH.length()));
    try {
      return URLDecoder.decode(after.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.field("path", "a malformed %-escape in '" + after + "'");
    }
  }

  private String base(HttpRequest<?> request) {
    return hosts.resolve(request) + PATH;
  }
}
