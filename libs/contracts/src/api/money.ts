// Scalars of the public API.
import { z } from 'zod';

/** Money on the wire: reais as a decimal string with two places ("1500.00"); the services keep integer centavos. */
export const apiMoneySchema = z.string().regex(/^-?[0-9]{1,13}\.[0-9]{2}$/);
export type ApiMoney = z.infer<typeof apiMoneySchema>;

/** An instant as ISO 8601 text. */
export const instantSchema = z.string();
