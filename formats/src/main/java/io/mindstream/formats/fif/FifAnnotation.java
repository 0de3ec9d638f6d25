package io.mindstream.formats.fif;

import java.util.List;

/**
 * An annotation (MNE's {@code Annotations}), its onset in seconds from the recording's first sample.
 *
 * @param onset       seconds after the first sample
 * @param duration    seconds
 * @param description free text, e.g. "BAD_blink", "stim/face"
 * @param channels    the channels it concerns (empty = all)
 */
public record FifAnnotation(double onset, double duration, String description, List<String> channels) {
}
