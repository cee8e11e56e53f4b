/** Reverse-mode automatic differentiation over d2l4j tensors. */
module d2l4j.autograd {
    requires transitive d2l4j.tensor;

    exports d2l4j.autograd;
    exports d2l4j.autograd.ops;
}
