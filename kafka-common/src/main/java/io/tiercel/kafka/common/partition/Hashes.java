package io.tiercel.kafka.common.partition;

import java.util.zip.CRC32;
import org.apache.kafka.common.utils.Utils;

/** The key hashes Kafka clients partition with. */
public final class Hashes {
  private static final int FNV32_OFFSET = 0x811C9DC5;
  private static final int FNV32_PRIME = 0x01000193;

  private Hashes() {}

  /** 32-bit FNV-1a (Go's {@code hash/fnv.New32a}), as a signed int. */
  public static int fnv1a32(byte[] key) {
    int h = FNV32_OFFSET;
    for (byte b : key) {
      h ^= b & 0xff;
      h *= FNV32_PRIME;
    }
    return h;
  }

  /** Kafka's murmur2 (the Java client's, which librdkafka's {@code murmur2} reproduces). */
  public static int murmur2(byte[] key) {
    return Utils.murmur2(key);
  }

  /** CRC-32 (IEEE), librdkafka's {@code consistent} hash, as an unsigned value. */
  public static long crc32(byte[] key) {
    CRC32 c = new CRC32();
    c.update(key);
    return c.getValue();
  }
}
