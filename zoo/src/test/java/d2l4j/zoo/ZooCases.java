package d2l4j.zoo;

import d2l4j.layers.Layer;
import d2l4j.tensor.io.SafeTensors;

/** The nets with the shared formula weights of a PyTorch case file, for tests in other packages of the zoo. */
public final class ZooCases {
    private ZooCases() {}

    /** LeNet: parameter i = HashFill.uniform(1000 + i, numel, bound_i) (see LeNetReferenceTest). */
    public static Layer formulaLeNet(SafeTensors f) {
        return LeNetReferenceTest.formulaLeNet(f);
    }

    /** Element-wise agreement within {@code rel} of the largest expected magnitude (see ZooReferenceTest). */
    public static void close(String what, float[] expected, float[] actual, double rel) {
        ZooReferenceTest.close(what, expected, actual, rel);
    }

    /** AlexNet, VGG, NiN, GoogLeNet: parameter i = HashFill.uniform(2000 + i, numel, bound_i), eval mode (see ZooReferenceTest). */
    public static Layer formulaNet(String name, SafeTensors f) {
        return ZooReferenceTest.formulaNet(name, f);
    }
}
