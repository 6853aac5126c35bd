package io.envmon.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

  @TempDir Path directory;

  static AcceptedReading reading(int minute) {
    Instant at = T0.plusSeconds(60L * minute);
    String pointId = "wujiang-air-01";
    return new AcceptedReading(
        new Reading(
            Reading.idFor(pointId, at),
            pointId,
            at,
            List.of(Measurement.valid(Parameter.PM25, minute)),
            Source.MQTT),
        "wujiang",
        PointKind.AIR,
        "gw-1",
        0,
        at);
  }

  static List<AcceptedReading> readings(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(SpoolTest::reading).toList();
  }

  private Spool open(long capBytes, long segmentBytes) {
    return Spool.open(
        new Spool.Options(directory, capBytes, segmentBytes, FsyncPolicy.EVERY_APPEND));
  }

  private Spool open() {
    return open(1 << 20, 4096);
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.toString().endsWith(".segment")).sorted().toList();
    }
  }

  /** The readings after {@code sequence}, read by a reader of their own. */
  static List<AcceptedReading> readAfter(Spool spool, long sequence, int max) {
    try (SpoolReader reader = spool.readerAfter(sequence)) {
      return reader.next(max).stream().map(Spooled::reading).toList();
    }
  }

  private static List<Long> sequences(List<AcceptedReading> readings) {
    return readings.stream().map(AcceptedReading::gatewaySequence).toList();
  }

  @Test
  void appendedReadingsGetConsecutiveGatewaySequencesAndReadBackInOrder() {
    try (Spool spool = open()) {
      AppendResult result = spool.append(readings(0, 3));
      assertThat(result).isInstanceOf(AppendResult.Appended.class);
      assertThat(sequences(((AppendResult.Appended) result).readings()))
          .containsExactly(1L, 2L, 3L);
      List<AcceptedReading> read = readAfter(spool, 0, 10);
      assertThat(read).isEqualTo(((AppendResult.Appended) result).readings());
      assertThat(read.get(2).reading()).isEqualTo(reading(2).reading());
      assertThat(readAfter(spool, 1, 1))
          .extracting(AcceptedReading::gatewaySequence)
          .containsExactly(2L);
      assertThat(spool.depth()).isEqualTo(3);
    }
  }

  @Test
  void theReaderFollowsRecordsAcrossSegments() {
    try (Spool spool = open(1 << 20, 1024)) {
      for (int i = 0; i < 40; i++) {
        spool.append(List.of(reading(i)));
      }
      assertThat(segmentFiles()).hasSizeGreaterThan(3);
      long after = 0;
      int total = 0;
      try (SpoolReader reader = spool.readerAfter(0)) {
        for (List<Spooled> batch = reader.next(7); !batch.isEmpty(); batch = reader.next(7)) {
          assertThat(batch.get(0).sequence()).isEqualTo(after + 1);
          after = batch.get(batch.size() - 1).sequence();
          total += batch.size();
        }
      }
      assertThat(total).isEqualTo(40);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aRestartKeepsUnacknowledgedRecordsAndContinuesTheSequence() {
    try (Spool spool = open()) {
      spool.append(readings(0, 5));
      spool.acknowledge(2);
    }
    try (Spool spool = open()) {
      assertThat(spool.recovery().records()).isEqualTo(5);
      assertThat(spool.acknowledgedSequence()).isEqualTo(2);
      assertThat(sequences(readAfter(spool, spool.acknowledgedSequence(), 10)))
          .containsExactly(3L, 4L, 5L);
      AppendResult next = spool.append(List.of(reading(9)));
      assertThat(sequences(((AppendResult.Appended) next).readings())).containsExactly(6L);
    }
  }

  @Test
  void aRecordCutShortByACrashIsDroppedAndEveryCompleteRecordKept() throws IOException {
    try (Spool spool = open()) {
      spool.append(readings(0, 3));
    }
    Path segment = segmentFiles().get(0);
    long size = Files.size(segment);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(size - 5); // the crash hit while the third record was being written
    }
    try (Spool spool = open()) {
      assertThat(spool.recovery().records()).isEqualTo(2);
      assertThat(spool.recovery().droppedBytes()).isGreaterThan(0);
      assertThat(sequences(readAfter(spool, 0, 10))).containsExactly(1L, 2L);
      AppendResult next = spool.append(List.of(reading(7)));
      assertThat(sequences(((AppendResult.Appended) next).readings())).containsExactly(3L);
      assertThat(sequences(readAfter(spool, 0, 10))).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void aTailRecordWithABadCrcIsDropped() throws IOException {
    try (Spool spool = open()) {
      spool.append(readings(0, 2));
    }
    Path segment = segmentFiles().get(0);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(file.length() - 3);
      file.write('x');
    }
    try (Spool spool = open()) {
      assertThat(sequences(readAfter(spool, 0, 10))).containsExactly(1L);
    }
  }

  @Test
  void aSegmentIsDeletedOnlyWhenKafkaAcknowledgedEveryRecordInIt() throws IOException {
    try (Spool spool = open(1 << 20, 1024)) {
      for (int i = 0; i < 20; i++) {
        spool.append(List.of(reading(i)));
      }
      List<Path> before = segmentFiles();
      assertThat(before.size()).isGreaterThan(2);
      long lastOfFirstSegment =
          Long.parseLong(before.get(1).getFileName().toString().replace(".segment", "")) - 1;

      spool.acknowledge(lastOfFirstSegment - 1);
      assertThat(segmentFiles()).isEqualTo(before);

      spool.acknowledge(lastOfFirstSegment);
      assertThat(segmentFiles()).isEqualTo(before.subList(1, before.size()));

      spool.acknowledge(20);
      assertThat(segmentFiles()).hasSize(1); // the active segment stays
      assertThat(spool.depth()).isZero();
    }
  }

  @Test
  void theAcknowledgedSequenceIsWrittenAtMostOncePerIntervalAndAtClose(@TempDir Path crashed)
      throws IOException {
    CheckpointFile file = new CheckpointFile(directory.resolve("acknowledged"));
    java.util.Set<Long> written = new java.util.TreeSet<>();
    try (Spool spool = open(1 << 20, 1 << 20)) { // one segment: nothing is deleted
      spool.append(readings(0, 100));
      for (long sequence = 1; sequence <= 90; sequence++) {
        spool.acknowledge(sequence);
        written.add(file.read());
        assertThat(spool.acknowledgedSequence()).isEqualTo(sequence);
      }
      // 90 batches within far less than CHECKPOINT_EVERY: the first is written, hardly any other
      assertThat(written).first().isEqualTo(1L);
      assertThat(written).hasSizeLessThan(5);

      // A crash now (the files as they are, the spool not closed): the restart begins at the
      // older checkpoint, resends every record after it and goes on after the last.
      copyFiles(directory, crashed);
      try (Spool afterCrash =
          Spool.open(new Spool.Options(crashed, 1 << 20, 1 << 20, FsyncPolicy.EVERY_APPEND))) {
        long checkpointed = afterCrash.acknowledgedSequence();
        assertThat(checkpointed).isEqualTo(file.read()).isLessThan(90);
        assertThat(sequences(readAfter(afterCrash, checkpointed, 200)))
            .containsExactlyElementsOf(
                IntStream.rangeClosed((int) checkpointed + 1, 100)
                    .mapToObj(i -> (long) i)
                    .toList());
        AppendResult next = afterCrash.append(List.of(reading(7)));
        assertThat(sequences(((AppendResult.Appended) next).readings())).containsExactly(101L);
      }
    }
    assertThat(file.read()).isEqualTo(90L); // written at close
  }

  @Test
  void anAcknowledgementThatDeletesASegmentIsCheckpointedAtOnce() throws IOException {
    CheckpointFile file = new CheckpointFile(directory.resolve("acknowledged"));
    try (Spool spool = open()) {
      for (int i = 0; i < 100; i++) {
        spool.append(List.of(reading(i))); // a batch stays in one segment: one at a time
      }
      spool.acknowledge(1);
      List<Path> before = segmentFiles();
      long lastOfFirstSegment =
          Long.parseLong(before.get(1).getFileName().toString().replace(".segment", "")) - 1;

      spool.acknowledge(lastOfFirstSegment); // within CHECKPOINT_EVERY of the first

      assertThat(segmentFiles()).isEqualTo(before.subList(1, before.size()));
      assertThat(file.read()).isEqualTo(lastOfFirstSegment);
    }
  }

  @Test
  void aCheckpointThatWaitedIsWrittenWhenTheForwarderHasNothingToSend() throws IOException {
    CheckpointFile file = new CheckpointFile(directory.resolve("acknowledged"));
    try (Spool spool = open(1 << 20, 1 << 20)) {
      spool.append(readings(0, 10));
      spool.acknowledge(1);
      spool.acknowledge(5);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                spool.checkpointIfDue(); // what the forwarder does when idle
                assertThat(file.read()).isEqualTo(5L);
              });
    }
  }

  private static void copyFiles(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  @Test
  void aFullSpoolRefusesTheAppendUntilKafkaAcknowledgesAndSegmentsAreFreed() {
    try (Spool spool = open(2048, 1024)) {
      AppendResult result = null;
      int appended = 0;
      while (!((result = spool.append(List.of(reading(appended)))) instanceof AppendResult.Full)) {
        appended++;
      }
      assertThat(result).isEqualTo(new AppendResult.Full(2048));
      assertThat(spool.depth()).isEqualTo(appended);

      spool.acknowledge(appended);
      assertThat(spool.append(List.of(reading(99)))).isInstanceOf(AppendResult.Appended.class);
    }
  }

  @Test
  void theOldestUnacknowledgedReadingIsReportedForTheSpoolAge() {
    try (Spool spool = open()) {
      assertThat(spool.oldestUnacknowledgedReceivedAt()).isEmpty();
      spool.append(readings(0, 3));
      spool.acknowledge(1);
      assertThat(spool.oldestUnacknowledgedReceivedAt()).contains(T0.plusSeconds(60));
    }
  }
}
