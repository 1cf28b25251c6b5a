import carrierJson from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { HmacDrbg } from '../../sim/crypto/random';
import { PbxAgent } from '../../sim/sip/pbx-agent';
import { serializeSipMessage } from '../../sim/sip/message';
import { parseSipMessage } from '../../sim/sip/parse';
const carrier = carrierJson as CarrierProfile;
const pbx = new PbxAgent(
  {
    carrier,
    transport: 'TLS',
    localIp: carrier.customer.pbxIp,
    localPort: 5061,
    contactScheme: 'sips',
    sbcPort: 5061,
    media: { port: 40000, secure: true, suites: ['AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80'] },
  },
  HmacDrbg.fromSeed(1),
);
const b = serializeSipMessage(pbx.invite('+15555550199'));
for (let i = 0; i < 500; i++) parseSipMessage(b);
let t0 = performance.now();
for (let i = 0; i < 3000; i++) parseSipMessage(b);
console.log('annotated', (((performance.now() - t0) / 3000) * 1000).toFixed(1), 'µs');
t0 = performance.now();
for (let i = 0; i < 3000; i++) parseSipMessage(b, { annotate: false });
console.log('bare', (((performance.now() - t0) / 3000) * 1000).toFixed(1), 'µs');
