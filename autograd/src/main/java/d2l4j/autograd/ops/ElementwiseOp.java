package d2l4j.autograd.ops;

import d2l4j.autograd.Op;
import d2l4j.tensor.BinaryOp;
import d2l4j.tensor.Tensor;

/**
 * a ⊙ b with broadcasting, for ⊙ in {+, −, ×}. Backward: d(a+b) = (dy, dy), d(a−b) = (dy, −dy),
 * d(a·b) = (dy·b, dy·a), each summed back down to its input's shape (the adjoint of broadcasting).
 */
public final class ElementwiseOp extends Op {
    private final BinaryOp op;
    private Tensor a, b;

    public ElementwiseOp(BinaryOp op) {
        if (op != BinaryOp.ADD && op != BinaryOp.SUB && op != BinaryOp.MUL) {
            throw new IllegalArgumentException("no gradient defined here for " + op);
        }
        this.op = op;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        a = in[0];
        b = in[1];
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            default -> a.mul(b);
        };
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
        Tensor da = op == BinaryOp.MUL ? dy.mul(b) : dy;
        Tensor db = switch (op) {
            case ADD -> dy;
            case SUB -> dy.neg();
            default -> dy.mul(a);
        };
        return new Tensor[] {da.sumTo(a.shape()), db.sumTo(b.shape())};
    }
}
