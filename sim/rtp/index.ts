/** rtp/: RTP and RTCP, G.711, SRTP and SRTCP, the call's audio. See each module's docblock for its RFC sections. */
export * from './g711';
export * from './g711-packetizer';
export * from './rtp-packet';
export * from './rtcp-packet';
export * from './srtp-suite';
export * from './srtp-key-derivation';
export * from './srtp-context';
export * from './srtp-packet-fields';
export * from './sdes-key';
export * from './replay-window';
export * from './packet-index';
export * from './audio-sources';
export * from './call-audio';
export * from './rtp-stream-finder';
export * from './capture-decryption';
