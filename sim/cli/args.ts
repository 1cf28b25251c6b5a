/**
 * Argument parsing for `trunklab` commands, over node:util's parseArgs, with
 * every mistake turned into a `UsageError` that names the option.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args: withNegativeValues(args, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UsageError(`${command}: ${message.replace(/^Unknown option/, 'unknown option')}`);
  }
}

/**
 * `--seed -1` as `--seed=-1`: parseArgs takes a value that starts with a dash
 * for an option of its own and calls the command line ambiguous, where a
 * person meant a negative number (which the option's own check then judges).
 */
function withNegativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = /^--([^=]+)$/.exec(args[i])?.[1];
    if (name && options[name]?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/** An integer option, or a UsageError naming it. */
export function integerOption(command: string, name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${command}: --${name} must be a whole number, got "${text}"`);
  }
  return Number(text);
}

/** The longest wait a command accepts: an hour (timers in Node hold at most about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 3600;

/** A time in seconds (fractions allowed) as milliseconds, or a UsageError that says the range. */
export function secondsOption(command: string, name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback * 1000;
  const seconds = Number(text);
  if (text.trim() === '' || !(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `${command}: --${name} must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (an hour), got "${text}"`,
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
}
