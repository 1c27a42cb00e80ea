"""Schemathesis hooks for KRT Bank (loaded by scripts/schemathesis.mjs through SCHEMATHESIS_HOOKS).

- The `cpf` string format: a CPF whose check digits are valid (beyond what a regular expression can state), bare or
  formatted, so positive cases carry real CPFs.
- Positive cases whose CPF-shaped value (a PIX key, a key value, a sign-in CPF) has wrong check digits get the valid
  CPF of the same shape: the coverage phase derives values from `pattern` alone inside anyOf/oneOf, which makes
  them schema-invalid for the declared `cpf` format.
- A real receiver: half of the positive PIX transfers go to the EVP key of a second customer the script registered
  (KRT_PAYEE_KEY), so some are accepted (202) and the stateful phase follows a created transfer to its detail; random
  keys alone are almost never registered (404).
- Cursors are opaque tokens the server issues (`nextCursor`); a client never makes one up. Positive cases therefore
  leave `cursor` out (negative cases keep their malformed cursors, which must be refused); the stateful phase follows
  the `nextCursor` links the API description declares.
- `schema_valid_never_malformed`: on the operations whose business rules may answer 422 (see schemathesis.toml), a
  schema-valid request must never be refused with a validation code.
"""
import os
import re
import zlib

import schemathesis
from hypothesis import strategies as st


def _check_digit(digits):
    total = sum(d * (len(digits) + 1 - i) for i, d in enumerate(digits))
    r = (total * 10) % 11
    return 0 if r == 10 else r


@st.composite
def _cpf(draw):
    base = draw(st.lists(st.integers(0, 9), min_size=9, max_size=9).filter(lambda d: len(set(d)) > 1))
    d1 = _check_digit(base)
    d2 = _check_digit(base + [d1])
    s = "".join(map(str, base + [d1, d2]))
    if draw(st.booleans()):
        return f"{s[0:3]}.{s[3:6]}.{s[6:9]}-{s[9:11]}"
    return s


schemathesis.openapi.format("cpf", _cpf())


CPF_SHAPE = re.compile(r"^([0-9]{11}|[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2})$")
# Fields whose schema is, or may be, the `cpf` format (a PIX key's CPF branch, a key value, the sign-in CPF).
CPF_FIELDS = {"key", "value", "cpf"}


def _valid_cpf_like(value):
    """The same shape with valid check digits (the `cpf` format), from the value's first nine digits."""
    digits = [int(c) for c in value if c.isdigit()]
    base = digits[:9]
    if len(set(base)) == 1:
        base[0] = (base[0] + 1) % 10
    d1 = _check_digit(base)
    d2 = _check_digit(base + [d1])
    s = "".join(map(str, base + [d1, d2]))
    return f"{s[0:3]}.{s[3:6]}.{s[6:9]}-{s[9:11]}" if "." in value else s


def _cpf_valid(value):
    digits = [int(c) for c in value if c.isdigit()]
    return len(set(digits)) > 1 and _check_digit(digits[:9]) == digits[9] and _check_digit(digits[:10]) == digits[10]


def _repair_cpfs(container):
    if not isinstance(container, dict):
        return
    for name, value in list(container.items()):
        if name in CPF_FIELDS and isinstance(value, str) and CPF_SHAPE.match(value) and not _cpf_valid(value):
            container[name] = _valid_cpf_like(value)


@schemathesis.hook
def before_call(ctx, case, kwargs):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    if isinstance(case.query, dict) and "cursor" in case.query:
        del case.query["cursor"]
    # The coverage phase derives values from `pattern` and skips a custom `format` inside anyOf/oneOf: a CPF-shaped
    # value with wrong check digits is not schema-valid (format `cpf`), so positive cases get the valid CPF of that shape.
    _repair_cpfs(case.query)
    _repair_cpfs(case.body)
    # The fuzz customer's transaction PIN (chosen at registration): positive cases send it, so they reach the business
    # rules instead of spending the three attempts (a wrong PIN is a well-formed request the PIN check refuses; the
    # integration tests cover it) — and a positive PUT /api/v1/pix/pin keeps the same PIN for the rest of the run.
    if isinstance(case.body, dict) and "pin" in case.body:
        case.body["pin"] = os.environ.get("KRT_PIN", "4721")
    payee = os.environ.get("KRT_PAYEE_KEY")
    if payee and case.operation.label == "POST /api/v1/pix/transfers" and isinstance(case.body, dict) and "key" in case.body:
        if zlib.crc32(repr(sorted(case.body.items())).encode()) % 2 == 0:
            case.body["key"] = payee


# Codes a business rule answers with (the request was well formed; the account's state refused it).
BUSINESS_CODES = {
    "SALDO_INSUFICIENTE",
    "PIX_KEY_LIMIT_REACHED",
    "CPF_KEY_NOT_HOLDER",
    "SELF_TRANSFER",
    "RECEIVER_ACCOUNT_UNAVAILABLE",
    "IDEMPOTENCY_KEY_REUSED",
    "LIMIT_ABOVE_DEFAULT",
    "LIMIT_INCONSISTENT",
    "LIMIT_PER_TRANSACTION_EXCEEDED",
    "LIMIT_DAILY_EXCEEDED",
    "LIMIT_NIGHT_EXCEEDED",
    "NOT_THE_RECEIVER",
    "REFUND_NOT_ALLOWED",
    "REFUND_WINDOW_EXPIRED",
    "REFUND_EXCEEDS_ORIGINAL",
    "PIN_NOT_SET",
    "PIN_INVALID",
    "PIN_LOCKED",
    "PIN_WEAK",
    "PIN_ALREADY_SET",
    "REAUTHENTICATION_REQUIRED",
    "ACCOUNT_BLOCKED",
    "PAYEE_ACCOUNT_BLOCKED",
}

# The operations where positive_data_acceptance also takes 422 (schemathesis.toml); elsewhere the built-in check is
# already strict.
BUSINESS_RULE_OPERATIONS = {
    "POST /api/v1/pix/transfers",
    "POST /api/v1/pix/transfers/{id}/refunds",
    "POST /api/v1/pix/keys",
    "PUT /api/v1/accounts/me/limits",
    "POST /api/v1/pix/pin",
    "PUT /api/v1/pix/pin",
}


@schemathesis.check
def schema_valid_never_malformed(ctx, response, case):
    meta = case.meta
    if case.operation.label not in BUSINESS_RULE_OPERATIONS:
        return None
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (400, 415, 422):
        return None
    try:
        code = response.json().get("code")
    except Exception:  # noqa: BLE001 - a non-JSON 4xx is itself a failure here
        code = None
    if code not in BUSINESS_CODES:
        raise AssertionError(f"A schema-valid request was refused as malformed: {response.status_code} {code}")
    return None
