package io.tiercel.core.builtin.debug;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.core.pdata.Profiles;
import org.junit.jupiter.api.Test;

class DebugFormatProfilesTest {
  private static Profiles twoProfiles() {
    byte[] id = new byte[16];
    id[15] = 0x0f;
    Profile a =
        Profile.newBuilder()
            .setProfileId(ByteString.copyFrom(id))
            .setTimeUnixNano(5)
            .setDurationNano(7)
            .addSamples(Sample.newBuilder().addValues(1))
            .addSamples(Sample.newBuilder().addValues(2))
            .build();
    Profile b = Profile.newBuilder().addSamples(Sample.newBuilder().addValues(3)).build();
    ProfilesData d =
        ProfilesData.newBuilder()
            .addResourceProfiles(
                ResourceProfiles.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(
                                KeyValue.newBuilder()
                                    .setKey("service.name")
                                    .setValue(AnyValue.newBuilder().setStringValue("cart"))))
                    .addScopeProfiles(ScopeProfiles.newBuilder().addProfiles(a).addProfiles(b)))
            .build();
    return Profiles.ofBytes(d.toByteArray());
  }

  @Test
  void basicCountsResourcesProfilesAndSamples() {
    assertThat(DebugFormat.basic(twoProfiles()))
        .isEqualTo("Profiles {resource profiles: 1, profiles: 2, samples: 3}");
  }

  @Test
  void normalPrintsOneLinePerProfile() {
    assertThat(DebugFormat.normal(twoProfiles()))
        .isEqualTo(
            "\ncart profile_id=0000000000000000000000000000000f samples=2 time_unix_nano=5"
                + " duration_nano=7"
                + "\ncart profile_id= samples=1 time_unix_nano=0 duration_nano=0");
  }

  @Test
  void detailedIsTheProtobufTextForm() {
    assertThat(DebugFormat.detailed(twoProfiles()))
        .contains("resource_profiles {")
        .contains("samples {\n")
        .contains("values: 3");
  }
}
