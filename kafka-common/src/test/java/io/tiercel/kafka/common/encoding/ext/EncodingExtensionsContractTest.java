package io.tiercel.kafka.common.encoding.ext;

import io.tiercel.core.component.Factory;
import io.tiercel.testing.component.ComponentContractTest;
import java.util.Collection;

/** The component contract for the encoding extensions this module registers. */
class EncodingExtensionsContractTest extends ComponentContractTest {
  @Override
  protected Collection<? extends Factory<?>> factories() {
    return factoriesUnder("io.tiercel.kafka.common");
  }
}
