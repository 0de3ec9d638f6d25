package io.mindstream.display.ws;

import io.netty.channel.Channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Sends every message to every connected page and remembers the recent ones, so a page that connects late starts
 * from the same picture as the others (its snapshot: a hello, the recent results and MEG snippets, the latest
 * health).
 *
 * <p>Registering a client and broadcasting take one lock around "remember + list the clients", which makes every
 * frame reach a new client exactly once: either in its snapshot or as a live frame, never both, never neither.
 * The frames themselves are handed to each {@link ClientOutbox} outside the lock.
 */
public final class Broadcaster {

    private final Object lock = new Object();
    private final List<ClientOutbox> clients = new ArrayList<>();
    private final ArrayDeque<OutFrame> recentResults;
    private final ArrayDeque<OutFrame> recentMeg;
    private final ArrayDeque<OutFrame> recentWindows;
    private final int snapshotResults;
    private final int snapshotMeg;
    private final int snapshotWindows;
    private OutFrame latestHealth;

    private final int queueFrames;
    private final AtomicInteger nextClientId = new AtomicInteger(1);
    private final AtomicLong broadcasts = new AtomicLong();
    private final AtomicLong droppedByGoneClients = new AtomicLong();
    private final AtomicLong connectionsTotal = new AtomicLong();

    /**
     * @param snapshotResults results replayed to a new page
     * @param snapshotMeg     MEG snippets replayed to a new page (enough to fill the plot)
     * @param queueFrames     per-client ring capacity
     */
    public Broadcaster(int snapshotResults, int snapshotMeg, int queueFrames) {
        this(snapshotResults, snapshotMeg, 0, queueFrames);
    }

    /**
     * @param snapshotWindows sliding-window results replayed to a new page (kept apart from the results: at 20 per
     *                        second they would push every epoch result out of its snapshot)
     */
    public Broadcaster(int snapshotResults, int snapshotMeg, int snapshotWindows, int queueFrames) {
        this.snapshotResults = snapshotResults;
        this.snapshotMeg = Math.max(1, snapshotMeg);
        this.snapshotWindows = Math.max(0, snapshotWindows);
        this.queueFrames = queueFrames;
        this.recentResults = new ArrayDeque<>(snapshotResults);
        this.recentMeg = new ArrayDeque<>(this.snapshotMeg);
        this.recentWindows = new ArrayDeque<>(Math.max(1, this.snapshotWindows));
    }

    /**
     * Adds a page. Must be called on the channel's event loop: the snapshot (hello first) is queued before any live
     * frame that races with it.
     */
    public ClientOutbox register(Channel channel, IntFunction<OutFrame> hello) {
        int id = nextClientId.getAndIncrement();
        ClientOutbox box = new ClientOutbox(id, channel, queueFrames);
        List<OutFrame> snapshot = new ArrayList<>();
        snapshot.add(hello.apply(id));
        synchronized (lock) {
            clients.add(box);
            snapshot.addAll(recentResults);
            snapshot.addAll(recentMeg);
            snapshot.addAll(recentWindows);
            if (latestHealth != null) {
                snapshot.add(latestHealth);
            }
        }
        connectionsTotal.incrementAndGet();
        for (OutFrame f : snapshot) {
            box.offer(f);
        }
        return box;
    }

    public void unregister(ClientOutbox box) {
        synchronized (lock) {
            clients.remove(box);
        }
        droppedByGoneClients.addAndGet(box.dropped());
    }

    /** Sends a frame to every page (from any thread) and keeps it for late joiners if it is snapshot material. */
    public void broadcast(OutFrame frame) {
        ClientOutbox[] targets;
        synchronized (lock) {
            remember(frame);
            targets = clients.toArray(new ClientOutbox[0]);
        }
        broadcasts.incrementAndGet();
        for (ClientOutbox c : targets) {
            c.offer(frame);
        }
    }

    private void remember(OutFrame f) {
        switch (f.kind()) {
            case RESULT -> push(recentResults, f, snapshotResults);
            case MEG -> push(recentMeg, f, snapshotMeg);
            case WINDOW -> {
                if (snapshotWindows > 0) {
                    push(recentWindows, f, snapshotWindows);
                }
            }
            case HEALTH -> latestHealth = f;
            default -> {
            }
        }
    }

    private static void push(ArrayDeque<OutFrame> q, OutFrame f, int cap) {
        if (q.size() == cap) {
            q.removeFirst();
        }
        q.addLast(f);
    }

    /** The connected pages (a copy). */
    public List<ClientOutbox> clients() {
        synchronized (lock) {
            return List.copyOf(clients);
        }
    }

    public long broadcasts() {
        return broadcasts.get();
    }

    public long connectionsTotal() {
        return connectionsTotal.get();
    }

    /** Frames dropped for every client ever connected (gone and present). */
    public long droppedTotal() {
        long d = droppedByGoneClients.get();
        for (ClientOutbox c : clients()) {
            d += c.dropped();
        }
        return d;
    }
}
