package io.mindstream.processor.topology;

/**
 * Keys of the processor's state stores: fields joined by the ASCII unit separator, sequence numbers zero-padded to
 * 20 digits so that the stores' byte order is sequence order (range scans and range deletes rely on it).
 */
final class StoreKeys {

    static final char SEP = '\u001f';

    private StoreKeys() {
    }

    static String of(String... parts) {
        return String.join(String.valueOf(SEP), parts);
    }

    static String seq(long sequence) {
        return String.format("%020d", sequence);
    }

    static String prefix(String... parts) {
        return of(parts) + SEP;
    }

    static String[] split(String key) {
        return key.split(String.valueOf(SEP), -1);
    }
}
