package io.tiercel.kafka.common.partition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyPartitionerTest {

  // Go hash/fnv New32a values with librdkafka's abs() applied, as listed in librdkafka's rdfnv1a.c
  // unit test.
  @ParameterizedTest(name = "fnv1a32(\"{0}\")")
  @CsvSource({
    "kafka, 0x0d33c4e1",
    "giberish123456789, 0x77a58295",
    "1234, 0x023bdd03",
    "234, 0x2dea3cd2",
    "34, 0x740fa83e",
    "4, 0x310ca263",
    "'PreAmbleWillBeRemoved,ThePrePartThatIs', 0x65cbd69c",
    "'', 0x7ee3623b",
  })
  void fnv1aMatchesGoAndLibrdkafka(String key, String absHex) {
    int h = Hashes.fnv1a32(key.getBytes(UTF_8));
    assertThat(Math.abs(h)).isEqualTo(Integer.parseUnsignedInt(absHex.substring(2), 16));
  }

  @Test
  void fnv1aOfEmptyIsTheOffsetBasis() {
    assertThat(Hashes.fnv1a32(new byte[0])).isEqualTo(0x811C9DC5);
  }

  // Kafka's own murmur2 test vectors (clients UtilsTest).
  @ParameterizedTest(name = "murmur2(\"{0}\")")
  @CsvSource({
    "21, -973932308",
    "foobar, -790332482",
    "a-little-bit-long-string, -985981536",
    "a-little-bit-longer-string, -1486304829",
    "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8, -58897971",
    "abc, 479470107",
  })
  void murmur2MatchesKafka(String key, int expected) {
    assertThat(Hashes.murmur2(key.getBytes(UTF_8))).isEqualTo(expected);
  }

  @Test
  void crc32IsIeee() {
    assertThat(Hashes.crc32("123456789".getBytes(UTF_8))).isEqualTo(0xCBF43926L);
    assertThat(Hashes.crc32(new byte[0])).isZero();
  }

  @Test
  void saramaModuloOfMinValueIsPositive() {
    // abs(int32 % n) and abs(int32) % n agree even where abs overflows
    for (int n : new int[] {1, 3, 7, 12, 64}) {
      int sarama = Math.abs(Integer.MIN_VALUE % n);
      long librdkafka = Integer.toUnsignedLong(Integer.MIN_VALUE) % n;
      assertThat(sarama).isEqualTo((int) librdkafka);
    }
  }

  /**
   * Partitions on a 12-partition topic per librdkafka partitioner, captured from kcat 1.7.1
   * (librdkafka 2.0.2, Debian bookworm) against a local 4.3.1 broker with {@code
   * num.partitions=12}: {@code for k in KEYS; do echo "$k:v"; done | kcat -P -b BROKER -t vec_NAME
   * -K: -X partitioner=NAME}, then {@code kcat -C -b BROKER -t vec_NAME -e -q -f '%k %p\n'}. The
   * {@code _random} twins (murmur2_random, consistent_random, fnv1a_random) gave the same
   * partitions for every one of these non-empty keys.
   */
  @ParameterizedTest(name = "{0}: murmur2 {1}, consistent {2}, fnv1a {3}")
  @CsvSource({
    "kafka, 4, 11, 5",
    "giberish123456789, 8, 11, 5",
    "1234, 0, 7, 3",
    "5b6e4a0f2d3c41a8b9e7f1d2c3b4a596, 8, 3, 7",
    "00000000000000000000000000000001, 10, 2, 6",
    "trace, 4, 1, 6",
    "0af7651916cd43dd8448eb211c80319c, 7, 10, 7",
    "4bf92f3577b34da6a3ce929d0e0e4736, 2, 0, 6",
    "a, 4, 3, 0",
    "b, 8, 5, 3",
    "abcdefghijklmnopqrstuvwxyz, 11, 9, 2",
  })
  void librdkafkaVectors(String key, int murmur2, int consistent, int fnv1a) {
    byte[] k = key.getBytes(UTF_8);
    for (PartitionerType t :
        new PartitionerType[] {PartitionerType.MURMUR2, PartitionerType.MURMUR2_RANDOM}) {
      assertThat(new KeyPartitioner(t).partition(k, 12)).as(t.id()).isEqualTo(murmur2);
    }
    for (PartitionerType t :
        new PartitionerType[] {PartitionerType.CONSISTENT, PartitionerType.CONSISTENT_RANDOM}) {
      assertThat(new KeyPartitioner(t).partition(k, 12)).as(t.id()).isEqualTo(consistent);
    }
    for (PartitionerType t :
        new PartitionerType[] {
          PartitionerType.FNV1A, PartitionerType.FNV1A_RANDOM, PartitionerType.SARAMA_COMPAT
        }) {
      assertThat(new KeyPartitioner(t).partition(k, 12)).as(t.id()).isEqualTo(fnv1a);
    }
  }

  @Test
  void saramaCompatEqualsFnv1aAndMurmur2EqualsMurmur2Random() {
    for (int i = 0; i < 2000; i++) {
      byte[] k = ("key-" + i).getBytes(UTF_8);
      for (int n : new int[] {1, 2, 5, 12, 100}) {
        assertThat(new KeyPartitioner(PartitionerType.SARAMA_COMPAT).partition(k, n))
            .isEqualTo(new KeyPartitioner(PartitionerType.FNV1A).partition(k, n))
            .isEqualTo(new KeyPartitioner(PartitionerType.FNV1A_RANDOM).partition(k, n))
            .isEqualTo(Math.abs(Hashes.fnv1a32(k) % n));
        assertThat(new KeyPartitioner(PartitionerType.MURMUR2).partition(k, n))
            .isEqualTo(new KeyPartitioner(PartitionerType.MURMUR2_RANDOM).partition(k, n))
            .isEqualTo((Hashes.murmur2(k) & 0x7fffffff) % n);
        assertThat(new KeyPartitioner(PartitionerType.CONSISTENT_RANDOM).partition(k, n))
            .isEqualTo(new KeyPartitioner(PartitionerType.CONSISTENT).partition(k, n))
            .isEqualTo((int) (Hashes.crc32(k) % n));
      }
    }
  }

  @Test
  void nullAndEmptyKeys() {
    List<Integer> draws = new ArrayList<>();
    java.util.function.IntUnaryOperator rnd =
        n -> {
          draws.add(n);
          return n - 1;
        };
    assertThat(new KeyPartitioner(PartitionerType.SARAMA_COMPAT, rnd).partition(null, 12))
        .isEqualTo(11);
    assertThat(new KeyPartitioner(PartitionerType.CONSISTENT, rnd).partition(null, 12))
        .isEqualTo(11);
    assertThat(new KeyPartitioner(PartitionerType.MURMUR2_RANDOM, rnd).partition(null, 12))
        .isEqualTo(11);
    assertThat(
            new KeyPartitioner(PartitionerType.CONSISTENT_RANDOM, rnd).partition(new byte[0], 12))
        .isEqualTo(11);
    assertThat(draws).containsExactly(12, 12, 12, 12);
    assertThat(new KeyPartitioner(PartitionerType.CONSISTENT, rnd).partition(new byte[0], 12))
        .isZero();
    assertThat(new KeyPartitioner(PartitionerType.FNV1A, rnd).partition(new byte[0], 12))
        .isEqualTo(0x7ee3623b % 12);
  }

  @Test
  void roundRobinCyclesAndIgnoresKeys() {
    KeyPartitioner p = new KeyPartitioner(PartitionerType.ROUND_ROBIN);
    List<Integer> got = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      got.add(p.partition("same".getBytes(UTF_8), 3));
    }
    assertThat(got).containsExactly(0, 1, 2, 0, 1, 2, 0);
  }

  @Test
  void rejectsNoPartitions() {
    assertThatThrownBy(() -> new KeyPartitioner(PartitionerType.MURMUR2).partition(new byte[1], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numPartitions must be positive, got 0");
  }

  @Test
  void producerChosenTypesHandTheProducerNoPartition() {
    for (PartitionerType t : List.of(PartitionerType.STICKY, PartitionerType.LEAST_BACKUP)) {
      KeyPartitioner p = new KeyPartitioner(t);
      assertThat(t.producerChooses()).isTrue();
      assertThat(p.choose("k".getBytes(UTF_8), 6)).isNull();
      assertThat(p.choose(null, 6)).isNull();
      assertThatThrownBy(() -> p.partition(null, 6))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(t + " leaves the partition to the producer");
    }
  }

  @Test
  void assigningTypesChooseTheirOwnPartition() {
    KeyPartitioner p = new KeyPartitioner(PartitionerType.SARAMA_COMPAT);
    byte[] key = "service-a".getBytes(UTF_8);
    assertThat(p.choose(key, 12)).isEqualTo(p.partition(key, 12));
    KeyPartitioner rr = new KeyPartitioner(PartitionerType.ROUND_ROBIN);
    assertThat(List.of(rr.choose(key, 3), rr.choose(key, 3), rr.choose(key, 3), rr.choose(key, 3)))
        .containsExactly(0, 1, 2, 0);
  }
}
