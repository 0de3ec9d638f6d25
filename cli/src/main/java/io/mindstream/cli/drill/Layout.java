package io.mindstream.cli.drill;

/**
 * How many of each process a drill runs: brokers in the Kafka cluster, processor and decoder instances (each group
 * shares the sessions between its members), and simulated sessions (one simulated subject and one ingest each, as
 * each scanner has its own acquisition machine).
 */
record Layout(int brokers, int processors, int decoders, int sessions) {

    /** One of everything: the single-machine drills of docs/reliability.md. */
    static final Layout SINGLE = new Layout(1, 1, 1, 1);

    /** The scale-out drills: a 3-broker cluster, 2 processors, 2 decoders, 8 sessions at once. */
    static final Layout CLUSTER = new Layout(3, 2, 2, 8);

    Layout {
        if (brokers < 1 || processors < 1 || decoders < 1 || sessions < 1) {
            throw new IllegalArgumentException("a drill needs at least one of each process, got " + this);
        }
    }

    String describe() {
        return brokers + (brokers == 1 ? " broker, " : " brokers, ") + processors + " processor"
                + (processors == 1 ? "" : "s") + ", " + decoders + " decoder" + (decoders == 1 ? "" : "s") + ", "
                + sessions + " session" + (sessions == 1 ? "" : "s");
    }
}
