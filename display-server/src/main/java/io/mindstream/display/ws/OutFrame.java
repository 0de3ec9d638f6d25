package io.mindstream.display.ws;

/**
 * One encoded message waiting to go out: its JSON bytes, encoded once and shared by every client.
 *
 * @param kind the message's type (results, health, MEG snippets, …), for drop accounting
 * @param json UTF-8 JSON text; never modified after construction
 */
public record OutFrame(Kind kind, byte[] json) {

    /** Message kinds, matching the {@code type} field of the JSON (docs/display.md). */
    public enum Kind { HELLO, RESULT, HEALTH, MEG, FMRI, PONG, WINDOW }
}
