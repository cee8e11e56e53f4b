// d2l4j's JShell start-up: the imports and the few helpers the chapter's code needs, so that a reader types
// the book's cells one by one (./d2l4j jshell loads this; ./d2l4j jshell examples/lenet.jsh runs a section).
import d2l4j.tensor.*;
import d2l4j.autograd.*;
import d2l4j.layers.*;
import d2l4j.zoo.*;
import d2l4j.zoo.data.*;
import d2l4j.zoo.explain.*;
import java.util.*;

/** torch.rand(size=shape): uniform floats in [0, 1), from a fixed seed so that every run prints the same. */
Tensor rand(int... shape) {
    var rng = new java.util.SplittableRandom(0);
    float[] v = new float[Shape.numel(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextDouble();
    return Backends.current().toDevice(Tensor.of(v, shape));
}

/** The book's shape loop: for layer in net: X = layer(X); print(layer.__class__.__name__, 'output shape:\t', X.shape). */
Variable printShapes(Sequential net, Variable X) {
    for (Layer layer : net.steps()) {
        X = layer.forward(X);
        System.out.println(layer.getClass().getSimpleName() + " output shape:\t " + Shape.str(X.shape()));
    }
    return X;
}

/**
 * d2l.load_data_fashion_mnist(batch_size, resize): the training and test iterators, here over the first
 * `limit` and `testLimit` images (the book uses all 60000 and 10000; a quick run uses fewer).
 */
DataLoader[] loadDataFashionMnist(int batchSize, int resize, int limit, int testLimit) {
    var folder = DataFolder.resolve(null);
    var train = new DataLoader(FashionMnist.load(folder, true), batchSize, true, 0, limit).resized(resize);
    var test = new DataLoader(FashionMnist.load(folder, false), batchSize, false, 0, testLimit).resized(resize);
    return new DataLoader[] {train, test};
}

/** d2l.train_ch6(net, train_iter, test_iter, num_epochs, lr): Xavier initialization as train_ch6 does, then SGD. */
Training.Result trainCh6(Layer net, DataLoader[] data, int epochs, float lr) {
    Init.d2l(net, 0);
    return Training.train(net, data[0], data[1], epochs, lr, System.out);
}
