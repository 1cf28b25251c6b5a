/**
 * sip/: SIP over TLS signalling for the trunk (RFC 3261), its torture-tested
 * parser (RFC 4475), digest authentication (RFC 2617, RFC 7616), SDP with SDES
 * keys (RFC 8866, RFC 4568) and the PBX and SBC as sans-IO endpoints.
 *
 * How a scenario uses it:
 * 1. `new PbxAgent(config, random)` and `new SbcServer(config, random, clock)`;
 *    transports, addresses and ports come from their configuration.
 * 2. A request from `pbx.register()`, `pbx.invite(number)`, `pbx.options()`,
 *    `pbx.cancel()` or `pbx.bye()`; `writeSipMessage(m)` gives its bytes and the
 *    field tree that explains them (for a Timeline step, inside a TLS record or
 *    a UDP datagram).
 * 3. The receiving side frames the bytes it reads (`SipStreamFramer` on TCP or
 *    TLS; `parseSipMessage` for a datagram) and calls `sbc.receive(parsed,
 *    source)` or `pbx.receive(parsed)`, which return the messages to send next
 *    and events: `registered`, `answered` with the `SrtpAgreement` (suite,
 *    master key and salt of each direction, for sim/rtp), `call-failed` with
 *    488, and so on.
 */
export * from './message';
export * from './parse';
export * from './write';
export * from './stream';
export * from './syntax-error';
export * from './validate';
export * from './admission';
export * from './uri';
export * from './address';
export * from './via';
export * from './digest';
export * from './registrar';
export * from './sdp';
export * from './sdes';
export * from './offer-answer';
export * from './dialog';
export * from './pbx-agent';
export * from './sbc-server';
export * from './lint';
export * from './status';
export * from './sdes-key-events';
