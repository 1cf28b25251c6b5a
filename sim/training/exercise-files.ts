/**
 * The files an exercise's capture can be downloaded as, and the name they
 * carry: the packets (pcapng, with the TLS secrets inside), the TLS key log
 * and the call's decrypted RTP — what a support engineer opens in
 * Wireshark. Not the mermaid diagram or the Timeline, which state the
 * run's outcome. Nothing to import, so the training page can read it
 * without loading the engine outside its worker.
 */
import type { RunExportKind } from '../run-exports';

export const EXERCISE_FILE_KINDS: readonly RunExportKind[] = ['pcapng', 'keylog', 'media-pcap'];

/** What an exercise's files are named after, in place of its scenario: `trunk-exercise-seed7.pcapng`. */
export const EXERCISE_FILE_NAME = 'trunk-exercise';
