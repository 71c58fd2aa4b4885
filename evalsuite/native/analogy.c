/*
 * Analogy scoring: best and runner-up candidate per question, without writing
 * a (questions x candidates) score matrix.
 *
 * `sims` holds, for the distinct question words of a block, their cosine (or,
 * for 3CosMul, (cosine + 1) / 2) with every candidate: one row of `m` floats per
 * word. For question i the score of candidate x is
 *
 *     3CosAdd:  (sims[b][x] - sims[a][x]) + sims[c][x]
 *     3CosMul:  (sims[b][x] * sims[c][x]) / (sims[a][x] + eps)
 *
 * computed in float32 in exactly that order (compiled without reassociation or
 * contraction), so the scores equal numpy's elementwise results bit for bit.
 * Excluded candidates (row -1 pads) are skipped. The best is the first candidate
 * with the highest score, as numpy's argmax; `second` is the highest score of the
 * others. A question whose candidates are all excluded gets best -1.
 */
#include <float.h>
#include <stdint.h>

#define EXCLUDED (-FLT_MAX)

static inline float highest(const float *s, int64_t m) {
    float mx = EXCLUDED;
    for (int64_t x = 0; x < m; x++) mx = s[x] > mx ? s[x] : mx;
    return mx;
}

void analogy_best(const float *sims, int64_t m, const int64_t *ia, const int64_t *ib, const int64_t *ic,
                  int64_t n, const int64_t *exclude, int64_t n_exclude, int32_t cosmul, float eps,
                  float *scores, int64_t *best, float *top, float *second) {
    for (int64_t i = 0; i < n; i++) {
        const float *a = sims + ia[i] * m, *b = sims + ib[i] * m, *c = sims + ic[i] * m;
        if (cosmul) {
            for (int64_t x = 0; x < m; x++) scores[x] = (b[x] * c[x]) / (a[x] + eps);
        } else {
            for (int64_t x = 0; x < m; x++) scores[x] = (b[x] - a[x]) + c[x];
        }
        const int64_t *ex = exclude + i * n_exclude;
        for (int64_t j = 0; j < n_exclude; j++)
            if (ex[j] >= 0 && ex[j] < m) scores[ex[j]] = EXCLUDED;
        float mx = highest(scores, m);
        int64_t at = -1;
        if (mx > EXCLUDED) {
            for (int64_t x = 0; x < m; x++)
                if (scores[x] == mx) {
                    at = x;
                    break;
                }
            scores[at] = EXCLUDED;
        }
        float runner_up = highest(scores, m);
        best[i] = at;
        top[i] = mx;
        second[i] = runner_up;
    }
}
