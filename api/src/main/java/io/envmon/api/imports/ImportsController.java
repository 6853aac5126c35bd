package io.envmon.api.imports;

import io.envmon.api.security.Viewer;
import io.envmon.api.web.CsvLine;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Imports of history: upload a CSV or SenML file, follow its progress, read its refusals. */
@Controller("/api/v1/imports")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "imports")
public class ImportsController {

  static final String TEXT_CSV = "text/csv";
  static final String SENML_JSON = "application/senml+json";

  private final ImportService imports;
  private final Scheduler blocking;

  public ImportsController(
      ImportService imports, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.imports = imports;
    this.blocking = Schedulers.fromExecutorService(blocking);
  }

  @Post
  @Consumes(MediaType.ALL) // any other type is answered 415 as problem+json (ImportService.Format)
  @Operation(
      summary = "Import a file of readings (history) of a city or of one point",
      description =
          "The coordinator for any city, a bureau user for its own city. CSV (text/csv): a raw"
              + " export of GET /export/readings as it is, or the columns time_utc (or time or"
              + " time_local, ISO-8601 with offset), point (unless point= is given) and per"
              + " parameter '<p>' or '<p> (<unit>)' with an optional '<p>_flag'. SenML JSON"
              + " (application/senml+json): one pack, records named {pointId}:{parameter}. The"
              + " file is checked (header, pack) and stored, then imported in the background at"
              + " envmon.imports.readings-per-second: each row validated by the gateway's rules"
              + " (no lateness horizon) and produced to the readings topic; the jobs persist it and"
              + " the aggregates, reports and ratio history see it like a late reading. An upload"
              + " of the same file again is idempotent (same reading ids, same stored rows).")
  @RequestBody(
      description = "the file",
      content = {
        @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string")),
        @Content(mediaType = SENML_JSON, schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "202",
      description = "queued; Location: /api/v1/imports/{id}, where its progress is")
  @ApiResponse(
      responseCode = "400",
      description =
          "no city or point named; an empty file; a CSV header with an unknown column, a unit"
              + " that is not the parameter's, no time or point column, columns of a 1h/1d"
              + " export; a body that is not a SenML pack; a CSV that is not UTF-8")
  @ApiResponse(
      responseCode = "403",
      description = "not the coordinator, nor a bureau user of the city (or the point's city)")
  @ApiResponse(responseCode = "404", description = "no such city, or no such point visible")
  @ApiResponse(responseCode = "413", description = "a file larger than the import's limit")
  @ApiResponse(responseCode = "415", description = "neither text/csv nor application/senml+json")
  @ApiResponse(
      responseCode = "429",
      description =
          "envmon.imports.max-queued imports already wait in this instance; Retry-After says how"
              + " many seconds to wait")
  public Mono<HttpResponse<ImportView>> upload(
      Authentication authentication,
      HttpRequest<?> request,
      @Parameter(description = "the city whose points the file's rows are of") @QueryValue @Nullable
          String city,
      @Parameter(description = "the one point every row is of (no point column needed)")
          @QueryValue
          @Nullable
          String point,
      @Body Publisher<byte[]> body) {
    ImportService.Upload upload =
        imports.begin(
            Viewer.of(authentication),
            city,
            point,
            request.getHeaders().get(HttpHeaders.CONTENT_TYPE),
            request.getContentLength() < 0 ? null : request.getContentLength());
    SpooledUpload spooled = new SpooledUpload(upload);
    AtomicBoolean taken = new AtomicBoolean();
    // Each chunk is written as it arrives (an append to a local file), never held back: the server
    // keeps at most micronaut.server.max-request-buffer-size (128 KiB) of a body nobody has taken.
    return Flux.from(body)
        .doOnNext(spooled::write)
        .then(
            Mono.fromCallable(
                    () -> {
                      spooled.close();
                      ImportRow job = imports.take(upload, spooled.bytes());
                      taken.set(true);
                      return job;
                    })
                .subscribeOn(blocking))
        // On an error and on a cancel too (the client went away mid-body): the file is closed
        // and deleted. Taken (queued), its file is the runner's, whatever signal ends the chain
        // (the server cancels a Mono once it has its value).
        .doFinally(
            signal -> {
              if (!taken.get()) {
                spooled.closeQuietly();
                imports.discard(upload);
              }
            })
        .map(
            job ->
                HttpResponse.accepted(URI.create("/api/v1/imports/" + job.id()))
                    .body(ImportView.of(job, List.of())));
  }

  @Get
  @Operation(
      summary = "The imports of the user's city, newest first (the coordinator: every city's)",
      description = "Without their refusals; GET /imports/{id} has them.")
  @ApiResponse(
      responseCode = "403",
      description = "not the coordinator nor a bureau user; another city's imports")
  public List<ImportView> list(
      Authentication authentication,
      @Parameter(description = "one city's imports") @QueryValue @Nullable String city) {
    return imports.list(Viewer.of(authentication), city);
  }

  @Get("/{id}")
  @Operation(
      summary = "An import's progress and outcome",
      description =
          "status QUEUED, RUNNING, DONE or FAILED (error says why); bytes and rows read, percent;"
              + " accepted rows, refused rows, values left out of accepted rows; the observation"
              + " times taken; the first 100 refusals, each with its line (CSV: the file's line,"
              + " 1 = header; SenML: the record's index), reason code and detail.")
  @ApiResponse(responseCode = "404", description = "no such import, or one of another city")
  public ImportView status(Authentication authentication, @PathVariable String id) {
    return imports.status(Viewer.of(authentication), id);
  }

  @Get("/{id}/refusals")
  @Produces(TEXT_CSV)
  @Operation(
      summary = "Every refusal of an import, as CSV",
      description =
          "line, point, whole_row (true: nothing of the row was taken; false: one value left out),"
              + " reason, location, detail; at most envmon.imports.max-listed-refusals per"
              + " import.")
  @ApiResponse(
      responseCode = "200",
      description = "the refusals",
      content = @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "404", description = "no such import, or one of another city")
  public HttpResponse<String> refusals(Authentication authentication, @PathVariable String id) {
    StringBuilder csv = new StringBuilder("line,point,whole_row,reason,location,detail\r\n");
    for (ImportRefusalRow row : imports.refusals(Viewer.of(authentication), id)) {
      CsvLine.append(
          csv,
          Arrays.asList(
              row.line(),
              row.pointId(),
              row.wholeRow(),
              row.reason(),
              row.location(),
              row.detail()));
    }
    return HttpResponse.ok(csv.toString())
        .contentType(TEXT_CSV + "; charset=utf-8")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"import-" + id + "-refusals.csv\"");
  }
}
