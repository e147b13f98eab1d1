package io.tiercel.core.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ResourceSpansOrBuilder;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpansOrBuilder;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import io.opentelemetry.proto.trace.v1.TracesData;
import org.jspecify.annotations.Nullable;

/**
 * The third form of traces data beside bytes and the parsed message: the wire bytes with an index
 * of where each resource, scope and span lies, built in one walk, and a record of the edits made
 * through the view. Fields are read from the bytes (an attribute lookup compares key bytes; a
 * string is decoded only when asked for); a span, or the head of a resource or scope (its fields
 * other than the list below it), is parsed only when something asks for more than the wire reads
 * offer, and parsed again into a builder only when it is edited. {@link #serialize} copies every
 * untouched resource, scope and span as a byte range and encodes only what changed.
 *
 * <p>Spans are numbered across the whole batch ({@code 0 .. spanCount()-1}); scopes and resources
 * likewise, with {@link #firstScope}/{@link #firstSpan} giving each parent's range.
 *
 * <p>A view is owned by one thread at a time: a processor takes one from {@link Traces#view()},
 * edits it, and hands it on with {@link Traces#ofView}, which freezes it (edits become immutable
 * messages), so the next owner's view starts as a copy of the edits and the frozen one never
 * changes. The parse caches of the shared index tolerate benign races like {@link OtlpData}'s.
 */
public final class TracesView {
  private static final WireCheck.Schema DATA = WireCheck.schema(TracesData.getDescriptor());
  private static final WireCheck.Schema RESOURCE = DATA.sub(1);
  private static final WireCheck.Schema SCOPE = RESOURCE.sub(2);
  private static final Object DROPPED = new Object();

  final WireIndex ix;
  private final Span[] parsed;
  private final ResourceSpans[] resourceHeads;
  private final ScopeSpans[] scopeHeads;
  // null: untouched; DROPPED; a message (frozen edit) or a builder (edit in progress)
  private Object @Nullable [] spanEdits;
  private Object @Nullable [] resourceEdits;
  private Object @Nullable [] scopeEdits;
  private boolean @Nullable [] resourceDirty;
  private boolean @Nullable [] scopeDirty;
  private int droppedSpans;
  // attributes appended on the wire, per span (entries of field 9), shared by copies: never
  // modified
  private byte @Nullable [] @Nullable [] appendices;
  private boolean appendedSpans;
  private int modifications;
  private boolean rebuilt;
  private boolean frozen;

  private TracesView(WireIndex ix, Span[] parsed, ResourceSpans[] rh, ScopeSpans[] sh) {
    this.ix = ix;
    this.parsed = parsed;
    this.resourceHeads = rh;
    this.scopeHeads = sh;
  }

  /**
   * Indexes serialized traces ({@code TracesData} or its request twin) in one walk. The result is
   * frozen: {@link #copy()} it to edit.
   *
   * @throws MalformedDataException when protobuf-java would refuse the bytes
   */
  static TracesView index(byte[] bytes) {
    WireIndex ix;
    try {
      ix = WireIndex.build(bytes, DATA, RESOURCE, SCOPE);
    } catch (IllegalStateException | IndexOutOfBoundsException e) {
      throw new MalformedDataException("malformed OTLP traces protobuf: " + e.getMessage(), e);
    }
    TracesView v =
        new TracesView(
            ix, new Span[ix.items], new ResourceSpans[ix.resources], new ScopeSpans[ix.scopes]);
    v.frozen = true;
    return v;
  }

  /** An editable copy of this view: the same index and caches, its own copy of the edits. */
  TracesView copy() {
    TracesView c = new TracesView(ix, parsed, resourceHeads, scopeHeads);
    c.spanEdits = spanEdits == null ? null : spanEdits.clone();
    c.resourceEdits = resourceEdits == null ? null : resourceEdits.clone();
    c.scopeEdits = scopeEdits == null ? null : scopeEdits.clone();
    c.resourceDirty = resourceDirty == null ? null : resourceDirty.clone();
    c.scopeDirty = scopeDirty == null ? null : scopeDirty.clone();
    c.droppedSpans = droppedSpans;
    c.appendices = appendices == null ? null : appendices.clone();
    c.appendedSpans = appendedSpans;
    c.modifications = modifications;
    c.rebuilt = rebuilt;
    return c;
  }

  /** Freezes this view: edits in progress become messages, and no further edit is allowed. */
  TracesView freeze() {
    if (!frozen) {
      frozen = true;
      buildAll(spanEdits);
      buildAll(resourceEdits);
      buildAll(scopeEdits);
    }
    return this;
  }

  private static void buildAll(Object @Nullable [] edits) {
    if (edits != null) {
      for (int i = 0; i < edits.length; i++) {
        if (edits[i] instanceof com.google.protobuf.Message.Builder mb) {
          edits[i] = mb.build();
        }
      }
    }
  }

  // ------------------------------------------------------------------ structure

  public int resourceCount() {
    return ix.resources;
  }

  public int scopeCount() {
    return ix.scopes;
  }

  public int spanCount() {
    return ix.items;
  }

  /** The first scope of resource {@code r}; its last is {@code firstScope(r + 1) - 1}. */
  public int firstScope(int r) {
    return ix.rFirstScope[r];
  }

  /** The first span of scope {@code s}; its last is {@code firstSpan(s + 1) - 1}. */
  public int firstSpan(int s) {
    return ix.sFirstItem[s];
  }

  /** Spans left (not dropped). */
  public int itemCount() {
    return ix.items - droppedSpans;
  }

  /** True when nothing was edited or dropped. */
  public boolean untouched() {
    return resourceDirty == null;
  }

  /**
   * How many edits and drops were recorded so far: a processor compares it before and after its
   * walk to know whether it changed anything.
   */
  public int modifications() {
    return modifications;
  }

  /**
   * True when scope {@code s} is not part of the data any more: dropped, or all its spans (it had
   * some) dropped.
   */
  public boolean scopeGone(int s) {
    if (scopeDirty == null || !scopeDirty[s]) {
      return false;
    }
    if (scopeEdits != null && scopeEdits[s] == DROPPED) {
      return true;
    }
    int first = firstSpan(s);
    int last = firstSpan(s + 1);
    for (int i = first; i < last; i++) {
      if (spanEdits == null || spanEdits[i] != DROPPED) {
        return false;
      }
    }
    return last > first;
  }

  /**
   * True when resource {@code r} is not part of the data any more: dropped, or all its scopes (it
   * had some) gone.
   */
  public boolean resourceGone(int r) {
    if (resourceDirty == null || !resourceDirty[r]) {
      return false;
    }
    if (resourceEdits != null && resourceEdits[r] == DROPPED) {
      return true;
    }
    int first = firstScope(r);
    int last = firstScope(r + 1);
    for (int s = first; s < last; s++) {
      if (!scopeGone(s)) {
        return false;
      }
    }
    return last > first;
  }

  // ------------------------------------------------------------------ spans

  /** True when span {@code i} was edited or dropped, so the wire reads no longer describe it. */
  public boolean spanEdited(int i) {
    return spanEdits != null && spanEdits[i] != null;
  }

  public boolean spanDropped(int i) {
    return spanEdits != null && spanEdits[i] == DROPPED;
  }

  /** Span {@code i} as it is now: its edit, or the parsed bytes (parsed once, then cached). */
  public SpanOrBuilder span(int i) {
    if (spanEdits != null && spanEdits[i] instanceof SpanOrBuilder edited) {
      return edited;
    }
    byte[] more = appendix(i);
    Span p = more == null ? parsed[i] : null;
    if (p == null) {
      try {
        p = Span.parser().parseFrom(ix.b, ix.iStart[i], ix.iEnd[i] - ix.iStart[i]);
        if (more != null) {
          return p.toBuilder().mergeFrom(more).build();
        }
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedDataException("malformed OTLP traces protobuf: " + e.getMessage(), e);
      }
      parsed[i] = p;
    }
    return p;
  }

  /** Span {@code i} as a builder whose changes are kept: the span counts as edited from now on. */
  public Span.Builder editSpan(int i) {
    checkEditable();
    Object e = spanEdits == null ? null : spanEdits[i];
    if (e instanceof Span.Builder b) {
      return b;
    }
    Span.Builder b;
    if (e instanceof Span m) {
      b = m.toBuilder();
    } else if (parsed[i] != null && appendix(i) == null) {
      b = parsed[i].toBuilder();
    } else {
      b = Span.newBuilder(); // parsed straight into the builder: no message to copy from
      try {
        b.mergeFrom(ix.b, ix.iStart[i], ix.iEnd[i] - ix.iStart[i]);
        byte[] more = appendix(i);
        if (more != null) {
          b.mergeFrom(more);
        }
      } catch (InvalidProtocolBufferException ex) {
        throw new MalformedDataException("malformed OTLP traces protobuf: " + ex.getMessage(), ex);
      }
    }
    spanEdits()[i] = b;
    dirtyScope(ix.iScope[i]);
    return b;
  }

  /**
   * Appends an attribute to span {@code i} without parsing it: the serialized {@code KeyValue} is
   * written after the span's bytes, where protobuf reads it as the last element of the attribute
   * list, as appending to the parsed list would place it. Only for a span not edited; the wire
   * reads, {@link #span} and {@link #editSpan} see the appended attributes.
   */
  public void appendSpanAttribute(int i, KeyValue kv) {
    checkEditable();
    byte[] body = kv.toByteArray();
    byte[] entry = new byte[1 + varintSize(body.length) + body.length];
    entry[0] = (byte) (9 << 3 | 2);
    int n = 1;
    int x = body.length;
    while ((x & ~0x7f) != 0) {
      entry[n++] = (byte) ((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    entry[n++] = (byte) x;
    System.arraycopy(body, 0, entry, n, body.length);
    byte[] old = appendix(i);
    if (appendices == null) {
      appendices = new byte[ix.items][];
    }
    if (old == null) {
      appendices[i] = entry;
    } else {
      byte[] joined = java.util.Arrays.copyOf(old, old.length + entry.length);
      System.arraycopy(entry, 0, joined, old.length, entry.length);
      appendices[i] = joined;
    }
    appendedSpans = true;
    dirtyScope(ix.iScope[i]);
  }

  /** The attributes appended to span {@code i} on the wire, serialized, or null. */
  @Nullable byte[] appendix(int i) {
    return appendices == null ? null : appendices[i];
  }

  private static int varintSize(int v) {
    int size = 1;
    while ((v & ~0x7f) != 0) {
      v >>>= 7;
      size++;
    }
    return size;
  }

  /** Drops span {@code i}. */
  public void dropSpan(int i) {
    checkEditable();
    if (spanEdits == null || spanEdits[i] != DROPPED) {
      spanEdits()[i] = DROPPED;
      droppedSpans++;
      dirtyScope(ix.iScope[i]);
    }
  }

  /**
   * The position of the value of span {@code i}'s last field with tag {@code tag} (for a
   * length-delimited field, the position of its length), or -1; only for a span not edited.
   */
  public int spanField(int i, int tag) {
    return WireIndex.last(ix.b, ix.iStart[i], ix.iEnd[i], tag);
  }

  /** Like {@link #spanField} for a field of a message field (such as the code of the status). */
  public int spanNestedField(int i, int outerTag, int innerTag) {
    return WireIndex.lastNested(ix.b, ix.iStart[i], ix.iEnd[i], outerTag, innerTag);
  }

  /**
   * The value of span {@code i}'s attribute {@code key}, found by comparing key bytes, or null;
   * only for a span not edited.
   */
  public @Nullable AnyValue spanAttribute(int i, String key) {
    AnyValue v = WireValues.attribute(ix.b, ix.iStart[i], ix.iEnd[i], 9 << 3 | 2, key);
    byte[] more = appendix(i);
    return v != null || more == null
        ? v
        : WireValues.attribute(more, 0, more.length, 9 << 3 | 2, key);
  }

  /**
   * Like {@link #spanAttribute}, but a plain string value comes back as the decoded {@link String}
   * without parsing an {@code AnyValue}; any other value as its {@code AnyValue}.
   */
  public @Nullable Object spanAttributeValue(int i, String key) {
    Object v = WireValues.attributeValue(ix.b, ix.iStart[i], ix.iEnd[i], 9 << 3 | 2, key);
    byte[] more = appendix(i);
    return v != null || more == null
        ? v
        : WireValues.attributeValue(more, 0, more.length, 9 << 3 | 2, key);
  }

  // ------------------------------------------------------------------ field values

  /** The string whose length is at {@code pos} (a position from {@link #spanField}). */
  public String stringAt(int pos) {
    return Utf8.decode(ix.b, WireIndex.contentStart(ix.b, pos), WireIndex.contentEnd(ix.b, pos));
  }

  /** The bytes whose length is at {@code pos}, copied. */
  public byte[] bytesAt(int pos) {
    return java.util.Arrays.copyOfRange(
        ix.b, WireIndex.contentStart(ix.b, pos), WireIndex.contentEnd(ix.b, pos));
  }

  /** The length of the bytes whose length is at {@code pos}. */
  public int lengthAt(int pos) {
    return (int) WireFormat.readVarint(ix.b, pos, ix.b.length);
  }

  public long varintAt(int pos) {
    return WireFormat.readVarint(ix.b, pos, ix.b.length);
  }

  public long fixed64At(int pos) {
    return WireIndex.fixed64(ix.b, pos);
  }

  public int fixed32At(int pos) {
    return WireIndex.fixed32(ix.b, pos);
  }

  // ------------------------------------------------------------------ resources and scopes

  /** Drops resource {@code r} with everything in it. */
  public void dropResource(int r) {
    checkEditable();
    for (int s = firstScope(r); s < firstScope(r + 1); s++) {
      dropScope(s);
    }
    resourceEdits()[r] = DROPPED;
    resourceDirty()[r] = true;
  }

  /** Drops scope {@code s} with its spans. */
  public void dropScope(int s) {
    checkEditable();
    for (int i = firstSpan(s); i < firstSpan(s + 1); i++) {
      dropSpan(i);
    }
    scopeEdits()[s] = DROPPED;
    dirtyScope(s);
  }

  /**
   * Resource {@code r}'s head: its {@code ResourceSpans} without the scope entries (resource,
   * schema_url, unknown fields), as edited or parsed from the bytes.
   */
  public ResourceSpansOrBuilder resourceHead(int r) {
    if (resourceEdits != null && resourceEdits[r] instanceof ResourceSpansOrBuilder e) {
      return e;
    }
    ResourceSpans h = resourceHeads[r];
    if (h == null) {
      h = (ResourceSpans) WireValues.head(ix.b, ix.rStart[r], ix.rEnd[r], ResourceSpans.parser());
      resourceHeads[r] = h;
    }
    return h;
  }

  /** Resource {@code r}'s head as a builder whose changes are kept. */
  public ResourceSpans.Builder editResourceHead(int r) {
    checkEditable();
    Object e = resourceEdits == null ? null : resourceEdits[r];
    if (e instanceof ResourceSpans.Builder b) {
      return b;
    }
    ResourceSpans.Builder b = ((ResourceSpans) resourceHead(r)).toBuilder();
    resourceEdits()[r] = b;
    resourceDirty()[r] = true;
    return b;
  }

  /** True when resource {@code r}'s head was edited. */
  public boolean resourceEdited(int r) {
    return resourceEdits != null && resourceEdits[r] != null;
  }

  /** True when resource {@code r}'s entry has its {@code resource} field (an empty one counts). */
  public boolean resourcePresent(int r) {
    if (resourceEdits != null && resourceEdits[r] instanceof ResourceSpansOrBuilder e) {
      return e.hasResource();
    }
    return WireIndex.last(ix.b, ix.rStart[r], ix.rEnd[r], WireIndex.TAG_1_LEN) >= 0;
  }

  /** True when scope {@code s}'s entry has its {@code scope} field (an empty one counts). */
  public boolean scopePresent(int s) {
    if (scopeEdits != null && scopeEdits[s] instanceof ScopeSpansOrBuilder e) {
      return e.hasScope();
    }
    return WireIndex.last(ix.b, ix.sStart[s], ix.sEnd[s], WireIndex.TAG_1_LEN) >= 0;
  }

  /** The value of resource {@code r}'s attribute {@code key} (compared as bytes), or null. */
  public @Nullable AnyValue resourceAttribute(int r, String key) {
    return WireValues.nestedAttribute(ix.b, ix.rStart[r], ix.rEnd[r], 1 << 3 | 2, 1 << 3 | 2, key);
  }

  /** Scope {@code s}'s head: its {@code ScopeSpans} without the spans. */
  public ScopeSpansOrBuilder scopeHead(int s) {
    if (scopeEdits != null && scopeEdits[s] instanceof ScopeSpansOrBuilder e) {
      return e;
    }
    ScopeSpans h = scopeHeads[s];
    if (h == null) {
      h = (ScopeSpans) WireValues.head(ix.b, ix.sStart[s], ix.sEnd[s], ScopeSpans.parser());
      scopeHeads[s] = h;
    }
    return h;
  }

  /** Scope {@code s}'s head as a builder whose changes are kept. */
  public ScopeSpans.Builder editScopeHead(int s) {
    checkEditable();
    Object e = scopeEdits == null ? null : scopeEdits[s];
    if (e instanceof ScopeSpans.Builder b) {
      return b;
    }
    ScopeSpans.Builder b = ((ScopeSpans) scopeHead(s)).toBuilder();
    scopeEdits()[s] = b;
    dirtyScope(s);
    return b;
  }

  /** True when scope {@code s}'s head was edited. */
  public boolean scopeEdited(int s) {
    return scopeEdits != null && scopeEdits[s] != null;
  }

  /** The value of scope {@code s}'s attribute {@code key} (compared as bytes), or null. */
  public @Nullable AnyValue scopeAttribute(int s, String key) {
    return WireValues.nestedAttribute(ix.b, ix.sStart[s], ix.sEnd[s], 1 << 3 | 2, 3 << 3 | 2, key);
  }

  /**
   * Leaves out the fields of the data message other than its resource entries when serializing, as
   * a processor that rebuilds the message from its resources does.
   */
  public void rebuildEnvelope() {
    checkEditable();
    rebuilt = true;
    resourceDirty();
  }

  // ------------------------------------------------------------------ serialization

  /**
   * The traces as serialized bytes: the original array when nothing changed, else a new one where
   * untouched entries are copied and only edited ones encoded. A scope whose spans were all dropped
   * and a resource whose scopes were all left out are left out too.
   */
  public byte[] serialize() {
    return untouched() && !rebuilt ? ix.b : TracesWriter.write(this);
  }

  // state for the writer
  boolean rebuilt() {
    return rebuilt;
  }

  boolean resourceDirty(int r) {
    return resourceDirty != null && resourceDirty[r];
  }

  boolean scopeDirty(int s) {
    return scopeDirty != null && scopeDirty[s];
  }

  @Nullable Object spanEdit(int i) {
    return spanEdits == null ? null : spanEdits[i];
  }

  @Nullable Object resourceEdit(int r) {
    return resourceEdits == null ? null : resourceEdits[r];
  }

  @Nullable Object scopeEdit(int s) {
    return scopeEdits == null ? null : scopeEdits[s];
  }

  static boolean isDropped(@Nullable Object edit) {
    return edit == DROPPED;
  }

  private void checkEditable() {
    if (frozen) {
      throw new IllegalStateException("a frozen view cannot be edited: take a copy");
    }
    modifications++;
  }

  private Object[] spanEdits() {
    if (spanEdits == null) {
      spanEdits = new Object[ix.items];
    }
    return spanEdits;
  }

  private Object[] resourceEdits() {
    if (resourceEdits == null) {
      resourceEdits = new Object[ix.resources];
    }
    return resourceEdits;
  }

  private Object[] scopeEdits() {
    if (scopeEdits == null) {
      scopeEdits = new Object[ix.scopes];
    }
    return scopeEdits;
  }

  private boolean[] resourceDirty() {
    if (resourceDirty == null) {
      resourceDirty = new boolean[ix.resources];
    }
    return resourceDirty;
  }

  private void dirtyScope(int s) {
    if (scopeDirty == null) {
      scopeDirty = new boolean[ix.scopes];
    }
    scopeDirty[s] = true;
    resourceDirty()[ix.sResource[s]] = true;
  }
}
