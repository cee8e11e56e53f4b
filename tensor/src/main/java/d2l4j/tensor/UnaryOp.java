package d2l4j.tensor;

/** Elementwise functions of one tensor; {@link #apply} is the scalar definition every backend must match. */
public enum UnaryOp {
    NEG, EXP, LOG, SIGMOID, RELU;

    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case RELU -> x > 0 ? x : 0f;
        };
    }
}
