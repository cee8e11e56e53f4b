package d2l4j.opencl;

import static org.jocl.CL.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.testkit.HashFill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GEMM tile tuner: it picks one of the candidates this device can run, and every candidate computes
 * the same products as a plain double-precision loop on awkward shapes (1, 7, 63, 65, 1000 in each
 * dimension, every transpose), so the tuner's choice can only change speed.
 */
class TunerTest {
    static final int[] SIZES = {1, 7, 63, 65, 1000};

    @Test
    void theTunerChoosesOneOfItsCandidates() {
        ClContext cl = Device.context();
        List<TileConfig> candidates = ClTuner.candidates(cl);
        assertFalse(candidates.isEmpty());
        assertTrue(candidates.contains(cl.tile), cl.tile + " not among " + candidates);
        for (TileConfig c : candidates) assertTrue(ClTuner.time(cl, c, DiskCache.standard(), 64) > 0);
    }

    @Test
    void everyCandidateAgreesWithTheReferenceOnAwkwardShapes() {
        ClContext base = Device.context();
        for (TileConfig c : ClTuner.candidates(base)) {
            ClContext cl = new ClContext(base, new ClProgram(base, c, DiskCache.standard(), "gemm.cl").kernels, c);
            int checked = 0;
            for (int m : SIZES) for (int n : SIZES) for (int k : SIZES) {
                if ((m == 1000 ? 1 : 0) + (n == 1000 ? 1 : 0) + (k == 1000 ? 1 : 0) > 1) continue; // keep PoCL quick
                for (int t = 0; t < 4; t++) {
                    check(cl, c, t >= 2, (t & 1) == 1, m, n, k);
                    checked++;
                }
            }
            assertEquals(4 * (125 - 13), checked);
        }
    }

    /** C = op(A)·op(B) + 0.5·C on the device against a double loop, within float rounding of K terms. */
    private static void check(ClContext cl, TileConfig c, boolean ta, boolean tb, int m, int n, int k) {
        int lda = ta ? m : k, ldb = tb ? k : n;
        float[] a = HashFill.uniform(m * 31 + k, m * k, 1f), b = HashFill.uniform(n * 17 + k, k * n, 1f);
        float[] c0 = HashFill.uniform(m + n, m * n, 1f);
        cl_mem am = buffer(cl, a), bm = buffer(cl, b), cm = buffer(cl, c0);
        float[] got = new float[m * n];
        try {
            OpenClBackend.gemm(cl, ta, tb, m, n, k, am, 0, lda, bm, 0, ldb, 0.5f, cm, 0, n);
            clEnqueueReadBuffer(cl.queue, cm, CL_TRUE, 0, (long) got.length * Sizeof.cl_float, Pointer.to(got), 0, null, null);
        } finally {
            clReleaseMemObject(am);
            clReleaseMemObject(bm);
            clReleaseMemObject(cm);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.5 * c0[i * n + j];
                for (int p = 0; p < k; p++) s += (double) a[ta ? p * lda + i : i * lda + p] * b[tb ? j * ldb + p : p * ldb + j];
                double tol = 1e-6 * (k + 1) * 4;
                if (Math.abs(s - got[i * n + j]) > tol) {
                    throw new AssertionError(c.name() + (ta ? " T" : " N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k
                            + ": C[" + i + "][" + j + "] = " + got[i * n + j] + ", expected " + s);
                }
            }
        }
    }

    private static cl_mem buffer(ClContext cl, float[] v) {
        return clCreateBuffer(cl.context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, Math.max(1, v.length) * (long) Sizeof.cl_float,
                v.length == 0 ? null : Pointer.to(v), null);
    }

    @Test
    void programBinariesAreCachedAndADamagedEntryIsRebuilt(@TempDir Path dir) throws Exception {
        ClContext cl = Device.context();
        DiskCache cache = new DiskCache(dir);
        TileConfig c = ClTuner.candidates(cl).get(0);
        assertFalse(new ClProgram(cl, c, cache, "gemm.cl").fromCache, "an empty cache");
        assertTrue(new ClProgram(cl, c, cache, "gemm.cl").fromCache, "the binary written by the first build");
        List<Path> entries = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(entries::add);
        }
        assertEquals(1, entries.size(), entries.toString());
        Files.write(entries.get(0), new byte[] {1, 2, 3, 4, 5}); // damaged
        ClProgram rebuilt = new ClProgram(cl, c, cache, "gemm.cl");
        assertFalse(rebuilt.fromCache, "a damaged binary is not used");
        assertTrue(rebuilt.kernels.containsKey("gemm_nn"));
        assertTrue(new ClProgram(cl, c, cache, "gemm.cl").fromCache, "and is replaced by a good one");
    }
}
