package d2l4j.tensor;

/** Elementwise functions of two broadcast tensors. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX;

    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
        };
    }
}
