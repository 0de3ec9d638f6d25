package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resolving by property, by XPath predicate, all streams and continuously; several outlets on one host. */
class ResolverTest {

    @Test
    void severalOutletsOnOneHostAreAllResolvedAndPredicatesSelect() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(16);
        String type = TestSupport.unique("many");
        List<StreamOutlet> outlets = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                StreamInfo si = new StreamInfo(type + "-" + i, type, i + 1, 100 * (i + 1), ChannelFormat.FLOAT32, type + i);
                si.desc().appendChild("acquisition").appendChildValue("model", i % 2 == 0 ? "even" : "odd");
                outlets.add(new StreamOutlet(si, 0, 10, cfg));
            }
            Resolver r = new Resolver(cfg);
            assertEquals(6, names(r.byProperty("type", type, 6, 10)).size());
            assertEquals(Set.of(type + "-3"), names(r.byPredicate("type='" + type + "' and channel_count=4", 1, 5)));
            assertEquals(Set.of(type + "-1", type + "-3", type + "-5"),
                    names(r.byPredicate("type='" + type + "' and desc/acquisition/model='odd'", 3, 5)));
            assertEquals(Set.of(type + "-4", type + "-5"),
                    names(r.byPredicate("starts-with(name,'" + type + "') and nominal_srate > 450", 2, 5)));
            assertEquals(0, r.byPredicate("type='" + type + "' and (((", 1, 0.5).size(), "invalid XPath matches nothing");
            Set<String> all = new HashSet<>();
            for (StreamInfo si : r.all(1.5)) if (si.type().equals(type)) all.add(si.name());
            assertEquals(6, all.size());
            try (ContinuousResolver cr = ContinuousResolver.byProperty(cfg, "type", type, 3)) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (cr.results().size() < 6 && System.nanoTime() < deadline) Thread.sleep(50);
                assertEquals(6, cr.results().size());
                outlets.remove(0).close();
                deadline = System.nanoTime() + 10_000_000_000L;
                while (cr.results().size() > 5 && System.nanoTime() < deadline) Thread.sleep(100);
                assertEquals(5, cr.results().size(), "a closed outlet drops out of the continuous results");
            }
        } finally {
            outlets.forEach(StreamOutlet::close);
        }
    }

    @Test
    void sessionIdSeparatesStreams() throws Exception {
        LslConfig base = TestSupport.isolatedConfig(8);
        LslConfig other = base.with("lab.SessionID", "other-session");
        String name = TestSupport.unique("session");
        try (StreamOutlet o = new StreamOutlet(new StreamInfo(name, "T", 1, 1, ChannelFormat.INT8, ""), 0, 10, other)) {
            assertEquals("other-session", o.info().sessionId());
            assertEquals(0, new Resolver(base).byProperty("name", name, 1, 1).size());
            assertEquals(1, new Resolver(other).byProperty("name", name, 1, 5).size());
        }
    }

    private static Set<String> names(List<StreamInfo> infos) {
        Set<String> s = new HashSet<>();
        for (StreamInfo si : infos) {
            s.add(si.name());
            assertTrue(si.v4dataPort() > 0 && !si.v4address().isEmpty());
        }
        return s;
    }
}
