package io.tiercel.core.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfilesTest {
  /**
   * {@code resources x scopes x profiles} profiles of {@code samples} samples, with a dictionary.
   */
  static ProfilesData profiles(int resources, int scopes, int profiles, int samples) {
    ProfilesData.Builder b =
        ProfilesData.newBuilder()
            .setDictionary(
                ProfilesDictionary.newBuilder()
                    .addStringTable("")
                    .addStringTable("cpu")
                    .addStringTable("nanoseconds"));
    for (int r = 0; r < resources; r++) {
      ResourceProfiles.Builder rp =
          b.addResourceProfilesBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(
                          KeyValue.newBuilder()
                              .setKey("service.name")
                              .setValue(AnyValue.newBuilder().setStringValue("svc-" + r))));
      for (int s = 0; s < scopes; s++) {
        ScopeProfiles.Builder sp = rp.addScopeProfilesBuilder();
        for (int p = 0; p < profiles; p++) {
          Profile.Builder pb =
              sp.addProfilesBuilder()
                  .setProfileId(ByteString.copyFrom(new byte[16]))
                  .setTimeUnixNano(1_700_000_000_000_000_000L)
                  .addAttributeIndices(1);
          for (int i = 0; i < samples; i++) {
            pb.addSamples(Sample.newBuilder().setStackIndex(i).addValues(10L * i).addValues(1));
          }
        }
      }
    }
    return b.build();
  }

  @Test
  void itemsAreSamplesOnTheWireAndInTheMessage() {
    ProfilesData d = profiles(2, 3, 2, 5);
    assertThat(Profiles.ofBytes(d.toByteArray()).itemCount()).isEqualTo(60);
    assertThat(Profiles.of(d).itemCount()).isEqualTo(60);
    assertThat(Items.count(d)).isEqualTo(60);
    // the request twin has the same wire format; the dictionary holds no items
    byte[] request =
        ExportProfilesServiceRequest.newBuilder()
            .addAllResourceProfiles(d.getResourceProfilesList())
            .setDictionary(d.getDictionary())
            .build()
            .toByteArray();
    assertThat(WireFormat.countItems(Signal.PROFILES, request)).isEqualTo(60);
    assertThat(Profiles.ofBytes(request).message()).isEqualTo(d);
  }

  @Test
  void profilesWithoutSamplesCountZero() {
    assertThat(Profiles.ofBytes(profiles(1, 1, 3, 0).toByteArray()).isEmpty()).isTrue();
    assertThat(Profiles.EMPTY.itemCount()).isZero();
  }

  @Test
  void malformedBytesAreReportedAsProfiles() {
    byte[] b = profiles(1, 1, 1, 3).toByteArray();
    byte[] truncated = Arrays.copyOf(b, b.length - 2);
    assertThatThrownBy(() -> Profiles.ofBytes(truncated).itemCount())
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("malformed OTLP profiles protobuf: ");
  }

  @Test
  void ofBytesAndSignal() {
    OtlpData d = OtlpData.ofBytes(Signal.PROFILES, profiles(1, 1, 1, 2).toByteArray());
    assertThat(d).isInstanceOf(Profiles.class);
    assertThat(d.signal()).isEqualTo(Signal.PROFILES);
    assertThat(Signal.fromId("profiles")).isEqualTo(Signal.PROFILES);
    assertThat(Signal.PROFILES.itemName()).isEqualTo("profile_samples");
  }

  @Test
  void requestsAreNeitherJoinedNorSplit() {
    Profiles a = Profiles.ofBytes(profiles(1, 1, 1, 2).toByteArray());
    Profiles b = Profiles.ofBytes(profiles(1, 1, 1, 2).toByteArray());
    assertThat(Batches.join(List.of(a))).isSameAs(a);
    assertThatThrownBy(() -> Batches.join(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("profiles requests are not joined: each indexes into its own dictionary");
    assertThat(Batches.split(a, 2)).containsExactly(a);
    assertThatThrownBy(() -> Batches.split(a, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("profiles requests are not split: each indexes into its own dictionary");
  }
}
