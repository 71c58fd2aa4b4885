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
 * others. A question whose candidates are all excluded gets best -1 and top and
 * second -FLT_MAX.
 */
#include <float.h>
#include <stdint.h>

#define EXCLUDED (-FLT_MAX)

static inline float highest(const float *s, int64_t m) {
    float mx = EXCLUDED;
    for (int64_t x = 0; x < m; x++) mx = s[x] > mx ? s[x] : mx;
    return mx;
}

/* Candidates are visited in tiles of `tile` columns, all questions per tile, so
 * that the tile's slice of `sims` stays in cache while every question reads its
 * three rows from it; a running best and runner-up per question is merged tile
 * by tile. `best`, `top` and `second` are outputs. */
void analogy_best(const float *sims, int64_t m, const int64_t *ia, const int64_t *ib, const int64_t *ic,
                  int64_t n, const int64_t *exclude, int64_t n_exclude, int32_t cosmul, float eps,
                  int64_t tile, float *scores, int64_t *best, float *top, float *second) {
    for (int64_t i = 0; i < n; i++) {
        best[i] = -1;
        top[i] = EXCLUDED;
        second[i] = EXCLUDED;
    }
    for (int64_t t0 = 0; t0 < m; t0 += tile) {
        int64_t width = m - t0 < tile ? m - t0 : tile;
        for (int64_t i = 0; i < n; i++) {
            const float *a = sims + ia[i] * m + t0, *b = sims + ib[i] * m + t0, *c = sims + ic[i] * m + t0;
            float mx = EXCLUDED;
            if (cosmul) {
                for (int64_t x = 0; x < width; x++) {
                    float s = (b[x] * c[x]) / (a[x] + eps);
                    scores[x] = s;
                    mx = s > mx ? s : mx;
                }
            } else {
                for (int64_t x = 0; x < width; x++) {
                    float s = (b[x] - a[x]) + c[x];
                    scores[x] = s;
                    mx = s > mx ? s : mx;
                }
            }
            /* excluded candidates fall in few tiles: only those take the maximum again */
            const int64_t *ex = exclude + i * n_exclude;
            int excluded = 0;
            for (int64_t j = 0; j < n_exclude; j++)
                if (ex[j] >= t0 && ex[j] < t0 + width) {
                    scores[ex[j] - t0] = EXCLUDED;
                    excluded = 1;
                }
            if (excluded) mx = highest(scores, width);
            if (mx <= second[i]) continue; /* changes neither the best nor the runner-up */
            if (mx == top[i]) {            /* a tie with an earlier candidate, which stays best */
                second[i] = mx;
                continue;
            }
            if (mx < top[i]) {
                second[i] = mx;
                continue;
            }
            int64_t at = 0;
            while (scores[at] != mx) at++;
            scores[at] = EXCLUDED;
            float rest = highest(scores, width);
            second[i] = top[i] > rest ? top[i] : rest;
            top[i] = mx;
            best[i] = t0 + at;
        }
    }
}
