/**
 * Does a certificate name the host we meant to reach? (RFC 6125 §6)
 *
 * 1. An IP address is compared with the iPAddress entries of
 *    subjectAltName, byte for byte (RFC 5280 §4.2.1.6; RFC 6125 §1.7.2).
 * 2. A DNS name is compared with the dNSName entries, ignoring case and a
 *    trailing dot (RFC 6125 §6.4.1). A wildcard is honoured only as the whole
 *    left-most label, matches exactly one label, and never the bare parent
 *    domain nor a public suffix like `*.example` (RFC 6125 §6.4.3; partial
 *    wildcards such as `sbc*.example.net` are refused, as RFC 9525 §6.3 now requires).
 * 3. Only when the certificate has no subjectAltName at all does the subject's
 *    Common Name stand in for a dNSName (RFC 6125 §6.4.4); many modern clients
 *    no longer do even that, and the trace says so.
 */
import { SubjectAlternativeNameExtension, type X509Certificate } from '@peculiar/x509';

export interface HostNameMatch {
  matched: boolean;
  /** Which names were compared and how, in a sentence. */
  detail: string;
  /** The names the certificate offers, as compared. */
  presented: string[];
  /** True when the Common Name had to stand in for a missing subjectAltName. */
  usedCommonName: boolean;
}

export function matchHostName(certificate: X509Certificate, host: string): HostNameMatch {
  const san = certificate.getExtension(SubjectAlternativeNameExtension);
  const ip = parseIpAddress(host);
  if (san) {
    const items = san.names.items;
    if (ip) {
      const ips = items.filter((n) => n.type === 'ip').map((n) => n.value);
      const hit = ips.find((v) => sameIp(parseIpAddress(v), ip));
      return {
        matched: hit !== undefined,
        presented: ips,
        usedCommonName: false,
        detail: hit
          ? `${host} is an IP address; subjectAltName lists IP ${hit}`
          : `${host} is an IP address, and subjectAltName lists ${ips.length ? `only IP ${ips.join(', ')}` : 'no IP address'}${dnsAside(items)}`,
      };
    }
    const names = items.filter((n) => n.type === 'dns').map((n) => n.value);
    const hit = names.find((pattern) => dnsNameMatches(pattern, host));
    return {
      matched: hit !== undefined,
      presented: names,
      usedCommonName: false,
      detail: hit
        ? `subjectAltName DNS:${hit} ${hit.startsWith('*.') ? 'covers' : 'is'} ${host}`
        : `subjectAltName lists ${names.length ? `only ${names.map((n) => `DNS:${n}`).join(', ')}` : 'no DNS name'}`,
    };
  }
  const commonNames = certificate.subjectName.getField('CN');
  const hit = ip ? undefined : commonNames.find((cn) => dnsNameMatches(cn, host));
  return {
    matched: hit !== undefined,
    presented: commonNames,
    usedCommonName: true,
    detail:
      `no subjectAltName, so the Common Name stands in (RFC 6125 §6.4.4; RFC 9525, which replaced it, forbids this and many current clients refuse it): ` +
      (hit
        ? `CN=${hit} matches ${host}`
        : commonNames.length
          ? `the subject has only ${commonNames.map((c) => `CN=${c}`).join(', ')}`
          : 'the subject has no CN either'),
  };
}

/** RFC 6125 §6.4.1–§6.4.3 for one presented dNSName (or CN) against a reference host name. */
export function dnsNameMatches(pattern: string, host: string): boolean {
  const p = normalize(pattern);
  const h = normalize(host);
  if (!p || !h) return false;
  if (!p.includes('*')) return p === h;
  const [first, ...rest] = p.split('.');
  // Only a complete left-most label may be a wildcard, and it needs at least two labels after it.
  if (first !== '*' || rest.length < 2 || rest.some((label) => label.includes('*'))) return false;
  const hostLabels = h.split('.');
  // The wildcard stands for exactly one non-empty label.
  return (
    hostLabels.length === rest.length + 1 &&
    hostLabels[0].length > 0 &&
    hostLabels.slice(1).join('.') === rest.join('.')
  );
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

function dnsAside(items: readonly { type: string; value: string }[]): string {
  const dns = items.filter((n) => n.type === 'dns').map((n) => n.value);
  return dns.length ? ` (DNS names such as ${dns[0]} do not count for an IP address)` : '';
}

/** An IPv4 or IPv6 address as bytes (RFC 791 dotted quad; RFC 4291 §2.2 text forms), or undefined. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((n) => n <= 255) ? Uint8Array.from(parts) : undefined;
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  // An embedded IPv4 address (e.g. ::ffff:192.0.2.1) fills the last two groups.
  const last = (tail.length ? tail : head).at(-1);
  const v4tail = last?.includes('.') ? parseIpAddress(last) : undefined;
  if (last?.includes('.')) {
    if (!v4tail || v4tail.length !== 4) return undefined;
    (tail.length ? tail : head).splice(
      -1,
      1,
      ((v4tail[0] << 8) | v4tail[1]).toString(16),
      ((v4tail[2] << 8) | v4tail[3]).toString(16),
    );
  }
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

function sameIp(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}
