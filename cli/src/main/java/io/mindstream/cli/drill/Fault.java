package io.mindstream.cli.drill;

import io.mindstream.runtime.kafka.KafkaClients;

import java.util.List;
import java.util.Locale;

/**
 * The faults a lab will hit, as drills: which processes are SIGKILLed, when, for how long, and how long the
 * simulated session runs around it (docs/reliability.md).
 *
 * @param stages      the processes killed together: kafka (the broker leading most raw partitions), process, decode
 *                    (the instance holding the first session), display, ingest (the first session's)
 * @param everyInstance kill every instance of each named stage, not only the first (the backlog drill)
 * @param freeze      SIGSTOP instead of SIGKILL, and SIGCONT instead of a restart: the process keeps its sockets
 *                    open and answers nothing, so its peers see silence and time out, not a closed connection (what a
 *                    network partition shows them); on SIGCONT it resumes with the state it had, a stale leader of
 *                    partitions that have moved on, and must find out and catch up
 * @param atSeconds   session time of the kill (after the processor's 20-epoch calibration)
 * @param downSeconds how long they stay down before they are started again (0: at once, as systemd would)
 * @param sessionSeconds simulated session length
 */
record Fault(String name, List<String> stages, boolean everyInstance, boolean freeze, double atSeconds,
             double downSeconds, double sessionSeconds, String description) {

    private static final int SESSION_TIMEOUT_S = KafkaClients.SESSION_TIMEOUT_MS / 1000;

    static final List<Fault> ALL = List.of(
            new Fault("process", List.of("process"), false, false, 45, 0, 90,
                    "stream processor killed, restarted at once"),
            new Fault("decode", List.of("decode"), false, false, 45, 0, 90, "decoder killed, restarted at once"),
            new Fault("display", List.of("display"), false, false, 45, 0, 90, "display killed, restarted at once"),
            new Fault("ingest", List.of("ingest"), false, false, 45, 3, 90, "ingest killed, restarted after 3 s"),
            new Fault("broker-20s", List.of("kafka"), false, false, 45, 20, 110, "the leading broker killed for 20 s"),
            new Fault("broker-60s", List.of("kafka"), false, false, 45, 60, 150, "the leading broker killed for 60 s"),
            new Fault("process-away", List.of("process"), false, false, 45, 30, 120,
                    "the stream processor holding the first session killed for 30 s: its sessions move to another "
                            + "instance (after the " + SESSION_TIMEOUT_S + " s session timeout) and back"),
            new Fault("decode-away", List.of("decode"), false, false, 45, 30, 120,
                    "the decoder holding the first session killed for 30 s: its partitions move to another "
                            + "instance (after the " + SESSION_TIMEOUT_S + " s session timeout)"),
            new Fault("broker-frozen-30s", List.of("kafka"), false, true, 45, 30, 120,
                    "the leading broker frozen (SIGSTOP) for 30 s, then resumed (SIGCONT): to the others it is "
                            + "partitioned away, silent with its connections open; it comes back a stale leader"),
            new Fault("none", List.of(), false, false, 45, 0, 90,
                    "no fault: what the pipeline costs (CPU, broker bytes)"),
            new Fault("backlog-2m", List.of("process", "decode"), true, false, 30, 120, 240,
                    "every processor and decoder killed for 2 min, then a 2-minute backlog at full speed"));

    /**
     * The drills {@code ./mindstream drill} runs by default: on one machine the seven of docs/reliability.md; with
     * several processor or decoder instances also the ones where a killed instance's sessions move to another.
     */
    static List<Fault> defaults(Layout layout) {
        List<String> names = layout.processors() > 1 || layout.decoders() > 1
                ? List.of("process", "process-away", "decode", "decode-away", "display", "ingest", "broker-20s",
                "broker-60s", "broker-frozen-30s")
                : List.of("process", "decode", "display", "ingest", "broker-20s", "broker-60s", "backlog-2m");
        return names.stream().map(Fault::named).toList();
    }

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
