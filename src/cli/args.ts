import { UsageError } from './errors.ts';

export function positiveInt(value: string, flag: string, max = Number.POSITIVE_INFINITY): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > max) {
    throw new UsageError(`${flag} must be ${max === Number.POSITIVE_INFINITY ? 'a positive whole number' : `a whole number from 1 to ${max}`}, got "${value}"`);
  }
  return n;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export function nonNegativeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a number ≥ 0, got "${value}"`);
  return n;
}
