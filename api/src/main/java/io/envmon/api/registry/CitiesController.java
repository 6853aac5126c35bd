package io.envmon.api.registry;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.List;

/** {@code /api/v1/cities}: every city of the cluster, with time zone and neighbours. */
@Controller("/api/v1/cities")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CitiesController {

  private final CityRepository cities;

  public CitiesController(CityRepository cities) {
    this.cities = cities;
  }

  @Get
  public List<CityView> list() {
    return cities.findAllOrderById().stream().map(CityView::of).toList();
  }
}
