package io.envmon.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  @Test
  void productionHashesAtCost12AndChecksAnyCost() {
    PasswordHasher production = new PasswordHasher(12);
    String hash = production.hash("correct horse battery");

    assertThat(hash).startsWith("$2a$12$");
    assertThat(production.matches("correct horse battery", hash)).isTrue();
    assertThat(production.matches("wrong horse battery", hash)).isFalse();
    assertThat(production.matches("quick", new PasswordHasher(4).hash("quick"))).isTrue();
  }

  @Test
  void aCostOutsideBcryptsRangeStopsTheStart() {
    assertThatThrownBy(() -> new PasswordHasher(3))
        .hasMessageContaining("envmon.security.password-hash-cost");
  }
}
