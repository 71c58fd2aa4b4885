/*
 * GloVe's AdaGrad updates, one nonzero at a time, as glove.c does.
 *
 * Each call trains on the nonzeros start..stop-1 of the (shuffled) arrays rows,
 * cols, log_x and weight (weight = f(x), precomputed by the caller), updating in
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

static inline float dot(const float *a, const float *b, int64_t n) {
    /* 32 independent partial sums, so the additions pipeline and vectorise */
    float acc[32] = {0};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int j = 0; j < 32; j++) acc[j] += a[i + j] * b[i + j];
    float s = 0.0f;
    for (; i < n; i++) s += a[i] * b[i];
    for (int j = 0; j < 32; j++) s += acc[j];
    return s;
}

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

/* Returns the summed fdiff * diff / 2 of the nonzeros start..stop-1 (before each update). */
double glove_chunk(float *word, float *context, float *word_sq, float *context_sq, int64_t dim,
                   const int64_t *rows, const int64_t *cols, const float *log_x, const float *weight,
                   int64_t start, int64_t stop, float lr, float limit) {
    const int64_t stride = dim + 1;
    double loss = 0.0;
    for (int64_t k = start; k < stop; k++) {
        if (k + 2 < stop) { /* the rows two nonzeros ahead: their cache misses overlap this one */
            prefetch_row(word + rows[k + 2] * stride, stride);
            prefetch_row(context + cols[k + 2] * stride, stride);
            prefetch_row(word_sq + rows[k + 2] * stride, stride);
            prefetch_row(context_sq + cols[k + 2] * stride, stride);
        }
        const int64_t li = rows[k] * stride, lj = cols[k] * stride;
        float *w = word + li, *c = context + lj, *wsq = word_sq + li, *csq = context_sq + lj;
        float diff = dot(w, c, dim) + w[dim] + c[dim] - log_x[k];
        float fdiff = weight[k] * diff;
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
