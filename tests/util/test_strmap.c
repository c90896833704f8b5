/* strmap: keys found after growth, and strmap_merge — the entries of two
 * maps with overlapping keys (each value in its own map's arena), merged
 * both ways round and into an empty map: every key once, the value pick()
 * chose, the values still readable after the emptied map is freed (its
 * arena moved, nothing copied), and the merged map still growing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/strmap.h"

typedef struct val {
    int from;       /* which map made it */
    long n;
} val;

/* Keys k<from> .. k<to - 1>, each with a value in the map's arena. */
static void fill(strmap *m, int from, int to, int who)
{
    for (int i = from; i < to; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "key-%d", i);
        val *v = arena_alloc(strmap_arena(m), sizeof *v);
        *v = (val){who, i};
        strmap_put(m, key, (size_t)n, v);
    }
}

/* The higher `from` wins. */
static void *higher(void *had, void *got)
{
    return ((val *)got)->from > ((val *)had)->from ? got : had;
}

static void check(const strmap *m, int to, int overlap_from, int overlap_to, int a, int b)
{
    assert_int_equal(m->n, (size_t)to);
    for (int i = 0; i < to; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "key-%d", i);
        const val *v = strmap_get(m, key, (size_t)n);
        assert_non_null(v);
        assert_int_equal(v->n, i);
        int want = i < overlap_from ? a : i < overlap_to ? (a > b ? a : b) : b;
        assert_int_equal(v->from, want);
    }
}

static void test_merge(void **state)
{
    (void)state;
    for (int way = 0; way < 2; way++) {
        strmap x, y;
        strmap_init(&x);
        strmap_init(&y);
        /* x: keys 0-2999, y: 2000-9999; both grow several times. */
        fill(&x, 0, 3000, way ? 2 : 1);
        fill(&y, 2000, 10000, way ? 1 : 2);
        strmap_merge(&x, &y, higher);
        assert_int_equal(y.n, 0);
        strmap_free(&y); /* its arena lives on in x */
        check(&x, 10000, 2000, 3000, way ? 2 : 1, way ? 1 : 2);
        fill(&x, 10000, 12000, 3); /* and x still grows */
        assert_int_equal(x.n, 12000);
        strmap_free(&x);
    }
    /* Into an empty map: taken whole. */
    strmap e, z;
    strmap_init(&e);
    strmap_init(&z);
    fill(&z, 0, 500, 7);
    strmap_merge(&e, &z, higher);
    strmap_free(&z);
    check(&e, 500, 0, 0, 7, 7);
    strmap_free(&e);
}

/* strmap_intern: one copy per string, NUL-terminated, told apart from
 * strings that share a prefix or differ in length; the copies of both maps
 * stay readable after a merge adopts one map's arena. */
static void *keep_had(void *had, void *got)
{
    (void)got;
    return had;
}

static void test_intern(void **state)
{
    (void)state;
    strmap a, b;
    strmap_init(&a);
    strmap_init(&b);
    char buf[32];
    const char *first[200], *other[200];
    for (int i = 0; i < 200; i++) {
        int n = snprintf(buf, sizeof buf, "C:\\img%d.exe", i % 50);
        first[i] = strmap_intern(&a, buf, (size_t)n);
        assert_string_equal(first[i], buf);
        assert_ptr_not_equal(first[i], buf);
        if (i >= 50)
            assert_ptr_equal(first[i], first[i - 50]); /* one copy */
        n = snprintf(buf, sizeof buf, "C:\\img%d.exe", i);
        other[i] = strmap_intern(&b, buf, (size_t)n);
    }
    assert_int_equal(a.n, 50);
    assert_ptr_not_equal(strmap_intern(&a, "C:\\img1", 7), first[1]); /* a prefix */
    strmap_merge(&a, &b, keep_had);
    strmap_free(&b);
    for (int i = 0; i < 200; i++) {
        snprintf(buf, sizeof buf, "C:\\img%d.exe", i);
        assert_string_equal(other[i], buf);
        snprintf(buf, sizeof buf, "C:\\img%d.exe", i % 50);
        assert_string_equal(first[i], buf);
    }
    assert_int_equal(a.n, 201);
    strmap_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_intern),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
