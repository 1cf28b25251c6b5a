/**
 * A NAT router that forgets an idle TLS connection (RFC 5382 §5; RFC 5626
 * §3.5.1 for the cure): the PBX registers over TLS and waits for calls; the
 * customer's router forgets the connection after two minutes without a
 * packet. A call for the customer then goes nowhere: the router drops the
 * SBC's INVITE, the SBC gives up after Timer B (RFC 3261 §17.1.1.2), and the
 * PBX knows nothing until its registration refresh goes unanswered too;
 * then it connects and registers again, and the next call rings.
 */
import type { ScenarioDefinition } from '../scenario';
import { secureTrunk } from '../setup';
import { troubleshooting } from '../article-links';
import { TIMER_B_MS } from '../../sip/sbc-caller';
import { asteriskLog, asteriskRegistration } from '../../training/pbx-lines';

const MINUTE = 60_000;

/**
 * The scenario's clock, in the units its texts use: the router's idle
 * timeout, the registration the PBX asks for (refreshed halfway, as the
 * lab's PBX does), the two calls the SBC sends, and the keepalive interval
 * of the what-if. The article and the summary read these, so the words
 * follow the run.
 */
const REGISTRATION_MINUTES = 10;

export const NAT_IDLE_TIMEOUT_TIMES = {
  routerIdleMinutes: 2,
  registrationMinutes: REGISTRATION_MINUTES,
  /** The lab's PBX refreshes halfway through the registration's life (sim/scenarios/pbx-side.ts). */
  refreshMinute: REGISTRATION_MINUTES / 2,
  firstCallMinute: 3,
  secondCallMinute: 7,
  keepaliveSeconds: 30,
} as const;

const T = NAT_IDLE_TIMEOUT_TIMES;
const timerBSeconds = TIMER_B_MS / 1000;

export const NAT_SCENARIOS: ScenarioDefinition[] = [
  {
    id: 'nat-idle-timeout',
    title: 'A NAT router forgets an idle trunk',
    summary: `The PBX registers over TLS and waits for calls. Its NAT router forgets the connection after ${T.routerIdleMinutes} minutes without a packet, so a call for the customer at minute ${T.firstCallMinute} is dropped at the router and the SBC gives up after ${timerBSeconds} s. At minute ${T.refreshMinute} the PBX’s registration refresh goes unanswered too; it connects again, registers, and the call at minute ${T.secondCallMinute} rings.`,
    lesson:
      'Calls towards a registered PBX ride on the connection the PBX keeps open: when a router on the way forgets it, those calls fail silently until the PBX re-registers. Keep the connection busy more often than the shortest idle timeout on the path: CRLF keepalives (RFC 5626) or OPTIONS pings.',
    article: '/docs/firewalls-and-nat/#idle-connections-and-keepalives',
    expected: { ok: false, stage: 'sip', reason: '408' },
    training: {
      level: 'advanced',
      ticket: () =>
        'We can always call out, but calls to our numbers often ring nowhere, especially first thing in the morning or after lunch. Later in the day they work.',
      pbx: {
        system: 'Asterisk',
        status: (c) => asteriskRegistration(c, 'Registered'),
        log: () =>
          asteriskLog(
            'NOTICE',
            'res_pjsip_registrar.c',
            'No incoming calls received; outbound registration is current',
          ),
      },
      proof: { from: 'sbc', summary: 'INVITE', which: 'first' },
      causes: ['nat-forgot-connection', 'wrong-password', 'ip-not-allowed', 'register-blocked', 'wrong-domain'],
      fixes: ['keepalive-within-nat-timeout', 'open-sip-port', 'reenter-credentials', 'add-ip-to-trunk'],
      hint: 'Follow the SBC’s INVITE to the PBX: does anything come back, and how long had the connection been quiet before it?',
    },
    setup: {
      ...secureTrunk({
        pbx: { calls: 'incoming', registerExpires: T.registrationMinutes * 60 },
        sbc: { incomingCallsAtMs: [T.firstCallMinute * MINUTE, T.secondCallMinute * MINUTE] },
      }),
      customerNat: { tcpIdleSeconds: T.routerIdleMinutes * 60 },
    },
    remedies: [
      {
        cause: () =>
          `A NAT router or firewall between the PBX and the SBC forgot the TLS connection after it was idle for longer than its timeout. The SBC sends incoming calls over that connection, so they are dropped at the router; the SBC gives up after Timer B (${timerBSeconds} seconds, RFC 3261 §17.1.1.2). The PBX notices only when its own next REGISTER goes unanswered, then connects and registers again.`,
        fix: () =>
          'Keep the connection busy more often than the shortest idle timeout on the path: CRLF keepalives or OPTIONS pings, or a shorter registration interval; or raise the router’s TCP idle timeout.',
        article: troubleshooting(
          'incoming-calls-fail-until-the-pbx-re-registers',
          'Incoming calls fail until the PBX re-registers',
        ),
      },
    ],
    whatIf: [
      {
        id: 'keepalive',
        label: 'PBX keepalives',
        choices: [
          { value: 'off', label: 'None' },
          { value: 'crlf', label: `CRLF every ${T.keepaliveSeconds} s` },
        ],
        default: 'off',
        effects: { crlf: { pbx: { keepaliveSeconds: T.keepaliveSeconds } } },
      },
    ],
  },
];
