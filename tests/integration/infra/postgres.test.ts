import { databaseUrl } from '@krt/platform/config';
import { createPool, withTransaction } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

describe('PostgreSQL (real server on 5433)', () => {
  const pool = createPool(databaseUrl('payments'));
  afterAll(() => pool.end());

  it('when a row is written in a transaction, then it is read back, with BIGINT as bigint', async () => {
    const id = randomUUID();
    await pool.query('CREATE TABLE IF NOT EXISTS infra_probe (id uuid primary key, amount bigint not null)');
    await withTransaction(pool, (c) => c.query('INSERT INTO infra_probe (id, amount) VALUES ($1, $2)', [id, 9007199254740993n.toString()]));
    const { rows } = await pool.query('SELECT amount FROM infra_probe WHERE id = $1', [id]);
    expect(rows[0].amount).toBe(9007199254740993n);
    const version = await pool.query('show server_version');
    expect(version.rows[0].server_version).toMatch(/^\d+/);
  });

  it('when a transaction throws, then nothing it wrote remains', async () => {
    const id = randomUUID();
    await expect(
      withTransaction(pool, async (c) => {
        await c.query('INSERT INTO infra_probe (id, amount) VALUES ($1, 1)', [id]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rowCount } = await pool.query('SELECT 1 FROM infra_probe WHERE id = $1', [id]);
    expect(rowCount).toBe(0);
  });
});
