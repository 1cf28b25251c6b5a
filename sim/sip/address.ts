/**
 * Addresses in header fields (RFC 3261 §20.10, §20.20, §20.39, §20.30, §20.34;
 * grammar §25.1): To, From, Contact, Route and Record-Route.
 *
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *   generic-param = token [ EQUAL gen-value ]; gen-value = token / host / quoted-string
 *
 * Without angle brackets the URI ends at the first `;`, which then starts a
 * header parameter (`tag`, `expires`), and may not contain `,` `;` or `?`
 * (RFC 3261 §20.10). Inside the brackets no white space is allowed
 * (RFC 4475 §3.1.2.14).
 */
import { Scanner, TOKEN, indexWithin, isWsp, utf8Text } from './scanner';
import { formatUri, isHost, scanUri, type Uri } from './uri';

export interface HeaderParam {
  name: string;
  /** Unquoted value; undefined for a flag such as `lr` or `rport`. */
  value?: string;
  /** Whether the value was written as a quoted-string. */
  quoted?: boolean;
}

export interface NameAddress {
  displayName?: string;
  uri: Uri;
  /** Whether the URI was inside `<>`. */
  bracketed: boolean;
  params: HeaderParam[];
}

/** *( SEMI generic-param ) (RFC 3261 §25.1), recording each parameter. */
export function scanParams(sc: Scanner, describe: (p: HeaderParam) => { note?: string; spec?: string } = () => ({})) {
  const params: HeaderParam[] = [];
  while (sc.separator(';')) {
    const start = sc.at;
    const name = sc.token('a parameter name after ";"');
    const p: HeaderParam = { name };
    if (sc.separator('=')) {
      if (sc.peek() === 0x22) {
        p.value = sc.quotedString(`parameter ${name}`);
        p.quoted = true;
      } else if (sc.peek() === 0x5b) {
        const open = sc.at;
        const close = indexWithin(sc.s, ']', open, sc.end);
        if (close < 0) sc.fail('IPv6 reference is missing its "]"');
        sc.at = close + 1;
        p.value = sc.s.slice(open, sc.at);
        if (!isHost(p.value)) sc.fail(`"${p.value}" is not an IPv6 reference`, open);
      } else {
        // token covers host names and IPv4 addresses too.
        p.value = sc.token(`a value for parameter ${name}`);
      }
    }
    params.push(p);
    const about = describe(p);
    sc.mark(
      {
        name: name.toLowerCase() === 'tag' ? 'tag' : 'parameter',
        value: p.value === undefined ? name : `${name}=${p.quoted ? `"${utf8Text(p.value)}"` : p.value}`,
        ...about,
      },
      start,
    );
  }
  return params;
}

/** Where a URI written without brackets ends: before `;`, `,` or white space. */
function addrSpecEnd(sc: Scanner): number {
  let i = sc.at;
  while (i < sc.end) {
    const c = sc.s.charCodeAt(i);
    if (c === 0x3b || c === 0x2c || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    i++;
  }
  return i;
}

/**
 * One address: a name-addr or an addr-spec, then its header parameters.
 * `bracketsRequired` for Route and Record-Route, which only take name-addr.
 */
export function scanNameAddress(sc: Scanner, label: string, bracketsRequired = false): NameAddress {
  sc.sws();
  const start = sc.at;
  let displayName: string | undefined;

  if (sc.peek() === 0x22) {
    displayName = utf8Text(sc.quotedString('display name'));
    sc.mark({ name: 'display-name', value: displayName, note: 'A name for people; not checked by anyone.' }, start);
    sc.sws();
    if (sc.peek() !== 0x3c) sc.fail(`expected "<" after the quoted display name, found ${sc.describeHere()}`);
  } else if (sc.peek() !== 0x3c) {
    // Look ahead over *(token LWS): a "<" after it means those tokens are a display name.
    let i = sc.at;
    while (
      i < sc.end &&
      (TOKEN[sc.s.charCodeAt(i)] || isWsp(sc.s.charCodeAt(i)) || sc.s[i] === '\r' || sc.s[i] === '\n')
    ) {
      i++;
    }
    if (i < sc.end && sc.s[i] === '<' && i > sc.at) {
      const words: string[] = [];
      while (sc.at < i) {
        words.push(sc.token('a display-name word'));
        sc.sws();
      }
      displayName = words.join(' ');
      sc.mark({ name: 'display-name', value: displayName, note: 'A name for people; not checked by anyone.' }, start);
    }
  }

  let uri: Uri;
  let bracketed = false;
  if (sc.peek() === 0x3c) {
    bracketed = true;
    sc.mark({ name: 'LAQUOT', value: '<' }, sc.at++, sc.at);
    const close = indexWithin(sc.s, '>', sc.at, sc.end);
    if (close < 0) sc.fail(`"<" is never closed with ">"`);
    if (isWsp(sc.peek()) || isWsp(sc.s.charCodeAt(close - 1))) {
      // RFC 4475 §3.1.2.14: addr-spec allows no white space.
      sc.fail('white space inside <> is not allowed around the URI (RFC 3261 §25.1 addr-spec)');
    }
    uri = scanUri(sc, close, { context: 'name-addr', label });
    sc.at = close + 1;
    sc.mark({ name: 'RAQUOT', value: '>' }, close);
  } else {
    if (bracketsRequired) sc.fail(`expected <URI> (name-addr), found ${sc.describeHere()}`);
    const end = addrSpecEnd(sc);
    if (end === sc.at) sc.fail(`expected an address, found ${sc.describeHere()}`);
    if (!sc.s.slice(sc.at, end).includes(':') && indexWithin(sc.s, '<', end, sc.end) >= 0) {
      // RFC 4475 §3.1.2.15: "Bell, Alexander <sip:...>" — a display name that needs quotes.
      sc.fail('the display name has characters that are not tokens and must be in double quotes (RFC 3261 §25.1)');
    }
    uri = scanUri(sc, end, { context: 'addr-spec', label });
  }

  const params = scanParams(sc, (p) =>
    p.name.toLowerCase() === 'tag'
      ? { note: 'Identifies one side of the dialog.', spec: 'RFC 3261 §19.3' }
      : p.name.toLowerCase() === 'expires'
        ? { note: 'How long this contact stays registered, in seconds.', spec: 'RFC 3261 §20.10' }
        : {},
  );
  return { displayName, uri, bracketed, params };
}

/** A comma-separated list of addresses (Contact, Route, Record-Route). */
export function scanAddressList(sc: Scanner, label: string, bracketsRequired = false): NameAddress[] {
  const list: NameAddress[] = [];
  do {
    list.push(scanNameAddress(sc, label, bracketsRequired));
  } while (sc.separator(','));
  sc.expectEnd(label);
  return list;
}

/** Formats an address as name-addr, always bracketed so parameters stay outside the URI. */
export function formatNameAddress(a: Omit<NameAddress, 'bracketed'> & { bracketed?: boolean }): string {
  const name = a.displayName === undefined ? '' : `${quote(a.displayName)} `;
  const uri = a.bracketed === false ? formatUri(a.uri) : `<${formatUri(a.uri)}>`;
  return `${name}${uri}${formatParams(a.params)}`;
}

export function formatParams(params: readonly HeaderParam[]): string {
  return params
    .map((p) => (p.value === undefined ? `;${p.name}` : `;${p.name}=${p.quoted ? quote(p.value) : p.value}`))
    .join('');
}

/** A quoted-string with `"` and `\` escaped (RFC 3261 §25.1 quoted-pair). */
export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
