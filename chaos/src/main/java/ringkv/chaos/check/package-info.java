/**
 * Per-key linearizability checking of a register with compare-and-set ({@link
 * ringkv.chaos.check.LinearizabilityChecker}), with minimal counterexamples. How it works and its
 * limits: docs/chaos.md ("Histories and the checker").
 */
@NullMarked
package ringkv.chaos.check;

import org.jspecify.annotations.NullMarked;
