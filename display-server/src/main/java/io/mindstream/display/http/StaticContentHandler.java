package io.mindstream.display.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Serves the page ({@code /}, {@code /display.js}, …) from {@link WebAssets} and the bank's files (thumbnails) under
 * {@code /bank/…} from the bank directory, through {@link SafePaths}. WebSocket handshakes pass on untouched.
 *
 * <p>Reading a thumbnail is disk I/O, so this handler is added to the pipeline with its own executor group and never
 * runs on an I/O event loop.
 */
public final class StaticContentHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(StaticContentHandler.class);
    /** Thumbnails are small; anything this big in a bank directory is not one and is not served. */
    static final long MAX_FILE_BYTES = 16L << 20;

    private final WebAssets assets;
    private final Path bankRoot;

    public StaticContentHandler(WebAssets assets, Path bankRoot) {
        super(false);                          // a passed-on handshake keeps its reference; we release the rest
        this.assets = assets;
        this.bankRoot = bankRoot;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            ctx.fireChannelRead(req);
            return;
        }
        try {
            serve(ctx, req);
        } finally {
            req.release();
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = RequestGuardHandler.pathOf(req.uri());
        Optional<List<String>> segs = SafePaths.segments(path);
        if (segs.isEmpty()) {
            log.info("refused path {} from {}", path, ctx.channel().remoteAddress());
            HttpResponses.sendError(ctx, req, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        List<String> s = segs.get();
        if (s.isEmpty()) {
            s = List.of("index.html");
        }
        if (s.size() == 1) {
            Optional<byte[]> page = assets.get(s.get(0));
            if (page.isPresent()) {
                HttpResponses.sendOk(ctx, req, HttpResponses.contentType(s.get(0)), page.get(), "no-cache");
                return;
            }
        }
        if (s.size() >= 2 && s.get(0).equals("bank") && bankRoot != null) {
            Optional<Path> file = SafePaths.resolveFile(bankRoot, s.subList(1, s.size()));
            if (file.isPresent()) {
                try {
                    if (Files.size(file.get()) <= MAX_FILE_BYTES) {
                        byte[] body = Files.readAllBytes(file.get());
                        HttpResponses.sendOk(ctx, req, HttpResponses.contentType(file.get().toString()), body,
                                "max-age=3600");
                        return;
                    }
                } catch (IOException e) {
                    log.warn("reading {}: {}", file.get(), e.toString());
                }
            }
        }
        HttpResponses.sendError(ctx, req, HttpResponseStatus.NOT_FOUND);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
