package io.envmon.api.readings;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

@Factory
class InfluxFactory {
  @Singleton
  @Bean(preDestroy = "close")
  InfluxDB influx(InfluxConfiguration configuration) {
    return configuration.username() == null
        ? InfluxDBFactory.connect(configuration.url())
        : InfluxDBFactory.connect(
            configuration.url(), configuration.username(), configuration.password());
  }
}
