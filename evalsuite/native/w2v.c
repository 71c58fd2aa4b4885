/*
 * Word2Vec negative-sampling updates, one example at a time, as word2vec.c does.
 *
 * Each call trains the centres start..stop-1 of a (subsampled) token stream held
 * in memory: for every centre it walks the dynamic window (not crossing sentence
 * boundaries), draws negatives from the unigram^power table with a private
 * xorshift generator, and updates the shared weight matrices in place (Hogwild:
 * several threads may call it at once on the same matrices). The caller releases
 * the interpreter lock (ctypes does), so calls on different threads run in
 * parallel.
 *
 * For score f = h . c and label l (1 for the target, 0 for a noise word), the
 * update is g = lr * (l - sigmoid(f)); c += g h; dh += g c. Noise words are drawn
 * from the unigram^power distribution by Walker's alias method (tables built by
 * the caller); those equal to the target are skipped, as in word2vec.c and gensim.
 * The returned loss is the summed -log sigmoid(f) of targets and -log sigmoid(-f)
 * of noise words.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static inline uint64_t next_random(uint64_t *state) {
    /* xorshift64* */
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static inline void axpy(float g, const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += g * x[i];
}

/* A noise word by Walker's alias method: column j is kept with probability
 * keep[j], else replaced by alias[j]; both tables fit in cache. */
static inline int32_t draw_noise(const float *keep, const int32_t *alias, int64_t n_words, uint64_t *rng) {
    uint64_t r = next_random(rng);
    int64_t j = (int64_t)(((r >> 32) * (uint64_t)n_words) >> 32);
    float u = (float)(r & 0xFFFFFFu) * (1.0f / 16777216.0f);
    return u < keep[j] ? (int32_t)j : alias[j];
}

/* The loss is -log of the product of the probabilities given to the right labels,
 * kept as prod * 1e-200^scale so that no log is taken per example. */
typedef struct {
    double prod;
    int64_t scale;
} LossAcc;

static inline void loss_add(LossAcc *acc, float p) {
    acc->prod *= (double)(p > 1e-30f ? p : 1e-30f);
    if (acc->prod < 1e-200) {
        acc->prod *= 1e200;
        acc->scale++;
    }
}

static inline double loss_value(const LossAcc *acc) {
    return -(log(acc->prod) - (double)acc->scale * 200.0 * log(10.0));
}

/* Scores h against the target and `negative` noise words, updates their output
 * rows in C and accumulates the gradient for h in dh. `words` holds the target and
 * the noise words, drawn beforehand so that their rows could be prefetched. */
static void score_and_update(const float *h, float *C, int64_t dim, const int32_t *words, int64_t negative,
                             float lr, LossAcc *loss, float *dh) {
    for (int64_t k = 0; k <= negative; k++) {
        int32_t word = words[k];
        if (k > 0 && word == words[0]) continue; /* a noise word equal to the target */
        float label = k == 0 ? 1.0f : 0.0f;
        float *c = C + (int64_t)word * dim;
        float f = dot(h, c, dim);
        float e = expf(-fabsf(f));
        float inv = 1.0f / (1.0f + e);
        float sig = f >= 0.0f ? inv : e * inv;  /* sigmoid(f) */
        float rev = f >= 0.0f ? e * inv : inv;  /* sigmoid(-f) = 1 - sigmoid(f), without cancellation */
        loss_add(loss, k == 0 ? sig : rev);
        float g = lr * (label - sig);
        axpy(g, c, dh, dim);
        axpy(g, h, c, dim);
    }
}

static inline void prefetch_row(const float *row, int64_t dim) {
    for (int64_t i = 0; i < dim; i += 16) __builtin_prefetch(row + i);
}

/* Draws the noise words of the next example into words[1..negative] and starts
 * loading their rows, so that the cache misses overlap the current example. */
static inline void draw_noise_ahead(int32_t *words, const float *C, int64_t dim, const float *keep,
                                    const int32_t *alias, int64_t n_words, int64_t negative, uint64_t *rng) {
    for (int64_t k = 1; k <= negative; k++) {
        words[k] = draw_noise(keep, alias, n_words, rng);
        prefetch_row(C + (int64_t)words[k] * dim, dim);
    }
}

#define MAX_NEGATIVE 64

/* Skip-gram: the context word's input vector predicts the centre (word2vec.c order). */
double sgns_chunk(float *W, float *C, int64_t dim, const int32_t *tokens, const int32_t *sent,
                  int64_t n_tokens, int64_t start, int64_t stop, const int32_t *eff,
                  const float *keep, const int32_t *alias, int64_t n_words, int64_t negative, float lr,
                  uint64_t seed, int64_t *n_examples) {
    uint64_t rng = seed | 1ULL;
    int32_t words[MAX_NEGATIVE + 1], ahead[MAX_NEGATIVE + 1];
    LossAcc loss = {1.0, 0};
    int64_t examples = 0;
    float *dh = malloc(sizeof(float) * (size_t)dim);
    if (dh == NULL || negative > MAX_NEGATIVE) { free(dh); *n_examples = -1; return 0.0; }
    draw_noise_ahead(ahead, C, dim, keep, alias, n_words, negative, &rng);
    for (int64_t pos = start; pos < stop; pos++) {
        int64_t b = eff[pos - start];
        int64_t lo = pos - b < 0 ? 0 : pos - b;
        int64_t hi = pos + b >= n_tokens ? n_tokens - 1 : pos + b;
        if (pos + 1 < n_tokens) prefetch_row(C + (int64_t)tokens[pos + 1] * dim, dim);
        for (int64_t j = lo; j <= hi; j++) {
            if (j == pos || sent[j] != sent[pos]) continue;
            if (j + 1 < n_tokens) prefetch_row(W + (int64_t)tokens[j + 1] * dim, dim);
            memcpy(words, ahead, sizeof(int32_t) * (size_t)(negative + 1));
            words[0] = tokens[pos];
            draw_noise_ahead(ahead, C, dim, keep, alias, n_words, negative, &rng);
            float *h = W + (int64_t)tokens[j] * dim;
            memset(dh, 0, sizeof(float) * (size_t)dim);
            score_and_update(h, C, dim, words, negative, lr, &loss, dh);
            axpy(1.0f, dh, h, dim);
            examples++;
        }
    }
    free(dh);
    *n_examples = examples;
    return loss_value(&loss);
}

/* CBOW: the sum (mean=0) or mean (mean=1) of the context input vectors predicts the
 * centre; each context word then receives dh (mean=1) or dh / count (mean=0),
 * as in word2vec.c and gensim. */
double cbow_chunk(float *W, float *C, int64_t dim, const int32_t *tokens, const int32_t *sent,
                  int64_t n_tokens, int64_t start, int64_t stop, const int32_t *eff,
                  const float *keep, const int32_t *alias, int64_t n_words, int64_t negative, float lr,
                  int32_t mean, uint64_t seed, int64_t *n_examples) {
    uint64_t rng = seed | 1ULL;
    int32_t words[MAX_NEGATIVE + 1], ahead[MAX_NEGATIVE + 1];
    LossAcc loss = {1.0, 0};
    int64_t examples = 0;
    float *h = malloc(sizeof(float) * (size_t)dim * 2);
    if (h == NULL || negative > MAX_NEGATIVE) { free(h); *n_examples = -1; return 0.0; }
    float *dh = h + dim;
    draw_noise_ahead(ahead, C, dim, keep, alias, n_words, negative, &rng);
    for (int64_t pos = start; pos < stop; pos++) {
        int64_t b = eff[pos - start];
        int64_t lo = pos - b < 0 ? 0 : pos - b;
        int64_t hi = pos + b >= n_tokens ? n_tokens - 1 : pos + b;
        int64_t count = 0;
        if (hi + 1 < n_tokens) prefetch_row(W + (int64_t)tokens[hi + 1] * dim, dim);
        if (pos + 1 < n_tokens) prefetch_row(C + (int64_t)tokens[pos + 1] * dim, dim);
        memset(h, 0, sizeof(float) * (size_t)dim);
        for (int64_t j = lo; j <= hi; j++) {
            if (j == pos || sent[j] != sent[pos]) continue;
            axpy(1.0f, W + (int64_t)tokens[j] * dim, h, dim);
            count++;
        }
        if (count == 0) continue;
        memcpy(words, ahead, sizeof(int32_t) * (size_t)(negative + 1));
        words[0] = tokens[pos];
        draw_noise_ahead(ahead, C, dim, keep, alias, n_words, negative, &rng);
        float inv = 1.0f / (float)count;
        if (mean) for (int64_t i = 0; i < dim; i++) h[i] *= inv;
        memset(dh, 0, sizeof(float) * (size_t)dim);
        score_and_update(h, C, dim, words, negative, lr, &loss, dh);
        if (!mean) for (int64_t i = 0; i < dim; i++) dh[i] *= inv;
        for (int64_t j = lo; j <= hi; j++) {
            if (j == pos || sent[j] != sent[pos]) continue;
            axpy(1.0f, dh, W + (int64_t)tokens[j] * dim, dim);
        }
        examples++;
    }
    free(h);
    *n_examples = examples;
    return loss_value(&loss);
}
