package io.tiercel.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Line;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.Location;
import io.opentelemetry.proto.profiles.v1development.Mapping;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.profiles.v1development.Stack;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.core.pdata.Profiles;
import java.util.SplittableRandom;

/**
 * Realistic OTLP profiles, the way a continuous profiler sends them: CPU profiles of a few services
 * whose samples point through a request-wide dictionary (strings, functions, locations, stacks) by
 * index. Deterministic for a seed.
 */
public final class TestProfiles {
  private static final String[] SERVICES = {"checkout", "cart", "payment"};
  private static final String[] FUNCTIONS = {
    "main", "http.Serve", "cart.Handler", "db.Query", "json.Marshal", "runtime.mallocgc"
  };

  private TestProfiles() {}

  /**
   * {@code profiles} CPU profiles spread over up to three services (one resource each), each with
   * {@code samplesPerProfile} samples; the items are the samples.
   */
  public static Profiles profiles(int profiles, int samplesPerProfile, long seed) {
    return Profiles.of(profilesData(profiles, samplesPerProfile, seed));
  }

  /** The message behind {@link #profiles(int, int, long)}. */
  public static ProfilesData profilesData(int profiles, int samplesPerProfile, long seed) {
    if (profiles < 0 || samplesPerProfile < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    ProfilesDictionary.Builder dict = ProfilesDictionary.newBuilder();
    // index 0 of every table is the zero value, as the format asks
    dict.addStringTable("").addStringTable("samples").addStringTable("count");
    dict.addStringTable("cpu").addStringTable("nanoseconds").addStringTable("/app/server");
    dict.addMappingTable(Mapping.getDefaultInstance());
    dict.addMappingTable(
        Mapping.newBuilder()
            .setMemoryStart(0x400000)
            .setMemoryLimit(0x800000)
            .setFilenameStrindex(5));
    dict.addFunctionTable(Function.getDefaultInstance());
    dict.addLinkTable(Link.getDefaultInstance());
    dict.addAttributeTable(KeyValueAndUnit.getDefaultInstance());
    dict.addLocationTable(Location.getDefaultInstance());
    for (int f = 0; f < FUNCTIONS.length; f++) {
      dict.addStringTable(FUNCTIONS[f]);
      dict.addFunctionTable(
          Function.newBuilder().setNameStrindex(6 + f).setSystemNameStrindex(6 + f));
      dict.addLocationTable(
          Location.newBuilder()
              .setMappingIndex(1)
              .setAddress(0x401000L + 0x40L * f)
              .addLines(Line.newBuilder().setFunctionIndex(1 + f).setLine(10L + f)));
    }
    dict.addStackTable(Stack.getDefaultInstance());
    for (int depth = 2; depth <= FUNCTIONS.length; depth++) {
      Stack.Builder s = Stack.newBuilder();
      for (int l = depth; l >= 1; l--) {
        s.addLocationIndices(l);
      }
      dict.addStackTable(s);
    }
    int stacks = dict.getStackTableCount();
    int services = Math.min(Math.max(profiles, 1), SERVICES.length);
    ProfilesData.Builder b = ProfilesData.newBuilder();
    ScopeProfiles.Builder[] scopes = new ScopeProfiles.Builder[services];
    for (int s = 0; s < services; s++) {
      scopes[s] =
          b.addResourceProfilesBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(str("service.name", SERVICES[s]))
                      .addAttributes(str("host.name", "node-" + (1 + rnd.nextInt(3)))))
              .addScopeProfilesBuilder()
              .setScope(
                  InstrumentationScope.newBuilder().setName("otel-profiler").setVersion("1.0"));
    }
    for (int p = 0; p < profiles; p++) {
      byte[] id = new byte[16];
      rnd.nextBytes(id);
      Profile.Builder pb =
          scopes[p % services]
              .addProfilesBuilder()
              .setProfileId(ByteString.copyFrom(id))
              .setTimeUnixNano(TestData.BASE_TIME_NANOS + p * 10_000_000_000L)
              .setDurationNano(10_000_000_000L)
              .setSampleType(ValueType.newBuilder().setTypeStrindex(1).setUnitStrindex(2))
              .setPeriodType(ValueType.newBuilder().setTypeStrindex(3).setUnitStrindex(4))
              .setPeriod(10_000_000L);
      for (int i = 0; i < samplesPerProfile; i++) {
        pb.addSamples(
            Sample.newBuilder()
                .setStackIndex(1 + rnd.nextInt(stacks - 1))
                .addValues(1 + rnd.nextInt(5)));
      }
    }
    b.setDictionary(dict);
    return b.build();
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
