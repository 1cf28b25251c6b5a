/**
 * The ready-made training sets the article "Training with the lab" links
 * to: a beginner set, one fault from each stage with a clear trace, and an
 * advanced set of faults that look like their neighbours. Their seeds are
 * fixed, so every trainee of a set sees the same bytes.
 */
import { setHref, type TrainingSet } from '../../lib/training-set';

export const BEGINNER_SET: TrainingSet = {
  title: 'Secure trunk diagnosis: beginner',
  items: [
    { scenario: 'wrong-root-installed', seed: 1101 },
    { scenario: 'no-client-cert', seed: 1102 },
    { scenario: 'digest-wrong-password', seed: 1103 },
    { scenario: 'srtp-required-rtp-offered', seed: 1104 },
    { scenario: 'contact-private-ip', seed: 1105 },
  ],
};

export const ADVANCED_SET: TrainingSet = {
  title: 'Secure trunk diagnosis: advanced',
  items: [
    { scenario: 'missing-intermediate', seed: 2201 },
    { scenario: 'pbx-clock-skew', seed: 2202 },
    { scenario: 'client-cert-wrong-ca', seed: 2203 },
    { scenario: 'srtp-suite-mismatch', seed: 2204 },
    { scenario: 'srtp-tamper', seed: 2205 },
  ],
};

export const beginnerHref = setHref('/train/', BEGINNER_SET);
export const advancedHref = setHref('/train/', ADVANCED_SET);
