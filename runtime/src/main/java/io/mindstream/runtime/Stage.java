package io.mindstream.runtime;

/**
 * What every pipeline stage is to whoever runs it (its command in the CLI, the demo, a test): started, asked how it
 * is, closed. Stages are libraries; the commands and the demo wire them through exactly this.
 */
public interface Stage extends AutoCloseable {

    /** How a stage is doing, in a word and a sentence (what a health probe or the page shows). */
    record Health(Status status, String detail) {
        public enum Status { STARTING, UP, DEGRADED, DOWN }

        public static Health up(String detail) {
            return new Health(Status.UP, detail);
        }

        public static Health degraded(String detail) {
            return new Health(Status.DEGRADED, detail);
        }

        public static Health down(String detail) {
            return new Health(Status.DOWN, detail);
        }

        public static Health starting(String detail) {
            return new Health(Status.STARTING, detail);
        }
    }

    /** Starts the stage's threads; returns once it is running (or throws naming what failed). */
    Stage start() throws Exception;

    Health health();

    /** Stops it, letting what is in flight finish where the stage can. Idempotent. */
    @Override
    void close();
}
