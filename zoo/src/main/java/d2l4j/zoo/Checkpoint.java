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
    /** Settings that must match for a resume to continue the same run. */
    static final List<String> RUN_KEYS = List.of("net", "seed", "lr", "batch_size", "limit", "size");
    /** Settings that change the bits but not the meaning: a mismatch is reported, not refused. */
    static final List<String> BITS_KEYS = List.of("threads", "kernels");

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
        StateDict.save(net, file(), meta);
    }

    /**
     * Loads the weights into {@code net} and returns the epochs done. Settings that differ from this run's
     * throw IllegalArgumentException (a different run); a different thread count or kernel set is reported
     * on {@code warn}, since the result then is not bit-identical to an uninterrupted run.
     */
    public State resume(Layer net, java.io.PrintStream warn) {
        SafeTensors st = SafeTensors.read(file());
        for (String key : RUN_KEYS) {
            String saved = st.metadata().get(key);
            if (!run.get(key).equals(saved)) {
                throw new IllegalArgumentException(file() + " is a checkpoint of another run: " + key + " is " + saved
                        + " there, " + run.get(key) + " here (resume with the same settings, or use another folder)");
            }
        }
        for (String key : BITS_KEYS) {
            String saved = st.metadata().get(key);
            if (!run.get(key).equals(saved)) {
                warn.println("d2l4j: note: " + key + " was " + saved + " when " + file() + " was saved, " + run.get(key)
                        + " now: the result will not be bit-identical to an uninterrupted run");
            }
        }
        StateDict.load(net, st);
        List<Training.EpochStats> history = new ArrayList<>();
        String h = st.meta("history");
        if (!h.isEmpty()) {
            for (String group : h.split(";")) {
                String[] f = group.split(",");
                try {
                    history.add(new Training.EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
                            Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file() + ": metadata 'history' is malformed at '" + group + "'");
                }
            }
        }
        if (history.size() != st.metaInt("epochs_done")) {
            throw new IllegalArgumentException(file() + ": epochs_done " + st.metaInt("epochs_done") + " but "
                    + history.size() + " epochs in 'history'");
        }
        return new State(history.size(), history);
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
