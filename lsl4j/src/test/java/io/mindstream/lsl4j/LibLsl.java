package io.mindstream.lsl4j;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** The subset of liblsl's C API (include/lsl/*.h) the interop tests use, bound with JNA from env {@code LIBLSL}. */
interface LibLsl extends Library {
    static LibLsl load(String path) {
        return Native.load(path, LibLsl.class);
    }

    int lsl_library_version();
    double lsl_local_clock();
    void lsl_destroy_string(Pointer s);
    void lsl_set_config_content(String content);

    Pointer lsl_create_streaminfo(String name, String type, int channelCount, double srate, int format, String sourceId);
    void lsl_destroy_streaminfo(Pointer info);
    Pointer lsl_get_desc(Pointer info);
    Pointer lsl_append_child(Pointer e, String name);
    Pointer lsl_append_child_value(Pointer e, String name, String value);
    Pointer lsl_get_xml(Pointer info);
    String lsl_get_uid(Pointer info);
    String lsl_get_name(Pointer info);

    Pointer lsl_create_outlet(Pointer info, int chunkSize, int maxBuffered);
    void lsl_destroy_outlet(Pointer out);
    int lsl_wait_for_consumers(Pointer out, double timeout);
    int lsl_push_sample_ftp(Pointer out, float[] data, double ts, int pushthrough);
    int lsl_push_sample_dtp(Pointer out, double[] data, double ts, int pushthrough);
    int lsl_push_sample_stp(Pointer out, short[] data, double ts, int pushthrough);
    int lsl_push_sample_strtp(Pointer out, String[] data, double ts, int pushthrough);
    int lsl_push_chunk_ftp(Pointer out, float[] data, NativeLong n, double ts, int pushthrough);
    int lsl_push_chunk_dtp(Pointer out, double[] data, NativeLong n, double ts, int pushthrough);
    int lsl_push_chunk_stp(Pointer out, short[] data, NativeLong n, double ts, int pushthrough);
    int lsl_push_chunk_strtp(Pointer out, String[] data, NativeLong n, double ts, int pushthrough);
    int lsl_push_chunk_ftnp(Pointer out, float[] data, NativeLong n, double[] ts, int pushthrough);

    int lsl_resolve_byprop(Pointer[] buffer, int bufferElements, String prop, String value, int minimum, double timeout);

    Pointer lsl_create_inlet(Pointer info, int maxBuflen, int maxChunklen, int recover);
    void lsl_destroy_inlet(Pointer in);
    Pointer lsl_get_fullinfo(Pointer in, double timeout, IntByReference ec);
    void lsl_open_stream(Pointer in, double timeout, IntByReference ec);
    double lsl_time_correction(Pointer in, double timeout, IntByReference ec);
    double lsl_pull_sample_f(Pointer in, float[] buf, int n, double timeout, IntByReference ec);
    double lsl_pull_sample_d(Pointer in, double[] buf, int n, double timeout, IntByReference ec);
    double lsl_pull_sample_s(Pointer in, short[] buf, int n, double timeout, IntByReference ec);
    double lsl_pull_sample_str(Pointer in, Pointer[] buf, int n, double timeout, IntByReference ec);
    NativeLong lsl_pull_chunk_f(Pointer in, float[] data, double[] ts, NativeLong dataElements, NativeLong tsElements,
                                double timeout, IntByReference ec);
}
