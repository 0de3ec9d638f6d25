package io.mindstream.runtime.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One stage's metrics, in Prometheus's text format: a Micrometer {@link PrometheusMeterRegistry} whose every meter
 * carries the tag {@code stage=<name>}, with the JVM (memory, GC, threads, class loading), CPU and uptime bound by
 * Micrometer's own binders. Stages bind their own meters ({@link MeterBinder#bindTo}); the stage endpoint serves
 * {@link #scrape()} on {@code GET /metrics}.
 */
public final class StageMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public StageMetrics(String stage) {
        registry.config().commonTags("stage", stage);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Binds a stage's (or a library's) meters. */
    public StageMetrics bind(MeterBinder binder) {
        binder.bindTo(registry);
        return this;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Every meter, in the Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
