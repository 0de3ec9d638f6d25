package io.mindstream.formats.fif;

/**
 * One event found on a stim channel, as a row of MNE's events array.
 *
 * @param sample   the sample of the step, counted like MNE's (first_samp included)
 * @param previous the channel's value before the step
 * @param code     the event code (the value after the step)
 */
public record FifEvent(long sample, int previous, int code) {
}
