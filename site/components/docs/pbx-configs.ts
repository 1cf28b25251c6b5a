/**
 * Example trunk configurations for common PBXs, filled in from the carrier
 * profile and the file names of the CSR flow, so that every host name, port,
 * CA file and suite in them is the carrier's. They are examples to adapt, in
 * our words, not vendor documentation: option names follow each PBX's own
 * configuration reference.
 */
import type { CarrierProfile } from '../../../sim/carrier';
import { ENGINE_FACTS } from '../../../sim/index';
import { csrFlowFiles } from './csr-flow';
import { opensslCipherList } from './openssl-suite-names';

/** How often the Asterisk example pings the SBC with OPTIONS (`qualify_frequency`), which the NAT article quotes. */
export const ASTERISK_QUALIFY_SECONDS = 60;

/** `192.168.1.0/24` for a PBX at 192.168.1.20: the LAN the PBX sits on, for NAT settings. */
export function lanOf(privateIp: string): string {
  const octets = privateIp.split('.');
  return `${octets.slice(0, 3).join('.')}.0/24`;
}

/** A section name for the trunk: the carrier domain's first label. */
export function trunkName(carrier: CarrierProfile): string {
  return carrier.domain.split('.')[0];
}

export function asteriskPjsip(carrier: CarrierProfile, keysDir = '/etc/asterisk/keys'): string {
  const f = csrFlowFiles(carrier);
  const name = trunkName(carrier);
  const sbc = `${carrier.sbc.host}:${carrier.sbc.tlsPort}`;
  const c = carrier.customer;
  const registration = carrier.auth === 'registration';
  const lines = [
    '; pjsip.conf: a TLS transport and a trunk with SRTP',
    '[transport-tls]',
    'type=transport',
    'protocol=tls',
    `${`bind=0.0.0.0:${ENGINE_FACTS.pbx.tlsPort}`.padEnd(35)}; the PBX's own SIP over TLS port`,
    `cert_file=${keysDir}/${f.chain}          ; your certificate, then the issuing CA`,
    `priv_key_file=${keysDir}/${f.key}`,
    `ca_list_file=${keysDir}/${f.root}   ; the carrier's root, and nothing else`,
    'verify_server=yes                  ; check the SBC certificate and its name',
    'method=tlsv1_2                     ; TLS 1.2 only (see below)',
    `cipher=${opensslCipherList(carrier.tls.tls12Suites).replaceAll(':', ',')}`,
    `external_signaling_address=${c.pbxIp}`,
    `external_media_address=${c.pbxIp}`,
    `local_net=${lanOf(c.pbxPrivateIp)}`,
    '',
    `[${name}-auth]`,
    'type=auth',
    'auth_type=userpass',
    `username=${c.username}`,
    'password=YOUR-TRUNK-PASSWORD',
    '',
  ];
  if (registration) {
    lines.push(
      `[${name}-registration]`,
      'type=registration',
      'transport=transport-tls',
      `outbound_auth=${name}-auth`,
      `server_uri=sip:${sbc};transport=tls`,
      `client_uri=sip:${c.username}@${carrier.domain}`,
      'retry_interval=60',
      '',
    );
  }
  lines.push(
    `[${name}]`,
    'type=aor',
    `contact=sip:${sbc};transport=tls`,
    `qualify_frequency=${ASTERISK_QUALIFY_SECONDS}`,
    '',
    `[${name}]`,
    'type=endpoint',
    'transport=transport-tls',
    `aors=${name}`,
    `outbound_auth=${name}-auth`,
    `from_domain=${carrier.domain}`,
    `context=from-${name}`,
    'disallow=all',
    'allow=ulaw,alaw',
    'media_encryption=sdes              ; SRTP with keys in a=crypto',
    'media_encryption_optimistic=no     ; never fall back to plain RTP',
    'direct_media=no',
    'rtp_symmetric=yes',
    'force_rport=yes',
    'rewrite_contact=yes',
    '',
    `[${name}]`,
    'type=identify',
    `endpoint=${name}`,
    `match=${carrier.sbc.host}`,
  );
  return lines.join('\n');
}

/** FreeSWITCH: the files sofia reads from tls-cert-dir. */
export function freeswitchCertificateFiles(carrier: CarrierProfile, certDir = '/etc/freeswitch/tls'): string {
  const f = csrFlowFiles(carrier);
  return [
    `cat ${f.certificate} ${f.issuing} ${f.key} > ${certDir}/agent.pem`,
    `cp ${f.root} ${certDir}/cafile.pem`,
    `chmod 600 ${certDir}/agent.pem`,
  ].join('\n');
}

export function freeswitchProfileSettings(carrier: CarrierProfile, certDir = '/etc/freeswitch/tls'): string {
  const c = carrier.customer;
  return [
    '<!-- sip_profiles/external.xml, inside <settings> -->',
    '<param name="tls" value="true"/>',
    '<param name="tls-bind-params" value="transport=tls"/>',
    `<param name="tls-sip-port" value="${ENGINE_FACTS.pbx.tlsPort}"/>`,
    `<param name="tls-cert-dir" value="${certDir}"/>`,
    '<param name="tls-version" value="tlsv1.2"/>',
    `<param name="tls-ciphers" value="${opensslCipherList(carrier.tls.tls12Suites)}"/>`,
    '<param name="tls-verify-date" value="true"/>',
    '<param name="tls-verify-policy" value="subjects_out"/>',
    '<param name="tls-verify-depth" value="2"/>',
    `<param name="ext-sip-ip" value="${c.pbxIp}"/>`,
    `<param name="ext-rtp-ip" value="${c.pbxIp}"/>`,
  ].join('\n');
}

export function freeswitchGateway(carrier: CarrierProfile): string {
  const c = carrier.customer;
  const suites = carrier.srtp.suites.filter((s) => s.startsWith('AES_CM') || s.startsWith('AES_256_CM')).join(',');
  return [
    `<!-- sip_profiles/external/${trunkName(carrier)}.xml -->`,
    `<gateway name="${trunkName(carrier)}">`,
    `  <param name="proxy" value="${carrier.sbc.host}:${carrier.sbc.tlsPort};transport=tls"/>`,
    `  <param name="realm" value="${carrier.domain}"/>`,
    `  <param name="username" value="${c.username}"/>`,
    '  <param name="password" value="YOUR-TRUNK-PASSWORD"/>',
    `  <param name="register" value="${carrier.auth === 'registration' ? 'true' : 'false'}"/>`,
    '  <param name="register-transport" value="tls"/>',
    '  <param name="ping" value="60"/>',
    '  <variables>',
    `    <variable name="rtp_secure_media" value="mandatory:${suites}" direction="outbound"/>`,
    '  </variables>',
    '</gateway>',
  ].join('\n');
}
