package d2l4j.tensor;

/** Reductions along one dimension (or all of them). SUM and MEAN accumulate in double. */
public enum ReduceOp {
    SUM, MEAN, MAX, ARGMAX
}
