/* test-chunk-plan.c — TikTok's chunk rules at every boundary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-core.h"

#define MIB ((gint64) 1048576)

/* An independent statement of the rules under BOTH readings of "MB". */
static gboolean
valid_under_both_readings (const TtdChunkPlan *plan)
{
  gint64 last;

  if (plan->chunk_count < 1 || plan->chunk_count > 1000)
    return FALSE;
  if (plan->chunk_count != plan->video_size / plan->chunk_size)
    return FALSE;
  if (plan->video_size < 5 * MIB && (plan->chunk_count != 1 || plan->chunk_size != plan->video_size))
    return FALSE;
  if (plan->video_size > 64 * 1000000 && plan->chunk_count < 2)
    return FALSE;
  if (plan->chunk_count == 1)
    return plan->chunk_size == plan->video_size;
  if (plan->chunk_size < 5 * MIB || plan->chunk_size > 64 * 1000000)
    return FALSE;
  last = plan->video_size - (plan->chunk_count - 1) * plan->chunk_size;
  return last >= plan->chunk_size && last <= 128 * 1000000;
}

static void
check_plan (gint64 size,
            gint64 preferred)
{
  g_autoptr(GError) error = NULL;
  TtdChunkPlan plan;
  gint64 covered = 0;

  g_assert_true (ttd_chunk_plan_compute (size, preferred, &plan, &error));
  g_assert_no_error (error);
  g_assert_cmpint (plan.video_size, ==, size);
  if (!valid_under_both_readings (&plan))
    g_error ("invalid plan for %" G_GINT64_FORMAT ": chunk %" G_GINT64_FORMAT " × %" G_GINT64_FORMAT,
             size, plan.chunk_size, plan.chunk_count);
  g_assert_true (ttd_chunk_plan_is_valid (&plan));

  /* The ranges tile the file exactly, in order. */
  for (gint64 i = 0; i < plan.chunk_count; i++)
    {
      gint64 first, length;

      ttd_chunk_plan_get_range (&plan, i, &first, &length);
      g_assert_cmpint (first, ==, covered);
      g_assert_cmpint (length, >, 0);
      covered += length;
    }
  g_assert_cmpint (covered, ==, size);
}

static void
test_boundaries (void)
{
  const gint64 sizes[] = {
    1, 2, 1000, 5 * 1000000 - 1, 5 * 1000000, 5 * MIB - 1, 5 * MIB, 5 * MIB + 1,
    10 * 1000000, 50000123, 64 * 1000000 - 1, 64 * 1000000, 64 * 1000000 + 1,
    64 * MIB - 1, 64 * MIB, 64 * MIB + 1, 100 * MIB, 128 * 1000000, 128 * MIB, 150 * 1000000 + 12345,
    1000 * 1000000, 1024 * MIB, 2 * 1024 * MIB, 3999999999, 4000000000,
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      check_plan (sizes[i], 0);
      check_plan (sizes[i], 5 * MIB);
      check_plan (sizes[i], 64 * 1000000);
      check_plan (sizes[i], 1);               /* clamped up */
      check_plan (sizes[i], 10 * 1000 * 1000 * 1000LL); /* clamped down */
    }
}

static void
test_small_is_one_chunk (void)
{
  TtdChunkPlan plan;

  g_assert_true (ttd_chunk_plan_compute (4 * 1000000, 0, &plan, NULL));
  g_assert_cmpint (plan.chunk_count, ==, 1);
  g_assert_cmpint (plan.chunk_size, ==, 4 * 1000000);

  /* Up to 64,000,000 bytes: one chunk, valid under both readings. */
  g_assert_true (ttd_chunk_plan_compute (64000000, 0, &plan, NULL));
  g_assert_cmpint (plan.chunk_count, ==, 1);
  g_assert_true (ttd_chunk_plan_compute (64000001, 0, &plan, NULL));
  g_assert_cmpint (plan.chunk_count, >, 1);
}

static void
test_doc_example (void)
{
  /* tiktok-api.md §5.2: 50,000,123 bytes in 10,000,000-byte chunks. */
  TtdChunkPlan plan = { 50000123, 10000000, 5 };
  gint64 first, length;

  g_assert_true (ttd_chunk_plan_is_valid (&plan));
  ttd_chunk_plan_get_range (&plan, 4, &first, &length);
  g_assert_cmpint (first, ==, 40000000);
  g_assert_cmpint (length, ==, 10000123);
}

static void
test_invalid_plans (void)
{
  const TtdChunkPlan bad[] = {
    { 15000000, 10000000, 1 },   /* one chunk smaller than the file */
    { 50000123, 10000000, 4 },   /* count is not floor(size/chunk) */
    { 50000123, 4000000, 12 },   /* chunk under 5 MiB */
    { 200000000, 65000000, 3 },  /* chunk over 64 MB */
    { 70000000, 70000000, 1 },   /* over 64 MB in one chunk */
    { 0, 0, 0 },
    { 4000000001, 16777216, 238 }, /* over 4 GB */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (ttd_chunk_plan_is_valid (&bad[i]));
}

static void
test_refused_sizes (void)
{
  g_autoptr(GError) error = NULL;
  TtdChunkPlan plan;

  g_assert_false (ttd_chunk_plan_compute (0, 0, &plan, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE);
  g_clear_error (&error);

  g_assert_false (ttd_chunk_plan_compute (5LL * 1000 * 1000 * 1000, 0, &plan, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "4 GB"));
}

static void
test_index_at (void)
{
  TtdChunkPlan plan;

  g_assert_true (ttd_chunk_plan_compute (100 * MIB, 10 * MIB, &plan, NULL));
  g_assert_cmpint (ttd_chunk_plan_index_at (&plan, 0), ==, 0);
  g_assert_cmpint (ttd_chunk_plan_index_at (&plan, 10 * MIB), ==, 1);
  g_assert_cmpint (ttd_chunk_plan_index_at (&plan, 10 * MIB + 1), ==, -1);
  g_assert_cmpint (ttd_chunk_plan_index_at (&plan, 100 * MIB), ==, -1);
}

/* The pacer keeps at most 6 inits in any minute (tiktok-api.md §5.1). */
static void
test_rate_window (void)
{
  const gint64 minute = 60 * G_USEC_PER_SEC;
  const gint64 times[] = { 0, 1, 2, 3, 4, 5 * G_USEC_PER_SEC };

  g_assert_cmpint (ttd_rate_window_wait (times, 5, 10, 6, minute), ==, 0);
  /* the 7th within the minute waits until the oldest of the last six is a minute old */
  g_assert_cmpint (ttd_rate_window_wait (times, 6, 10 * G_USEC_PER_SEC, 6, minute), ==, minute - 10 * G_USEC_PER_SEC);
  g_assert_cmpint (ttd_rate_window_wait (times, 6, minute, 6, minute), ==, 0);
  g_assert_cmpint (ttd_rate_window_wait (times, 6, 2 * minute, 6, minute), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/chunk-plan/boundaries", test_boundaries);
  g_test_add_func ("/ttd/chunk-plan/small-is-one-chunk", test_small_is_one_chunk);
  g_test_add_func ("/ttd/chunk-plan/doc-example", test_doc_example);
  g_test_add_func ("/ttd/chunk-plan/invalid", test_invalid_plans);
  g_test_add_func ("/ttd/chunk-plan/refused-sizes", test_refused_sizes);
  g_test_add_func ("/ttd/chunk-plan/index-at", test_index_at);
  g_test_add_func ("/ttd/rate-window/six-a-minute", test_rate_window);

  return g_test_run ();
}
