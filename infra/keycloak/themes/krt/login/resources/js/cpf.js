// KRT Bank: the CPF field of Keycloak's sign-in and password-reset pages (#username). A value typed as digits is
// masked as 000.000.000-00 and its check digits are verified before the form is sent; the form then sends the
// 11 digits only (the customer's Keycloak user name). Anything else (the operator's user name) is left as typed.
(function () {
  'use strict';
  var CPF_CHARS = /^[\d.\-\s]+$/;
  var pt = (document.documentElement.lang || 'pt-BR').toLowerCase().indexOf('pt') === 0;
  var MESSAGE_INVALID = pt ? 'CPF inválido: confira os 11 dígitos.' : 'Invalid CPF: check the 11 digits.';

  function digitsOf(value) {
    return value.replace(/\D/g, '');
  }

  function looksLikeCpf(value) {
    return CPF_CHARS.test(value) && /\d/.test(value);
  }

  function mask(digits) {
    var d = digits.slice(0, 11);
    if (d.length <= 3) return d;
    if (d.length <= 6) return d.slice(0, 3) + '.' + d.slice(3);
    if (d.length <= 9) return d.slice(0, 3) + '.' + d.slice(3, 6) + '.' + d.slice(6);
    return d.slice(0, 3) + '.' + d.slice(3, 6) + '.' + d.slice(6, 9) + '-' + d.slice(9);
  }

  function checkDigit(digits, length) {
    var sum = 0;
    for (var i = 0; i < length; i++) sum += Number(digits[i]) * (length + 1 - i);
    var rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  }

  function validCpf(digits) {
    if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
    return checkDigit(digits, 9) === Number(digits[9]) && checkDigit(digits, 10) === Number(digits[10]);
  }

  function showError(input, message) {
    var slot = document.getElementById('input-error-client-username');
    if (!slot) {
      slot = document.createElement('div');
      slot.id = 'input-error-client-username';
      input.parentNode.parentNode.appendChild(slot);
    }
    slot.innerHTML = '';
    if (message) {
      var text = document.createElement('p');
      text.id = 'krt-cpf-error';
      text.className = 'krt-cpf-error';
      text.setAttribute('role', 'alert');
      text.textContent = message;
      slot.appendChild(text);
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'krt-cpf-error');
    } else {
      input.removeAttribute('aria-describedby');
      if (input.getAttribute('aria-invalid') === 'true' && !document.getElementById('input-error-username')) input.setAttribute('aria-invalid', '');
    }
  }

  function setUp() {
    // "Autentique-se novamente": the known user name is shown read-only (not sent); a CPF shows masked like the field.
    var attempted = document.getElementById('kc-attempted-username');
    if (attempted && attempted.tagName === 'INPUT' && !attempted.name && /^\d{11}$/.test(attempted.value)) attempted.value = mask(attempted.value);
    var input = document.getElementById('username');
    if (!input || input.type === 'hidden' || input.readOnly) return;
    input.setAttribute('autocapitalize', 'none');
    input.setAttribute('spellcheck', 'false');
    if (!input.getAttribute('placeholder')) input.setAttribute('placeholder', '000.000.000-00');
    if (looksLikeCpf(input.value)) input.value = mask(digitsOf(input.value));

    input.addEventListener('input', function () {
      if (!looksLikeCpf(input.value)) {
        showError(input, '');
        return;
      }
      var masked = mask(digitsOf(input.value));
      if (masked !== input.value) input.value = masked;
      if (digitsOf(masked).length === 11 && validCpf(digitsOf(masked))) showError(input, '');
    });
    input.addEventListener('blur', function () {
      if (looksLikeCpf(input.value) && digitsOf(input.value).length === 11) showError(input, validCpf(digitsOf(input.value)) ? '' : MESSAGE_INVALID);
    });

    // Capture phase: runs before the form's own onsubmit (which disables the button), so a refused CPF keeps the
    // form usable.
    document.addEventListener('submit', function (event) {
      if (event.target !== input.form || !looksLikeCpf(input.value)) return;
      var digits = digitsOf(input.value);
      if (!validCpf(digits)) {
        event.preventDefault();
        event.stopPropagation();
        showError(input, MESSAGE_INVALID);
        input.focus();
        return;
      }
      showError(input, '');
      input.value = digits;
    }, true);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUp);
  else setUp();
})();
