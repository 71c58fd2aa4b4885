/*
 * Exact co-occurrence counting, one row of X at a time (a sparse accumulator).
 *
 * cooc_create, then cooc_add per run of sentences, lay the corpus out as
 *   -1 s0 -1 s1 -1 ... -1
 * (sentences of token ids between sentinels, so that windows stop at sentence ends);
 * cooc_index then groups the positions of each word (a counting sort). Row a of X is
 * the sum, over the occurrences of a, of weights[d - 1] for the word d places to the
 * right (and, when symmetric, to the left), d = 1..window, within the sentence. The
 * weights are the caller's integers (scale / d), summed in int64 per row in a dense
 * accumulator of vocabulary length, so the result does not depend on the order of the
 * additions.
 *
 * cooc_rows runs over blocks of rows taken from a shared counter, so several threads
 * may call it at once on the same handle (ctypes releases the interpreter lock). With
 * row_nnz it only counts each row's nonzeros; otherwise it writes each row, columns
 * ascending, at indptr[row] of indices / data: the int64 sums (out 0), or the
 * doubles (out 1) or floats (out 2) (double)sum / scale.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define OVERFLOW_GUARD (INT64_C(1) << 62)

typedef struct {
    int32_t *padded;  /* capacity: tokens + sentences + 1 */
    uint32_t *occ;    /* positions in padded, grouped by word, ascending */
    int64_t *start;   /* vocab + 1: occ[start[w] .. start[w + 1]) are the positions of w */
    int64_t *weights;
    int64_t vocab, window, n_padded, capacity;
    int symmetric;
} cooc_t;

#ifdef __GLIBC__
#include <malloc.h>
#endif

void cooc_free(void *handle) {
    cooc_t *c = handle;
    if (c == NULL) return;
    free_each(5, c->padded, c->occ, c->start, c->weights, c);
#ifdef __GLIBC__
    malloc_trim(0); /* give the freed corpus copies back now: the caller's next arrays are large */
#endif
}

/* Room for tokens ids in sentences; returns NULL when memory runs out. */
void *cooc_create(int64_t tokens, int64_t sentences, int64_t vocab, int64_t window, int symmetric,
                  const int64_t *weights) {
    cooc_t *c = calloc(1, sizeof(cooc_t));
    if (c == NULL) return NULL;
    c->capacity = tokens + sentences + 1;
    c->padded = malloc(sizeof(int32_t) * (size_t)c->capacity);
    c->start = calloc((size_t)vocab + 1, sizeof(int64_t));
    c->weights = malloc(sizeof(int64_t) * (size_t)window);
    if (!c->padded || !c->start || !c->weights) {
        cooc_free(c);
        return NULL;
    }
    memcpy(c->weights, weights, sizeof(int64_t) * (size_t)window);
    c->vocab = vocab;
    c->window = window;
    c->symmetric = symmetric;
    c->padded[c->n_padded++] = -1;
    return c;
}

/*
 * Appends n_sentences sentences: tokens[offsets[s] - offsets[0] ..] of each, ids in
 * [0, vocab) (the caller checks). Returns -1 past the capacity given to cooc_create.
 */
int cooc_add(void *handle, const int32_t *tokens, const int64_t *offsets, int64_t n_sentences) {
    cooc_t *c = handle;
    if (c->n_padded + (offsets[n_sentences] - offsets[0]) + n_sentences > c->capacity) return -1;
    for (int64_t s = 0; s < n_sentences; s++) {
        for (int64_t i = offsets[s]; i < offsets[s + 1]; i++) {
            const int32_t t = tokens[i - offsets[0]];
            c->padded[c->n_padded++] = t;
            c->start[t + 1]++;
        }
        c->padded[c->n_padded++] = -1;
    }
    return 0;
}

/* Groups the positions by word; returns -1 when memory runs out. */
int cooc_index(void *handle) {
    cooc_t *c = handle;
    const int64_t vocab = c->vocab;
    for (int64_t w = 0; w < vocab; w++) c->start[w + 1] += c->start[w];
    c->occ = malloc(sizeof(uint32_t) * (size_t)(c->start[vocab] > 0 ? c->start[vocab] : 1));
    if (c->occ == NULL) return -1;
    /* fill occ with start[w] as the cursor, then shift the cursors back */
    for (int64_t p = 0; p < c->n_padded; p++) {
        const int32_t t = c->padded[p];
        if (t >= 0) c->occ[c->start[t]++] = (uint32_t)p;
    }
    for (int64_t w = vocab; w > 0; w--) c->start[w] = c->start[w - 1];
    c->start[0] = 0;
    return 0;
}

static void sort_ints(int32_t *a, int64_t n) {
    while (n > 24) { /* quicksort on the larger side's loop, recursion on the smaller */
        int32_t x = a[0], y = a[n / 2], z = a[n - 1];
        int32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int64_t i = 0, j = n - 1;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j + 1 < n - i) {
            sort_ints(a, j + 1);
            a += i;
            n -= i;
        } else {
            sort_ints(a + i, n - i);
            n = j + 1;
        }
    }
    for (int64_t i = 1; i < n; i++) {
        int32_t v = a[i];
        int64_t j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/*
 * Adds row's neighbours into acc (zero outside the row's columns) and lists each column
 * once in touched (stamp[col] == row marks it); returns how many there are. Branch-free:
 * whether a column is new is a coin toss the branch predictor would lose.
 */
static int64_t scan_row(const cooc_t *c, int64_t row, int32_t *restrict stamp, int64_t *restrict acc,
                        int32_t *restrict touched, int count_only) {
    int64_t n = 0;
    const int32_t *padded = c->padded;
    const int64_t window = c->window, *weights = c->weights;
    const int32_t mark = (int32_t)row;
    const int64_t stop = c->start[row + 1];
    for (int64_t k = c->start[row]; k < stop; k++) {
        if (k + 8 < stop) { /* the corpus around an occurrence 8 ahead: its cache misses overlap */
            const int32_t *ahead = padded + c->occ[k + 8];
            __builtin_prefetch(ahead - window);
            __builtin_prefetch(ahead);
            __builtin_prefetch(ahead + window);
        }
        const int64_t p = c->occ[k];
        for (int side = 0; side < 1 + c->symmetric; side++) {
            const int64_t step = side ? -1 : 1;
            for (int64_t d = 1; d <= window; d++) {
                const int32_t t = padded[p + step * d];
                if (t < 0) break;
                touched[n] = t;
                n += stamp[t] != mark;
                stamp[t] = mark;
                if (!count_only) acc[t] += weights[d - 1];
            }
        }
    }
    return n;
}

/* Writes row's n columns ascending with their sums (see out) and zeroes them in acc; -2 on a sum above 2**62. */
static int emit_row(const cooc_t *c, int64_t row, int64_t n, const int32_t *stamp, int64_t *acc,
                    int32_t *touched, int32_t *indices, void *data, double scale, int out) {
    if (n * 16 > c->vocab) { /* a dense scan is cheaper than sorting this many */
        n = 0;
        for (int64_t col = 0; col < c->vocab; col++)
            if (stamp[col] == (int32_t)row) touched[n++] = (int32_t)col;
    } else {
        sort_ints(touched, n);
    }
    int status = 0;
    for (int64_t k = 0; k < n; k++) {
        const int64_t v = acc[touched[k]];
        acc[touched[k]] = 0;
        if (v > OVERFLOW_GUARD) status = -2;
        indices[k] = touched[k];
        if (out == 0)
            ((int64_t *)data)[k] = v;
        else if (out == 1)
            ((double *)data)[k] = (double)v / scale;
        else
            ((float *)data)[k] = (float)((double)v / scale);
    }
    return status;
}

/*
 * Rows of blocks bounds[b] .. bounds[b + 1], b taken from *next until n_blocks (see the top).
 * Returns 0, -1 when memory runs out, or -2 on an overflowing sum.
 */
int cooc_rows(void *handle, const int64_t *bounds, int64_t n_blocks, int64_t *next, int64_t *row_nnz,
              const int64_t *indptr, int32_t *indices, void *data, double scale, int out) {
    const cooc_t *c = handle;
    int32_t *stamp = malloc(sizeof(int32_t) * (size_t)c->vocab);
    int32_t *touched = malloc(sizeof(int32_t) * (size_t)(c->vocab + 1)); /* scan_row writes one past */
    int64_t *acc = calloc((size_t)c->vocab, sizeof(int64_t));
    int status = 0;
    if (!stamp || !touched || !acc) status = -1;
    if (stamp) memset(stamp, 0xff, sizeof(int32_t) * (size_t)c->vocab); /* -1: no row yet */
    for (int64_t b; status == 0 && (b = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED)) < n_blocks;) {
        for (int64_t row = bounds[b]; row < bounds[b + 1] && status == 0; row++) {
            const int64_t n = scan_row(c, row, stamp, acc, touched, row_nnz != NULL);
            if (row_nnz != NULL)
                row_nnz[row] = n;
            else
                status = emit_row(c, row, n, stamp, acc, touched, indices + indptr[row],
                                  (char *)data + indptr[row] * (out == 2 ? 4 : 8), scale, out);
        }
    }
    free(stamp);
    free(touched);
    free(acc);
    return status;
}
