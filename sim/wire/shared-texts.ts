/**
 * Texts that packet after packet repeats (an address, a pair of ports, an
 * endpoint), made once per key and then shared: a run or a capture names a
 * handful of hosts on every packet, and each packet would otherwise keep its
 * own copy of the same words for as long as the run is kept. A table holds at
 * most `max` keys (a capture may name many more hosts than a run); past that,
 * texts are made afresh, as they would be without it.
 *
 * `make` should be a function of its keys alone, declared once (not a new
 * closure per call), so that a lookup allocates nothing.
 */
export class SharedTexts<K> {
  private readonly texts = new Map<K, string>();

  constructor(private readonly max = 1024) {}

  text(key: K, make: (key: K) => string): string {
    let text = this.texts.get(key);
    if (text === undefined) {
      text = make(key);
      if (this.texts.size < this.max) this.texts.set(key, text);
    }
    return text;
  }
}

/** The same for texts of two keys (source and destination), without making a combined key per lookup. */
export class SharedPairTexts<A, B> {
  private readonly texts = new Map<A, Map<B, string>>();
  private count = 0;

  constructor(private readonly max = 1024) {}

  text(a: A, b: B, make: (a: A, b: B) => string): string {
    let text = this.texts.get(a)?.get(b);
    if (text === undefined) {
      text = make(a, b);
      if (this.count < this.max) {
        let second = this.texts.get(a);
        if (!second) this.texts.set(a, (second = new Map()));
        second.set(b, text);
        this.count++;
      }
    }
    return text;
  }
}
