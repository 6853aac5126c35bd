package io.envmon.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that talks to the real Mosquitto, Kafka, InfluxDB and PostgreSQL; its test and
 * lifecycle methods may take an {@link Infrastructure} parameter. See {@link RealInfrastructure}
 * for where the servers come from.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealInfrastructure.class)
public @interface WithRealInfrastructure {}
