package io.mindstream.display.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.IntFunction;

/**
 * The last protocol step of a page's connection: registers it with the {@link Broadcaster} once the WebSocket
 * handshake completes, keeps its {@link ClientOutbox} draining as the socket becomes writable, and reads what the
 * page sends back (render acknowledgements and clock pings, docs/display.md) for the {@link PageListener}.
 */
public final class ClientSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(ClientSessionHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server does with messages from a page. */
    public interface PageListener {
        /** The page rendered result {@code seq} at {@code renderedUs} (server wall clock, µs). */
        void onRendered(int clientId, long seq, long renderedUs, long clockOffsetUs);

        /** The page asks for the server's time; the answer goes back on the same socket. */
        OutFrame onPing(int clientId, double clientMs);
    }

    private final Broadcaster broadcaster;
    private final IntFunction<OutFrame> hello;
    private final PageListener listener;
    private ClientOutbox outbox;

    public ClientSessionHandler(Broadcaster broadcaster, IntFunction<OutFrame> hello, PageListener listener) {
        this.broadcaster = broadcaster;
        this.hello = hello;
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
            outbox = broadcaster.register(ctx.channel(), hello);
            log.info("page {} connected from {} (origin {})", outbox.id(), ctx.channel().remoteAddress(),
                    hs.requestHeaders().get("Origin", "none"));
        } else if (evt instanceof IdleStateEvent) {
            log.info("closing idle connection {}", ctx.channel().remoteAddress());
            if (outbox != null) {
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "idle"));
            }
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (outbox != null && ctx.channel().isWritable()) {
            outbox.drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (outbox != null) {
            outbox.discard();
            broadcaster.unregister(outbox);
            log.info("page {} disconnected: {} frames written, {} dropped", outbox.id(), outbox.written(),
                    outbox.dropped());
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame text) || outbox == null) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                    "this server reads JSON text messages only"));
            ctx.close();
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(text.text());
        } catch (IOException e) {
            log.info("page {} sent malformed JSON ({}); ignored", outbox.id(), e.getMessage());
            return;
        }
        String type = msg.path("type").asText("");
        switch (type) {
            case "rendered" -> {
                long seq = msg.path("seq").asLong(-1);
                long renderedUs = msg.path("renderedUs").asLong(0);
                if (seq >= 0 && renderedUs > 0) {
                    listener.onRendered(outbox.id(), seq, renderedUs, msg.path("clockOffsetUs").asLong(0));
                } else {
                    log.info("page {} sent a render ack without seq/renderedUs; ignored", outbox.id());
                }
            }
            case "ping" -> outbox.offer(listener.onPing(outbox.id(), msg.path("clientMs").asDouble(0)));
            default -> log.info("page {} sent an unknown message type '{}'; ignored", outbox.id(), type);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.codec.TooLongFrameException
                || cause instanceof io.netty.handler.codec.CorruptedFrameException) {
            // a fragmented message over the limit (single oversized frames are refused by the decoder itself)
            log.info("page connection {} sent an oversized message; closing with 1009", ctx.channel().remoteAddress());
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big"))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        log.info("page connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
