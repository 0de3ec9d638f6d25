package io.mindstream.display;

import io.mindstream.display.http.OriginPolicy;
import io.mindstream.display.http.RequestGuardHandler;
import io.mindstream.display.http.StaticContentHandler;
import io.mindstream.display.http.WebAssets;
import io.mindstream.display.ws.ClientSessionHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * One connection's pipeline, a handler per protocol step (modelled on Netty's websocketx server example):
 * <pre>
 * idle        close connections that send nothing (slowloris; a page pings every 5 s)
 * http        HTTP/1.1 codec, request line ≤ 4 KiB, headers ≤ 8 KiB
 * aggregate   whole requests, body ≤ maxRequestBytes (413 beyond)
 * guard       method, Host, WebSocket path and Origin checks
 * static      the page and the bank's thumbnails (own executor: disk reads stay off the event loop)
 * websocket   handshake on /ws, frames ≤ maxFrameBytes (closed with 1009 beyond), pings, close
 * frames      reassembles fragmented messages, same limit
 * session     registers the page with the broadcaster, reads its acks
 * </pre>
 */
final class DisplayChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String WEBSOCKET_PATH = "/ws";

    private final DisplayConfig config;
    private final DisplayHub hub;
    private final OriginPolicy policy;
    private final WebAssets assets;
    private final EventExecutorGroup fileExecutor;
    private final ChannelGroup open;
    private final java.util.Set<io.netty.channel.Channel> notTornDown;

    /**
     * @param open        every accepted connection joins it (and leaves it when closed): the server closes them on stop
     * @param notTornDown every accepted connection until its pipeline is completely torn down (its first handler
     *                    removed): the server waits for it before it shuts the executors down, because the teardown
     *                    hops between the I/O loop and the file executor
     */
    DisplayChannelInitializer(DisplayConfig config, DisplayHub hub, OriginPolicy policy, WebAssets assets,
                              EventExecutorGroup fileExecutor, ChannelGroup open,
                              java.util.Set<io.netty.channel.Channel> notTornDown) {
        this.config = config;
        this.hub = hub;
        this.policy = policy;
        this.assets = assets;
        this.fileExecutor = fileExecutor;
        this.open = open;
        this.notTornDown = notTornDown;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        open.add(ch);
        notTornDown.add(ch);
        ChannelPipeline p = ch.pipeline();
        // first in the pipeline, so removed last when the channel's pipeline is destroyed
        p.addLast("teardown", new io.netty.channel.ChannelHandlerAdapter() {
            @Override
            public void handlerRemoved(io.netty.channel.ChannelHandlerContext ctx) {
                notTornDown.remove(ctx.channel());
            }
        });
        p.addLast("idle", new IdleStateHandler(config.idleTimeoutSeconds(), 0, 0));
        p.addLast("http", new HttpServerCodec(4096, 8192, 8192));
        p.addLast("aggregate", new HttpObjectAggregator(config.maxRequestBytes()));
        p.addLast("guard", new RequestGuardHandler(policy, WEBSOCKET_PATH));
        p.addLast(fileExecutor, "static", new StaticContentHandler(assets,
                hub.bank() == null ? null : hub.bank().dir()));
        p.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .checkStartsWith(false)
                .allowExtensions(false)
                .maxFramePayloadLength(config.maxFrameBytes())
                .handshakeTimeoutMillis(10_000)
                .dropPongFrames(true)
                .build()));
        p.addLast("frames", new WebSocketFrameAggregator(config.maxFrameBytes()));
        p.addLast("session", new ClientSessionHandler(hub.broadcaster(), hub::hello, hub));
    }
}
