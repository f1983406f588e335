const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/** Time-ordered, prefixed id (ULID layout: 48-bit ms time + 80 random bits), e.g. `usr_01jd…`. */
export function newId(prefix: string): string {
  const bytes = new Uint8Array(16);
  let t = Date.now();
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  crypto.getRandomValues(bytes.subarray(6));
  return `${prefix}_${encodeBase32(bytes)}`;
}

/** Unguessable secret token (256 bits), url-safe. */
export function randomToken(bytes = 32): string {
  return encodeBase32(crypto.getRandomValues(new Uint8Array(bytes)));
}
