package io.mindstream.cli.options;

import io.mindstream.runtime.Durations;
import picocli.CommandLine;

/** picocli converters that reject bad values while parsing, so they surface as usage errors (exit code 2). */
public final class OptionConverters {

    private OptionConverters() {
    }

    /** A TCP port, 0..65535 (0 = pick a free one). */
    public static final class Port implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int p = parseInt(value, "port");
            if (p < 0 || p > 65535) {
                throw new CommandLine.TypeConversionException("port must be in 0..65535 (0 = any free port), got " + p);
            }
            return p;
        }
    }

    /** An integer of at least 1. */
    public static final class PositiveInt implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = parseInt(value, "number");
            if (n < 1) {
                throw new CommandLine.TypeConversionException("must be at least 1, got " + n);
            }
            return n;
        }
    }

    /** {@code host:port[,host:port…]}, as Kafka's {@code bootstrap.servers} expects it; returned normalised. */
    public static final class BootstrapServers implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String[] parts = value.split(",");
            StringBuilder sb = new StringBuilder();
            for (String raw : parts) {
                String hp = raw.trim();
                int colon = hp.lastIndexOf(':');
                if (hp.isEmpty() || colon <= 0 || colon == hp.length() - 1) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a list of host:port "
                            + "(e.g. 127.0.0.1:19092 or kafka1:9092,kafka2:9092)");
                }
                int port;
                try {
                    port = Integer.parseInt(hp.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new CommandLine.TypeConversionException("'" + hp + "' has no numeric port");
                }
                if (port < 1 || port > 65535) {
                    throw new CommandLine.TypeConversionException("'" + hp + "': port must be in 1..65535");
                }
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(hp);
            }
            return sb.toString();
        }
    }

    private static int parseInt(String value, String what) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a " + what);
        }
    }

    /** Positive durations ({@link io.mindstream.runtime.Durations#parse}); a bad value is a usage error (exit 2). */
    public static final class PositiveDuration implements CommandLine.ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            java.time.Duration d;
            try {
                d = io.mindstream.runtime.Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            if (d.isZero() || d.isNegative()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be a positive duration");
            }
            return d;
        }
    }
}
