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
import io.micronaut.http.server.cors.CrossOrigin;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
            + " $orderby, $select, $expand and $filter (eq ne gt ge lt le and or not). Same rate"
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
  public Map<String, Object> root(HttpRequest<?> request) {
    String base = base(request);
    List<Map<String, String>> sets =
        java.util.Arrays.stream(EntitySet.values())
            .map(s -> Map.of("name", s.setName(), "url", base + "/" + s.setName()))
            .toList();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("serverSettings", Map.of("conformance", CONFORMANCE));
    root.put("value", sets);
    return root;
  }

  @Get("/{+path}")
  @Operation(
      summary = "A SensorThings resource path, e.g. Things, Things('qingpu-air-01')/Datastreams",
      description =
          "Entity sets: Things and Locations (id: the point's id), Datastreams (id"
              + " 'point:parameter'), Sensors (AIR, WATER, NOISE), ObservedProperties (the"
              + " parameter, e.g. pm25), Observations (id 'point:parameter:hourStart', read through"
              + " /Datastreams(id)/Observations). An entity by id: Things('qingpu-air-01');"
              + " navigation: /Datastreams, /Thing, /Observations ...; a property: /name, its raw"
              + " value /name/$value; links: /$ref. A Datastream's Observations cover the hours"
              + " $filter bounds on phenomenonTime give, else the last envmon.sta"
              + ".default-observation-range (168 h); at most envmon.sta.max-observation-range"
              + " (744 h).")
  @Parameter(name = "$filter", in = ParameterIn.QUERY, example = "properties/city eq 'qingpu'")
  @Parameter(name = "$orderby", in = ParameterIn.QUERY, example = "phenomenonTime desc")
  @Parameter(
      name = "$top",
      in = ParameterIn.QUERY,
      schema = @Schema(type = "integer", minimum = "0"))
  @Parameter(
      name = "$skip",
      in = ParameterIn.QUERY,
      schema = @Schema(type = "integer", minimum = "0"))
  @Parameter(
      name = "$count",
      in = ParameterIn.QUERY,
      schema =
          @Schema(
              type = "string",
              allowableValues = {"true", "false"}))
  @Parameter(name = "$select", in = ParameterIn.QUERY, example = "id,name")
  @Parameter(name = "$expand", in = ParameterIn.QUERY, example = "Datastreams($top=2)")
  @ApiResponse(
      responseCode = "200",
      description = "an entity, a collection {value, @iot.count, @iot.nextLink}, or a property",
      content = {
        @Content(mediaType = MediaType.APPLICATION_JSON),
        @Content(mediaType = MediaType.TEXT_PLAIN)
      })
  @ApiResponse(
      responseCode = "400",
      description =
          "an option, operator or function not supported, a malformed one, or too long"
              + " a time range of Observations")
  @ApiResponse(
      responseCode = "404",
      description = "no such entity set, or no such public entity (one not public alike)")
  public HttpResponse<?> resource(HttpRequest<?> request, @PathVariable String path) {
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
    StaResources.Answer answer = resources.answer(base(request), rawPath(request), parameters);
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
