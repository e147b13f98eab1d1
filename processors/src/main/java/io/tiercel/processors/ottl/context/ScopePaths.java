package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.attributes;
import static io.tiercel.processors.ottl.context.PathSupport.intOf;
import static io.tiercel.processors.ottl.context.PathSupport.schemaUrl;
import static io.tiercel.processors.ottl.context.PathSupport.setSchemaUrl;

import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.Getter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code scope} context: the instrumentation scope's name, version, attributes and schema URL.
 */
final class ScopePaths {
  private ScopePaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
      List.of("name", "version", "attributes", "dropped_attributes_count", "schema_url", "cache");

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "schema_url" ->
          acc(
              c -> schemaUrl(c.scopeHolder()),
              (c, v) -> {
                if (v instanceof String s) {
                  setSchemaUrl(c.scopeHolderForEdit(), s);
                }
              });
      case "attributes" ->
          attributes(c -> c.scope(), c -> c.scopeForEdit(), PathSupport.SCOPE_WIRE, keys);
      case "name" ->
          acc(
              c -> c.scope().getName(),
              (c, v) -> {
                if (v instanceof String s) {
                  c.scopeForEdit().setName(s);
                }
              });
      case "version" ->
          acc(
              c -> c.scope().getVersion(),
              (c, v) -> {
                if (v instanceof String s) {
                  c.scopeForEdit().setVersion(s);
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.scope().getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  c.scopeForEdit().setDroppedAttributesCount(intOf(v));
                }
              });
      default -> null;
    };
  }
}
