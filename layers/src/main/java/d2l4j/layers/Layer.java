package d2l4j.layers;

import d2l4j.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A building block of a network (PyTorch's nn.Module; renamed, since Module clashes with java.lang.Module).
 * A layer registers its parameters and sub-layers explicitly under names, so that
 * {@link #namedParameters()} gives the same dotted names as PyTorch's state_dict ({@code features.0.weight}).
 */
public abstract class Layer {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private String path = "";
    private boolean training = true;

    /** The computation; {@code x}'s shape is checked against what the layer was built for. */
    public abstract Variable forward(Variable x);

    protected final Parameter registerParameter(String name, Parameter p) {
        params.put(name, p);
        return p;
    }

    protected final <L extends Layer> L registerLayer(String name, L layer) {
        children.put(name, layer);
        ((Layer) layer).setPath(path.isEmpty() ? name : path + "." + name);
        return layer;
    }

    private void setPath(String p) {
        path = p;
        for (var e : children.entrySet()) e.getValue().setPath(p.isEmpty() ? e.getKey() : p + "." + e.getKey());
    }

    /** Where this layer sits in its network, e.g. {@code features.3}; empty for the root. */
    public final String path() {
        return path;
    }

    /** For error messages: {@code Conv2d(features.3)}. */
    public final String label() {
        return getClass().getSimpleName() + (path.isEmpty() ? "" : "(" + path + ")");
    }

    /** Own parameters first, then each sub-layer's, in registration order: PyTorch's state_dict order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public final Map<String, Layer> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every layer below and including this one, depth first. */
    public final List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        out.add(this);
        for (Layer c : children.values()) out.addAll(c.layers());
        return out;
    }

    public final long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) n += p.data().numel();
        return n;
    }

    /** Training mode (the default): dropout active. */
    public final Layer train() {
        for (Layer l : layers()) l.training = true;
        return this;
    }

    /** Evaluation mode: dropout is the identity. */
    public final Layer eval() {
        for (Layer l : layers()) l.training = false;
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Moves every parameter to the current backend's device (a no-op on the CPU), as PyTorch's net.to(device). */
    public final Layer toDevice() {
        var backend = d2l4j.tensor.Backends.current();
        for (Parameter p : namedParameters().values()) p.setData(backend.toDevice(p.data()));
        return this;
    }

    public final void zeroGrad() {
        for (Parameter p : namedParameters().values()) p.zeroGrad();
    }

    /** Throws the layer's standard message when the input shape is not what it expects. */
    protected final void expect(boolean ok, String expected, Variable x) {
        if (!ok) throw new IllegalArgumentException(label() + ": expected " + expected + ", got " + x.data().shapeString());
    }
}
