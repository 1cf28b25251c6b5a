/**
 * The virtual network's cost, beside real sockets on 127.0.0.1 in the same
 * run: moving a 1 MB stream over the virtual TCP (every segment written with
 * its field tree and checksum, read back from the bytes by the receiver)
 * against Node's net over the kernel's TCP; RTP-sized datagrams through the
 * virtual UDP against node:dgram; and writing a pcapng of a call's packets
 * against the classic pcap writer.
 */
import { createServer, connect, type AddressInfo } from 'node:net';
import { createSocket } from 'node:dgram';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { Network } from '../../sim/net/network';
import { writePcapng } from '../../sim/net/pcapng-writer';
import { writePcap } from '../../sim/net/pcap-writer';
import { medianMs, printTable } from './measure';

const STREAM_BYTES = 1 << 20;
const DATAGRAMS = 5_000;

function virtualNetwork() {
  const network = new Network(VirtualClock.at('2026-11-26T09:00:00Z'), HmacDrbg.fromSeed(1, 'bench'));
  const pbx = network.addHost({ party: 'pbx', name: 'PBX', ip: '203.0.113.10' });
  const sbc = network.addHost({ party: 'sbc', name: 'SBC', ip: '198.51.100.20' });
  network.link(pbx, sbc, { latencyMs: 10 });
  return { network, pbx, sbc };
}

function virtualStream(): number {
  const { network, pbx, sbc } = virtualNetwork();
  let received = 0;
  sbc.listen(5061, (c) => (c.onData = (d) => (received += d.length)));
  const conn = pbx.connect({ ip: sbc.ip, port: 5061 });
  const data = new Uint8Array(STREAM_BYTES).fill(0x17);
  conn.write(data);
  conn.close();
  network.runSync();
  if (received !== STREAM_BYTES) throw new Error(`virtual TCP delivered ${received} bytes`);
  return network.records.length;
}

async function kernelStream(): Promise<void> {
  const data = Buffer.alloc(STREAM_BYTES, 0x17);
  await new Promise<void>((resolve, reject) => {
    const server = createServer((socket) => {
      let received = 0;
      socket.on('data', (d) => (received += d.length));
      socket.on('end', () => {
        server.close();
        if (received === STREAM_BYTES) resolve();
        else reject(new Error(`kernel TCP delivered ${received} bytes`));
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const client = connect((server.address() as AddressInfo).port, '127.0.0.1', () => client.end(data));
    });
  });
}

function virtualDatagrams(): void {
  const { network, pbx, sbc } = virtualNetwork();
  let received = 0;
  sbc.bindUdp(20000).onMessage = () => received++;
  const socket = pbx.bindUdp(16384);
  const payload = new Uint8Array(172);
  for (let i = 0; i < DATAGRAMS; i++) {
    network.after(i * 0.02, 'rtp', () => socket.send({ ip: sbc.ip, port: 20000 }, payload));
  }
  network.runSync();
  if (received !== DATAGRAMS) throw new Error(`virtual UDP delivered ${received}`);
}

async function kernelDatagrams(): Promise<void> {
  const receiver = createSocket('udp4');
  const sender = createSocket('udp4');
  const payload = Buffer.alloc(172);
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', () => resolve()));
  const port = (receiver.address() as AddressInfo).port;
  // Sent in batches, each once the previous one has arrived, so the loopback's socket buffer never overflows.
  const BATCH = 100;
  let received = 0;
  let waiting: (() => void) | undefined;
  receiver.on('message', () => {
    received++;
    if (received % BATCH === 0) waiting?.();
  });
  for (let sent = 0; sent < DATAGRAMS; sent += BATCH) {
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`loopback UDP lost datagrams (${received} arrived)`)), 2000);
      waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    for (let i = 0; i < BATCH; i++) sender.send(payload, port, '127.0.0.1');
    await arrived;
  }
  receiver.close();
  sender.close();
}

/** Median wall time of `fn`, and this process's CPU time per run (the machine's two cores are shared). */
async function timed(fn: () => unknown, runs = 7): Promise<{ wall: number; cpu: number }> {
  const before = process.cpuUsage();
  const wall = await medianMs(fn, runs);
  const used = process.cpuUsage(before);
  return { wall, cpu: (used.user + used.system) / 1000 / runs };
}

export default async function bench(): Promise<void> {
  const segments = virtualStream();
  const rows = [];
  for (const [what, virtual, kernel, bytes] of [
    [`1 MiB over TCP (${segments} packets on the virtual wire)`, virtualStream, kernelStream, STREAM_BYTES],
    [
      `${DATAGRAMS.toLocaleString('en-US')} RTP-sized UDP datagrams`,
      virtualDatagrams,
      kernelDatagrams,
      DATAGRAMS * 172,
    ],
  ] as const) {
    const v = await timed(virtual);
    const k = await timed(kernel);
    rows.push({
      what,
      'virtual ms': v.wall,
      'virtual CPU ms': v.cpu,
      'kernel 127.0.0.1 ms': k.wall,
      'kernel CPU ms': k.cpu,
      'virtual MB/s': bytes / 1e6 / (v.wall / 1000),
      'kernel ÷ virtual': k.wall / v.wall,
    });
  }
  printTable(rows);

  // A 5-second call's capture: 250 SRTP packets each way plus a few dozen signalling packets.
  const packet = new Uint8Array(214).fill(0x80);
  const packets = Array.from({ length: 540 }, (_, i) => ({ timeMs: 1.8e12 + i * 10, bytes: packet }));
  const ng = await medianMs(() => writePcapng(packets, { tlsKeyLog: 'CLIENT_RANDOM 00 00\n' }), 21);
  const classic = await medianMs(
    () =>
      writePcap(
        228,
        packets.map((p) => ({ seconds: Math.floor(p.timeMs / 1000), nanoseconds: 0, bytes: p.bytes })),
      ),
    21,
  );
  printTable([
    {
      what: '540-packet call capture',
      'pcapng with DSB, annotated (ms)': ng,
      'classic pcap writer (ms)': classic,
    },
  ]);
}
