package d2l4j.zoo;

import d2l4j.autograd.NoGrad;
import d2l4j.autograd.Variable;
import d2l4j.layers.FlopCounter;
import d2l4j.layers.Layer;
import d2l4j.layers.Sequential;
import d2l4j.tensor.Shape;
import d2l4j.tensor.Tensor;
import java.io.PrintStream;

/**
 * d2l's shape walk-through (e.g. d2l.ai 8.1.2: {@code for layer in net: X = layer(X); print(...)}): a
 * 1-image input passes through each top-level block; we print its class, output shape and parameter count,
 * then the totals and the forward FLOPs per image (multiply-adds of Conv2d and Linear counted as 2).
 */
final class Summary {
    private Summary() {}

    static void print(String name, Sequential net, int side, PrintStream out) {
        net.eval();
        Variable x = new Variable(Tensor.zeros(1, 1, side, side));
        out.printf("%s, input shape: %s%n", name, Shape.str(x.shape()));
        long flops = 0;
        try (var g = NoGrad.open()) {
            for (Layer layer : net.steps()) {
                Variable in = x;
                FlopCounter.Counted<Variable> c = FlopCounter.count(() -> layer.forward(in));
                x = c.result();
                flops += c.flops();
                out.printf("%-18s output shape:\t %-22s params %,d%n", layer.getClass().getSimpleName(),
                        Shape.str(x.shape()), layer.parameterCount());
            }
        }
        out.printf("total parameters: %,d%n", net.parameterCount());
        out.printf("forward FLOPs per image: %,d (%.3f GFLOP)%n", flops, flops / 1e9);
    }
}
