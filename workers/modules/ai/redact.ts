/**
 * PII redaction for text sent to external providers: e-mail addresses, payment card numbers
 * (13–19 digits passing the Luhn check) and phone numbers. Returns the text, the count and the
 * count per kind (the safety console's redaction statistics).
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const CARDISH = /\b(?:\d[ -]?){12,18}\d\b/g;
const PHONE = /(?<![\w@])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?![\w@])/g;

function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

export type PiiKind = "email" | "card" | "phone";

export function redactPii(text: string): { text: string; count: number; kinds: Partial<Record<PiiKind, number>> } {
  let count = 0;
  const kinds: Partial<Record<PiiKind, number>> = {};
  const hit = (k: PiiKind) => {
    count++;
    kinds[k] = (kinds[k] ?? 0) + 1;
  };
  let out = text.replace(EMAIL, () => {
    hit("email");
    return "[EMAIL]";
  });
  out = out.replace(CARDISH, (m) => {
    const digits = m.replace(/\D/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) {
      hit("card");
      return "[CARD]";
    }
    return m;
  });
  out = out.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, "");
    // 7–15 digits with a separator or a + (plain years, amounts and ids stay).
    if (digits.length >= 7 && digits.length <= 15 && (/[ .()+-]/.test(m) || digits.length >= 10)) {
      hit("phone");
      return "[PHONE]";
    }
    return m;
  });
  return { text: out, count, kinds };
}
