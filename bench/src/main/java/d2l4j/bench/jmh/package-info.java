/** The JMH suites over {@link d2l4j.bench.Cases} (bench/scripts/jmh.sh). */
package d2l4j.bench.jmh;
