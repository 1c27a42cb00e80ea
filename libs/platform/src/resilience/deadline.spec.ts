import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, withDeadline } from './deadline';

describe('withDeadline', () => {
  it('when the work settles in time, then its value or its error comes through', async () => {
    await expect(withDeadline(Promise.resolve(42), 1000, 'answer')).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('refused')), 1000, 'answer')).rejects.toThrow('refused');
  });

  it('when the work never settles, then DeadlineExceededError names what took too long', async () => {
    const err = await withDeadline(new Promise<never>(() => undefined), 20, 'Kafka send').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as Error).message).toBe('Kafka send took longer than 20 ms');
  });
});
