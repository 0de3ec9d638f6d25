package io.mindstream.ingest.record;

import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;

import java.nio.file.Path;
import java.util.List;

/** Run in a child JVM by {@link XdfRecorderTest}: records one stream (by source_id) until it is killed. */
public final class RecorderChild {

    private RecorderChild() {
    }

    public static void main(String[] args) throws Exception {
        List<StreamInfo> found = Resolver.resolveByProperty("source_id", args[1], 1, 30);
        XdfRecorder r = new XdfRecorder(Path.of(args[0]), found, RecorderConfig.defaults()).start();
        System.out.println("recording");
        System.out.flush();
        while (r.failure() == null) {
            Thread.sleep(100);
        }
        throw new IllegalStateException(r.failure());
    }
}
