/**
 * A secret or key as the endpoints derive it, with where it came from and
 * how: the record that becomes a `KeyEvent` on the Timeline, so the site can
 * show each key beside the values and the function that produced it.
 */
export interface KeyDerivation {
  /** As the RFC spells it: `client_handshake_traffic_secret`, `master_secret`, `client_write_key`. */
  name: string;
  value: Uint8Array;
  /** Names of the inputs. */
  from: string[];
  /** The function, as the RFC writes it. */
  how: string;
  spec: string;
}

export type KeySink = (k: KeyDerivation) => void;
