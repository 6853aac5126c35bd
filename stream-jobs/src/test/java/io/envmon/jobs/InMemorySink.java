package io.envmon.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink into this JVM's memory for a job in a MiniCluster: what its writers receive, in the order
 * they receive it, and how far event time has come at them (their watermarks), kept in static maps
 * under the sink's name (Flink writes through copies of this object) for the test to read while the
 * job runs or after it.
 */
final class InMemorySink<T> implements Sink<T> {

  private static final Map<String, Queue<Object>> RECEIVED = new ConcurrentHashMap<>();

  /** Per sink, each writer's (subtask's) newest watermark, once all writers are there. */
  private static final Map<String, Map<Integer, Long>> WATERMARKS = new ConcurrentHashMap<>();

  private final String name;

  /** A new, empty sink under a name unique to the test. */
  InMemorySink(String name) {
    if (RECEIVED.putIfAbsent(name, new ConcurrentLinkedQueue<>()) != null) {
      throw new IllegalArgumentException("sink " + name + " exists already");
    }
    this.name = name;
  }

  /** What the sink has received so far. */
  @SuppressWarnings("unchecked")
  List<T> received() {
    List<T> received = new ArrayList<>();
    for (Object element : received(name)) {
      received.add((T) element);
    }
    return received;
  }

  /**
   * Event time at this sink: the smallest of its writers' watermarks; {@code Long.MIN_VALUE} until
   * every writer has one. Whatever was sent to the sink before that watermark has been received.
   */
  long watermark() {
    Map<Integer, Long> writers = WATERMARKS.getOrDefault(name, Map.of());
    return writers.values().stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE);
  }

  /** Forgets what the sink received. */
  void delete() {
    RECEIVED.remove(name);
    WATERMARKS.remove(name);
  }

  private static Queue<Object> received(String name) {
    Queue<Object> received = RECEIVED.get(name);
    if (received == null) {
      throw new IllegalStateException("sink " + name + " was deleted");
    }
    return received;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    Queue<Object> received = received(name);
    int writers = context.getTaskInfo().getNumberOfParallelSubtasks();
    int subtask = context.getTaskInfo().getIndexOfThisSubtask();
    Map<Integer, Long> watermarks =
        WATERMARKS.computeIfAbsent(name, sink -> new ConcurrentHashMap<>());
    // Every writer's entry, before any has a watermark: the smallest is then a true minimum.
    for (int i = 0; i < writers; i++) {
      watermarks.putIfAbsent(i, Long.MIN_VALUE);
    }
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) {
        received.add(element);
      }

      @Override
      public void writeWatermark(Watermark watermark) {
        watermarks.put(subtask, watermark.getTimestamp());
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
