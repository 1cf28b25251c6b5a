import { describe, expect, it } from 'vitest';
import { checkCoverage, concatBytes, toHex } from '../../sim/wire';
import { TCP_FLAG, describeFlags } from '../../sim/net/tcp-segment';
import type { TcpConnection, TcpCloseReason } from '../../sim/net/tcp-connection';
import type { Middlebox } from '../../sim/net/network';
import type { WirePacket } from '../../sim/net/wire-record';
import { capture, labNetwork, patterned } from './lab-network';
import { tshark, tsharkFields } from './tshark';

const flagsOf = (r: WirePacket) => describeFlags(r.tcp!.flags);

/** PBX connects to the SBC's port 5061; the SBC collects what arrives and records how each side closed. */
function connectPair(net: ReturnType<typeof labNetwork>) {
  const got = { sbc: [] as Uint8Array[], pbx: [] as Uint8Array[] };
  const closed: Partial<Record<'pbx' | 'sbc', TcpCloseReason>> = {};
  let server: TcpConnection | undefined;
  net.sbc.listen(5061, (c) => {
    server = c;
    c.onData = (d) => got.sbc.push(d);
    c.onClose = (why) => (closed.sbc = why);
  });
  const client = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
  client.onData = (d) => got.pbx.push(d);
  client.onClose = (why) => (closed.pbx = why);
  return { client, server: () => server!, got, closed };
}

describe('TCP three-way handshake (RFC 9293 §3.5)', () => {
  it('sends SYN with MSS, SYN-ACK with MSS, then ACK, with initial sequence numbers from the seed', () => {
    const net = labNetwork(7);
    const { client } = connectPair(net);
    let opened = -1;
    client.onOpen = () => (opened = net.network.nowUs());
    net.network.runSync();
    const r = net.network.records;
    expect(r.map((p) => [p.from, p.to, flagsOf(p)])).toEqual([
      ['pbx', 'sbc', 'SYN'],
      ['sbc', 'pbx', 'ACK, SYN'],
      ['pbx', 'sbc', 'ACK'],
    ]);
    const [syn, synAck, ack] = r;
    expect(synAck.tcp!.ack).toBe((syn.tcp!.seq + 1) >>> 0);
    expect(ack.tcp!.seq).toBe((syn.tcp!.seq + 1) >>> 0);
    expect(ack.tcp!.ack).toBe((synAck.tcp!.seq + 1) >>> 0);
    expect(client.state).toBe('ESTABLISHED');
    // The client is open once the SYN-ACK arrived: one round trip (2 × 10 ms plus serialization).
    expect(opened).toBeGreaterThanOrEqual(20_000);
    expect(opened).toBeLessThan(20_100);
    // The MSS option is in both SYNs (kind 2, length 4, 1460).
    for (const p of [syn, synAck]) expect(toHex(p.bytes.subarray(40, 44))).toBe('020405b4');
    for (const p of r) expect(checkCoverage(p.bytes.length, p.fields)).toEqual({ unexplained: [], misplaced: [] });

    const again = labNetwork(7);
    connectPair(again);
    again.network.runSync();
    expect(again.network.records.map((p) => toHex(p.bytes))).toEqual(r.map((p) => toHex(p.bytes)));
    const other = labNetwork(8);
    connectPair(other);
    other.network.runSync();
    expect(other.network.records[0].tcp!.seq).not.toBe(syn.tcp!.seq);
  });

  it('advances the virtual clock with each delivery, in time order', () => {
    const net = labNetwork(1);
    connectPair(net);
    const before = net.clock.now();
    net.network.runSync();
    const times = net.network.records.map((p) => p.arrivalUs!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The clock holds epoch milliseconds as a double: good to a fraction of a microsecond.
    expect(net.clock.now() - before).toBeCloseTo(times[times.length - 1] / 1000, 3);
  });
});

describe('TCP data transfer', () => {
  it('cuts a large write at the MSS and the receiver gets the same bytes in order', () => {
    const net = labNetwork(2);
    const { client, got } = connectPair(net);
    const flight = patterned(4000);
    client.write({
      bytes: flight,
      fields: [{ name: 'TLS record', start: 0, end: 4000, children: [{ name: 'fragment', start: 0, end: 4000 }] }],
    });
    net.network.runSync();
    expect(concatBytes(...got.sbc)).toEqual(flight);
    const data = net.network.records.filter((p) => p.payloadLength > 0);
    expect(data.map((p) => p.payloadLength)).toEqual([1460, 1460, 1080]);
    expect(data.map((p) => p.stream?.offset)).toEqual([0, 1460, 2920]);
    expect(data.map(flagsOf)).toEqual(['ACK', 'ACK', 'ACK, PSH']);
    // Each segment's slice of the record is still explained, and says which part it holds.
    for (const p of data) expect(checkCoverage(p.bytes.length, p.fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(JSON.stringify(data[1].fields)).toContain('Bytes 1461–2920 of 4000 are in this segment');
    // The receiver acknowledges every second segment at once; the delayed-ACK timer covers the third.
    const acks = net.network.records.filter((p) => p.from === 'sbc' && p.payloadLength === 0).slice(1);
    expect(acks.map((p) => p.tcp!.ack - (net.network.records[0].tcp!.seq + 1))).toEqual([2920, 4000]);
    expect(acks[0].timeUs).toBe(data[1].arrivalUs);
    expect(acks[1].timeUs - data[2].arrivalUs!).toBe(40_000);
  });

  it('carries the ACK on a reply instead of a bare ACK', () => {
    const net = labNetwork(3);
    const { client, server, got } = connectPair(net);
    net.network.runSync();
    server().onData = (d) => {
      got.sbc.push(d);
      server().write(d.slice().reverse());
    };
    client.write(Uint8Array.of(1, 2, 3));
    const before = net.network.records.length;
    net.network.runSync();
    const after = net.network.records.slice(before);
    expect(after.map((p) => [p.from, flagsOf(p), p.payloadLength])).toEqual([
      ['pbx', 'ACK, PSH', 3],
      ['sbc', 'ACK, PSH', 3],
      ['pbx', 'ACK', 0],
    ]);
    expect(concatBytes(...got.pbx)).toEqual(Uint8Array.of(3, 2, 1));
  });

  it('gives tshark a stream it reassembles: follow the TCP stream yields the bytes written', () => {
    const net = labNetwork(4);
    const { client, server } = connectPair(net);
    const up = patterned(4000, 1);
    const down = patterned(3000, 2);
    client.write(up);
    net.network.runSync();
    server().write(down);
    client.close();
    server().close();
    net.network.runSync();
    const file = capture(net.network, 'stream.pcapng');
    const follow = tshark(file, ['-q', '-z', 'follow,tcp,raw,0']);
    // Raw follow output: client bytes unindented, server bytes indented with a tab.
    const lines = follow.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
    const sent = lines.filter((l) => !l.startsWith('\t')).join('');
    const received = lines
      .filter((l) => l.startsWith('\t'))
      .map((l) => l.slice(1))
      .join('');
    expect(sent).toBe(toHex(up));
    expect(received).toBe(toHex(down));
    // No retransmission, loss or out-of-order warnings in tshark's analysis.
    const analysis = tsharkFields(
      file,
      ['tcp.analysis.flags'],
      ['-Y', 'tcp.analysis.flags && !tcp.analysis.window_update'],
    );
    expect(analysis).toEqual([]);
    const handshake = tsharkFields(file, ['tcp.flags.str'], ['-c', '3']).map((r) => r[0].replace(/·/g, '').trim());
    expect(handshake).toEqual(['S', 'AS', 'A']);
  });
});

describe('TCP close and reset', () => {
  it('closes with FIN in both directions (RFC 9293 §3.6)', () => {
    const net = labNetwork(5);
    const { client, server, closed } = connectPair(net);
    net.network.runSync();
    server().onEnd = () => server().close();
    client.close();
    const before = net.network.records.length;
    net.network.runSync();
    expect(net.network.records.slice(before).map((p) => [p.from, flagsOf(p)])).toEqual([
      ['pbx', 'ACK, FIN'],
      ['sbc', 'ACK, FIN'],
      ['pbx', 'ACK'],
    ]);
    expect(client.state).toBe('TIME-WAIT');
    expect(server().state).toBe('CLOSED');
    expect(closed).toEqual({ pbx: 'closed', sbc: 'closed' });
  });

  it('answers a SYN to a closed port with RST, and the client hears "refused"', () => {
    const net = labNetwork(6);
    const client = net.pbx.connect({ ip: net.sbc.ip, port: 5062 });
    let why: TcpCloseReason | undefined;
    client.onClose = (w) => (why = w);
    net.network.runSync();
    expect(net.network.records.map(flagsOf)).toEqual(['SYN', 'ACK, RST']);
    expect(net.network.records[0].fate).toBe('no-listener');
    expect(net.network.records[1].tcp!.ack).toBe((net.network.records[0].tcp!.seq + 1) >>> 0);
    expect(why).toBe('refused');
  });

  it('aborts with RST and the peer hears "reset"', () => {
    const net = labNetwork(7);
    const { client, closed } = connectPair(net);
    net.network.runSync();
    client.abort();
    net.network.runSync();
    expect(flagsOf(net.network.records[net.network.records.length - 1])).toBe('ACK, RST');
    expect(closed).toEqual({ pbx: 'aborted', sbc: 'reset' });
  });

  it('ignores a RST whose sequence number is not exactly the next expected, with a challenge ACK (RFC 5961 §3.2)', () => {
    const net = labNetwork(8);
    const { client, server, closed } = connectPair(net);
    net.network.runSync();
    const srv = server();
    // An off-path guess: right addresses, sequence number inside the window but not exact.
    net.sbc.send({
      transport: 'tcp',
      src: srv.local,
      dst: srv.remote,
      tcp: { seq: (srv.iss + 1 + 100) >>> 0, ack: 0, flags: TCP_FLAG.RST, window: 0 },
      payload: { bytes: new Uint8Array(0), fields: [] },
    });
    net.network.runSync();
    expect(client.state).toBe('ESTABLISHED');
    expect(closed.pbx).toBeUndefined();
    expect(flagsOf(net.network.records[net.network.records.length - 1])).toBe('ACK');
  });
});

/** A middlebox that drops the packets its predicate picks, each at most once. */
function dropOnce(pick: (r: WirePacket, n: number) => boolean): Middlebox {
  let n = 0;
  const dropped = new Set<string>();
  return {
    onPacket({ record }) {
      const key = `${record.from}:${record.tcp?.seq}:${record.payloadLength}:${record.tcp?.flags}`;
      if (!dropped.has(key) && pick(record, n++)) {
        dropped.add(key);
        return { action: 'drop', note: 'test loss' };
      }
      return { action: 'forward' };
    },
  };
}

describe('TCP loss and retransmission (RFC 6298)', () => {
  it('retransmits a lost segment after the RTO and holds what arrived beyond the gap', () => {
    let dataSeen = 0;
    const net = labNetwork(9, {
      middlebox: dropOnce((r) => r.from === 'pbx' && r.payloadLength > 0 && ++dataSeen === 2),
    });
    const { client, got } = connectPair(net);
    const flight = patterned(4000, 3);
    client.write(flight);
    net.network.runSync();
    expect(concatBytes(...got.sbc)).toEqual(flight);
    const lost = net.network.records.find((r) => r.fate === 'dropped')!;
    const resent = net.network.records.find(
      (r) => r.index > lost.index && r.tcp!.seq === lost.tcp!.seq && r.from === 'pbx',
    )!;
    // RTO: at least 1 s (RFC 6298 §2.4) after the original.
    expect(resent.timeUs - lost.timeUs).toBeGreaterThanOrEqual(1_000_000);
    expect(resent.timeUs - lost.timeUs).toBeLessThan(1_100_000);
    const file = capture(net.network, 'loss.pcapng', (r) => r.fate !== 'dropped');
    const flagged = tsharkFields(file, [
      'frame.number',
      'tcp.analysis.retransmission',
      'tcp.analysis.out_of_order',
    ]).filter((row) => row[1] || row[2]);
    expect(flagged.length).toBeGreaterThan(0);
    const follow = tshark(file, ['-q', '-z', 'follow,tcp,raw,0']);
    const sent = follow
      .split('\n')
      .filter((l) => /^[0-9a-f]+$/.test(l))
      .join('');
    expect(sent).toBe(toHex(flight));
  });

  it('gives up on a SYN nobody answers after its retries, with exponential backoff', () => {
    const net = labNetwork(10, { middlebox: { onPacket: () => ({ action: 'drop', note: 'black hole' }) } });
    const client = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
    let why: TcpCloseReason | undefined;
    client.onClose = (w) => (why = w);
    net.network.runSync();
    const syns = net.network.records;
    expect(syns.map(flagsOf)).toEqual(Array(7).fill('SYN'));
    const gaps = syns.slice(1).map((r, i) => Math.round((r.timeUs - syns[i].timeUs) / 1e6));
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32]);
    expect(why).toBe('timeout');
    expect(Math.round(net.network.nowUs() / 1e6)).toBe(127);
  });
});
