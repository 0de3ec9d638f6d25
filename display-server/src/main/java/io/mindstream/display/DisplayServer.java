package io.mindstream.display;

import io.mindstream.display.http.OriginPolicy;
import io.mindstream.display.http.WebAssets;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The display's HTTP + WebSocket server: serves the page and the bank's thumbnails and pushes everything the
 * {@link DisplayHub} publishes to every connected page. Uses epoll where the native transport loads, NIO otherwise.
 *
 * <pre>
 * try (DisplayServer server = DisplayServer.start(config, bank)) {
 *     server.hub().publishResult(result);
 * }
 * </pre>
 */
public final class DisplayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DisplayServer.class);

    /**
     * Netty's outbound buffer per page: above the high mark the channel reports itself unwritable and frames wait
     * in the page's ring instead (see ClientOutbox), so memory per page is bounded by this plus the ring.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final DisplayConfig config;
    private final DisplayHub hub;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final EventExecutorGroup fileExecutor;
    private final ChannelGroup connections = new DefaultChannelGroup("display-connections", GlobalEventExecutor.INSTANCE);
    private final java.util.Set<io.netty.channel.Channel> notTornDown = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService healthTimer;
    private final Channel serverChannel;
    private final String transport;

    private DisplayServer(DisplayConfig config, DisplayHub hub) throws InterruptedException {
        this.config = config;
        this.hub = hub;
        boolean epoll = Epoll.isAvailable();
        transport = epoll ? "epoll" : "nio";
        var factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("display-accept", true), factory);
        workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("display-io", true), factory);
        fileExecutor = new DefaultEventExecutorGroup(2, new DefaultThreadFactory("display-files", true));
        healthTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "display-health");
            t.setDaemon(true);
            return t;
        });
        boolean loopback = isLoopback(config.host());
        OriginPolicy policy = new OriginPolicy(config.allowedOrigins(), loopback);
        try {
            serverChannel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .option(ChannelOption.SO_REUSEADDR, true)      // a restarted display gets its port back at once
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childHandler(new DisplayChannelInitializer(config, hub, policy, WebAssets.load(), fileExecutor,
                            connections, notTornDown))
                    .bind(new InetSocketAddress(config.host(), config.port()))
                    .sync()
                    .channel();
        } catch (Exception e) {              // bind() rethrows checked exceptions (BindException) unchecked
            shutdownGroups();
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage() + (e instanceof java.net.BindException
                    || String.valueOf(e.getMessage()).contains("in use")
                    ? " (is another display running? choose another --port)" : ""), e);
        }
        healthTimer.scheduleAtFixedRate(this::publishHealthSafely, config.healthPeriodMs(), config.healthPeriodMs(),
                TimeUnit.MILLISECONDS);
        log.info("display server listening on {} ({}; same-origin{}{})", url(), transport,
                config.allowedOrigins().isEmpty() ? "" : " plus " + config.allowedOrigins(),
                loopback ? ", loopback only" : "");
    }

    /** Starts a server with its own hub. {@code bank} may be null (no thumbnails, chance unknown). */
    public static DisplayServer start(DisplayConfig config, BankCatalog bank) throws InterruptedException {
        return new DisplayServer(config, new DisplayHub(config, bank));
    }

    private void publishHealthSafely() {
        try {
            hub.publishHealth();
        } catch (RuntimeException e) {
            log.warn("health report failed: {}", e.toString());
        }
    }

    public DisplayHub hub() {
        return hub;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The page's URL (a loopback bind address is shown as 127.0.0.1 even when bound to a wildcard). */
    public String url() {
        String h = config.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port() + "/";
    }

    /** "epoll" or "nio". */
    public String transport() {
        return transport;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        healthTimer.shutdownNow();
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // close the pages' connections while their event loops still run, so every page sees the close at once and
        // starts reconnecting; left to the loops' own shutdown, a close could race the loop's termination and leave
        // a page on a half-open socket, showing "live" with no server behind it
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        // a closed channel's pipeline is torn down afterwards, in tasks on its I/O loop and the file executor: shut
        // them down before that ends and Netty logs a RejectedExecutionException stack trace per connection
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!notTornDown.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        shutdownGroups();
        log.info("display server on port {} stopped", port());
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        fileExecutor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        bossGroup.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workerGroup.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        fileExecutor.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
