/**
 * What the tests and benchmarks share, kept out of the engine's published API: the backends every agreement
 * test runs on ({@link d2l4j.testkit.TestBackends}), the {@link d2l4j.testkit.BackendContract} suite and its
 * double-precision {@link d2l4j.testkit.Oracle}, the PyTorch reference cases ({@link d2l4j.testkit.PyTorchCases})
 * and the hash fill shared with src/reference ({@link d2l4j.testkit.HashFill}).
 */
package d2l4j.testkit;
