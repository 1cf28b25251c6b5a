/**
 * Argument parsing for `trunklab` commands, over node:util's parseArgs, with
 * every mistake turned into a `UsageError` that names the option.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UsageError(`${command}: ${message.replace(/^Unknown option/, 'unknown option')}`);
  }
}

/** An integer option, or a UsageError naming it. */
export function integerOption(command: string, name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${command}: --${name} must be a whole number, got "${text}"`);
  }
  return Number(text);
}
