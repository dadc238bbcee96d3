function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getUint8ArrayMemory0();
    // scripts/post_build.py (from scripts/fast_decode.js): a short ASCII string is built here,
    // without TextDecoder's cost per call; tests/build/decoder.test.mjs compares the two.
    if (len <= 32) {
        let s = '';
        for (let i = ptr, end = ptr + len; i < end; i++) {
            const b = mem[i];
            if (b > 0x7f) return decodeText(mem.subarray(ptr, ptr + len));
            s += String.fromCharCode(b);
        }
        return s;
    }
    return decodeText(mem.subarray(ptr, ptr + len));
}
