package d2l4j.bench;

import d2l4j.autograd.Variable;
import d2l4j.layers.CrossEntropyLoss;
import d2l4j.layers.Layer;
import d2l4j.tensor.Backend;
import d2l4j.tensor.Backends;
import d2l4j.tensor.Tensor;
import d2l4j.tensor.Window2d;
import d2l4j.testkit.HashFill;
import d2l4j.zoo.Recipe;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The distinct convolution, pooling and matrix-product shapes of the zoo's nets at d2l's batch sizes,
 * found by running one training step of each net at a probe batch of 3 on a {@link Backend} proxy that
 * records the calls, then putting the real batch back in. Each shape is a self-describing string that
 * the benchmarks and bench/scripts/compare.py parse:
 * <ul>
 *   <li>conv {@code N,C,H,W,K,R,S,stride,pad} (x N×C×H×W, weight K×C×R×S, square stride and padding);
 *   <li>pool {@code max|avg,N,C,H,W,R,stride,pad};
 *   <li>gemm {@code M,N,K,tA,tB} (op(A) M×K, op(B) K×N, t = 1 transposed), the Linear layers' products
 *       and the per-image products of the convolutions (M = K, N = P·Q, K = C·R·S).
 * </ul>
 * {@code java -cp ... d2l4j.bench.Shapes} prints them all as {@code kind net shape} lines. Commas may be
 * written as '_' (JMH splits its parameter lists at commas).
 */
public final class Shapes {
    private Shapes() {}

    private static final int PROBE = 3;
    private static final Map<String, Map<String, List<String>>> CACHE = new LinkedHashMap<>();

    /** Distinct shapes of {@code kind} (conv, pool, gemm) in net {@code net}, in order of first use. */
    public static synchronized List<String> of(String net, String kind) {
        return CACHE.computeIfAbsent(net, Shapes::record).getOrDefault(kind, List.of());
    }

    private static Map<String, List<String>> record(String name) {
        Recipe net = Recipe.of(name);
        Map<String, List<String>> found = new LinkedHashMap<>();
        Backend real = Backends.open("cpu", 1);
        int b = net.batchSize();
        Backend spy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "conv2d" -> {
                            int[] x = ((Tensor) args[0]).shape(), w = ((Tensor) args[1]).shape();
                            Window2d win = (Window2d) args[3];
                            add(found, "conv", join(b, x[1], x[2], x[3], w[0], w[2], w[3], win.strideH(), win.padH()));
                            int p = win.outH(x[2]), q = win.outW(x[3]);
                            add(found, "gemm", join(w[0], p * q, x[1] * w[2] * w[3], 0, 0));
                        }
                        case "maxPool2d", "avgPool2d" -> {
                            int[] x = ((Tensor) args[0]).shape();
                            Window2d win = (Window2d) args[1];
                            add(found, "pool", (m.getName().startsWith("max") ? "max," : "avg,")
                                    + join(b, x[1], x[2], x[3], win.kernelH(), win.strideH(), win.padH()));
                        }
                        case "matmul" -> {
                            Tensor a = (Tensor) args[0], bb = (Tensor) args[2];
                            boolean ta = (Boolean) args[1], tb = (Boolean) args[3];
                            add(found, "gemm", gemm(a.shape(), ta, bb.shape(), tb, b));
                        }
                        case "gemm" -> {
                            boolean ta = (Boolean) args[0], tb = (Boolean) args[1];
                            add(found, "gemm", gemm(((Tensor) args[2]).shape(), ta, ((Tensor) args[3]).shape(), tb, b));
                        }
                        default -> { }
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Backend old = Backends.use(spy);
        try {
            Layer layer = net.create(0);
            int[] shape = {PROBE, 1, net.imageSide(), net.imageSide()};
            Tensor x = Tensor.of(HashFill.unit(1, PROBE * net.imageSide() * net.imageSide()), shape);
            Variable loss = new CrossEntropyLoss().forward(layer.forward(new Variable(x)), new int[] {1, 2, 3});
            loss.backward();
        } finally {
            Backends.use(old);
        }
        return found;
    }

    // the probe batch in a Linear product's dimensions is the real batch
    private static String gemm(int[] a, boolean ta, int[] b, boolean tb, int batch) {
        int m = ta ? a[1] : a[0], k = ta ? a[0] : a[1], n = tb ? b[0] : b[1];
        return join(m == PROBE ? batch : m, n == PROBE ? batch : n, k == PROBE ? batch : k, ta ? 1 : 0, tb ? 1 : 0);
    }

    private static void add(Map<String, List<String>> found, String kind, String shape) {
        List<String> l = found.computeIfAbsent(kind, x -> new ArrayList<>());
        if (!l.contains(shape)) l.add(shape);
    }

    static String join(int... v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.toString();
    }

    public static int[] parse(String s) {
        String[] parts = s.split("[,_]"); // '_' where ',' would split a JMH parameter list
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) v[i] = Integer.parseInt(parts[i].trim());
        return v;
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        for (Recipe n : Recipe.ZOO) {
            for (String kind : List.of("conv", "pool", "gemm")) {
                for (String s : of(n.name(), kind)) System.out.println(kind + " " + n.name() + " " + s);
            }
        }
    }
}
