package io.tiercel.kafka.exporter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceKeyTest {
  // XXH64 seed 0 reference values (xxHash's and python-xxhash's documented examples)
  @ParameterizedTest(name = "xxh64(\"{0}\")")
  @CsvSource({
    "'', ef46db3751d8e999",
    "a, d24ec4f1a98c6e5b",
    "abc, 44bc2cf5ad770999",
    "Nobody inspects the spammish repetition, fbcea83c8a378bf1",
  })
  void xxh64Vectors(String in, String hex) {
    byte[] b = in.getBytes(UTF_8);
    assertThat(Long.toHexString(Xxh64.hash(b, 0, b.length))).isEqualTo(hex.replaceFirst("^0+", ""));
  }

  static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  @Test
  void keyIsTwoLittleEndianXxh64OfTheSortedSerialization() {
    List<KeyValue> attrs =
        List.of(
            kv("service.name", str("cart")),
            kv("a", AnyValue.newBuilder().setIntValue(7).build()),
            kv("b", AnyValue.newBuilder().setBoolValue(true).build()));
    // the collector's layout, written out by hand: keys sorted, 0xf4 key, a typed value
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.write(0xf4);
    buf.writeBytes("a".getBytes(UTF_8));
    buf.write(0xfa);
    buf.writeBytes(new byte[] {7, 0, 0, 0, 0, 0, 0, 0});
    buf.write(0xf4);
    buf.writeBytes("b".getBytes(UTF_8));
    buf.write(0xf8);
    buf.write(0xf4);
    buf.writeBytes("service.name".getBytes(UTF_8));
    buf.write(0xf7);
    buf.writeBytes("cart".getBytes(UTF_8));
    byte[] b = buf.toByteArray();
    byte[] b2 = java.util.Arrays.copyOf(b, b.length + 1);
    b2[b.length] = (byte) 0xf3;
    long h1 = Xxh64.hash(b, 0, b.length);
    long h2 = Xxh64.hash(b2, 0, b2.length);
    byte[] expected = new byte[16];
    for (int i = 0; i < 8; i++) {
      expected[i] = (byte) (h1 >>> (8 * i));
      expected[8 + i] = (byte) (h2 >>> (8 * i));
    }
    assertThat(ResourceKey.of(attrs)).isEqualTo(expected);
  }

  @Test
  void orderDoesNotMatterValuesAndTypesDo() {
    List<KeyValue> attrs =
        new ArrayList<>(
            List.of(
                kv("x", str("1")),
                kv("y", AnyValue.newBuilder().setDoubleValue(1.5).build()),
                kv(
                    "z",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(str("p"))
                                .addValues(
                                    AnyValue.newBuilder()
                                        .setBytesValue(ByteString.copyFromUtf8("q"))))
                        .build()),
                kv(
                    "m",
                    AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", str("v"))))
                        .build())));
    byte[] k = ResourceKey.of(attrs);
    Collections.reverse(attrs);
    assertThat(ResourceKey.of(attrs)).isEqualTo(k);
    assertThat(ResourceKey.of(List.of(kv("x", str("1")))))
        .isNotEqualTo(
            ResourceKey.of(List.of(kv("x", AnyValue.newBuilder().setIntValue(1).build()))));
    assertThat(ResourceKey.of(List.of())).isEqualTo(new byte[16]);
  }
}
