/* fuzz-chunk-plan.c — the FILE_UPLOAD chunk planner:
 * ttd_chunk_plan_compute, ttd_chunk_plan_is_valid, ttd_chunk_plan_get_range
 * and ttd_chunk_plan_index_at, against TikTok's rules (tiktok-api.md §5.2)
 * under both readings of "MB".
 *
 * Input: text, "<video_size> [<preferred_chunk>]" as decimal integers, so
 * the seeds read like the init request's numbers.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

#include "ttd-chunk-plan.h"
#include "ttd-error.h"

#define MIB ((gint64) 1048576)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  TtdChunkPlan plan = { 0, 0, 0 };
  gint64 video_size, preferred = 0, effective_preferred;
  gint64 next = 0;
  char *end = NULL;
  gboolean ok;

  fuzz_init_once ();

  text = fuzz_strndup (data, size);
  video_size = g_ascii_strtoll (text, &end, 10);
  if (end != NULL && *end != '\0')
    preferred = g_ascii_strtoll (end, NULL, 10);

  ok = ttd_chunk_plan_compute (video_size, preferred, &plan, &error);

  /* Accepted exactly when TikTok accepts the size (1 byte .. 4 GB). */
  FUZZ_CHECK (ok == (video_size > 0 && video_size <= TTD_VIDEO_SIZE_MAX));
  FUZZ_CHECK (ok == (error == NULL));
  if (!ok)
    {
      FUZZ_CHECK (g_error_matches (error, TTD_ERROR, TTD_ERROR_INVALID_FILE));
      return 0;
    }

  FUZZ_CHECK (ttd_chunk_plan_is_valid (&plan));
  FUZZ_CHECK (plan.video_size == video_size);
  FUZZ_CHECK (plan.chunk_count >= 1 && plan.chunk_count <= TTD_CHUNK_COUNT_MAX);
  FUZZ_CHECK (plan.chunk_count == plan.video_size / plan.chunk_size);

  /* One chunk of the whole file iff the file fits in one (≤ 64,000,000). */
  FUZZ_CHECK ((plan.chunk_count == 1) == (video_size <= 64000000));
  if (plan.chunk_count == 1)
    FUZZ_CHECK (plan.chunk_size == video_size);
  else
    {
      /* 5 MB ≤ chunk ≤ 64 MB whether MB means 10^6 or 2^20 bytes. */
      FUZZ_CHECK (plan.chunk_size >= 5 * MIB && plan.chunk_size >= 5000000);
      FUZZ_CHECK (plan.chunk_size <= 64000000 && plan.chunk_size <= 64 * MIB);
    }

  /* The caller's preferred size (or the default) is kept whenever it
   * already gives a valid multi-chunk plan. */
  effective_preferred = preferred > 0 ? preferred : TTD_CHUNK_PREFERRED;
  if (video_size > 64000000 &&
      effective_preferred >= TTD_CHUNK_MIN && effective_preferred <= TTD_CHUNK_MAX &&
      video_size / effective_preferred >= 2 &&
      video_size / effective_preferred <= TTD_CHUNK_COUNT_MAX)
    FUZZ_CHECK (plan.chunk_size == effective_preferred);

  /* The ranges tile the file exactly: contiguous, in order, no gaps. */
  for (gint64 i = 0; i < plan.chunk_count; i++)
    {
      gint64 first = -1, length = -1;

      ttd_chunk_plan_get_range (&plan, i, &first, &length);
      FUZZ_CHECK (first == next);
      FUZZ_CHECK (length > 0);
      if (i < plan.chunk_count - 1)
        FUZZ_CHECK (length == plan.chunk_size);
      else
        {
          /* The last chunk absorbs the remainder: ≥ chunk, ≤ 128 MB. */
          FUZZ_CHECK (length >= plan.chunk_size);
          FUZZ_CHECK (length <= TTD_LAST_CHUNK_MAX && length <= 128 * MIB);
        }
      FUZZ_CHECK (ttd_chunk_plan_index_at (&plan, first) == i);
      if (length > 1)
        FUZZ_CHECK (ttd_chunk_plan_index_at (&plan, first + 1) == -1);
      next = first + length;
    }
  FUZZ_CHECK (next == video_size);
  FUZZ_CHECK (ttd_chunk_plan_index_at (&plan, -1) == -1);
  FUZZ_CHECK (ttd_chunk_plan_index_at (&plan, video_size) == -1);

  /* is_valid() must reject what TikTok would: a plan off by one chunk. */
  {
    TtdChunkPlan off = plan;

    off.chunk_count++;
    FUZZ_CHECK (!ttd_chunk_plan_is_valid (&off));
    off.chunk_count = plan.chunk_count - 1;
    FUZZ_CHECK (!ttd_chunk_plan_is_valid (&off));
  }

  return 0;
}
