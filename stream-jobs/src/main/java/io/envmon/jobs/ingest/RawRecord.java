package io.envmon.jobs.ingest;

/** A Kafka record as it arrived, before decoding: where it came from and its bytes. */
public record RawRecord(String topic, int partition, long offset, byte[] key, byte[] value) {}
