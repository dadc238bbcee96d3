// The wasm-bindgen glue's string decoder as scripts/post_build.py patches it
// (scripts/fast_decode.js: strings of up to LIMIT bytes are built by a loop when
// they are ASCII) gives exactly what the glue's own TextDecoder gives, for every
// byte at every position of every length up to the limit and one past it, every
// string of one or two bytes, every string of up to four bytes over the bytes
// that matter to UTF-8, and random valid and invalid UTF-8. Run: node --test tests/build
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('../../scripts/fast_decode.js', import.meta.url), 'utf8');
const LIMIT = Number(/if \(len <= (\d+)\)/.exec(source)?.[1]);

// The glue's surroundings: its memory view and its decodeText (a TextDecoder
// with ignoreBOM, as wasm-bindgen 0.2.130 creates it).
const memory = new Uint8Array(4096);
const glueDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const decodeText = (bytes) => glueDecoder.decode(bytes);
const getStringFromWasm0 = new Function('getUint8ArrayMemory0', 'decodeText', `${source}\nreturn getStringFromWasm0;`)(
  () => memory,
  decodeText,
);
const reference = new TextDecoder('utf-8', { ignoreBOM: true });

/** Compares both decoders on `bytes` placed at `ptr`; returns a failure or null. */
function compare(bytes, ptr = 7) {
  memory.fill(0x2a, ptr - 7, ptr + bytes.length + 7); // other bytes around it must not leak in
  memory.set(bytes, ptr);
  const got = getStringFromWasm0(ptr, bytes.length);
  const want = reference.decode(bytes);
  return got === want ? null : { bytes: [...bytes].map((b) => b.toString(16)).join(' '), got, want };
}

function check(cases) {
  const failures = [];
  let n = 0;
  for (const bytes of cases) {
    n++;
    const f = compare(bytes);
    if (f && failures.push(f) >= 5) break;
  }
  assert.deepEqual(failures, [], `${failures.length} of ${n} byte patterns decode differently`);
  return n;
}

test('the limit is read from the patched function', () => {
  assert.equal(LIMIT, 32);
});

test('every byte value at every position of every length up to the limit and one past it', () => {
  const n = check(
    (function* () {
      for (let len = 0; len <= LIMIT + 1; len++) {
        const filler = Uint8Array.from({ length: len }, (_, i) => 0x20 + ((i * 7) % 95));
        if (len === 0) yield filler;
        for (let pos = 0; pos < len; pos++) {
          for (let b = 0; b < 256; b++) {
            const bytes = filler.slice();
            bytes[pos] = b;
            yield bytes;
          }
        }
      }
    })(),
  );
  assert.equal(n, 1 + (256 * (LIMIT + 1) * (LIMIT + 2)) / 2);
});

test('every string of one and two bytes', () => {
  const n = check(
    (function* () {
      for (let a = 0; a < 256; a++) {
        yield Uint8Array.of(a);
        for (let b = 0; b < 256; b++) yield Uint8Array.of(a, b);
      }
    })(),
  );
  assert.equal(n, 256 + 256 * 256);
});

test('every string of up to four bytes over the bytes that matter to UTF-8', () => {
  // ASCII edges, continuation bytes, lead bytes of 2-, 3- and 4-byte forms (overlong,
  // surrogate and past-U+10FFFF leads among them), and bytes UTF-8 never uses.
  const alphabet = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
  const k = alphabet.length;
  const n = check(
    (function* () {
      for (let len = 3; len <= 4; len++) {
        for (let code = 0; code < k ** len; code++) {
          const bytes = new Uint8Array(len);
          for (let i = 0, c = code; i < len; i++, c = Math.floor(c / k)) bytes[i] = alphabet[c % k];
          yield bytes;
        }
      }
    })(),
  );
  assert.equal(n, k ** 3 + k ** 4);
});

test('random valid and invalid UTF-8 of every length up to the limit and past it', () => {
  let seed = 0x2545f491;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8);
  const encoder = new TextEncoder();
  const n = check(
    (function* () {
      for (let i = 0; i < 60000; i++) {
        const len = next() % (LIMIT + 9);
        if (i % 2) {
          yield Uint8Array.from({ length: len }, () => (i % 4 === 1 ? next() % 128 : next() % 256));
        } else {
          // Text of random code points (astral ones and lone surrogates too), cut to `len` bytes.
          let s = '';
          while (s.length < len) {
            const kind = next() % 4;
            const cp = kind === 0 ? next() % 0x80 : kind === 1 ? next() % 0x800 : kind === 2 ? next() % 0x10000 : 0x10000 + (next() % 0x100000);
            s += String.fromCodePoint(cp);
          }
          yield encoder.encode(s).slice(0, len);
        }
      }
    })(),
  );
  assert.equal(n, 60000);
});

test('a byte-order mark is kept, as the glue keeps it', () => {
  assert.equal(compare(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41)), null);
  assert.equal(getStringFromWasm0(7, 4), '\ufeffA');
});
