package io.envmon.gateway.spool;

/** When the spool forces appended records to the disk. */
public enum FsyncPolicy {
  /**
   * Default: {@code append} returns only after the records are on the disk (fsync), so an
   * acknowledgement to a device survives a power cut.
   */
  EVERY_APPEND,
  /**
   * The operating system writes when it likes: survives a gateway crash (kill -9) but not a power
   * cut. Faster; for machines with battery-backed storage.
   */
  OPERATING_SYSTEM
}
