package io.mindstream.display.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files, read once from the jar ({@code /web/…}) at start-up so serving them never touches the disk or
 * the class loader on an event loop. Only the names listed here exist: nothing else on the class path is reachable.
 */
public final class WebAssets {

    /** Every file of the page. */
    public static final List<String> FILES = List.of("index.html", "display.js", "display.css", "favicon.svg");

    private final Map<String, byte[]> files;

    private WebAssets(Map<String, byte[]> files) {
        this.files = files;
    }

    public static WebAssets load() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = WebAssets.class.getResourceAsStream("/web/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the display page's file web/" + name
                            + " is missing from the class path (broken build?)");
                }
                m.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("reading web/" + name, e);
            }
        }
        return new WebAssets(Map.copyOf(m));
    }

    public Optional<byte[]> get(String name) {
        return Optional.ofNullable(files.get(name));
    }
}
