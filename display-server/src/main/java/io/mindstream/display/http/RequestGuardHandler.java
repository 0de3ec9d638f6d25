package io.mindstream.display.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First protocol step after decoding: refuses what this server never serves, before any handler looks at a path.
 * Malformed requests get 400, anything but GET/HEAD 405, a foreign Host header 421, a WebSocket handshake on the
 * wrong path 404 and one from a foreign Origin 403. Everything else passes on unchanged.
 */
public final class RequestGuardHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestGuardHandler.class);

    private final OriginPolicy policy;
    private final String webSocketPath;

    public RequestGuardHandler(OriginPolicy policy, String webSocketPath) {
        this.policy = policy;
        this.webSocketPath = webSocketPath;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpResponseStatus refusal = judge(req);
        if (refusal != null) {
            log.info("refused {} {} from {}: {}", req.method(), abbreviate(req.uri()), ctx.channel().remoteAddress(),
                    refusal);
            try {
                HttpResponses.sendError(ctx, req, refusal);
            } finally {
                ReferenceCountUtil.release(req);
            }
            return;
        }
        ctx.fireChannelRead(req);
    }

    private HttpResponseStatus judge(FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            Throwable cause = req.decoderResult().cause();
            // the decoder says why: an over-long line or header block is 431, the rest is just malformed
            if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
                return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            }
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
            return HttpResponseStatus.METHOD_NOT_ALLOWED;
        }
        String uri = req.uri();
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return HttpResponseStatus.BAD_REQUEST;      // absolute-form or '*' targets: not for a plain web server
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (!policy.allowsHost(host)) {
            return HttpResponseStatus.MISDIRECTED_REQUEST;
        }
        if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            String path = pathOf(uri);
            if (!path.equals(webSocketPath)) {
                return HttpResponseStatus.NOT_FOUND;
            }
            if (!policy.allowsWebSocket(req.headers().get(HttpHeaderNames.ORIGIN), host)) {
                return HttpResponseStatus.FORBIDDEN;
            }
        }
        return null;
    }

    static String pathOf(String uri) {
        int q = uri.indexOf('?');
        int h = uri.indexOf('#');
        int end = q < 0 ? h : (h < 0 ? q : Math.min(q, h));
        return end < 0 ? uri : uri.substring(0, end);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
