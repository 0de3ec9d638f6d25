package io.mindstream.display.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames waiting for one page. Bounded twice: Netty's outbound buffer may hold up to the channel's high water
 * mark (then {@link Channel#isWritable()} turns false), and behind it this ring holds at most {@code capacity}
 * frames. When the ring is full the <em>oldest</em> frame is dropped and counted: a live display wants the newest
 * state, and a slow page must never slow the server or the other pages, nor make the heap grow.
 *
 * <p>All queue operations run on the channel's event loop (offers from other threads hop onto it), so the ring
 * needs no locks; the counters are atomics because the health reporter reads them from elsewhere.
 */
public final class ClientOutbox {

    private final int id;
    private final Channel channel;
    private final OutFrame[] ring;
    private int head;
    private int size;

    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Map<OutFrame.Kind, AtomicLong> droppedByKind = new EnumMap<>(OutFrame.Kind.class);
    private volatile int queued;
    private volatile int maxQueued;

    public ClientOutbox(int id, Channel channel, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0");
        }
        this.id = id;
        this.channel = channel;
        this.ring = new OutFrame[capacity];
        for (OutFrame.Kind k : OutFrame.Kind.values()) {
            droppedByKind.put(k, new AtomicLong());
        }
    }

    /** Queues a frame for this client from any thread; it is written as soon as the socket can take it. */
    public void offer(OutFrame frame) {
        offered.incrementAndGet();
        if (channel.eventLoop().inEventLoop()) {
            enqueue(frame);
        } else {
            channel.eventLoop().execute(() -> enqueue(frame));
        }
    }

    private void enqueue(OutFrame frame) {
        if (!channel.isActive()) {
            drop(frame);
            return;
        }
        if (size == 0 && channel.isWritable()) {
            write(frame);
            channel.flush();
            return;
        }
        if (size == ring.length) {
            OutFrame stale = ring[head];
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
            drop(stale);
        }
        ring[(head + size) % ring.length] = frame;
        size++;
        queued = size;
        maxQueued = Math.max(maxQueued, size);
        drain();
    }

    /** Writes queued frames while the socket accepts them; called again when the channel becomes writable. */
    public void drain() {
        boolean wrote = false;
        while (size > 0 && channel.isWritable()) {
            OutFrame f = ring[head];
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
            write(f);
            wrote = true;
        }
        queued = size;
        if (wrote) {
            channel.flush();
        }
    }

    /** Drops whatever is still queued (the connection closed). */
    public void discard() {
        while (size > 0) {
            drop(ring[head]);
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        }
        queued = 0;
    }

    private void write(OutFrame f) {
        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(f.json())), channel.voidPromise());
        written.incrementAndGet();
    }

    private void drop(OutFrame f) {
        dropped.incrementAndGet();
        droppedByKind.get(f.kind()).incrementAndGet();
    }

    public int id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public int capacity() {
        return ring.length;
    }

    /** Frames offered to this client so far. */
    public long offered() {
        return offered.get();
    }

    /** Frames handed to the socket. */
    public long written() {
        return written.get();
    }

    /** Frames dropped because the client was too slow (or gone). */
    public long dropped() {
        return dropped.get();
    }

    public long dropped(OutFrame.Kind kind) {
        return droppedByKind.get(kind).get();
    }

    /** Frames in the ring right now (not counting Netty's outbound buffer). */
    public int queued() {
        return queued;
    }

    /** The most frames the ring ever held: never more than {@link #capacity()}. */
    public int maxQueued() {
        return maxQueued;
    }

    public String remote() {
        return String.valueOf(channel.remoteAddress());
    }
}
