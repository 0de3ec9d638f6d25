package io.mindstream.contracts;

/** What caused an epoch to be cut. Wire order is part of the contract: append only. */
public enum TriggerKind {
    /** A stimulus-onset marker: the epoch spans tmin … tmax around it. */
    MARKER,
    /** A sliding window for continuous decoding; no marker involved. */
    WINDOW,
    /** fMRI: the volumes in the haemodynamic window after a stimulus, averaged. */
    FMRI_STIMULUS,
    /** fMRI: the last N volumes, emitted every TR. */
    FMRI_TR
}
