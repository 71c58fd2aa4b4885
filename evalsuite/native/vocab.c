/*
 * Words to ids in order of first appearance, with counts: a hash table of byte strings.
 *
 * vocab_add takes a run of tokens as UTF-8 joined by '\0' (the caller makes sure no
 * token holds one), writes each token's id (a new word gets the next one) and counts
 * it. vocab_size, vocab_words and vocab_counts read the words back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

typedef struct {
    int32_t *slots;   /* id + 1 of the word hashed there, 0 when empty; cap entries, a power of two */
    uint64_t *hashes; /* per id */
    int64_t *offset;  /* per id: where its bytes start in arena (offset[n] = arena_len) */
    int64_t *count;   /* per id */
    char *arena;
    int64_t cap, n, words_cap, arena_len, arena_cap;
} vocab_t;

static uint64_t hash_bytes(const char *s, int64_t n) {
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)n;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, s + i, (size_t)(n - i));
    h = (h ^ tail) * UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 29;
    h *= UINT64_C(0x94d049bb133111eb);
    return h ^ (h >> 32);
}

void vocab_free(void *handle) {
    vocab_t *v = handle;
    if (v == NULL) return;
    free_each(6, v->slots, v->hashes, v->offset, v->count, v->arena, v);
}

void *vocab_create(void) {
    vocab_t *v = calloc(1, sizeof(vocab_t));
    if (v == NULL) return NULL;
    v->cap = 1 << 16;
    v->words_cap = 1 << 14;
    v->arena_cap = 1 << 18;
    v->slots = calloc((size_t)v->cap, sizeof(int32_t));
    v->hashes = malloc(sizeof(uint64_t) * (size_t)v->words_cap);
    v->offset = malloc(sizeof(int64_t) * (size_t)(v->words_cap + 1));
    v->count = malloc(sizeof(int64_t) * (size_t)v->words_cap);
    v->arena = malloc((size_t)v->arena_cap);
    if (!v->slots || !v->hashes || !v->offset || !v->count || !v->arena) {
        vocab_free(v);
        return NULL;
    }
    v->offset[0] = 0;
    return v;
}

static int grow_slots(vocab_t *v) {
    const int64_t cap = v->cap * 2;
    int32_t *slots = calloc((size_t)cap, sizeof(int32_t));
    if (slots == NULL) return -1;
    for (int64_t id = 0; id < v->n; id++) {
        uint64_t i = v->hashes[id] & (uint64_t)(cap - 1);
        while (slots[i]) i = (i + 1) & (uint64_t)(cap - 1);
        slots[i] = (int32_t)(id + 1);
    }
    free(v->slots);
    v->slots = slots;
    v->cap = cap;
    return 0;
}

static int grow_words(vocab_t *v) {
    const int64_t cap = v->words_cap * 2;
    uint64_t *hashes = realloc(v->hashes, sizeof(uint64_t) * (size_t)cap);
    if (hashes) v->hashes = hashes;
    int64_t *offset = realloc(v->offset, sizeof(int64_t) * (size_t)(cap + 1));
    if (offset) v->offset = offset;
    int64_t *count = realloc(v->count, sizeof(int64_t) * (size_t)cap);
    if (count) v->count = count;
    if (!hashes || !offset || !count) return -1;
    v->words_cap = cap;
    return 0;
}

/* The id of word s (n bytes), added when new; -1 when memory runs out or ids run out. */
static int64_t lookup(vocab_t *v, const char *s, int64_t n) {
    const uint64_t h = hash_bytes(s, n), mask = (uint64_t)(v->cap - 1);
    uint64_t i = h & mask;
    for (int32_t slot; (slot = v->slots[i]) != 0; i = (i + 1) & mask) {
        const int64_t id = slot - 1;
        if (v->hashes[id] == h && v->offset[id + 1] - v->offset[id] == n &&
            memcmp(v->arena + v->offset[id], s, (size_t)n) == 0)
            return id;
    }
    if (v->n >= INT32_MAX - 1 || (v->n == v->words_cap && grow_words(v))) return -1;
    while (v->arena_len + n > v->arena_cap) {
        char *arena = realloc(v->arena, (size_t)v->arena_cap * 2);
        if (arena == NULL) return -1;
        v->arena = arena;
        v->arena_cap *= 2;
    }
    const int64_t id = v->n++;
    memcpy(v->arena + v->arena_len, s, (size_t)n);
    v->arena_len += n;
    v->offset[id + 1] = v->arena_len;
    v->hashes[id] = h;
    v->count[id] = 0;
    v->slots[i] = (int32_t)(id + 1);
    if (v->n * 2 > v->cap && grow_slots(v)) return -1;
    return id;
}

/*
 * The n_tokens tokens of buf (len bytes, '\0' between tokens): writes their ids to ids
 * and counts them. Returns 0, -1 when memory runs out, -2 when buf holds another
 * number of tokens.
 */
int vocab_add(void *handle, const char *buf, int64_t len, int64_t n_tokens, int32_t *ids) {
    vocab_t *v = handle;
    const char *p = buf, *end = buf + len;
    for (int64_t k = 0; k < n_tokens; k++) {
        const char *stop = k + 1 < n_tokens ? memchr(p, '\0', (size_t)(end - p)) : end;
        if (stop == NULL) return -2;
        const int64_t id = lookup(v, p, stop - p);
        if (id < 0) return -1;
        v->count[id]++;
        ids[k] = (int32_t)id;
        p = stop + 1;
    }
    return n_tokens == 0 && len != 0 ? -2 : 0;
}

int64_t vocab_size(void *handle) { return ((vocab_t *)handle)->n; }

int64_t vocab_bytes(void *handle) { return ((vocab_t *)handle)->arena_len; }

/* Copies the words' bytes (vocab_bytes of them), their n + 1 offsets and their n counts. */
void vocab_words(void *handle, char *bytes, int64_t *offsets, int64_t *counts) {
    const vocab_t *v = handle;
    memcpy(bytes, v->arena, (size_t)v->arena_len);
    memcpy(offsets, v->offset, sizeof(int64_t) * (size_t)(v->n + 1));
    memcpy(counts, v->count, sizeof(int64_t) * (size_t)v->n);
}
