package io.envmon.gateway.spool;

import static io.envmon.gateway.spool.SpoolTest.reading;
import static io.envmon.gateway.spool.SpoolTest.readings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader keeps its own place in the spool, across appends, segments and restarts. */
class SpoolReaderTest {

  @TempDir Path directory;

  private Spool open(long segmentBytes) {
    return Spool.open(
        new Spool.Options(directory, 1 << 20, segmentBytes, FsyncPolicy.EVERY_APPEND));
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(Segment::isSegment).sorted().toList();
    }
  }

  private static List<Long> sequences(List<Spooled> records) {
    return records.stream().map(Spooled::sequence).toList();
  }

  @Test
  void aReaderThatCaughtUpContinuesWithWhatIsAppendedAfterwards() {
    try (Spool spool = open(4096);
        SpoolReader reader = spool.readerAfter(0)) {
      spool.append(readings(0, 3));
      assertThat(sequences(reader.next(10))).containsExactly(1L, 2L, 3L);
      assertThat(reader.next(10)).isEmpty();

      spool.append(readings(3, 2));
      assertThat(sequences(reader.next(10))).containsExactly(4L, 5L);
      assertThat(reader.lastRead()).isEqualTo(5);
    }
  }

  @Test
  void aReaderAtTheEndOfTheSegmentBeingWrittenFollowsTheSpoolIntoItsNextSegments()
      throws IOException {
    List<Long> read = new ArrayList<>();
    try (Spool spool = open(1024);
        SpoolReader reader = spool.readerAfter(0)) {
      for (int i = 0; i < 40; i++) {
        spool.append(List.of(reading(i)));
        read.addAll(sequences(reader.next(100))); // always at the end when the segment changes
      }
      assertThat(segmentFiles()).hasSizeGreaterThan(3);
    }
    assertThat(read).isEqualTo(LongStream.rangeClosed(1, 40).boxed().toList());
  }

  @Test
  void aReaderStartedAfterARestartReadsWhatKafkaHasNotAcknowledged() {
    try (Spool spool = open(4096)) {
      spool.append(readings(0, 5));
      spool.acknowledge(2);
    }
    try (Spool spool = open(4096);
        SpoolReader reader = spool.readerAfter(spool.acknowledgedSequence())) {
      assertThat(sequences(reader.next(10))).containsExactly(3L, 4L, 5L);
      spool.append(List.of(reading(9)));
      assertThat(sequences(reader.next(10))).containsExactly(6L);
    }
  }

  @Test
  void readersAndTheHealthFiguresDoNotMoveEachOther() {
    try (Spool spool = open(4096);
        SpoolReader forwarder = spool.readerAfter(0);
        SpoolReader other = spool.readerAfter(0)) {
      spool.append(readings(0, 5));
      assertThat(sequences(forwarder.next(2))).containsExactly(1L, 2L);

      assertThat(spool.oldestUnacknowledgedReceivedAt()).contains(reading(0).receivedAt());
      assertThat(sequences(other.next(10))).containsExactly(1L, 2L, 3L, 4L, 5L);

      assertThat(sequences(forwarder.next(10))).containsExactly(3L, 4L, 5L);
    }
  }

  @Test
  void aReaderWhoseSegmentWasDeletedContinuesInTheOldestSegmentLeft() throws IOException {
    try (Spool spool = open(1024);
        SpoolReader behind = spool.readerAfter(0)) {
      for (int i = 0; i < 20; i++) {
        spool.append(List.of(reading(i)));
      }
      assertThat(sequences(behind.next(1))).containsExactly(1L);
      long secondSegmentFirst =
          Long.parseLong(segmentFiles().get(1).getFileName().toString().replace(".segment", ""));

      spool.acknowledge(secondSegmentFirst - 1); // another's reading: the first segment is deleted

      assertThat(sequences(behind.next(1))).containsExactly(secondSegmentFirst);
    }
  }

  @Test
  void recordsCutByTheEndOfAReadAheadAreReadWholeAndInOrder() throws IOException {
    try (Spool spool =
            Spool.open(
                new Spool.Options(directory, 64 << 20, 16 << 20, FsyncPolicy.OPERATING_SYSTEM));
        SpoolReader reader = spool.readerAfter(0)) {
      int count = 0;
      while (Files.size(segmentFiles().get(0)) < 3L * SpoolReader.READ_AHEAD_BYTES) {
        spool.append(readings(count, 100));
        count += 100;
      }
      assertThat(segmentFiles()).hasSize(1);
      List<Long> read = new ArrayList<>();
      for (List<Spooled> batch = reader.next(500); !batch.isEmpty(); batch = reader.next(500)) {
        read.addAll(sequences(batch));
      }
      assertThat(read).isEqualTo(LongStream.rangeClosed(1, count).boxed().toList());
      assertThat(reader.skipped()).isZero();
    }
  }

  @Test
  void aRecordDamagedInItsPayloadIsSteppedOverAndTheOnesAfterItAreRead() throws IOException {
    try (Spool spool = open(4096);
        SpoolReader reader = spool.readerAfter(0)) {
      spool.append(List.of(reading(0)));
      Path segment = segmentFiles().get(0);
      long secondRecordAt = Files.size(segment);
      spool.append(readings(1, 2));
      long damagedAt = secondRecordAt + RecordFrame.HEADER_BYTES + 2;
      byte original;
      try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
        file.seek(damagedAt);
        original = file.readByte();
        file.seek(damagedAt);
        file.write(original ^ 0x20);
      }

      // The damaged record is stepped over; the ones after it still go out.
      assertThat(sequences(reader.next(10))).containsExactly(1L, 3L);
      assertThat(reader.skipped()).isOne();
      assertThat(reader.lastRead()).isEqualTo(3);
    }
  }

  @Test
  void aRecordWhoseLengthIsDamagedFailsTheReadAndTheReaderKeepsItsPlace() throws IOException {
    try (Spool spool = open(4096);
        SpoolReader reader = spool.readerAfter(0)) {
      spool.append(List.of(reading(0)));
      Path segment = segmentFiles().get(0);
      long secondRecordAt = Files.size(segment);
      spool.append(readings(1, 2));
      int original;
      try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
        file.seek(secondRecordAt);
        original = file.readInt();
        file.seek(secondRecordAt);
        file.writeInt(-1); // an impossible length: where the next record starts is unknown
      }

      assertThatThrownBy(() -> reader.next(10))
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining("at byte " + secondRecordAt)
          .hasMessageContaining("impossible length");
      assertThat(reader.lastRead()).isZero(); // nothing of the failed read counts as read

      try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
        file.seek(secondRecordAt);
        file.writeInt(original);
      }
      assertThat(sequences(reader.next(10))).containsExactly(1L, 2L, 3L);
      assertThat(reader.skipped()).isZero();
    }
  }
}
