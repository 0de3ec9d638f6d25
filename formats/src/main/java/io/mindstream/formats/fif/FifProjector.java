package io.mindstream.formats.fif;

import java.util.List;

/**
 * An SSP projector as stored in the file (kept as metadata: reading never applies it, as MNE's
 * {@code read_raw_fif(proj=False)} does not).
 *
 * @param description its name, e.g. "PCA-v1"
 * @param kind        FIFFV_PROJ_ITEM_* (1 field, 10 EEG average reference …)
 * @param active      whether it had been applied to the stored data
 * @param channels    the channel names its columns refer to
 * @param vectors     nvec × channels.size() values
 */
public record FifProjector(String description, int kind, boolean active, List<String> channels, float[][] vectors) {
}
