package io.envmon.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record is read back only whole and intact; anything else is named, never taken as data. */
class RecordFrameTest {

  private static final byte[] PAYLOAD = "{\"id\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path directory;

  private Path written(ByteBuffer... records) throws IOException {
    Path file = directory.resolve("records");
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.write(records);
    }
    return file;
  }

  private static RecordFrame.Read readAt(Path file, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return RecordFrame.read(channel, offset, channel.size());
    }
  }

  private static void overwrite(Path file, long at, byte value) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {value}), at);
    }
  }

  private static String reason(RecordFrame.Read read) {
    assertThat(read).isInstanceOf(RecordFrame.Broken.class);
    return ((RecordFrame.Broken) read).reason();
  }

  @Test
  void recordsWrittenBackToBackReadBackWithTheirSequenceAndPayload() throws IOException {
    Path file = written(RecordFrame.encode(7, PAYLOAD), RecordFrame.encode(8, new byte[0]));

    RecordFrame.Intact first = (RecordFrame.Intact) readAt(file, 0);
    assertThat(first.sequence()).isEqualTo(7);
    assertThat(first.payload()).isEqualTo(PAYLOAD);
    assertThat(first.bytes()).isEqualTo(RecordFrame.HEADER_BYTES + PAYLOAD.length);

    RecordFrame.Intact second = (RecordFrame.Intact) readAt(file, first.bytes());
    assertThat(second.sequence()).isEqualTo(8);
    assertThat(second.payload()).isEmpty();
    assertThat(Files.size(file)).isEqualTo(first.bytes() + second.bytes());
  }

  @Test
  void aRecordTornInItsHeaderIsCutShort() throws IOException {
    Path file = written(RecordFrame.encode(1, PAYLOAD).limit(RecordFrame.HEADER_BYTES - 1));
    assertThat(reason(readAt(file, 0))).isEqualTo("a record header is cut short");
  }

  @Test
  void aRecordTornInItsPayloadIsCutShort() throws IOException {
    Path file = written(RecordFrame.encode(1, PAYLOAD).limit(RecordFrame.HEADER_BYTES + 3));
    assertThat(reason(readAt(file, 0))).isEqualTo("a record's payload is cut short");
  }

  @Test
  void aRecordWithAChangedPayloadByteFailsItsCrc() throws IOException {
    Path file = written(RecordFrame.encode(1, PAYLOAD));
    overwrite(file, RecordFrame.HEADER_BYTES + 2, (byte) 'x');
    assertThat(reason(readAt(file, 0))).isEqualTo("a record fails its CRC");
  }

  @Test
  void aRecordWithAChangedSequenceFailsItsCrc() throws IOException {
    Path file = written(RecordFrame.encode(1, PAYLOAD));
    overwrite(file, RecordFrame.HEADER_BYTES - 1, (byte) 2); // the sequence's low byte: 1 → 2
    assertThat(reason(readAt(file, 0))).isEqualTo("a record fails its CRC");
  }

  @Test
  void aHeaderDeclaringAnImpossibleLengthIsBroken() throws IOException {
    Path file = written(RecordFrame.encode(1, PAYLOAD));
    overwrite(file, 0, (byte) 0x7f); // length now ~2 GB
    assertThat(reason(readAt(file, 0))).startsWith("a record declares an impossible length ");
  }

  @Test
  void aPayloadOverTheRecordLimitIsRefusedWhenEncoding() {
    assertThatThrownBy(() -> RecordFrame.encode(1, new byte[RecordFrame.MAX_PAYLOAD_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the spool record limit");
  }
}
