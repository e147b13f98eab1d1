package io.tiercel.core.component;

import java.util.Map;
import java.util.Optional;

/** What a component sees of the running collector at {@link Component#start}. */
public interface Host {
  /** The started extensions by id. */
  Map<ComponentId, Extension> extensions();

  /** The extension {@code id} if it is configured, started and of {@code type}. */
  default <E> Optional<E> extension(ComponentId id, Class<E> type) {
    Extension e = extensions().get(id);
    return type.isInstance(e) ? Optional.of(type.cast(e)) : Optional.empty();
  }

  /** Where components report their health (read by the {@code health_check} extension). */
  StatusRegistry status();

  /**
   * The running service's pipelines, components and effective config, for extensions that report on
   * it; {@link ServiceView#NONE} where the host has none to show.
   */
  default ServiceView service() {
    return ServiceView.NONE;
  }
}
