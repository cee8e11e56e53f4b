/**
 * Benchmarks: the workloads ({@link d2l4j.bench.Cases}), the side-by-side comparison with PyTorch that
 * bench/scripts/compare.py drives, the FMA peak, memory, and the device throughput the GPU script runs.
 */
package d2l4j.bench;
