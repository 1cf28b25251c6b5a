/** How articles name the three parties on the path (DESIGN.md: PBX | attacker | SBC). */
import type { Party } from '../../../sim/index';

export const PARTY_NAMES: Record<Party, string> = {
  pbx: 'PBX',
  attacker: 'Attacker',
  sbc: 'SBC',
};
