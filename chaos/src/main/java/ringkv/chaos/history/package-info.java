/**
 * Operation histories of a chaos run: events as JSON lines ({@link
 * ringkv.chaos.history.HistoryWriter}, {@link ringkv.chaos.history.HistoryReader}) and their
 * pairing into operations ({@link ringkv.chaos.history.Operations}). The format is described in
 * docs/chaos.md ("Histories and the checker").
 */
@NullMarked
package ringkv.chaos.history;

import org.jspecify.annotations.NullMarked;
