package d2l4j.autograd;

/**
 * A scope in which operations build no graph (evaluation, optimizer updates), as PyTorch's
 * {@code torch.no_grad()}: {@code try (var g = NoGrad.open()) { ... }}. Scopes nest; per thread.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    public static NoGrad open() {
        return new NoGrad();
    }

    public static boolean isGradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
