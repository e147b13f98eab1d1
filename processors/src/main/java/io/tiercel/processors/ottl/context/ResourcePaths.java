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

/** The {@code resource} context: the resource's attributes, dropped count and schema URL. */
final class ResourcePaths {
  private ResourcePaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
      List.of("attributes", "dropped_attributes_count", "schema_url", "cache");

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "schema_url" ->
          acc(
              c -> schemaUrl(c.resourceHolder()),
              (c, v) -> {
                if (v instanceof String s) {
                  setSchemaUrl(c.resourceHolderForEdit(), s);
                }
              });
      case "attributes" ->
          attributes(c -> c.resource(), c -> c.resourceForEdit(), PathSupport.RESOURCE_WIRE, keys);
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.resource().getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  c.resourceForEdit().setDroppedAttributesCount(intOf(v));
                }
              });
      default -> null;
    };
  }
}
