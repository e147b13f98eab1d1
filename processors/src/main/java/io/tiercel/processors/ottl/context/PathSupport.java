package io.tiercel.processors.ottl.context;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Keys;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Building blocks of the contexts' accessors: plain fields, attribute maps, ids, schema URLs. */
final class PathSupport {
  private PathSupport() {}

  static Accessor acc(Getter g, BiConsumer<CurrentItem, Object> s) {
    return new Accessor() {
      @Override
      public Object get(CurrentItem c) {
        return g.get(c);
      }

      @Override
      public void set(CurrentItem c, Object v) {
        s.accept(c, Values.norm(v));
      }
    };
  }

  static Accessor readOnly(Getter g, String name) {
    return acc(
        g,
        (c, v) -> {
          throw new OttlRuntimeException(name + " cannot be set");
        });
  }

  /**
   * Attribute lookups on the wire of a view, where the current element has one that was not edited:
   * {@link #find} is only called when {@link #available} is true.
   */
  interface WireAttrs {
    boolean available(CurrentItem c);

    /** The value: an {@code AnyValue}, or a plain string value as its {@code String}; or null. */
    @Nullable Object find(CurrentItem c, String key);

    /**
     * Appends {@code key} (which {@link #find} did not find) on the wire without materializing the
     * element; false when this kind of element cannot, and the caller writes to the builder.
     */
    default boolean append(CurrentItem c, String key, AnyValue v) {
      return false;
    }
  }

  /** Attributes of items that are never read from a view (logs, metrics, span events). */
  static final WireAttrs NO_WIRE =
      new WireAttrs() {
        @Override
        public boolean available(CurrentItem c) {
          return false;
        }

        @Override
        public @Nullable Object find(CurrentItem c, String key) {
          throw new IllegalStateException("no wire");
        }
      };

  static final WireAttrs SPAN_WIRE =
      new WireAttrs() {
        @Override
        public boolean available(CurrentItem c) {
          return c.spanWire() != null;
        }

        @Override
        public @Nullable Object find(CurrentItem c, String key) {
          return c.spanWire().spanAttributeValue(c.spanIndex(), key);
        }

        @Override
        public boolean append(CurrentItem c, String key, AnyValue v) {
          c.spanWire()
              .appendSpanAttribute(
                  c.spanIndex(), KeyValue.newBuilder().setKey(key).setValue(v).build());
          return true;
        }
      };

  static final WireAttrs RESOURCE_WIRE =
      new WireAttrs() {
        @Override
        public boolean available(CurrentItem c) {
          return c.resourceWire() != null;
        }

        @Override
        public @Nullable Object find(CurrentItem c, String key) {
          return c.resourceWire().resourceAttribute(c.resourceIndex(), key);
        }
      };

  static final WireAttrs SCOPE_WIRE =
      new WireAttrs() {
        @Override
        public boolean available(CurrentItem c) {
          return c.scopeWire() != null;
        }

        @Override
        public @Nullable Object find(CurrentItem c, String key) {
          return c.scopeWire().scopeAttribute(c.scopeIndex(), key);
        }
      };

  /** Attributes of a message or builder that is never read from a view. */
  static Accessor attributes(Function<CurrentItem, Object> owner, Getter[] keys) {
    return attributes(owner, owner, NO_WIRE, keys);
  }

  /**
   * An attribute map, or one value of it ({@code keys}): read from {@code read}'s list, or from the
   * wire where {@code wire} is available, and written to {@code write}'s builder.
   */
  static Accessor attributes(
      Function<CurrentItem, Object> read,
      Function<CurrentItem, Object> write,
      WireAttrs wire,
      Getter[] keys) {
    if (keys.length == 0) {
      return new RootAttrs(read, write);
    }
    Getter k0 = keys[0];
    return new Accessor() {
      @Override
      public Object get(CurrentItem c) {
        String key = stringKey(k0, c);
        Object v = wire.available(c) ? wire.find(c, key) : Attrs.find(read.apply(c), key);
        if (v == null) {
          return null;
        }
        Object o = v instanceof AnyValue any ? Values.fromAny(any) : v;
        return keys.length == 1 ? o : Keys.index(o, keys, 1, c);
      }

      @Override
      public void set(CurrentItem c, Object v) {
        String key = stringKey(k0, c);
        if (keys.length == 1 && wire.available(c) && wire.find(c, key) == null) {
          // a new key goes at the end of the list: on the wire, the element stays unparsed
          if (wire.append(c, key, Values.toAny(v))) {
            return;
          }
        }
        Object owned = write.apply(c);
        if (keys.length == 1) {
          Attrs.put(owned, key, Values.toAny(v));
          return;
        }
        AnyValue cur = Attrs.find(owned, key);
        Object root = cur == null ? null : Values.fromAny(cur);
        Attrs.put(owned, key, Values.toAny(Keys.setIn(root, keys, 1, Values.copy(v), c)));
      }
    };
  }

  private static String stringKey(Getter g, CurrentItem c) {
    Object k = Keys.key(g, c);
    if (k instanceof String s) {
      return s;
    }
    throw new OttlRuntimeException(
        "attributes must be indexed by a string key, got " + Values.typeName(k));
  }

  static Bytes id(ByteString b, int len) {
    return b.size() == len ? Bytes.wrap(b.toByteArray()) : Bytes.wrap(new byte[len]);
  }

  static @Nullable ByteString idFrom(Object v, int len, String what) {
    if (v instanceof Bytes b) {
      if (b.length() != len) {
        throw new OttlRuntimeException(what + " must be " + len + " bytes, got " + b.length());
      }
      return ByteString.copyFrom(b.raw());
    }
    return null;
  }

  static @Nullable ByteString idFromHex(Object v, int len, String what) {
    if (v instanceof String s) {
      Bytes b = s.length() == 2 * len ? Bytes.parseHex(s) : null;
      if (b == null) {
        throw new OttlRuntimeException(
            what + " must be " + 2 * len + " hex characters, got \"" + s + "\"");
      }
      return ByteString.copyFrom(b.raw());
    }
    return null;
  }

  static int intOf(Object v) {
    return (int) (long) (Long) v;
  }

  static String schemaUrl(Object holder) {
    if (holder instanceof io.opentelemetry.proto.trace.v1.ResourceSpansOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ResourceMetricsOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ResourceLogsOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.trace.v1.ScopeSpansOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ScopeMetricsOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ScopeLogsOrBuilder h) {
      return h.getSchemaUrl();
    }
    return "";
  }

  static void setSchemaUrl(Object holder, String url) {
    if (holder instanceof io.opentelemetry.proto.trace.v1.ResourceSpans.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ResourceMetrics.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ResourceLogs.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.trace.v1.ScopeSpans.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ScopeMetrics.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ScopeLogs.Builder h) {
      h.setSchemaUrl(url);
    } else {
      throw Attrs.readOnly(holder);
    }
  }
}
