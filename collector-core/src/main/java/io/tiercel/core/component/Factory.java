package io.tiercel.core.component;

import io.tiercel.core.featuregate.Gate;
import java.util.List;
import java.util.Set;

/**
 * Creates components of one type. Implementations are discovered with {@link
 * java.util.ServiceLoader} (listed under {@code
 * META-INF/services/io.tiercel.core.component.Factory}); two factories of one type fail start-up
 * naming both classes.
 *
 * <p>{@code C} is the component's config: an immutable record whose compact constructor checks
 * invariants (throwing {@link IllegalArgumentException} with a message that reads after the config
 * path). Record components are read from YAML under their snake_case names ({@code sendBatchSize}
 * is {@code send_batch_size}) unless annotated with the config layer's {@code @Key}; the config
 * layer ({@code core.config}) binds YAML to it, and depends on this package, not the reverse.
 *
 * @param <C> the config record type
 */
public sealed interface Factory<C extends Record>
    permits ReceiverFactory, ProcessorFactory, ExporterFactory, ExtensionFactory {
  /** The type, {@code lower_snake_case}, as written in component ids. */
  String type();

  /** Other type names accepted for this component (old names kept for existing configs). */
  default Set<String> aliases() {
    return Set.of();
  }

  /** The kind of component this factory makes. */
  Kind kind();

  /** The config record class. */
  Class<C> configClass();

  /** The config used when the YAML says nothing; user YAML is laid over it. */
  C createDefaultConfig();

  /**
   * The feature gates this component reads (from {@link Settings#featureGates()} while it builds):
   * they are what {@code --feature-gates} may name and what {@code components} lists.
   */
  default List<Gate> featureGates() {
    return List.of();
  }
}
