package io.mindstream.cli.display;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.cli.options.EndpointOptions;
import io.mindstream.cli.options.OptionConverters;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.display.BankCatalog;
import io.mindstream.display.DisplayConfig;
import io.mindstream.display.DisplayService;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.runtime.DataDirs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code mindstream display}: the live results page, fed from Kafka. */
@Command(name = "display", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Serve the live decoding page: every decode result from the 'results' topic is pushed to every open "
                        + "browser page, with the stimulus, the top-k retrieved images, rolling accuracy, per-stage "
                        + "latency, a MEG butterfly plot and stream health (from the raw topics).",
                "Binds to 127.0.0.1 by default; open the printed URL in a browser. Stop with Ctrl-C."},
        showDefaultValues = true)
public final class DisplayCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DisplayCommand.class);

    @Mixin
    BrokerOptions kafka;

    @Mixin
    EndpointOptions endpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on. Anything but loopback exposes the page to the network.")
    String host = DisplayConfig.DEFAULT_HOST;

    @Option(names = "--port", paramLabel = "PORT", converter = OptionConverters.Port.class,
            description = "TCP port (0 = any free port).")
    int port = DisplayConfig.DEFAULT_PORT;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Also accept WebSocket connections from pages of this origin (scheme://host[:port]; "
                    + "'*' = any). Repeatable. By default only the server's own page may connect.")
    List<String> allowOrigins = new ArrayList<>();

    @Option(names = "--bank", paramLabel = "DIR",
            description = "Embedding bank whose thumbnails the page shows (default: <data dir>/bank when it "
                    + "exists, else none).")
    Path bank;

    @Option(names = "--candidates", paramLabel = "all|test|FILE", defaultValue = "all",
            description = "The images the decoder retrieves among, as given to its --candidates: all (the whole "
                    + "bank), test (the bank's test split) or a file of image ids. Only trials of these images are "
                    + "scored, and chance is 1/N and 5/N of them (default: ${DEFAULT-VALUE}).")
    String candidates;

    @Option(names = "--session", paramLabel = "SESSION",
            description = "Show only this session's records (default: all sessions).")
    String session;

    @Option(names = "--no-raw",
            description = "Do not consume the raw topics (no stream health, no MEG plot); results only.")
    boolean noRaw;

    @Option(names = "--client-queue", paramLabel = "FRAMES", converter = OptionConverters.PositiveInt.class,
            description = "Frames a slow page may have waiting before the oldest are dropped.")
    int clientQueue = DisplayConfig.defaults().clientQueueFrames();

    @Option(names = "--snapshot", paramLabel = "RESULTS", converter = OptionConverters.PositiveInt.class,
            description = "Recent results a page gets when it connects.")
    int snapshot = DisplayConfig.defaults().snapshotResults();

    @Option(names = "--accuracy-window", paramLabel = "RESULTS", converter = OptionConverters.PositiveInt.class,
            description = "Results in the rolling top-1/top-5 accuracy.")
    int accuracyWindow = DisplayConfig.defaults().accuracyWindow();

    @Option(names = "--plot-rate", paramLabel = "HZ",
            description = "Sample rate of the MEG butterfly plot after downsampling.")
    double plotRate = DisplayConfig.defaults().plotRateHz();

    @Option(names = "--max-frame", paramLabel = "BYTES", converter = OptionConverters.PositiveInt.class,
            description = "Largest WebSocket message a page may send.")
    int maxFrame = DisplayConfig.defaults().maxFrameBytes();

    @Option(names = "--max-request", paramLabel = "BYTES", converter = OptionConverters.PositiveInt.class,
            description = "Largest HTTP request body accepted.")
    int maxRequest = DisplayConfig.defaults().maxRequestBytes();

    @Option(names = "--io-threads", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "Netty event loop threads.")
    int ioThreads = DisplayConfig.defaults().ioThreads();

    /** The configuration these options describe; a bad value is a usage error (exit code 2). */
    DisplayConfig config() {
        if (!(plotRate > 0) || plotRate > 2000) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--plot-rate must be in (0, 2000] Hz, got " + plotRate);
        }
        for (String o : allowOrigins) {
            if (!o.equals("*") && !o.equals("null") && !o.matches("(?i)https?://[^/\\s]+")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--allow-origin wants scheme://host[:port] (or '*'), got '" + o + "'");
            }
        }
        DisplayConfig d = DisplayConfig.defaults();
        return new DisplayConfig(host, port, allowOrigins, null, ioThreads, clientQueue, snapshot, maxFrame,
                maxRequest, accuracyWindow, plotRate, d.healthPeriodMs(), d.idleTimeoutSeconds(),
                d.fmriHrfDelaySeconds());
    }

    /** The bank the options name (or the default one), read; null when there is none. */
    BankCatalog bankCatalog() {
        Path dir = bank;
        if (dir == null) {
            Path dflt = DataDirs.root().resolve("bank");
            if (!Files.isRegularFile(dflt.resolve("bank.json"))) {
                if (!candidates.equals("all")) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--candidates " + candidates + " needs the bank (--bank DIR); none at " + dflt);
                }
                log.info("no --bank given and none at {}: the page shows image ids without thumbnails", dflt);
                return null;
            }
            dir = dflt;
        }
        EmbeddingBank read;
        try {
            read = EmbeddingBank.read(dir);
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--bank " + dir + ": not a readable embedding bank (" + e.getMessage() + ")");
        }
        BankCatalog catalog = BankCatalog.of(dir, read);
        try {
            List<String> ids = read.candidateIds(candidates);
            return ids == null ? catalog : catalog.withCandidates(ids);
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--candidates " + candidates + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        DisplayConfig cfg = config();
        BankCatalog catalog = bankCatalog();
        if (catalog != null) {
            cfg = cfg.withBankDir(catalog.dir());
        }
        KafkaTarget target = kafka.open();
        DisplayService display;
        try {
            display = DisplayService.start(cfg, catalog, target.bootstrapServers(), session, !noRaw);
        } catch (IllegalStateException e) {
            target.close();
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException | InterruptedException e) {
            target.close();
            throw e;
        }
        endpoint.open("display", display);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C: the target's shutdown hook closes the display first, then stops an in-process broker; a hook of
        // our own would run concurrently with it and could find the broker already gone (KafkaTarget)
        target.closeFirst(() -> {
            log.info("stopping the display");
            display.close();
            stopped.countDown();
        });
        System.out.println("mindstream display: open " + display.url() + " (results from "
                + target.bootstrapServers() + "; Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
