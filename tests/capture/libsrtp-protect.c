/*
 * A sender's SRTP made by libsrtp (the reference implementation, Debian's
 * libsrtp2-dev), for the capture tests: G.711-sized RTP packets of one SSRC
 * from a given first sequence number (so a test can cross the 16-bit wrap,
 * where libsrtp's sender moves its rollover counter, RFC 3711 §3.3.1),
 * protected with srtp_protect, and every so often an RTCP sender report
 * protected with srtp_protect_rtcp.
 *
 * usage: libsrtp-protect SUITE KEYSALT_HEX SSRC FIRST_SEQ COUNT
 *   SUITE: AES_CM_128_HMAC_SHA1_80 | AES_CM_128_HMAC_SHA1_32 | AES_256_CM_HMAC_SHA1_80 | AEAD_AES_128_GCM | AEAD_AES_256_GCM
 * prints one line per packet: "RTP <plain hex> <protected hex>" or "RTCP <plain hex> <protected hex>".
 */
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static void hex(const uint8_t *b, int n) {
  for (int i = 0; i < n; i++) printf("%02x", b[i]);
}

static int unhex(const char *s, uint8_t *out, int max) {
  int n = (int)strlen(s) / 2;
  if (n > max) return -1;
  for (int i = 0; i < n; i++) {
    unsigned v;
    if (sscanf(s + 2 * i, "%2x", &v) != 1) return -1;
    out[i] = (uint8_t)v;
  }
  return n;
}

static int set_suite(const char *name, srtp_crypto_policy_t *rtp, srtp_crypto_policy_t *rtcp) {
  if (!strcmp(name, "AES_CM_128_HMAC_SHA1_80")) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
  } else if (!strcmp(name, "AES_CM_128_HMAC_SHA1_32")) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(rtp);
    /* RFC 4568 §6.2.2: SRTCP keeps the 80-bit tag. */
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
  } else if (!strcmp(name, "AES_256_CM_HMAC_SHA1_80")) {
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtp);
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
  } else if (!strcmp(name, "AEAD_AES_128_GCM")) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(rtcp);
  } else if (!strcmp(name, "AEAD_AES_256_GCM")) {
    srtp_crypto_policy_set_aes_gcm_256_16_auth(rtp);
    srtp_crypto_policy_set_aes_gcm_256_16_auth(rtcp);
  } else {
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s SUITE KEYSALT_HEX SSRC FIRST_SEQ COUNT\n", argv[0]);
    return 2;
  }
  uint8_t key[64];
  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  if (set_suite(argv[1], &policy.rtp, &policy.rtcp) != 0 || unhex(argv[2], key, sizeof key) < 0) {
    fprintf(stderr, "bad suite or key\n");
    return 2;
  }
  uint32_t ssrc = (uint32_t)strtoul(argv[3], NULL, 0);
  unsigned seq = (unsigned)strtoul(argv[4], NULL, 0);
  int count = atoi(argv[5]);
  policy.ssrc.type = ssrc_specific;
  policy.ssrc.value = ssrc;
  policy.key = key;
  policy.window_size = 128;
  policy.next = NULL;
  srtp_t session;
  if (srtp_init() != srtp_err_status_ok || srtp_create(&session, &policy) != srtp_err_status_ok) {
    fprintf(stderr, "libsrtp refused the policy\n");
    return 1;
  }
  uint32_t ts = 160000;
  uint32_t octets = 0;
  for (int i = 0; i < count; i++, seq = (seq + 1) & 0xffff, ts += 160) {
    uint8_t plain[256], buf[256 + SRTP_MAX_TRAILER_LEN];
    int n = 12 + 160;
    plain[0] = 0x80;
    plain[1] = i == 0 ? 0x80 : 0x00; /* PCMU (RFC 3551 §6), marker on the first packet */
    plain[2] = seq >> 8;
    plain[3] = seq & 0xff;
    plain[4] = ts >> 24;
    plain[5] = ts >> 16;
    plain[6] = ts >> 8;
    plain[7] = ts;
    plain[8] = ssrc >> 24;
    plain[9] = ssrc >> 16;
    plain[10] = ssrc >> 8;
    plain[11] = ssrc;
    for (int j = 0; j < 160; j++) plain[12 + j] = (uint8_t)(0x80 ^ ((i * 31 + j * 7) & 0x7f));
    memcpy(buf, plain, n);
    int len = n;
    if (srtp_protect(session, buf, &len) != srtp_err_status_ok) {
      fprintf(stderr, "srtp_protect failed at packet %d\n", i);
      return 1;
    }
    octets += 160;
    printf("RTP ");
    hex(plain, n);
    printf(" ");
    hex(buf, len);
    printf("\n");
    if (i % 25 == 24) {
      /* An RTCP sender report (RFC 3550 §6.4.1) with no report blocks. */
      uint8_t sr[28] = {0x80, 200, 0, 6};
      sr[4] = ssrc >> 24; sr[5] = ssrc >> 16; sr[6] = ssrc >> 8; sr[7] = ssrc;
      sr[16] = ts >> 24; sr[17] = ts >> 16; sr[18] = ts >> 8; sr[19] = ts;
      uint32_t packets = (uint32_t)i + 1;
      sr[20] = packets >> 24; sr[21] = packets >> 16; sr[22] = packets >> 8; sr[23] = packets;
      sr[24] = octets >> 24; sr[25] = octets >> 16; sr[26] = octets >> 8; sr[27] = octets;
      uint8_t rbuf[28 + SRTP_MAX_TRAILER_LEN];
      memcpy(rbuf, sr, sizeof sr);
      int rlen = sizeof sr;
      if (srtp_protect_rtcp(session, rbuf, &rlen) != srtp_err_status_ok) {
        fprintf(stderr, "srtp_protect_rtcp failed\n");
        return 1;
      }
      printf("RTCP ");
      hex(sr, sizeof sr);
      printf(" ");
      hex(rbuf, rlen);
      printf("\n");
    }
  }
  srtp_dealloc(session);
  return 0;
}
