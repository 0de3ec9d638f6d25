// The liblsl side of benchmarks/scripts/lsl-vs-liblsl.sh: a liblsl outlet pushing float32 chunks flat out, and a
// liblsl inlet that counts what it receives. The same inlet measures a liblsl outlet and an lsl4j outlet
// (io.mindstream.benchmarks.lsl.LslFlatOut), so the two outlets are compared on one receiver in one run.
// Built by the script at run time against a liblsl build outside the repository (LIBLSL_DIR).
//
//   lsl_throughput outlet CONFIG NAME CHANNELS CHUNK SECONDS
//   lsl_throughput inlet  CONFIG NAME WARMUP_SECONDS SECONDS
//
// CONFIG is an lsl_api.cfg (a private port range, machine scope), given to liblsl by lsl_set_config_filename.
#include <lsl_cpp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using clk = std::chrono::steady_clock;

static double since(clk::time_point t0) {
	return std::chrono::duration<double>(clk::now() - t0).count();
}

static int outlet(const std::string &name, int channels, int chunk, double seconds) {
	lsl::stream_info info(name, "MEG", channels, 1000.0, lsl::cf_float32, name);
	// 1 s of buffer per consumer, as the lsl4j outlet of the comparison: flat out, the queue is full at once
	lsl::stream_outlet out(info, chunk, 1);
	std::vector<float> data(static_cast<size_t>(chunk) * channels);
	for (size_t i = 0; i < data.size(); i++) data[i] = static_cast<float>(std::sin(i * 0.01));
	if (!out.wait_for_consumers(30)) {
		std::fprintf(stderr, "no consumer within 30 s\n");
		return 1;
	}
	long long pushed = 0;
	auto t0 = clk::now();
	while (since(t0) < seconds) {
		out.push_chunk_multiplexed(data.data(), data.size());
		pushed += chunk;
	}
	std::printf("liblsl outlet pushed %lld samples in %.2f s\n", pushed, since(t0));
	return 0;
}

static int inlet(const std::string &name, double warmup, double seconds) {
	std::vector<lsl::stream_info> found = lsl::resolve_stream("name", name, 1, 30.0);
	if (found.empty()) {
		std::fprintf(stderr, "stream %s not found within 30 s\n", name.c_str());
		return 1;
	}
	lsl::stream_inlet in(found[0], 1);
	in.open_stream(30.0);
	int channels = in.info().channel_count();
	const size_t maxSamples = 1024;
	std::vector<float> data(maxSamples * channels);
	std::vector<double> stamps(maxSamples);
	auto t0 = clk::now();
	long long counted = 0;
	bool counting = false;
	clk::time_point c0;
	while (true) {
		size_t n = in.pull_chunk_multiplexed(data.data(), stamps.data(), data.size(), stamps.size(), 1.0);
		double t = since(t0);
		if (!counting && t >= warmup) {
			counting = true;
			c0 = clk::now();
		}
		if (counting) {
			counted += static_cast<long long>(n / channels);
			if (since(c0) >= seconds) break;
		}
	}
	double s = since(c0);
	std::printf("received %lld samples in %.3f s: %.0f samples/s (%.1f MB/s of values)\n", counted, s,
		counted / s, counted * channels * 4.0 / s / 1e6);
	return 0;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		std::fprintf(stderr, "usage: %s outlet CONFIG NAME CHANNELS CHUNK SECONDS | inlet CONFIG NAME WARMUP SECONDS\n",
			argv[0]);
		return 2;
	}
	lsl_set_config_filename(argv[2]);
	std::string mode = argv[1];
	try {
		if (mode == "outlet" && argc == 7)
			return outlet(argv[3], std::atoi(argv[4]), std::atoi(argv[5]), std::atof(argv[6]));
		if (mode == "inlet" && argc == 6) return inlet(argv[3], std::atof(argv[4]), std::atof(argv[5]));
	} catch (std::exception &e) {
		std::fprintf(stderr, "%s\n", e.what());
		return 1;
	}
	std::fprintf(stderr, "bad arguments\n");
	return 2;
}
