/**
 * The d2l nets, Fashion-MNIST, the training loop, the inference API and the command line
 * ({@code java -p ... -m d2l4j.zoo/d2l4j.zoo.Main}). java.desktop for ImageIO and the plot, java.net.http
 * for the data download, jdk.httpserver for serve. The CPU backend is found through ServiceLoader; d2l4j.kernels is also read
 * directly, for the thread count and kernel choice of the command line.
 */
module d2l4j.zoo {
    requires transitive d2l4j.layers;
    requires transitive java.desktop;
    requires d2l4j.kernels;
    requires java.net.http;
    requires jdk.httpserver;

    exports d2l4j.zoo;
    exports d2l4j.zoo.data;
    exports d2l4j.zoo.infer;
    exports d2l4j.zoo.explain;
    exports d2l4j.zoo.serve;
}
