/* ttd-chunk-plan.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-chunk-plan.h"
#include "ttd-error.h"

/**
 * ttd_chunk_plan_is_valid:
 *
 * TikTok's rules (tiktok-api.md §5.2) under both readings of "MB":
 * one chunk of the whole file up to 64,000,000 bytes; otherwise chunks of
 * 5 MiB–64 MB, `total_chunk_count = floor(size / chunk)`, 1–1000 chunks,
 * the last one absorbing the remainder and at most 128,000,000 bytes.
 */
gboolean
ttd_chunk_plan_is_valid (const TtdChunkPlan *plan)
{
  gint64 last;

  if (plan->video_size <= 0 || plan->video_size > TTD_VIDEO_SIZE_MAX ||
      plan->chunk_size <= 0 || plan->chunk_count < 1 ||
      plan->chunk_count > TTD_CHUNK_COUNT_MAX)
    return FALSE;

  if (plan->chunk_count != plan->video_size / plan->chunk_size)
    return FALSE;

  if (plan->chunk_count == 1)
    return plan->chunk_size == plan->video_size && plan->video_size <= TTD_CHUNK_MAX;

  if (plan->chunk_size < TTD_CHUNK_MIN || plan->chunk_size > TTD_CHUNK_MAX)
    return FALSE;

  last = plan->video_size - (plan->chunk_count - 1) * plan->chunk_size;

  return last >= plan->chunk_size && last <= TTD_LAST_CHUNK_MAX;
}

/**
 * ttd_chunk_plan_compute:
 * @video_size: the file's size in bytes
 * @preferred_chunk: the chunk size to aim for, or 0 for the default
 *
 * Whenever there is one chunk, `chunk_size == video_size` (never the
 * doubtful "one chunk smaller than the file" plan).
 */
gboolean
ttd_chunk_plan_compute (gint64         video_size,
                        gint64         preferred_chunk,
                        TtdChunkPlan  *plan,
                        GError       **error)
{
  gint64 chunk;

  g_return_val_if_fail (plan != NULL, FALSE);

  if (video_size <= 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE, _("The file is empty."));
      return FALSE;
    }

  if (video_size > TTD_VIDEO_SIZE_MAX)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("The file is larger than 4 GB, the most TikTok accepts. Shorten or compress the video first."));
      return FALSE;
    }

  plan->video_size = video_size;

  if (video_size <= TTD_CHUNK_MAX)
    {
      plan->chunk_size = video_size;
      plan->chunk_count = 1;
      return TRUE;
    }

  chunk = preferred_chunk > 0 ? preferred_chunk : TTD_CHUNK_PREFERRED;
  chunk = CLAMP (chunk, TTD_CHUNK_MIN, TTD_CHUNK_MAX);

  /* Grow the chunk if the count would pass 1000 (not reachable below 4 GB
   * with the defaults, but a small preferred size could get there). */
  if (video_size / chunk > TTD_CHUNK_COUNT_MAX)
    chunk = MIN (TTD_CHUNK_MAX, (video_size + TTD_CHUNK_COUNT_MAX - 1) / TTD_CHUNK_COUNT_MAX);

  /* A file over 64 MB must go in at least two chunks. */
  if (video_size / chunk < 2)
    chunk = video_size / 2;

  plan->chunk_size = chunk;
  plan->chunk_count = video_size / chunk;

  g_assert (ttd_chunk_plan_is_valid (plan));

  return TRUE;
}

void
ttd_chunk_plan_get_range (const TtdChunkPlan *plan,
                          gint64              index,
                          gint64             *first,
                          gint64             *length)
{
  g_return_if_fail (index >= 0 && index < plan->chunk_count);

  *first = index * plan->chunk_size;
  if (index == plan->chunk_count - 1)
    *length = plan->video_size - *first;
  else
    *length = plan->chunk_size;
}

/* The index of the chunk that starts at @offset, or -1 if none does. */
gint64
ttd_chunk_plan_index_at (const TtdChunkPlan *plan,
                         gint64              offset)
{
  if (offset < 0 || offset % plan->chunk_size != 0)
    return -1;

  if (offset / plan->chunk_size >= plan->chunk_count)
    return -1;

  return offset / plan->chunk_size;
}
