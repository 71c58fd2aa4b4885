/*
 * Helpers shared by the kernels (glove.c, w2v.c, cooccur.c, vocab.c), included by each.
 */
#ifndef EVALSUITE_NATIVE_COMMON_H
#define EVALSUITE_NATIVE_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

/* free() each of the n pointers given (a handle's arrays, then the handle itself) */
static inline void free_each(int n, ...) {
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) free(va_arg(ap, void *));
    va_end(ap);
}

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

#endif
