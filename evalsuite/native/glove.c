/*
 * GloVe's AdaGrad updates, one nonzero at a time, as glove.c does.
 *
 * Each call trains on the nonzeros start..stop-1 of the (shuffled) arrays rows,
 * cols (int64 or int32), log_x and weight (weight = f(x), precomputed by the caller;
 * both may be strided, e.g. interleaved in one array of pairs), updating in
 * place the word matrix [W | b], the context matrix [W~ | b~] (both (V, dim + 1),
 * the bias in the last column) and their AdaGrad accumulators. Several threads
 * may call it at once on the same matrices, each on its own nonzeros, without
 * locks (Hogwild, as glove.c's threads); the caller releases the interpreter lock
 * (ctypes does), so calls on different threads run in parallel.
 *
 * For one nonzero (i, j):
 *   diff  = w_i . w~_j + b_i + b~_j - log x_ij,   fdiff = f(x_ij) diff
 *   loss += fdiff diff / 2
 *   g     = clip(fdiff * w~_j, clip) * lr  for w_i  (fdiff * w_i for w~_j, fdiff for the biases)
 *   param -= g / sqrt(G);  G += g * g                      (per component, G starting at 1)
 * Both rows' gradients use the values from before the update.
 */
#include <math.h>
#include <stdint.h>

#include "common.h"

static inline float clip(float g, float limit) {
    return g > limit ? limit : (g < -limit ? -limit : g);
}

static inline void prefetch_row(const float *row, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) __builtin_prefetch(row + i);
}

/* Moves the vector parts of w (word row) and c (context row), n components each. */
static inline void adagrad_vectors(float *restrict w, float *restrict c, float *restrict wsq,
                                   float *restrict csq, int64_t n, float fdiff,
                                   float lr, float limit) {
    for (int64_t b = 0; b < n; b++) {
        float gw = clip(fdiff * c[b], limit) * lr;
        float gc = clip(fdiff * w[b], limit) * lr;
        w[b] -= gw / sqrtf(wsq[b]);
        c[b] -= gc / sqrtf(csq[b]);
        wsq[b] += gw * gw;
        csq[b] += gc * gc;
    }
}

/* Id k of an int64 (wide) or int32 id array. */
static inline int64_t id_at(const void *ids, int wide, int64_t k) {
    return wide ? ((const int64_t *)ids)[k] : (int64_t)((const int32_t *)ids)[k];
}

/*
 * Returns the summed fdiff * diff / 2 of the nonzeros start..stop-1 (before each update).
 * rows and cols are int64 (index_bytes 8) or int32 (4); log_x[k * stride] and
 * weight[k * stride] are nonzero k's values (stride 2 reads interleaved pairs). Without
 * weight (NULL), f = min(1, exp(weighting_exponent (log x - log x_max))) = min(1, (x / x_max)^weighting_exponent).
 */
double glove_chunk(float *word, float *context, float *word_sq, float *context_sq, int64_t dim,
                   const void *rows, const void *cols, int64_t index_bytes, const float *log_x,
                   const float *weight, int64_t stride, int64_t start, int64_t stop, float lr, float limit,
                   float weighting_exponent, float log_x_max) {
    const int64_t width = dim + 1;
    const int wide = index_bytes == 8;
    double loss = 0.0;
    for (int64_t k = start; k < stop; k++) {
        if (k + 2 < stop) { /* the rows two nonzeros ahead: their cache misses overlap this one */
            const int64_t ahead_i = id_at(rows, wide, k + 2) * width, ahead_j = id_at(cols, wide, k + 2) * width;
            prefetch_row(word + ahead_i, width);
            prefetch_row(context + ahead_j, width);
            prefetch_row(word_sq + ahead_i, width);
            prefetch_row(context_sq + ahead_j, width);
        }
        const int64_t li = id_at(rows, wide, k) * width, lj = id_at(cols, wide, k) * width;
        float *w = word + li, *c = context + lj, *wsq = word_sq + li, *csq = context_sq + lj;
        float diff = dot(w, c, dim) + w[dim] + c[dim] - log_x[k * stride];
        const float f = weight ? weight[k * stride] : fminf(1.0f, expf(weighting_exponent * (log_x[k * stride] - log_x_max)));
        float fdiff = f * diff;
        loss += 0.5 * (double)fdiff * (double)diff;
        adagrad_vectors(w, c, wsq, csq, dim, fdiff, lr, limit);
        float gb = clip(fdiff, limit) * lr;
        w[dim] -= gb / sqrtf(wsq[dim]);
        c[dim] -= gb / sqrtf(csq[dim]);
        wsq[dim] += gb * gb;
        csq[dim] += gb * gb;
    }
    return loss;
}

/* splitmix64: seeds xoshiro256** and nothing else */
static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xoshiro256ss(uint64_t s[4]) {
    const uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, bound), without bias (Lemire's multiply-and-reject). */
static inline uint64_t below(uint64_t s[4], uint64_t bound) {
    __uint128_t m = (__uint128_t)xoshiro256ss(s) * bound;
    if ((uint64_t)m < bound) {
        const uint64_t floor = -bound % bound;
        while ((uint64_t)m < floor) m = (__uint128_t)xoshiro256ss(s) * bound;
    }
    return (uint64_t)(m >> 64);
}

/*
 * Fisher-Yates shuffle of n nonzeros in place: the same permutation applied to each of
 * the n_arrays arrays of 4-byte values (ids, log x ...), so that threads given different
 * arrays and the same seed shuffle them alike. The order depends only on n and seed.
 * No copy of the arrays is made, unlike a gather through a permutation.
 */
void glove_shuffle(uint32_t *const *arrays, int64_t n_arrays, int64_t n, uint64_t seed) {
    uint64_t s[4];
    for (int i = 0; i < 4; i++) s[i] = splitmix64(&seed);
    enum { AHEAD = 16 };
    uint64_t next[AHEAD]; /* the swap partners of the next AHEAD steps, drawn early to prefetch them */
    for (int64_t i = n - 1, a = 0; i > 0 && a < AHEAD; i--, a++) next[a] = below(s, (uint64_t)i + 1);
    for (int64_t i = n - 1, a = 0; i > 0; i--, a = (a + 1) % AHEAD) {
        const int64_t j = (int64_t)next[a];
        if (i - AHEAD > 0) {
            next[a] = below(s, (uint64_t)(i - AHEAD) + 1);
            for (int64_t k = 0; k < n_arrays; k++) __builtin_prefetch(arrays[k] + next[a], 1);
        }
        for (int64_t k = 0; k < n_arrays; k++) {
            uint32_t *x = arrays[k];
            const uint32_t t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
}
