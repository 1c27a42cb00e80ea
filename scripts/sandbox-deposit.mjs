// Sandbox deposits for the project's Node scripts (demo seeding, the fuzzer's customer), under dual control as
// everywhere (issue #19): the operator `operador` requests, the second operator `supervisora` approves, straight to
// the payments API with Keycloak tokens. (TypeScript tests and the bench use @krt/testing's fundAccount, the same
// two steps.)
const TOKEN_URL = `${process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8080'}/realms/krt-bank/protocol/openid-connect/token`;

export const OPERATORS = {
  maker: { username: 'operador', password: 'Operador@2026' },
  checker: { username: 'supervisora', password: 'Supervisora@2026' },
};

/** An access token by password grant with the BFF's client, or undefined when Keycloak refuses. */
export async function passwordToken(username, password) {
  const res = await fetch(TOKEN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'krt-bff', client_secret: process.env.BFF_CLIENT_SECRET ?? 'krt-bff-dev-secret', username, password }),
  });
  if (!res.ok) return undefined;
  return (await res.json()).access_token;
}

async function post(url, token, body) {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

/**
 * Deposits `amount` ("5000.00") into the account: requested by `operador`, approved by `supervisora`. Throws with the
 * answer when a step is refused. Returns the approval (status APPROVED, the account's `posted` and `available`).
 */
export async function fundAccount({ paymentsUrl = process.env.PAYMENTS_URL ?? 'http://127.0.0.1:5002', accountId, amount, description, reason }) {
  const [maker, checker] = [await passwordToken(OPERATORS.maker.username, OPERATORS.maker.password), await passwordToken(OPERATORS.checker.username, OPERATORS.checker.password)];
  if (!maker || !checker) throw new Error(`sandbox deposit: operator sign-in refused (${!maker ? OPERATORS.maker.username : OPERATORS.checker.username})`);
  const request = await post(`${paymentsUrl}/v1/admin/deposit-requests`, maker, { accountId, amount, description, reason });
  if (request.status !== 201) throw new Error(`sandbox deposit request answered ${request.status}: ${request.text}`);
  const approval = await post(`${paymentsUrl}/v1/admin/deposit-requests/${request.body.id}/approve`, checker, {});
  if (approval.status !== 200) throw new Error(`sandbox deposit approval answered ${approval.status}: ${approval.text}`);
  return approval.body;
}
