package d2l4j.zoo;

import d2l4j.layers.Layer;
import d2l4j.layers.Parameter;
import d2l4j.layers.StateDict;
import d2l4j.tensor.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's state after each complete epoch, in one file {@code DIR/checkpoint.safetensors}: the
 * weights under state_dict names (so the file also loads as plain weights: {@code predict --weights}), and
 * in {@code __metadata__} the run's settings and the epochs done with their metrics.
 *
 * <p>What else a bit-identical resume needs is a function of what is saved: plain SGD has no state; the
 * data order of epoch e is drawn from (seed, e) ({@code DataLoader}); dropout masks restart at
 * (layer seed, e) each epoch ({@code Dropout.startEpoch}); the thread count fixes the kernels' splits.
 *
 * <p>Atomic: the file is written to a temp file in DIR, forced to disk, and renamed over the old one
 * ({@code SafeTensors.write}), so killing the process at any moment leaves the last complete checkpoint.
 * Weights that are not all finite are never saved: training stops with the last good checkpoint kept.
 */
public final class Checkpoint {
    public static final String FILE = "checkpoint.safetensors";
    /** The run's initial weights, beside the checkpoint. */
    public static final String INITIAL = "initial.safetensors";
    /** Settings that must match for a resume to continue the same run. */
    static final List<String> RUN_KEYS = List.of("net", "seed", "lr", "batch_size", "limit", "size");
    /**
     * Settings that change the bits (threads, kernels, device) or what is reported (test_limit, data) but not the
     * training itself: a mismatch is reported, not refused (a checkpoint written before a key existed: not reported).
     */
    static final List<String> BITS_KEYS = List.of("threads", "kernels", "device", "test_limit", "data");

    private final Path dir;
    private final Map<String, String> run;

    /** What a checkpoint holds besides the weights. */
    public record State(int epochsDone, List<Training.EpochStats> history) {}

    /** A checkpoint folder for a run described by {@code run} (keys {@link #RUN_KEYS} and {@link #BITS_KEYS}). */
    public Checkpoint(Path dir, Map<String, String> run) {
        this.dir = dir;
        this.run = new LinkedHashMap<>(run);
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    public boolean exists() {
        return Files.isRegularFile(file());
    }

    /** Saves the weights and the epochs done (all complete), atomically; refuses non-finite weights. */
    public void save(Layer net, List<Training.EpochStats> history) {
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            for (float v : e.getValue().data().toArray()) {
                if (!Float.isFinite(v)) {
                    throw new ArithmeticException("training diverged: parameter " + e.getKey() + " holds " + v
                            + " after epoch " + history.size() + "; not saved, " + file() + " keeps "
                            + (exists() ? "the last good epoch" : "nothing"));
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(run);
        meta.put("format", "d2l4j checkpoint 1");
        meta.put("epochs_done", Integer.toString(history.size()));
        StringBuilder h = new StringBuilder();
        for (Training.EpochStats s : history) {
            if (!h.isEmpty()) h.append(';');
            h.append(s.epoch()).append(',').append(s.trainLoss()).append(',').append(s.trainAcc()).append(',')
                    .append(s.testAcc()).append(',').append(s.examplesPerSec());
        }
        meta.put("history", h.toString());
        meta.put("history_format", "epoch,train loss,train acc,test acc,examples/sec; one group per epoch");
        StringBuilder n = new StringBuilder();
        for (Training.EpochStats s : history) {
            if (!n.isEmpty()) n.append(';');
            StringBuilder g = new StringBuilder();
            for (var e : s.norms().entrySet()) {
                if (!g.isEmpty()) g.append(',');
                g.append(e.getKey()).append('=').append(e.getValue()[0]).append('/').append(e.getValue()[1]);
            }
            n.append(g);
        }
        meta.put("norms", n.toString());
        meta.put("norms_format", "per epoch (groups separated by ';'): name=weight L2 norm after the epoch/gradient "
                + "L2 norm in its last step, for each parameter in state_dict order");
        StateDict.save(net, file(), meta);
    }

    /**
     * Loads the weights into {@code net} and returns the epochs done. Settings that differ from this run's
     * throw IllegalArgumentException (a different run); a different thread count or kernel set is reported
     * on {@code warn}, since the result then is not bit-identical to an uninterrupted run.
     */
    public State resume(Layer net, java.io.PrintStream warn) {
        SafeTensors st = SafeTensors.read(file());
        if (!st.metadata().containsKey("format") || !st.metadata().containsKey("epochs_done")) {
            throw new IllegalArgumentException(file() + " holds weights but no training run (no run settings in its "
                    + "metadata: not written by train --checkpoint): use it with predict or show, or start a new --checkpoint folder");
        }
        for (String key : RUN_KEYS) {
            String saved = st.metadata().get(key);
            if (!run.get(key).equals(saved)) {
                throw new IllegalArgumentException(file() + " is a checkpoint of another run: " + key + " is "
                        + (saved == null ? "missing" : d2l4j.tensor.io.Json.printable(saved)) + " there, " + run.get(key) + " here (resume with the same settings, or use another folder)");
            }
        }
        for (String key : BITS_KEYS) {
            String saved = st.metadata().get(key);
            if (saved != null && run.containsKey(key) && !run.get(key).equals(saved)) {
                boolean reporting = key.equals("test_limit") || key.equals("data");
                warn.println("d2l4j: note: " + key + " was " + d2l4j.tensor.io.Json.printable(saved) + " when " + file()
                        + " was saved, " + run.get(key) + " now: " + (reporting
                        ? "the test accuracies before and after the resume are not measured on the same images"
                        : "the result will not be bit-identical to an uninterrupted run"));
            }
        }
        StateDict.load(net, st);
        return new State(st.metaInt("epochs_done"), history(st, file()));
    }

    /**
     * The epochs recorded in a checkpoint's metadata (its 'history' and 'norms'), checked against its
     * 'epochs_done'; the norms are empty for a checkpoint written before they were recorded.
     */
    public static List<Training.EpochStats> history(SafeTensors st, Path file) {
        List<Training.EpochStats> history = new ArrayList<>();
        String h = st.meta("history");
        if (!h.isEmpty()) {
            for (String group : h.split(";")) {
                String[] f = group.split(",");
                try {
                    history.add(new Training.EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
                            Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ": metadata 'history' is malformed at "
                            + d2l4j.tensor.io.Json.quote(group));
                }
            }
        }
        if (history.size() != st.metaInt("epochs_done")) {
            throw new IllegalArgumentException(file + ": epochs_done " + st.metaInt("epochs_done") + " but "
                    + history.size() + " epochs in 'history'");
        }
        String n = st.metadata().getOrDefault("norms", "");
        if (n.isEmpty()) return history;
        String[] groups = n.split(";", -1);
        if (groups.length != history.size()) {
            throw new IllegalArgumentException(file + ": " + groups.length + " epochs in 'norms' but " + history.size()
                    + " in 'history'");
        }
        for (int i = 0; i < groups.length; i++) {
            Map<String, double[]> norms = new LinkedHashMap<>();
            for (String item : groups[i].isEmpty() ? new String[0] : groups[i].split(",")) {
                int eq = item.lastIndexOf('='), slash = item.lastIndexOf('/');
                try {
                    norms.put(item.substring(0, eq), new double[] {Double.parseDouble(item.substring(eq + 1, slash)),
                            Double.parseDouble(item.substring(slash + 1))});
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ": metadata 'norms' is malformed at "
                            + d2l4j.tensor.io.Json.quote(item));
                }
            }
            Training.EpochStats e = history.get(i);
            history.set(i, new Training.EpochStats(e.epoch(), e.trainLoss(), e.trainAcc(), e.testAcc(), e.examplesPerSec(), norms));
        }
        return history;
    }

    /** The file beside the checkpoint holding the weights the run started from (written once, at its start). */
    public Path initialFile() {
        return dir.resolve(INITIAL);
    }

    /** Saves the net's weights before training, for the report's before-and-after filters (atomically, as save). */
    public void saveInitial(Layer net) {
        Map<String, String> meta = new LinkedHashMap<>(run);
        meta.put("format", "d2l4j initial weights 1");
        StateDict.save(net, initialFile(), meta);
    }

    /** Creates the folder and writes and removes a probe file: an unwritable folder is found at start-up. */
    public void probeWritable() {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, FILE + ".probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException("--checkpoint " + d2l4j.tensor.io.Json.quote(dir.toString())
                    + ": cannot write there (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** Removes temp files a killed writer left in the folder (never the checkpoint itself). */
    public void removeStaleTempFiles() {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, FILE + "*.tmp")) {
            for (Path p : s) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }
}
