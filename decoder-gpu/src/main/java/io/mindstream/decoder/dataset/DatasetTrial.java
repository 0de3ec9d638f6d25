package io.mindstream.decoder.dataset;

/**
 * One epoch of a dataset export: row {@code index} of {@code X.npy}.
 *
 * @param epochId      the pipeline's epoch id (deterministic, same as live)
 * @param session      session key
 * @param subject      subject the session belongs to
 * @param imageId      the image shown (the bank row that is the target)
 * @param split        {@code train} or {@code test}
 * @param trial        the paradigm's trial number, or -1
 * @param qualityFlags the epoch's quality flags
 * @param offset       a window's end time − its trial's onset, seconds (window exports); NaN for epochs
 */
public record DatasetTrial(String epochId, String session, String subject, String imageId, String split, int trial,
                           int qualityFlags, double offset) {
}
