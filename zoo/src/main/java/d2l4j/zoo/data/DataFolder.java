package d2l4j.zoo.data;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds the folder that holds the four Fashion-MNIST files. Candidates, first that has all four
 * files wins:
 * <ol>
 *   <li>the {@code --data} path given on the command line;</li>
 *   <li>the environment variable {@code D2L4J_DATA};</li>
 *   <li>the cache {@code ~/.cache/d2l4j/fashion-mnist};</li>
 *   <li>the system folders, by default {@code /usr/share/datasets/fashion-mnist} (Debian's
 *       {@code dataset-fashion-mnist});</li>
 *   <li>otherwise the missing files are downloaded into the cache from the official location
 *       (or {@code D2L4J_DATA_URL}) and checked against their MD5.</li>
 * </ol>
 * A folder only counts when all four files exist; their contents are checked later, by
 * {@link FashionMnist#load}. One line on the log says which folder is used and why.
 */
public final class DataFolder {

    public static final String ENV_DATA = "D2L4J_DATA";
    public static final String ENV_URL = "D2L4J_DATA_URL";
    public static final String OFFICIAL_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    public static final Path SYSTEM_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String APT_HINT = "apt-get install dataset-fashion-mnist";

    /** MD5 of the official gzip files (https://github.com/zalandoresearch/fashion-mnist#get-the-data). */
    public static final Map<String, String> OFFICIAL_MD5 = officialMd5();

    private final Function<String, String> env;
    private final Path cache;
    private final List<Path> systemFolders;
    private final String defaultUrl;
    private final Map<String, String> md5;
    private final PrintStream log;

    /**
     * @param env           environment lookup (System::getenv); returns null for unset variables
     * @param home          the user's home folder; the cache is {@code home/.cache/d2l4j/fashion-mnist}
     * @param systemFolders read-only folders where a package may have installed the files
     * @param baseUrl       where to download from unless {@code D2L4J_DATA_URL} says otherwise
     * @param md5           expected MD5 of each of the four files, by file name
     * @param log           where the one-line decision and download progress go
     */
    public DataFolder(Function<String, String> env, Path home, List<Path> systemFolders, String baseUrl,
                      Map<String, String> md5, PrintStream log) {
        this.env = env;
        this.cache = home.resolve(".cache").resolve("d2l4j").resolve("fashion-mnist");
        this.systemFolders = List.copyOf(systemFolders);
        this.defaultUrl = baseUrl;
        this.md5 = Map.copyOf(md5);
        this.log = log;
        for (String f : FashionMnist.FILE_NAMES) {
            if (!md5.containsKey(f)) throw new IllegalArgumentException("DataFolder: no MD5 given for " + f);
        }
    }

    /** As the full constructor, with the official MD5s and logging to System.err. */
    public DataFolder(Function<String, String> env, Path home, List<Path> systemFolders, String baseUrl) {
        this(env, home, systemFolders, baseUrl, OFFICIAL_MD5, System.err);
    }

    /** Resolves with the real environment, home folder, {@link #SYSTEM_FOLDER} and official URL. */
    public static Path resolve(Path explicit) {
        return new DataFolder(System::getenv, Path.of(System.getProperty("user.home")),
                List.of(SYSTEM_FOLDER), OFFICIAL_URL).find(explicit);
    }

    /** The cache folder downloads go to. */
    public Path cache() {
        return cache;
    }

    /** The base URL downloads come from: {@code D2L4J_DATA_URL} if set, else the constructor's. */
    public String baseUrl() {
        String url = env.apply(ENV_URL);
        url = url == null || url.isBlank() ? defaultUrl : url.strip();
        return url.endsWith("/") ? url : url + "/";
    }

    /**
     * Returns the first candidate folder that holds all four files, downloading them into the
     * cache if none does.
     *
     * @param explicit the {@code --data} argument, or null when not given
     * @throws DataException listing every candidate and what was wrong with it, and how to fix it
     */
    public Path find(Path explicit) {
        List<String> tried = new ArrayList<>();

        if (explicit == null) {
            tried.add("--data: not given");
        } else if (usable(explicit, "--data " + explicit, tried)) {
            return use(explicit, "given with --data", tried);
        } else { // an explicit choice that cannot be honoured is an error, not a reason to use another folder
            throw new DataException(tried.get(tried.size() - 1).strip() + "; a folder given with --data is used or "
                    + "refused, never replaced by another: fix it, or leave --data out to search the usual places");
        }

        String fromEnv = env.apply(ENV_DATA);
        if (fromEnv == null || fromEnv.isBlank()) {
            tried.add(ENV_DATA + ": not set");
        } else {
            Path p = toPath(fromEnv.strip(), ENV_DATA + "=" + fromEnv, tried);
            if (p != null && usable(p, ENV_DATA + "=" + p, tried)) return use(p, "from " + ENV_DATA, tried);
        }

        if (usable(cache, "cache " + cache, tried)) return use(cache, "the download cache", tried);

        for (Path p : systemFolders) {
            if (usable(p, "system folder " + p, tried)) return use(p, "installed by a system package", tried);
        }

        String url = baseUrl();
        try {
            download(url, tried);
            return use(cache, "downloaded from " + url, List.of());
        } catch (DataException e) {
            tried.add("download from " + url + " into " + cache + ": " + e.getMessage());
        }
        throw new DataException(notFound(tried));
    }

    /** True if {@code dir} holds all four files; otherwise records why not under {@code label}. */
    private static boolean usable(Path dir, String label, List<String> tried) {
        if (!Files.isDirectory(dir)) {
            tried.add(label + ": " + (Files.exists(dir) ? "not a directory" : "does not exist"));
            return false;
        }
        List<String> missing = new ArrayList<>();
        for (String f : FashionMnist.FILE_NAMES) {
            if (!Files.isRegularFile(dir.resolve(f))) missing.add(f);
        }
        if (missing.isEmpty()) return true;
        tried.add(label + ": missing " + String.join(", ", missing));
        return false;
    }

    private static Path toPath(String s, String label, List<String> tried) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            tried.add(label + ": not a valid path (" + e.getMessage() + ")");
            return null;
        }
    }

    private Path use(Path dir, String why, List<String> skipped) {
        String line = "d2l4j: Fashion-MNIST from " + dir + " (" + why + ")";
        // Say what was skipped only when the user pointed somewhere that did not work.
        List<String> notes = skipped.stream()
                .filter(s -> s.startsWith("--data ") || s.startsWith(ENV_DATA + "="))
                .toList();
        if (!notes.isEmpty()) line += "; skipped " + String.join("; ", notes);
        log.println(line);
        return dir;
    }

    /** Downloads whichever of the four files the cache lacks (a file there was verified when it arrived). */
    private void download(String baseUrl, List<String> tried) {
        log.println("d2l4j: Fashion-MNIST not found locally (--data, " + ENV_DATA + ", cache, system folders);"
                + " downloading from " + baseUrl + " into " + cache);
        Downloader downloader = new Downloader(log);
        for (String f : FashionMnist.FILE_NAMES) {
            Path target = cache.resolve(f);
            if (Files.isRegularFile(target)) continue;
            URI uri;
            try {
                uri = URI.create(baseUrl + f);
            } catch (IllegalArgumentException e) {
                throw new DataException("bad URL " + baseUrl + f + ": " + e.getMessage(), e);
            }
            downloader.download(uri, target, md5.get(f));
        }
    }

    private static String notFound(List<String> tried) {
        StringBuilder sb = new StringBuilder("Fashion-MNIST not found. Tried, in order:\n");
        for (String t : tried) sb.append("  ").append(t).append('\n');
        sb.append("Fix: pass --data DIR or set ").append(ENV_DATA)
                .append(" to a folder holding ").append(String.join(", ", FashionMnist.FILE_NAMES))
                .append(", or install them with: ").append(APT_HINT);
        return sb.toString();
    }

    private static Map<String, String> officialMd5() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FashionMnist.TRAIN_IMAGES, "8d4fb7e6c68d591d4c3dfef9ec88bf0d");
        m.put(FashionMnist.TRAIN_LABELS, "25c81989df183df01b3e8a0aad5dffbe");
        m.put(FashionMnist.TEST_IMAGES, "bef4ecab320f06d8554ea6380940ec79");
        m.put(FashionMnist.TEST_LABELS, "bb300cfdad3c16e7a12a480ee83cd310");
        return Collections.unmodifiableMap(m);
    }
}
