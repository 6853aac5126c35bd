package io.envmon.jobs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A topic in this JVM's memory for a job in a MiniCluster, read as a Flink source: the test {@link
 * #send}s records while the job runs (partitioned by key, in order per partition, as Kafka would),
 * and the readers wait for more until the test {@link #close}s it. Unlike a source from a list, the
 * input does not end by itself: an end of input is a final watermark that fires every event-time
 * timer, which a live platform never sees. Records are shared through a static map under the
 * topic's name, so the copies Flink makes of this source read the same queues; no checkpoints.
 */
final class InMemoryTopic<T>
    implements Source<T, InMemoryTopic.Partition, Integer>, ResultTypeQueryable<T> {

  private static final Map<String, Queues> TOPICS = new ConcurrentHashMap<>();

  private final String name;
  private final int partitions;
  private final TypeInformation<T> type;

  private InMemoryTopic(String name, int partitions, TypeInformation<T> type) {
    this.name = name;
    this.partitions = partitions;
    this.type = type;
  }

  /** A new, empty topic under a name unique to the test. */
  static <T> InMemoryTopic<T> create(String name, int partitions, Class<T> type) {
    if (TOPICS.putIfAbsent(name, new Queues(partitions)) != null) {
      throw new IllegalArgumentException("topic " + name + " exists already");
    }
    return new InMemoryTopic<>(name, partitions, TypeInformation.of(type));
  }

  /** Appends {@code record} to the partition of {@code key}. */
  void send(String key, T record) {
    queues().add(Math.floorMod(key.hashCode(), partitions), record);
  }

  /** No more records: the readers end once they have read what was sent. */
  void close() {
    queues().close();
  }

  /** Forgets the topic's records. */
  void delete() {
    TOPICS.remove(name);
  }

  private Queues queues() {
    Queues queues = TOPICS.get(name);
    if (queues == null) {
      throw new IllegalStateException("topic " + name + " was deleted");
    }
    return queues;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return type;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SplitEnumerator<Partition, Integer> createEnumerator(
      SplitEnumeratorContext<Partition> context) {
    return new Enumerator(context, partitions);
  }

  @Override
  public SplitEnumerator<Partition, Integer> restoreEnumerator(
      SplitEnumeratorContext<Partition> context, Integer checkpoint) {
    return new Enumerator(context, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<Partition> getSplitSerializer() {
    return new IntSerializer<>(Partition::index, Partition::new);
  }

  @Override
  public SimpleVersionedSerializer<Integer> getEnumeratorCheckpointSerializer() {
    return new IntSerializer<>(count -> count, count -> count);
  }

  @Override
  public SourceReader<T, Partition> createReader(SourceReaderContext context) {
    return new Reader<>(queues());
  }

  /** A partition of the topic: one split. */
  record Partition(int index) implements SourceSplit {
    @Override
    public String splitId() {
      return Integer.toString(index);
    }
  }

  /** The records of each partition, and a future completed whenever records come or the end. */
  private static final class Queues {
    private final List<Queue<Object>> partitions = new ArrayList<>();
    private final AtomicReference<CompletableFuture<Void>> changed =
        new AtomicReference<>(new CompletableFuture<>());
    private volatile boolean closed;

    Queues(int count) {
      for (int i = 0; i < count; i++) {
        partitions.add(new ConcurrentLinkedQueue<>());
      }
    }

    void add(int partition, Object record) {
      partitions.get(partition).add(record);
      changed.getAndSet(new CompletableFuture<>()).complete(null);
    }

    void close() {
      closed = true;
      changed.getAndSet(new CompletableFuture<>()).complete(null);
    }
  }

  /** Every partition to the reader of subtask {@code partition % parallelism}, then no more. */
  private static final class Enumerator implements SplitEnumerator<Partition, Integer> {
    private final SplitEnumeratorContext<Partition> context;
    private final int partitions;

    Enumerator(SplitEnumeratorContext<Partition> context, int partitions) {
      this.context = context;
      this.partitions = partitions;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<Partition> splits, int subtaskId) {
      throw new UnsupportedOperationException("an in-memory topic is not read again");
    }

    @Override
    public void addReader(int subtaskId) {
      List<Partition> assigned = new ArrayList<>();
      for (int p = subtaskId; p < partitions; p += context.currentParallelism()) {
        assigned.add(new Partition(p));
      }
      if (!assigned.isEmpty()) {
        context.assignSplits(new SplitsAssignment<>(Map.of(subtaskId, assigned)));
      }
      context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public Integer snapshotState(long checkpointId) {
      return partitions;
    }

    @Override
    public void close() {}
  }

  private static final class Reader<T> implements SourceReader<T, Partition> {
    private final Queues queues;
    private final List<Partition> assigned = new ArrayList<>();
    private boolean noMoreSplits;

    /** Completed when splits come or no more will: the reader looks at the queues again. */
    private CompletableFuture<Void> splitsChanged = new CompletableFuture<>();

    Reader(Queues queues) {
      this.queues = queues;
    }

    @Override
    public void start() {}

    @Override
    @SuppressWarnings("unchecked")
    public InputStatus pollNext(ReaderOutput<T> output) {
      for (Partition partition : assigned) {
        Object record = queues.partitions.get(partition.index()).poll();
        if (record != null) {
          output.collect((T) record);
          return InputStatus.MORE_AVAILABLE;
        }
      }
      // Closed is read after the queues were found empty: nothing was sent after it.
      return noMoreSplits && queues.closed && allEmpty()
          ? InputStatus.END_OF_INPUT
          : InputStatus.NOTHING_AVAILABLE;
    }

    private boolean allEmpty() {
      return assigned.stream().allMatch(p -> queues.partitions.get(p.index()).isEmpty());
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      // Taken before looking: a record sent after the look completes this very future.
      CompletableFuture<Void> changed = queues.changed.get();
      if (!allEmpty() || (noMoreSplits && queues.closed)) {
        return CompletableFuture.completedFuture(null);
      }
      if (splitsChanged.isDone()) {
        splitsChanged = new CompletableFuture<>();
      }
      return CompletableFuture.anyOf(changed, splitsChanged).thenApply(any -> null);
    }

    @Override
    public List<Partition> snapshotState(long checkpointId) {
      return List.copyOf(assigned);
    }

    @Override
    public void addSplits(List<Partition> splits) {
      assigned.addAll(splits);
      splitsChanged.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      splitsChanged.complete(null);
    }

    @Override
    public void close() {}
  }

  /** A value held in one int (a partition's index, the partition count). */
  private static final class IntSerializer<V> implements SimpleVersionedSerializer<V> {
    private final ToIntFunction<V> toInt;
    private final IntFunction<V> fromInt;

    IntSerializer(ToIntFunction<V> toInt, IntFunction<V> fromInt) {
      this.toInt = toInt;
      this.fromInt = fromInt;
    }

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(V value) {
      return ByteBuffer.allocate(4).putInt(toInt.applyAsInt(value)).array();
    }

    @Override
    public V deserialize(int version, byte[] serialized) {
      return fromInt.apply(ByteBuffer.wrap(serialized).getInt());
    }
  }
}
