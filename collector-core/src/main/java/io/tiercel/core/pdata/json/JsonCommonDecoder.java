package io.tiercel.core.pdata.json;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;

/** Reads the messages every signal shares: resource, entity refs, scope, attributes and values. */
final class JsonCommonDecoder {
  private JsonCommonDecoder() {}

  static Resource resource(JsonReader r) {
    Resource.Builder b = Resource.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "attributes" -> JsonValues.array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(JsonValues.uint32(r, k));
            case "entityRefs" -> JsonValues.array(r, k, () -> b.addEntityRefs(entityRef(r)));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static EntityRef entityRef(JsonReader r) {
    EntityRef.Builder b = EntityRef.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "schemaUrl" -> b.setSchemaUrl(JsonValues.string(r, k));
            case "type" -> b.setType(JsonValues.string(r, k));
            case "idKeys" ->
                JsonValues.array(r, k, () -> b.addIdKeys(JsonValues.string(r, "idKeys")));
            case "descriptionKeys" ->
                JsonValues.array(
                    r, k, () -> b.addDescriptionKeys(JsonValues.string(r, "descriptionKeys")));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static InstrumentationScope scope(JsonReader r) {
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "name" -> b.setName(JsonValues.string(r, k));
            case "version" -> b.setVersion(JsonValues.string(r, k));
            case "attributes" -> JsonValues.array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(JsonValues.uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static KeyValue keyValue(JsonReader r) {
    KeyValue.Builder b = KeyValue.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "key" -> b.setKey(JsonValues.string(r, k));
            case "value" -> b.setValue(anyValue(r));
            case "keyStrindex" -> b.setKeyStrindex(JsonValues.int32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static AnyValue anyValue(JsonReader r) {
    AnyValue.Builder b = AnyValue.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "stringValue" -> b.setStringValue(JsonValues.string(r, k));
            case "boolValue" -> b.setBoolValue(JsonValues.bool(r, k));
            case "intValue" -> b.setIntValue(JsonValues.int64(r, k));
            case "doubleValue" -> b.setDoubleValue(JsonValues.dbl(r, k));
            case "arrayValue" -> {
              ArrayValue.Builder a = ArrayValue.newBuilder();
              JsonValues.object(
                  r,
                  k2 -> {
                    if (k2.equals("values")) {
                      JsonValues.array(r, k2, () -> a.addValues(anyValue(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setArrayValue(a);
            }
            case "kvlistValue" -> {
              KeyValueList.Builder l = KeyValueList.newBuilder();
              JsonValues.object(
                  r,
                  k2 -> {
                    if (k2.equals("values")) {
                      JsonValues.array(r, k2, () -> l.addValues(keyValue(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setKvlistValue(l);
            }
            case "bytesValue" -> b.setBytesValue(JsonValues.base64(r, k));
            case "stringValueStrindex" -> b.setStringValueStrindex(JsonValues.int32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }
}
