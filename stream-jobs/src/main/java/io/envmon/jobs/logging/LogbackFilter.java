package io.envmon.jobs.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Denies {@link RepeatedCommitterGaugeWarning}'s message and is neutral to every other event.
 * Loaded only when logback is the backend (logback is {@code provided}, not in the job jar).
 */
final class LogbackFilter extends TurboFilter {
  private static final String NAME = "envmon-repeated-committer-gauge-warning";

  static void install() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogbackFilter filter = new LogbackFilter();
    filter.setName(NAME);
    filter.setContext(context);
    filter.start();
    context.addTurboFilter(filter);
  }

  static void uninstall() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getTurboFilterList().removeIf(filter -> NAME.equals(filter.getName()));
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return level == Level.WARN && RepeatedCommitterGaugeWarning.matches(logger.getName(), format)
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
