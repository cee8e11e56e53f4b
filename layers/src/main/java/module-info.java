/** Layers, losses, SGD, initialization and state_dict files. */
module d2l4j.layers {
    requires transitive d2l4j.autograd;
    requires transitive d2l4j.tensor;

    exports d2l4j.layers;
}
