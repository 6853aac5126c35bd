package io.envmon.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment file: appended records, recovered after a crash with its torn tail cut off. */
class SegmentTest {

  @TempDir Path directory;

  private static ByteBuffer record(long sequence) {
    return RecordFrame.encode(
        sequence, ("{\"reading\":" + sequence + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** A segment from sequence 5 holding 5, 6 and 7 (two appends), closed as at a clean stop. */
  private Segment threeRecords() throws IOException {
    Segment segment = Segment.create(directory, 5);
    ByteBuffer[] first = {record(5), record(6)};
    segment.append(first, first[0].remaining() + first[1].remaining(), 6);
    ByteBuffer[] second = {record(7)};
    segment.append(second, second[0].remaining(), 7);
    segment.writer().close();
    return segment;
  }

  @Test
  void aNewSegmentIsNamedByItsFirstSequenceAndCountsWhatIsAppended() throws IOException {
    Segment segment = threeRecords();

    assertThat(segment.path().getFileName().toString()).isEqualTo("00000000000000000005.segment");
    assertThat(Segment.isSegment(segment.path())).isTrue();
    assertThat(segment.firstSequence()).isEqualTo(5);
    assertThat(segment.lastSequence()).isEqualTo(7);
    assertThat(segment.size()).isEqualTo(Files.size(segment.path()));
  }

  @Test
  void recoveringACleanSegmentKeepsEveryRecordAndDropsNothing() throws IOException {
    Segment written = threeRecords();

    Segment.Recovered recovered = Segment.recover(written.path());

    assertThat(recovered.records()).isEqualTo(3);
    assertThat(recovered.droppedBytes()).isZero();
    assertThat(recovered.segment().firstSequence()).isEqualTo(5);
    assertThat(recovered.segment().lastSequence()).isEqualTo(7);
    assertThat(recovered.segment().size()).isEqualTo(written.size());
  }

  @Test
  void aTailTornByACrashIsCutOffAndAppendsContinueAfterTheLastWholeRecord() throws IOException {
    Segment written = threeRecords();
    long wholeTwo = written.size() - record(7).remaining();
    try (FileChannel file = FileChannel.open(written.path(), StandardOpenOption.WRITE)) {
      file.truncate(written.size() - 4); // the crash hit while record 7 was being written
    }

    Segment.Recovered recovered = Segment.recover(written.path());

    assertThat(recovered.records()).isEqualTo(2);
    assertThat(recovered.droppedBytes()).isEqualTo(record(7).remaining() - 4);
    assertThat(recovered.segment().lastSequence()).isEqualTo(6);
    assertThat(Files.size(written.path())).isEqualTo(wholeTwo);

    Segment segment = recovered.segment();
    segment.openForAppend();
    ByteBuffer[] again = {record(7)};
    segment.append(again, again[0].remaining(), 7);
    segment.writer().close();
    assertThat(Segment.recover(written.path()).records()).isEqualTo(3);
  }

  @Test
  void aRecordWhoseSequenceDoesNotFollowEndsTheSegment() throws IOException {
    Segment segment = Segment.create(directory, 1);
    ByteBuffer[] records = {record(1), record(2), record(2)};
    long bytes = 0;
    for (ByteBuffer each : records) {
      bytes += each.remaining();
    }
    segment.append(records, bytes, 2);
    segment.writer().close();

    Segment.Recovered recovered = Segment.recover(segment.path());

    assertThat(recovered.records()).isEqualTo(2);
    assertThat(recovered.droppedBytes()).isEqualTo(record(2).remaining());
  }
}
