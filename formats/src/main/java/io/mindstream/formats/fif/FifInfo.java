package io.mindstream.formats.fif;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A FIF file's measurement info: what MNE calls {@code raw.info}, the parts a live replay, an export and an analysis
 * need.
 *
 * @param channels     every channel in stored order
 * @param samplingRate Hz
 * @param measDate     when the measurement started, if the file says
 * @param highpass     Hz (0 = DC)
 * @param lowpass      Hz
 * @param lineFreq     power line frequency, Hz, if the file says
 * @param description  free text description, "" if none
 * @param experimenter "" if none
 * @param bads         names of the channels marked bad
 * @param projectors   SSP projectors (metadata only)
 */
public record FifInfo(List<FifChannel> channels, double samplingRate, Optional<Instant> measDate, double highpass,
                      double lowpass, Optional<Double> lineFreq, String description, String experimenter,
                      List<String> bads, List<FifProjector> projectors) {

    public int channelCount() {
        return channels.size();
    }

    public List<String> channelNames() {
        return channels.stream().map(FifChannel::name).toList();
    }

    /** Index of the channel with this name, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
