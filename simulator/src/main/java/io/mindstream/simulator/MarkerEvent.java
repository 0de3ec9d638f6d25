package io.mindstream.simulator;

/**
 * One string marker as the stimulus PC logs it, in time order with the others (see TEAM conventions):
 * {@code onset image=<id> trial=<n> split=<train|test>}, {@code offset trial=<n>}, {@code catch trial=<n>},
 * {@code block start=<k>}.
 *
 * @param seconds time on the MEG sample clock (seconds after sample 0), trigger lag included
 * @param label   the marker string
 * @param trial   the trial it belongs to, or -1 for block markers
 */
public record MarkerEvent(double seconds, String label, int trial) {
}
