package d2l4j.kernels;

import d2l4j.kernels.simd.Machine;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the forced-variant runs of this module's tests (pom.xml: executions simd-avx512, simd-avx2, simd-neon): a
 * variant wider than this CPU's vectors is emulated by the Vector API, correct but some hundred times slower, too
 * slow for the whole twin suite; its tests are then skipped, saying so. (The LeNet cross-machine hash test in zoo
 * runs every variant, emulated or not.) Registered through JUnit's extension auto-detection, which only those
 * executions turn on.
 */
public final class NativeVariantsOnly implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (System.getProperty(Machine.PROPERTY) == null || !Machine.emulated()) {
            return ConditionEvaluationResult.enabled("variant " + Machine.isa() + " runs natively");
        }
        return ConditionEvaluationResult.disabled("-D" + Machine.PROPERTY + "=" + System.getProperty(Machine.PROPERTY) + ": "
                + Machine.describe() + "; the twin tests run natively in the other variants");
    }
}
