// Test helper, built at test time under target/ (never committed as a binary): loads an XDF file with libxdf (Debian
// libxdf-dev, the C++ reader SigViewer uses) and prints what libxdf read, as length-prefixed fields:
//   <key> <byte length>\n<bytes>\n   (into the file OUT)
// Numbers are printed with %.17g (doubles) and %.9g (floats: libxdf keeps every value as float).
#include <xdf.h>
#include <cstdio>
#include <string>
#include <vector>

static FILE *out = nullptr;

static void field(const std::string &key, const std::string &value) {
    std::fprintf(out, "%s %zu\n", key.c_str(), value.size());
    std::fwrite(value.data(), 1, value.size(), out);
    std::fprintf(out, "\n");
}

static std::string num(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

static std::string fnum(float v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.9g", v);
    return b;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: xdfdump FILE.xdf OUT\n");
        return 2;
    }
    Xdf xdf;
    int rc = xdf.load_xdf(argv[1]);
    if (rc != 0) {
        std::fprintf(stderr, "libxdf could not load %s (rc %d)\n", argv[1], rc);
        return 1;
    }
    // libxdf prints its own diagnostics on stdout (one at every end of file): what we read goes to OUT
    out = std::fopen(argv[2], "wb");
    if (!out) {
        std::fprintf(stderr, "cannot write %s\n", argv[2]);
        return 2;
    }
    field("file_header", xdf.fileHeader);
    field("streams", std::to_string(xdf.streams.size()));
    for (size_t s = 0; s < xdf.streams.size(); s++) {
        const Xdf::Stream &st = xdf.streams[s];
        field("stream", std::to_string(s));
        field("header", st.streamHeader);
        field("footer", st.streamFooter);
        field("name", st.info.name);
        field("type", st.info.type);
        field("channel_format", st.info.channel_format);
        field("channel_count", std::to_string(st.info.channel_count));
        field("nominal_srate", num(st.info.nominal_srate));
        field("first_timestamp", num(st.info.first_timestamp));
        field("last_timestamp", num(st.info.last_timestamp));
        field("sample_count", std::to_string(st.info.sample_count));
        std::string labels;
        for (const auto &ch : st.info.channels) {
            auto it = ch.find("label");
            labels += (labels.empty() ? "" : "\t") + (it == ch.end() ? std::string() : it->second);
        }
        field("labels", labels);
        std::string offsets;
        for (size_t i = 0; i < st.clock_times.size(); i++) {
            offsets += num(st.clock_times[i]) + " " + num(st.clock_values[i]) + "\n";
        }
        field("clock_offsets", offsets);
        std::string ts;
        for (double t : st.time_stamps) {
            ts += num(t) + " ";
        }
        field("time_stamps", ts);
        std::string values;   // sample-major, like LSL chunks
        size_t n = st.time_series.empty() ? 0 : st.time_series[0].size();
        for (size_t i = 0; i < n; i++) {
            for (size_t c = 0; c < st.time_series.size(); c++) {
                values += fnum(st.time_series[c][i]) + " ";
            }
        }
        field("values", values);
    }
    std::string events;
    for (const auto &e : xdf.eventMap) {
        events += std::to_string(e.second) + "\t" + num(e.first.second) + "\t" + e.first.first + "\n";
    }
    field("events", events);
    return std::fclose(out) == 0 ? 0 : 1;
}
