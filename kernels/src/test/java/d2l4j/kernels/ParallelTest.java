package d2l4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Parallel: every part once, a static part-to-thread map, exceptions rethrown, nesting, chunkStart. */
class ParallelTest {
    @Test
    void chunkStartSplitsEvenly() {
        assertEquals(0, Parallel.chunkStart(10, 3, 0));
        assertEquals(3, Parallel.chunkStart(10, 3, 1));
        assertEquals(6, Parallel.chunkStart(10, 3, 2));
        assertEquals(10, Parallel.chunkStart(10, 3, 3));
    }

    @Test
    void runsEveryPartOnceOnAStaticallyChosenThread() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel par = Parallel.of(threads);
            assertSame(par, Parallel.of(threads));
            assertEquals(threads, par.threads());
            String[] first = null;
            for (int rep = 0; rep < 20; rep++) {
                AtomicIntegerArray count = new AtomicIntegerArray(7);
                String[] who = new String[7];
                par.run(7, i -> {
                    count.incrementAndGet(i);
                    who[i] = Thread.currentThread().getName();
                });
                for (int i = 0; i < 7; i++) assertEquals(1, count.get(i));
                if (first == null) first = who;
                else assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(who));
            }
            String caller = Thread.currentThread().getName();
            assertEquals(caller, first[0], "the caller takes the first chunk");
            if (threads > 1) assertEquals("d2l4j-worker-" + (threads - 1), first[6]);
        }
    }

    @Test
    void rethrowsTheFirstFailureAfterAllPartsFinish() {
        Parallel par = Parallel.of(3);
        AtomicIntegerArray ran = new AtomicIntegerArray(6);
        var e = assertThrows(IllegalStateException.class, () -> par.run(6, i -> {
            ran.incrementAndGet(i);
            if (i == 3 || i == 5) throw new IllegalStateException("part " + i);
        }));
        assertEquals("part 3", e.getMessage());
        for (int i = 0; i < 6; i++) assertEquals(1, ran.get(i));
        par.run(3, i -> { }); // still usable
    }

    @Test
    void nestedRunExecutesInline() {
        Parallel par = Parallel.of(2);
        AtomicIntegerArray count = new AtomicIntegerArray(4);
        par.run(2, outer -> par.run(2, inner -> count.incrementAndGet(outer * 2 + inner)));
        for (int i = 0; i < 4; i++) assertEquals(1, count.get(i));
    }

    @Test
    void bestIsTheVectorApiWhenTheModuleIsPresent() {
        // the test JVM runs with --add-modules jdk.incubator.vector (see the parent pom)
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertEquals("Vector API", CpuKernels.best().name());
        assertSame(CpuKernels.best(), CpuKernels.best());
        assertEquals("reference", CpuKernels.reference().name());
    }
}
