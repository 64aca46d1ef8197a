package ringkv.chaos.check;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Wing and Gong's linearizability search with Lowe's improvements, as in Porcupine's {@code
 * checkSingle}, for one key.
 *
 * <p>Implementation notes. Calls and returns sit in one doubly linked list in history order. The
 * search walks it from the head: at a call it tries to linearize that operation now (the model step
 * must apply, and the configuration reached, linearized set plus state, must be new); if so it
 * removes the call and its return from the list ("lifts" it), pushes it, and starts again at the
 * head. Reaching a return means every remaining operation must be linearized before it, which
 * failed: it pops the last operation, puts it back, and tries the call after it. Lowe's
 * memoization: a configuration determines the rest of the search (the remaining list is exactly the
 * unlinearized operations), so one seen before is never explored again.
 *
 * <p>Optional operations (outcome info) return at +infinity, after every finite return. Reaching
 * the first of those returns therefore means every operation with a known completion has been
 * linearized: the history is linearizable with the optional operations linearized so far, the rest
 * never having taken effect. Memoization stays exact because the unlinearized optional operations
 * are part of the configuration like any other.
 *
 * <p>Two orderings of the walk come from {@link EncodedOps}: "lazy" operations (unknown-outcome
 * writes made required because an ok operation observed their value) are tried only after every
 * other call before the next return failed, since placing them early sends the search down long
 * wrong paths when they took effect late; and of the interchangeable "junk" writes only the
 * earliest not yet linearized is tried. Neither loses completeness: every call before the first
 * return is still tried, and a junk write can always stand in for a later one.
 *
 * <p>The linearized set is stored compactly: required operations by a frontier (all below it
 * linearized) plus the words from there to the last linearized one, which low concurrency keeps
 * short; optional operations by their own bitset.
 */
final class RegisterSearch {

  enum Status {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    BUDGET_EXCEEDED
  }

  /**
   * @param states configurations visited
   * @param stuckOp when not linearizable or out of budget: the operation whose return the search
   *     got least far past (the latest return it ever had to backtrack from); -1 otherwise
   * @param linearization when linearizable: operation positions in linearization order
   */
  record Result(Status status, long states, int stuckOp, int[] linearization) {}

  private final EncodedOps ops;
  private final int[] slot;
  private final long[] required;
  private final long[] optionalBits;
  private int frontier;
  private int requiredCount;

  private RegisterSearch(EncodedOps ops) {
    this.ops = ops;
    slot = new int[ops.size];
    int requiredSlots = 0;
    int optionalSlots = 0;
    for (int i = 0; i < ops.size; i++) {
      slot[i] = ops.optional[i] ? optionalSlots++ : requiredSlots++;
    }
    required = new long[(requiredSlots >>> 6) + 1];
    optionalBits = new long[(optionalSlots >>> 6) + 1];
  }

  /**
   * Searches for a linearization of {@code ops} from {@code initialState}, visiting at most {@code
   * maxStates} configurations and stopping at {@code deadlineNanos} on {@code nanoTime}.
   */
  static Result search(
      EncodedOps ops, int initialState, long maxStates, long deadlineNanos, LongSupplier nanoTime) {
    return new RegisterSearch(ops).run(initialState, maxStates, deadlineNanos, nanoTime);
  }

  private static final class Node {
    final int op;
    final boolean isCall;
    Node match;
    Node prev;
    Node next;

    Node(int op, boolean isCall) {
      this.op = op;
      this.isCall = isCall;
    }
  }

  private Result run(int initialState, long maxStates, long deadlineNanos, LongSupplier nanoTime) {
    Node head = buildList();
    Set<ConfigKey> visited = new HashSet<>();
    Node[] stackNode = new Node[ops.size];
    int[] stackState = new int[ops.size];
    int top = 0;
    int state = initialState;
    int stuckOp = -1;
    long stuckRet = -1;
    long iterations = 0;
    Node entry = head.next;
    boolean lazyPass = false;
    int nextJunk = 0; // junk operations linearized: always the first ones of ops.junkOrder
    while (entry != null) {
      if ((++iterations & 1023) == 0 && nanoTime.getAsLong() - deadlineNanos > 0) {
        return new Result(Status.BUDGET_EXCEEDED, visited.size(), stuckOp, new int[0]);
      }
      if (entry.isCall) {
        boolean notNextJunk =
            ops.junk[entry.op]
                && (nextJunk == ops.junkOrder.length || ops.junkOrder[nextJunk] != entry.op);
        if (ops.lazy[entry.op] != lazyPass || notNextJunk) {
          entry = entry.next;
          continue;
        }
        int next = ops.step(entry.op, state);
        if (next != EncodedOps.INAPPLICABLE) {
          mark(entry.op);
          if (visited.add(key(next))) {
            if (visited.size() > maxStates) {
              return new Result(Status.BUDGET_EXCEEDED, visited.size(), stuckOp, new int[0]);
            }
            stackNode[top] = entry;
            stackState[top] = state;
            top++;
            state = next;
            lift(entry);
            if (ops.junk[entry.op]) {
              nextJunk++;
            }
            entry = head.next;
            lazyPass = false;
            continue;
          }
          unmark(entry.op);
        }
        entry = entry.next;
        continue;
      }
      if (ops.optional[entry.op]) {
        break; // only optional operations remain
      }
      if (!lazyPass) {
        lazyPass = true; // no other call before this return can go: now the lazy ones
        entry = head.next;
        continue;
      }
      if (ops.ret[entry.op] > stuckRet) {
        stuckRet = ops.ret[entry.op];
        stuckOp = entry.op;
      }
      if (top == 0) {
        return new Result(Status.NOT_LINEARIZABLE, visited.size(), stuckOp, new int[0]);
      }
      top--;
      Node undone = stackNode[top];
      state = stackState[top];
      unmark(undone.op);
      unlift(undone);
      if (ops.junk[undone.op]) {
        nextJunk--;
      }
      entry = undone.next;
      lazyPass = ops.lazy[undone.op];
    }
    int[] order = new int[top];
    for (int i = 0; i < top; i++) {
      order[i] = stackNode[i].op;
    }
    return new Result(Status.LINEARIZABLE, visited.size(), -1, order);
  }

  private Node buildList() {
    Node[] nodes = new Node[2 * ops.size];
    for (int i = 0; i < ops.size; i++) {
      Node c = new Node(i, true);
      Node r = new Node(i, false);
      c.match = r;
      nodes[2 * i] = c;
      nodes[2 * i + 1] = r;
    }
    // by position; at a tie a call goes first, making the two operations concurrent (never stricter
    // than the history says)
    Arrays.sort(
        nodes,
        (a, b) -> {
          long ta = a.isCall ? ops.call[a.op] : ops.ret[a.op];
          long tb = b.isCall ? ops.call[b.op] : ops.ret[b.op];
          if (ta != tb) {
            return Long.compare(ta, tb);
          }
          return Boolean.compare(b.isCall, a.isCall);
        });
    Node head = new Node(-1, false);
    Node last = head;
    for (Node n : nodes) {
      last.next = n;
      n.prev = last;
      last = n;
    }
    return head;
  }

  private static void lift(Node call) {
    call.prev.next = call.next;
    call.next.prev = call.prev; // a call is always followed by at least its return
    Node ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Node call) {
    Node ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    call.next.prev = call;
  }

  private void mark(int op) {
    int s = slot[op];
    if (ops.optional[op]) {
      optionalBits[s >>> 6] |= 1L << s;
      return;
    }
    required[s >>> 6] |= 1L << s;
    requiredCount++;
    if (s == frontier) {
      frontier = nextClear(frontier);
    }
  }

  private void unmark(int op) {
    int s = slot[op];
    if (ops.optional[op]) {
      optionalBits[s >>> 6] &= ~(1L << s);
      return;
    }
    required[s >>> 6] &= ~(1L << s);
    requiredCount--;
    if (s < frontier) {
      frontier = s;
    }
  }

  private int nextClear(int from) {
    int w = from >>> 6;
    long word = ~required[w] & (-1L << from);
    while (word == 0) {
      w++;
      word = ~required[w]; // the last word always has a clear bit: it has room past the last slot
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  private ConfigKey key(int state) {
    long[] window;
    int above = requiredCount - frontier; // linearized required operations past the frontier
    if (above == 0) {
      window = ConfigKey.EMPTY;
    } else {
      int from = frontier >>> 6;
      int to = from;
      above -= Long.bitCount(required[from] & (-1L << frontier));
      while (above > 0) {
        to++;
        above -= Long.bitCount(required[to]);
      }
      window = Arrays.copyOfRange(required, from, to + 1);
    }
    int optionalWords = optionalBits.length;
    while (optionalWords > 0 && optionalBits[optionalWords - 1] == 0) {
      optionalWords--;
    }
    long[] optionalCopy =
        optionalWords == 0 ? ConfigKey.EMPTY : Arrays.copyOf(optionalBits, optionalWords);
    return new ConfigKey(state, frontier, window, optionalCopy);
  }

  /** A configuration: model state plus the linearized set, compared by content. */
  private static final class ConfigKey {
    static final long[] EMPTY = new long[0];

    final int state;
    final int frontier;
    final long[] window;
    final long[] optional;
    final int hash;

    ConfigKey(int state, int frontier, long[] window, long[] optional) {
      this.state = state;
      this.frontier = frontier;
      this.window = window;
      this.optional = optional;
      this.hash =
          31 * (31 * (31 * state + frontier) + Arrays.hashCode(window)) + Arrays.hashCode(optional);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ConfigKey k
          && hash == k.hash
          && state == k.state
          && frontier == k.frontier
          && Arrays.equals(window, k.window)
          && Arrays.equals(optional, k.optional);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
