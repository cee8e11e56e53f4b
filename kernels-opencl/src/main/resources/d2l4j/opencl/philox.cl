// Philox-4x32-10 (Salmon et al., SC'11; Random123's philox4x32_R(10, ...)) and d2l4j's dropout mask,
// bit for bit the same as d2l4j.tensor.Philox (block and dropoutMask), which is the spec.
//
//   counter c = (c0, c1, c2, c3), key k = (k0, k1), uint
//   repeat 10 times:
//     (hi0, lo0) = 0xD2511F53 · c0            64-bit product: mul_hi gives hi, uint * uint wraps to lo
//     (hi1, lo1) = 0xCD9E8D57 · c2
//     c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
//     k0 += 0x9E3779B9;  k1 += 0xBB67AE85
//
// Dropout layout: element i = 4b + lane is word `lane` of the block with
//   counter = (b, step, epoch, layer), key = (k0, k1) = ((int) seed, (int) (seed >>> 32)),
// kept (= keep) when that word u >= threshold, else 0. The host passes threshold = Philox.threshold(p)
// = min(2^32 − 1, ⌊p · 2^32⌋) and keep = 1f / (1f − p), both computed in Java, so no float rounding
// happens here and every backend draws the same mask.

uint4 philox4x32_10(uint4 c, uint2 k) {
    for (int round = 0; round < 10; round++) {
        uint hi0 = mul_hi(0xD2511F53u, c.x), lo0 = 0xD2511F53u * c.x;
        uint hi1 = mul_hi(0xCD9E8D57u, c.z), lo1 = 0xCD9E8D57u * c.z;
        c = (uint4)(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
        k += (uint2)(0x9E3779B9u, 0xBB67AE85u);
    }
    return c;
}

// mask [n]. One work-item per block of 4 elements (global size ⌈n/4⌉); the last may write fewer.
__kernel void dropout_mask(__global float* mask, int n, uint threshold, float keep, uint k0, uint k1,
                           uint epoch, uint step, uint layer) {
    int b = get_global_id(0);
    if (b >= n / 4 + (n % 4 != 0)) return;   // b < ⌈n/4⌉, written so that nothing overflows int
    int base = 4 * b;
    uint4 u = philox4x32_10((uint4)((uint) b, step, epoch, layer), (uint2)(k0, k1));
    uint w[4] = {u.x, u.y, u.z, u.w};
    for (int lane = 0; lane < 4 && base + lane < n; lane++) {
        mask[base + lane] = w[lane] >= threshold ? keep : 0.0f;
    }
}
