package io.tiercel.core.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import org.jspecify.annotations.Nullable;

/**
 * OTLP profiles data carried by a pipeline (the collector's development-stage signal); see {@link
 * OtlpData} for the lazy bytes/message contract. Items are samples.
 *
 * <p>Unlike the other signals, a profiles request is not a plain list: its {@code dictionary} holds
 * tables (strings, locations, stacks...) that every profile of the request points into by index.
 * Two serialized requests concatenated would merge their dictionaries and leave the second one's
 * indexes pointing at the first one's entries, so profiles are never joined or split on the wire: a
 * request travels whole.
 */
public final class Profiles extends OtlpData {
  /** No items. */
  public static final Profiles EMPTY = new Profiles(new byte[0], ProfilesData.getDefaultInstance());

  private Profiles(byte @Nullable [] bytes, @Nullable Message message) {
    super(bytes, message);
  }

  /** Wraps a parsed message. */
  public static Profiles of(ProfilesData message) {
    return new Profiles(null, message);
  }

  /**
   * Wraps serialized bytes ({@code ProfilesData} or its {@code ExportProfilesServiceRequest} twin).
   * Takes ownership of the array: the caller must not modify it afterwards. Nothing is parsed until
   * asked for.
   */
  public static Profiles ofBytes(byte[] bytes) {
    return new Profiles(bytes, null);
  }

  @Override
  public Signal signal() {
    return Signal.PROFILES;
  }

  /**
   * The parsed message (parsed on first call).
   *
   * @throws MalformedDataException when the bytes are malformed
   */
  public ProfilesData message() {
    return (ProfilesData) parsedMessage();
  }

  @Override
  Message parse(byte[] data) throws InvalidProtocolBufferException {
    return ProfilesData.parseFrom(data);
  }

  @Override
  int countItems(Message m) {
    return Items.count((ProfilesData) m);
  }
}
