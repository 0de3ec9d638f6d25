package io.mindstream.formats.fif;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a file's measurement info block ({@code FIFFB_MEAS_INFO}) into a {@link FifInfo}, as MNE's read_meas_info. */
final class FifInfoReader {

    /** fiffChInfoRec: 3 ints, 2 floats, 1 int, 12 floats, 2 ints, 16 name bytes. */
    static final int CH_INFO_BYTES = 96;
    /** MNE's "no measurement date": seconds 0, microseconds 2^31 − 1. */
    private static final int DATE_NONE_USECS = Integer.MAX_VALUE;

    private FifInfoReader() {
    }

    static FifNode measurement(FifFile f) throws FifFormatException {
        List<FifNode> meas = f.root().find(FifConstants.BLOCK_MEAS);
        if (meas.isEmpty()) {
            throw f.error(0, null, "no measurement block (FIFFB_MEAS): not a raw FIF file");
        }
        return meas.get(0);
    }

    static FifInfo read(FifFile f, FifNode meas) throws IOException {
        List<FifNode> infos = meas.find(FifConstants.BLOCK_MEAS_INFO);
        if (infos.isEmpty()) {
            throw f.error(meas.position(), null, "measurement block without measurement info (FIFFB_MEAS_INFO)");
        }
        FifNode node = infos.get(0);
        Integer nchan = null;
        Double sfreq = null;
        double highpass = Double.NaN;
        double lowpass = Double.NaN;
        Double lineFreq = null;
        Instant measDate = null;
        String description = "";
        String experimenter = "";
        List<FifChannel> chs = new ArrayList<>();
        for (FifTag t : node.tags()) {
            switch (t.kind()) {
                case FifConstants.NCHAN -> nchan = f.readInt(t);
                case FifConstants.SFREQ -> sfreq = f.readReal(t);
                case FifConstants.CH_INFO -> chs.add(channel(f, t));
                case FifConstants.LOWPASS -> lowpass = f.readReal(t);
                case FifConstants.HIGHPASS -> highpass = f.readReal(t);
                case FifConstants.LINE_FREQ -> {
                    double v = f.readReal(t);
                    lineFreq = Double.isNaN(v) ? null : v;
                }
                case FifConstants.MEAS_DATE -> {
                    int[] d = f.readInts(t);
                    if (d.length == 0) {
                        throw f.error(t.position(), t, "empty measurement date");
                    }
                    int usecs = d.length > 1 ? d[1] : 0;
                    measDate = usecs == DATE_NONE_USECS && d[0] == 0 ? null
                            : Instant.ofEpochSecond(Integer.toUnsignedLong(d[0]), usecs * 1000L);
                }
                case FifConstants.COMMENT -> description = f.readString(t);
                case FifConstants.EXPERIMENTER -> experimenter = f.readString(t);
                default -> {
                }
            }
        }
        if (nchan == null) {
            throw f.error(node.position(), null, "measurement info without a channel count (FIFF_NCHAN)");
        }
        if (sfreq == null || !(sfreq > 0)) {
            throw f.error(node.position(), null, "measurement info without a valid sampling rate (FIFF_SFREQ: "
                    + sfreq + ")");
        }
        if (chs.size() != nchan) {
            throw f.error(node.position(), null, "measurement info says " + nchan + " channels but describes "
                    + chs.size());
        }
        List<FifNode> extended = node.children().stream().filter(c -> c.blockKind() == FifConstants.BLOCK_CH_INFO)
                .toList();
        if (!extended.isEmpty()) {
            // MNE ≥ 0.24 keeps names longer than the record's 15 characters in one FIFFB_CH_INFO block per channel
            if (extended.size() != chs.size()) {
                throw f.error(extended.get(0).position(), null, extended.size()
                        + " extended channel blocks for " + chs.size() + " channels");
            }
            for (int i = 0; i < chs.size(); i++) {
                Optional<FifTag> name = extended.get(i).tag(FifConstants.CH_DACQ_NAME);
                if (name.isPresent()) {
                    FifChannel c = chs.get(i);
                    chs.set(i, new FifChannel(f.readString(name.get()), c.scanNo(), c.logNo(), c.kind(), c.range(),
                            c.cal(), c.coilType(), c.loc(), c.unit(), c.unitMul()));
                }
            }
        }
        if (Double.isNaN(lowpass)) {
            lowpass = sfreq / 2;
        }
        if (Double.isNaN(highpass)) {
            highpass = 0;
        }
        List<String> bads = new ArrayList<>();
        for (FifNode b : node.find(FifConstants.BLOCK_MNE_BAD_CHANNELS)) {
            Optional<FifTag> list = b.tag(FifConstants.MNE_CH_NAME_LIST);
            if (list.isPresent()) {
                bads.addAll(nameList(f.readString(list.get())));
            }
        }
        return new FifInfo(List.copyOf(chs), sfreq, Optional.ofNullable(measDate), highpass, lowpass,
                Optional.ofNullable(lineFreq), description, experimenter, List.copyOf(bads), projectors(f, node));
    }

    static List<String> nameList(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(":", -1));
    }

    private static FifChannel channel(FifFile f, FifTag t) throws IOException {
        if (t.type() != FifConstants.T_CH_INFO_STRUCT || t.size() < CH_INFO_BYTES) {
            throw f.error(t.position(), t, "channel info of type " + t.type() + " and " + t.size()
                    + " bytes; expected a " + CH_INFO_BYTES + "-byte channel info struct");
        }
        ByteBuffer b = f.data(t);
        int scanNo = b.getInt();
        int logNo = b.getInt();
        int kind = b.getInt();
        float range = b.getFloat();
        float cal = b.getFloat();
        int coil = b.getInt();
        float[] loc = new float[12];
        for (int i = 0; i < 12; i++) {
            loc[i] = b.getFloat();
        }
        int unit = b.getInt();
        int unitMul = b.getInt();
        byte[] name = new byte[16];
        b.get(name);
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return new FifChannel(new String(name, 0, len, StandardCharsets.ISO_8859_1), scanNo, logNo, kind, range,
                cal, coil, loc, unit, unitMul);
    }

    private static List<FifProjector> projectors(FifFile f, FifNode info) throws IOException {
        List<FifProjector> out = new ArrayList<>();
        for (FifNode proj : info.find(FifConstants.BLOCK_PROJ)) {
            for (FifNode item : proj.find(FifConstants.BLOCK_PROJ_ITEM)) {
                String desc = "";
                int kind = 0;
                boolean active = false;
                List<String> names = List.of();
                float[][] vectors = null;
                for (FifTag t : item.tags()) {
                    switch (t.kind()) {
                        case FifConstants.NAME, FifConstants.COMMENT -> desc = f.readString(t);
                        case FifConstants.PROJ_ITEM_KIND -> kind = f.readInt(t);
                        case FifConstants.MNE_PROJ_ITEM_ACTIVE -> active = f.readInt(t) != 0;
                        case FifConstants.PROJ_ITEM_CH_NAME_LIST -> names = nameList(f.readString(t));
                        case FifConstants.PROJ_ITEM_VECTORS -> vectors = f.readFloatMatrix(t);
                        default -> {
                        }
                    }
                }
                if (vectors == null) {
                    throw f.error(item.position(), null, "projector '" + desc + "' without vectors");
                }
                for (float[] row : vectors) {
                    if (row.length != names.size()) {
                        throw f.error(item.position(), null, "projector '" + desc + "' has " + row.length
                                + " columns for " + names.size() + " channel names");
                    }
                }
                out.add(new FifProjector(desc, kind, active, names, vectors));
            }
        }
        return List.copyOf(out);
    }
}
