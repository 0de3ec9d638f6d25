package io.mindstream.display.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Writing complete HTTP responses, with the headers every response of this server carries. */
public final class HttpResponses {

    /**
     * The page loads only its own scripts, styles and images and talks only to its own server: a stray injected
     * string cannot pull anything in or send anything out.
     */
    static final String CSP = "default-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    private HttpResponses() {
    }

    /** A short text error; the connection is closed afterwards (the client misbehaved or asked for nothing). */
    public static void sendError(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status) {
        byte[] body = (status.code() + " " + status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
        // always 1.1: a request that failed to decode reports itself as 1.0, which says nothing about the client
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        common(res);
        HttpUtil.setContentLength(res, body.length);
        HttpUtil.setKeepAlive(res, false);
        if (req != null && HttpMethod.HEAD.equals(req.method())) {
            res.content().clear();
        }
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    /** 200 with a body; keeps the connection alive if the client asked to. */
    public static void sendOk(ChannelHandlerContext ctx, HttpRequest req, String contentType, byte[] body,
                              String cacheControl) {
        boolean head = HttpMethod.HEAD.equals(req.method());
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.OK, content);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        common(res);
        HttpUtil.setContentLength(res, body.length);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void common(FullHttpResponse res) {
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("Content-Security-Policy", CSP);
        res.headers().set("Referrer-Policy", "no-referrer");
    }

    /** Content type by file extension, for the few kinds this server serves. */
    public static String contentType(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".html")) {
            return "text/html; charset=UTF-8";
        } else if (n.endsWith(".js")) {
            return "text/javascript; charset=UTF-8";
        } else if (n.endsWith(".css")) {
            return "text/css; charset=UTF-8";
        } else if (n.endsWith(".svg")) {
            return "image/svg+xml";
        } else if (n.endsWith(".png")) {
            return "image/png";
        } else if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        } else if (n.endsWith(".webp")) {
            return "image/webp";
        } else if (n.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
