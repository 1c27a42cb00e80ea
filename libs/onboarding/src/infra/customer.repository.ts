// SQL for the onboarding database (customers, KYC documents and decisions, provisioning). Rows are parsed here.
import type { Queryable } from '@krt/platform/persistence';
import type { ApplicationStatus } from '../domain/kyc-application';
import type { Address, IdentityDocument, ValidImage } from '../domain/registration.validation';

export interface CustomerRow {
  id: string;
  status: ApplicationStatus;
  fullName: string;
  cpf: string;
  birthDate: string;
  email: string;
  phone: string;
  address: Address;
  document: IdentityDocument;
  reviewReasons: string[];
  decisionReason: string | null;
  keycloakUserId: string | null;
  statusTokenHash: Buffer;
  termsAcceptedAt: Date;
  privacyAcceptedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

interface DbCustomer {
  id: string;
  status: ApplicationStatus;
  full_name: string;
  cpf: string;
  birth_date: string;
  email: string;
  phone: string;
  cep: string;
  street: string;
  address_number: string;
  complement: string | null;
  neighborhood: string;
  city: string;
  state: string;
  document_type: 'RG' | 'CNH';
  document_number: string;
  document_issuer: string;
  review_reasons: string[];
  decision_reason: string | null;
  keycloak_user_id: string | null;
  status_token_hash: Buffer;
  terms_accepted_at: Date;
  privacy_accepted_at: Date;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, status, full_name, cpf, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, email, phone, cep, street, address_number, complement,
  neighborhood, city, state, document_type, document_number, document_issuer, review_reasons, decision_reason, keycloak_user_id,
  status_token_hash, terms_accepted_at, privacy_accepted_at, created_at, updated_at`;

function toRow(r: DbCustomer): CustomerRow {
  return {
    id: r.id,
    status: r.status,
    fullName: r.full_name,
    cpf: r.cpf,
    birthDate: r.birth_date,
    email: r.email,
    phone: r.phone,
    address: { cep: r.cep, street: r.street, number: r.address_number, complement: r.complement, neighborhood: r.neighborhood, city: r.city, state: r.state },
    document: { type: r.document_type, number: r.document_number, issuer: r.document_issuer },
    reviewReasons: r.review_reasons,
    decisionReason: r.decision_reason,
    keycloakUserId: r.keycloak_user_id,
    statusTokenHash: r.status_token_hash,
    termsAcceptedAt: r.terms_accepted_at,
    privacyAcceptedAt: r.privacy_accepted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface NewCustomer {
  id: string;
  status: ApplicationStatus;
  fullName: string;
  cpf: string;
  birthDate: string;
  email: string;
  phone: string;
  address: Address;
  document: IdentityDocument;
  statusTokenHash: Buffer;
  reviewReasons: string[];
  acceptedAt: Date;
}

export const customerRepository = {
  async insert(db: Queryable, c: NewCustomer): Promise<void> {
    await db.query(
      `INSERT INTO customers (id, status, full_name, cpf, birth_date, email, phone, cep, street, address_number, complement, neighborhood, city, state,
         terms_accepted_at, privacy_accepted_at, document_type, document_number, document_issuer, status_token_hash, review_reasons, created_at, updated_at, approved_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$15,$16,$17,$18,$19,$20,$15,$15, CASE WHEN $2 = 'APPROVED' THEN $15::timestamptz END)`,
      [
        c.id, c.status, c.fullName, c.cpf, c.birthDate, c.email, c.phone, c.address.cep, c.address.street, c.address.number, c.address.complement,
        c.address.neighborhood, c.address.city, c.address.state, c.acceptedAt, c.document.type, c.document.number, c.document.issuer, c.statusTokenHash, c.reviewReasons,
      ],
    );
  },

  async insertDocument(db: Queryable, customerId: string, kind: 'document' | 'selfie', image: ValidImage, sha256: Buffer): Promise<void> {
    await db.query('INSERT INTO kyc_documents (customer_id, kind, content_type, size_bytes, sha256, content) VALUES ($1, $2, $3, $4, $5, $6)', [
      customerId, kind, image.contentType, image.bytes.length, sha256, Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength),
    ]);
  },

  async insertDecision(db: Queryable, d: { customerId: string; decision: 'APPROVED' | 'PENDING_REVIEW' | 'REJECTED'; decidedBy: string; decidedByName?: string | null; reason?: string | null; checks?: unknown }): Promise<void> {
    await db.query('INSERT INTO kyc_decisions (customer_id, decision, decided_by, decided_by_name, reason, checks) VALUES ($1, $2, $3, $4, $5, $6)', [
      d.customerId, d.decision, d.decidedBy, d.decidedByName ?? null, d.reason ?? null, JSON.stringify(d.checks ?? {}),
    ]);
  },

  async findById(db: Queryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<CustomerRow | undefined> {
    const { rows } = await db.query<DbCustomer>(`SELECT ${COLUMNS} FROM customers WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toRow(rows[0]) : undefined;
  },

  /** Whether any application (whatever its status) already holds this CPF (digits only). */
  async cpfTaken(db: Queryable, cpf: string): Promise<boolean> {
    const { rows } = await db.query<{ taken: boolean }>('SELECT EXISTS (SELECT 1 FROM customers WHERE cpf = $1) AS taken', [cpf]);
    return rows[0]?.taken === true;
  },

  /** Which of the CPF / e-mail / phone were used by a rejected application. */
  async previouslyRejected(db: Queryable, c: { cpf: string; email: string; phone: string }): Promise<('cpf' | 'email' | 'phone')[]> {
    const { rows } = await db.query<{ cpf: boolean; email: boolean; phone: boolean }>(
      `SELECT bool_or(cpf = $1) AS cpf, bool_or(email = $2) AS email, bool_or(phone = $3) AS phone
         FROM customers WHERE status = 'REJECTED' AND (cpf = $1 OR email = $2 OR phone = $3)`,
      [c.cpf, c.email, c.phone],
    );
    const r = rows[0];
    return r ? (['cpf', 'email', 'phone'] as const).filter((k) => r[k]) : [];
  },

  async list(db: Queryable, q: { status: ApplicationStatus; limit: number; after?: { createdAt: string; id: string } }): Promise<CustomerRow[]> {
    const params: unknown[] = [q.status, q.limit];
    let where = 'status = $1';
    if (q.after) {
      params.push(q.after.createdAt, q.after.id);
      where += ' AND (created_at, id) > ($3::timestamptz, $4::uuid)';
    }
    const { rows } = await db.query<DbCustomer>(`SELECT ${COLUMNS} FROM customers WHERE ${where} ORDER BY created_at, id LIMIT $2`, params);
    return rows.map(toRow);
  },

  async decisions(db: Queryable, customerId: string) {
    const { rows } = await db.query<{ decision: string; decided_by: string; decided_by_name: string | null; reason: string | null; checks: unknown; decided_at: Date }>(
      'SELECT decision, decided_by, decided_by_name, reason, checks, decided_at FROM kyc_decisions WHERE customer_id = $1 ORDER BY id',
      [customerId],
    );
    return rows.map((r) => ({ decision: r.decision, decidedBy: r.decided_by, decidedByName: r.decided_by_name, reason: r.reason, checks: r.checks, decidedAt: r.decided_at.toISOString() }));
  },

  async document(db: Queryable, customerId: string, kind: 'document' | 'selfie'): Promise<{ contentType: string; content: Buffer } | undefined> {
    const { rows } = await db.query<{ content_type: string; content: Buffer }>('SELECT content_type, content FROM kyc_documents WHERE customer_id = $1 AND kind = $2', [customerId, kind]);
    return rows[0] ? { contentType: rows[0].content_type, content: rows[0].content } : undefined;
  },
};

/** Unique-index violations → which field is already registered. */
export function duplicateField(err: unknown): 'cpf' | 'email' | 'phone' | undefined {
  const e = err as { code?: string; constraint?: string };
  if (e?.code !== '23505') return undefined;
  if (e.constraint === 'customers_cpf_uq') return 'cpf';
  if (e.constraint === 'customers_email_uq') return 'email';
  if (e.constraint === 'customers_phone_uq') return 'phone';
  return undefined;
}
