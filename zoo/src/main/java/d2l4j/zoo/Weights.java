package d2l4j.zoo;

import d2l4j.layers.Layer;
import d2l4j.layers.StateDict;
import d2l4j.tensor.io.SafeTensors;
import d2l4j.tensor.io.SafeTensorsException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Loading a zoo net's weights from a safetensors file, with the one renaming the chapter's readers need: d2l's
 * Chinese edition (zh.d2l.ai, the notes this project started from) begins LeNet with a {@code Reshape} module,
 * so its state_dict is {@code 1.weight, 1.bias, 4.weight, ..., 12.bias} where ours (and the English edition's) is
 * {@code 0.weight, ..., 11.bias}: the same tensors, every index shifted by one. Such a file is mapped, and
 * {@code note} told so in one line; any other mismatch is StateDict's error, unchanged.
 */
public final class Weights {
    private Weights() {}

    /** Loads {@code file} into {@code net} (the zoo's {@code recipe}); returns the file as read. */
    public static SafeTensors load(Recipe recipe, Layer net, Path file, Consumer<String> note) {
        try {
            return StateDict.load(net, file);
        } catch (SafeTensorsException mismatch) {
            if (!recipe.name().equals("lenet") || !mismatch.getMessage().contains("does not fit")) throw mismatch;
            Map<String, int[]> shifted = new LinkedHashMap<>();
            Map<String, String> back = new LinkedHashMap<>();
            for (var e : net.namedParameters().entrySet()) {
                int dot = e.getKey().indexOf('.');
                String zh = (Integer.parseInt(e.getKey().substring(0, dot)) + 1) + e.getKey().substring(dot);
                shifted.put(zh, e.getValue().data().shape());
                back.put(zh, e.getKey());
            }
            SafeTensors st;
            try {
                st = SafeTensors.read(file, shifted);
            } catch (SafeTensorsException notZh) {
                throw mismatch; // not the Chinese edition's names either: the first, plain error
            }
            StateDict.load(net, st.renamed(back));
            note.accept("d2l4j: " + d2l4j.tensor.io.Json.printable(file.toString()) + " has d2l's Chinese-edition LeNet names "
                    + "(a Reshape at index 0: 1.weight ... 12.bias); mapped to 0.weight ... 11.bias");
            return st;
        }
    }
}
