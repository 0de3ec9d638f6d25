package io.mindstream.cli.drill;

import java.util.List;
import java.util.Locale;

/**
 * The faults a lab will hit, as drills: which processes are SIGKILLed, when, for how long, and how long the
 * simulated session runs around it (docs/reliability.md).
 *
 * @param stages      the processes killed together
 * @param atSeconds   session time of the kill (after the processor's 20-epoch calibration)
 * @param downSeconds how long they stay down before they are started again (0: at once, as systemd would)
 * @param sessionSeconds simulated session length
 */
record Fault(String name, List<String> stages, double atSeconds, double downSeconds, double sessionSeconds,
             String description) {

    static final List<Fault> ALL = List.of(
            new Fault("process", List.of("process"), 45, 0, 90, "stream processor killed, restarted at once"),
            new Fault("decode", List.of("decode"), 45, 0, 90, "decoder killed, restarted at once"),
            new Fault("display", List.of("display"), 45, 0, 90, "display killed, restarted at once"),
            new Fault("ingest", List.of("ingest"), 45, 3, 90, "ingest killed, restarted after 3 s"),
            new Fault("broker-20s", List.of("kafka"), 45, 20, 110, "the broker killed for 20 s"),
            new Fault("broker-60s", List.of("kafka"), 45, 60, 150, "the broker killed for 60 s"),
            new Fault("backlog-2m", List.of("process", "decode"), 30, 120, 180,
                    "processor and decoder killed for 2 min, then a 2-minute backlog at full speed"));

    static Fault named(String name) {
        for (Fault f : ALL) {
            if (f.name.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("no drill '" + name + "'; drills: "
                + ALL.stream().map(Fault::name).toList());
    }
}
