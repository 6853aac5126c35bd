package io.envmon.gateway.coap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.ReadingValidator;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.AddressRange;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import io.envmon.gateway.TestPoints;
import io.envmon.gateway.forward.DeadLetters;
import io.envmon.gateway.registry.PointRegistry;
import io.envmon.gateway.spool.FsyncPolicy;
import io.envmon.gateway.spool.Spool;
import io.envmon.gateway.spool.SpoolReader;
import io.envmon.gateway.spool.Spooled;
import io.envmon.gateway.validation.RefusalCounter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.EmptyMessage;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.Token;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.EndpointObserver;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.interceptors.MessageInterceptor;
import org.eclipse.californium.core.observe.NotificationListener;
import org.eclipse.californium.core.server.MessageDeliverer;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/points/{pointId}/readings} without a network: each request is a Californium
 * {@link Exchange} around a {@link Request}, as Californium's own resource tests build them, handed
 * to the resource; a real {@link Intake} spools into a temporary directory.
 */
class PointReadingsResourceTest {

  private static final Instant NOW = Instant.parse("2026-12-03T02:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String POINT = "wujiang-air-01";
  private static final String NOT_IN_REGISTRY = "wujiang-air-99";
  private static final String OTHER_CITYS = "wuxi-air-01";
  private static final String NOISE_POINT = "wujiang-noise-01";

  @TempDir Path directory;

  private Spool spool;
  private MockProducer<String, byte[]> deadLetters;
  private Intake intake;
  private PointReadingsResource resource;

  @BeforeEach
  void start() {
    spool = Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND));
    PointRegistry registry = new PointRegistry();
    registry.put(TestPoints.air(POINT, "wujiang"));
    registry.put(TestPoints.noise(NOISE_POINT, "wujiang"));
    registry.put(TestPoints.air(OTHER_CITYS, "wuxi"));
    deadLetters = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    intake =
        new Intake(
            "gw-1",
            new ReadingValidator("wujiang", registry, CLOCK),
            spool,
            new RefusalCounter(),
            new DeadLetters(deadLetters, "envmon.deadletter.v1", "gw-1", "wujiang", CLOCK),
            CLOCK);
    DeviceCredentials credentials =
        new DeviceCredentials(
            List.of(
                device("air-1", List.of(POINT, NOT_IN_REGISTRY, OTHER_CITYS)),
                device("noise-1", List.of(NOISE_POINT), "10.20.0.5")));
    resource = new PointReadingsResource(intake, CLOCK, credentials);
  }

  @AfterEach
  void closeSpool() {
    spool.close();
  }

  private static DeviceCredentials.Device device(
      String id, List<String> points, String... plainFrom) {
    return new DeviceCredentials.Device(
        id,
        points,
        id + "-key",
        null,
        null,
        null,
        null,
        Set.of(),
        java.util.Arrays.stream(plainFrom).map(AddressRange::parse).toList(),
        Duration.ofMinutes(5));
  }

  /** A SenML JSON pack of {@code records} for {@code pointId}, observed now. */
  private static byte[] pack(String pointId, String... records) {
    String base =
        "{\"bn\":\"" + pointId + ":\",\"bt\":" + NOW.getEpochSecond() + "," + records[0] + "}";
    StringBuilder json = new StringBuilder("[").append(base);
    for (int i = 1; i < records.length; i++) {
      json.append(",{").append(records[i]).append('}');
    }
    return json.append(']').toString().getBytes(UTF_8);
  }

  /** A POST to {@code path}, over CoAPs by the PSK identity {@code device} (null: plain CoAP). */
  private Response post(String path, String device, String from, int format, byte[] payload)
      throws Exception {
    Request request = Request.newPost();
    request.getOptions().setUriPath(path);
    if (format >= 0) {
      request.getOptions().setContentFormat(format);
    }
    request.setPayload(payload);
    Principal identity = device == null ? null : new PreSharedKeyIdentity(device);
    request.setSourceContext(
        new AddressEndpointContext(
            new InetSocketAddress(InetAddress.getByName(from), 5684), identity));
    Exchange exchange =
        new Exchange(
            request, request.getSourceContext().getPeerAddress(), Exchange.Origin.REMOTE, null);
    AnswerCatcher answer = new AnswerCatcher();
    exchange.setEndpoint(answer);
    resource.handlePOST(new CoapExchange(exchange));
    return answer.response.get(10, TimeUnit.SECONDS);
  }

  private Response postJson(String pointId, String device, byte[] payload) throws Exception {
    return post(
        "v1/points/" + pointId + "/readings",
        device,
        "192.0.2.7",
        MediaTypeRegistry.APPLICATION_SENML_JSON,
        payload);
  }

  private List<AcceptedReading> spooled() {
    try (SpoolReader reader = spool.readerAfter(0)) {
      return reader.next(100).stream().map(Spooled::reading).toList();
    }
  }

  @Test
  @DisplayName("a pack of good records is 2.04 without a payload and lands in the spool")
  void goodReadingsAreChangedAndSpooled() throws Exception {
    Response response = postJson(POINT, "air-1", pack(POINT, "\"n\":\"pm25\",\"v\":35"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getPayloadSize()).isZero();
    assertThat(spooled())
        .singleElement()
        .satisfies(
            accepted -> {
              assertThat(accepted.reading().pointId()).isEqualTo(POINT);
              assertThat(accepted.reading().source()).isEqualTo(Source.COAPS);
              assertThat(accepted.reading().observedAt()).isEqualTo(NOW);
            });
  }

  @Test
  @DisplayName("plain CoAP from a device's coap.plain-from address is taken as that device's")
  void plainCoapFromADevicesAddressIsSpooledAsCoap() throws Exception {
    Response response =
        post(
            "v1/points/" + NOISE_POINT + "/readings",
            null,
            "10.20.0.5",
            MediaTypeRegistry.APPLICATION_SENML_JSON,
            pack(NOISE_POINT, "\"n\":\"leq\",\"v\":55"));

    assertThat(response.getCode()).as(response.getPayloadString()).isEqualTo(ResponseCode.CHANGED);
    assertThat(spooled()).extracting(a -> a.reading().source()).containsExactly(Source.COAP);
  }

  @Test
  @DisplayName("when the disk fails the answer is 5.00: nothing was kept, the device retries")
  void aFailedSpoolIsInternalServerError() throws Exception {
    spool.close();

    Response response = postJson(POINT, "air-1", pack(POINT, "\"n\":\"pm25\",\"v\":35"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.INTERNAL_SERVER_ERROR);
    assertThat(response.getPayloadString()).isEqualTo("not spooled; retry");
  }

  @Test
  @DisplayName("a pack with one bad record is 2.04: the good one lands, the payload names the bad")
  void aBadRecordIsNamedAndTheGoodOnesLand() throws Exception {
    Response response =
        postJson(POINT, "air-1", pack(POINT, "\"n\":\"pm25\",\"v\":35", "\"n\":\"pm10\""));

    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getOptions().getContentFormat())
        .isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
    assertThat(response.getPayloadString())
        .startsWith("{\"pointId\":\"" + POINT + "\",\"accepted\":1,")
        .contains("\"reason\":\"malformed\",\"location\":\"record 1 v\"");
    assertThat(spooled()).extracting(a -> a.reading().pointId()).containsExactly(POINT);
    assertThat(intake.refusals().count(RefusalReason.MALFORMED)).isEqualTo(1);
  }

  @Test
  @DisplayName("a payload that is not SenML is 4.00 with the decoder's reason, dead-lettered")
  void aMalformedPayloadIsBadRequestWithTheReason() throws Exception {
    Response response = postJson(POINT, "air-1", "not senml".getBytes(UTF_8));

    assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(response.getPayloadString())
        .startsWith("{\"pointId\":\"" + POINT + "\",\"accepted\":0,\"refused\":[{\"reason\":")
        .contains("\"reason\":\"malformed\"");
    assertThat(spooled()).isEmpty();
    assertThat(deadLetters.history())
        .singleElement()
        .satisfies(letter -> assertThat(letter.key()).isEqualTo(POINT));
  }

  @Test
  @DisplayName("a point the registry does not know is 4.00 unknown_point, whatever the payload")
  void anUnknownPointIsBadRequest() throws Exception {
    Response response =
        postJson(NOT_IN_REGISTRY, "air-1", pack(NOT_IN_REGISTRY, "\"n\":\"pm25\",\"v\":35"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(response.getPayloadString())
        .isEqualTo(
            "{\"pointId\":\"wujiang-air-99\",\"accepted\":0,\"refused\":[{\"reason\":"
                + "\"unknown_point\",\"location\":\"\",\"detail\":\"point 'wujiang-air-99' is"
                + " not in the registry of city wujiang\"}]}");
    assertThat(spooled()).isEmpty();
    assertThat(intake.refusals().count(RefusalReason.UNKNOWN_POINT)).isEqualTo(1);
  }

  @Test
  @DisplayName("another city's point is 4.03 point_of_other_city")
  void anotherCitysPointIsForbidden() throws Exception {
    Response response =
        postJson(OTHER_CITYS, "air-1", pack(OTHER_CITYS, "\"n\":\"pm25\",\"v\":35"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    assertThat(response.getPayloadString()).contains("\"reason\":\"point_of_other_city\"");
    assertThat(spooled()).isEmpty();
  }

  @Test
  @DisplayName("plain CoAP from an address no device names is 4.01, and nothing is decoded")
  void anonymousPlainCoapIsUnauthorized() throws Exception {
    Response response = postJson(POINT, null, pack(POINT, "\"n\":\"pm25\",\"v\":35"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(response.getPayloadString())
        .contains("\"reason\":\"unauthorised\",\"location\":\"identity\"")
        .contains("plain CoAP from 192.0.2.7 carries no device identity");
    assertThat(spooled()).isEmpty();
    assertThat(intake.refusals().count(RefusalReason.UNAUTHORISED)).isEqualTo(1);
  }

  @Test
  @DisplayName("a device writing a point not its own is 4.03")
  void aDeviceWritingAnotherDevicesPointIsForbidden() throws Exception {
    Response response = postJson(NOISE_POINT, "air-1", pack(NOISE_POINT, "\"n\":\"leq\",\"v\":55"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    assertThat(response.getPayloadString())
        .contains("device air-1 may not send for point " + NOISE_POINT);
    assertThat(spooled()).isEmpty();
  }

  @Test
  @DisplayName("a device unknown to the credentials file is 4.01")
  void anUnknownPskIdentityIsUnauthorized() throws Exception {
    Response response = postJson(POINT, "stranger", pack(POINT, "\"n\":\"pm25\",\"v\":35"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(response.getPayloadString()).contains("unknown device stranger");
  }

  @Test
  @DisplayName("another content-format is 4.15, naming the two it takes")
  void anotherContentFormatIsUnsupported() throws Exception {
    Response response =
        post(
            "v1/points/" + POINT + "/readings",
            "air-1",
            "192.0.2.7",
            MediaTypeRegistry.TEXT_PLAIN,
            "pm25=3".getBytes(UTF_8));

    assertThat(response.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
    assertThat(response.getPayloadString())
        .isEqualTo("content-format 0; send 110 (SenML JSON) or 112 (SenML CBOR)");
    assertThat(spooled()).isEmpty();
  }

  @Test
  @DisplayName("a path other than /v1/points/{pointId}/readings is 4.04")
  void anotherPathIsNotFound() throws Exception {
    Response response =
        post(
            "v1/points/" + POINT,
            "air-1",
            "192.0.2.7",
            MediaTypeRegistry.APPLICATION_SENML_JSON,
            pack(POINT, "\"n\":\"pm25\",\"v\":35"));

    assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    assertThat(response.getPayloadString()).isEqualTo("POST to /v1/points/{pointId}/readings");
  }

  /**
   * The endpoint a response is sent through: it only keeps it, as the {@code DummyEndpoint} of
   * Californium's own resource tests does.
   */
  private static final class AnswerCatcher implements Endpoint {
    final CompletableFuture<Response> response = new CompletableFuture<>();

    @Override
    public void sendResponse(Exchange exchange, Response answer) {
      response.complete(answer);
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public void destroy() {}

    @Override
    public void clear() {}

    @Override
    public boolean isStarted() {
      return true;
    }

    @Override
    public void setExecutors(ScheduledExecutorService main, ScheduledExecutorService secondary) {}

    @Override
    public void addObserver(EndpointObserver observer) {}

    @Override
    public void removeObserver(EndpointObserver observer) {}

    @Override
    public void addNotificationListener(NotificationListener listener) {}

    @Override
    public void removeNotificationListener(NotificationListener listener) {}

    @Override
    public void addInterceptor(MessageInterceptor interceptor) {}

    @Override
    public void removeInterceptor(MessageInterceptor interceptor) {}

    @Override
    public List<MessageInterceptor> getInterceptors() {
      return List.of();
    }

    @Override
    public void addPostProcessInterceptor(MessageInterceptor interceptor) {}

    @Override
    public void removePostProcessInterceptor(MessageInterceptor interceptor) {}

    @Override
    public List<MessageInterceptor> getPostProcessInterceptors() {
      return List.of();
    }

    @Override
    public void sendRequest(Request request) {}

    @Override
    public void sendEmptyMessage(Exchange exchange, EmptyMessage message) {}

    @Override
    public void setMessageDeliverer(MessageDeliverer deliverer) {}

    @Override
    public InetSocketAddress getAddress() {
      return null;
    }

    @Override
    public URI getUri() {
      return null;
    }

    @Override
    public Configuration getConfig() {
      return null;
    }

    @Override
    public void cancelObservation(Token token) {}
  }
}
