/* ttd-chunk-plan.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TikTok never says whether "MB" is 10^6 or 2^20 bytes, so every plan is
 * valid under both readings (tiktok-api.md §5.2). */
#define TTD_CHUNK_MIN          ((gint64) 5242880)     /* 5 MiB: ≥ 5 MB either way */
#define TTD_CHUNK_MAX          ((gint64) 64000000)    /* 64 MB: ≤ 64 MiB either way */
#define TTD_LAST_CHUNK_MAX     ((gint64) 128000000)
#define TTD_CHUNK_PREFERRED    ((gint64) 16777216)    /* 16 MiB */
#define TTD_CHUNK_COUNT_MAX    1000
#define TTD_VIDEO_SIZE_MAX     ((gint64) 4000000000)  /* 4 GB, the smaller reading */

typedef struct
{
  gint64 video_size;
  gint64 chunk_size;
  gint64 chunk_count;
} TtdChunkPlan;

gboolean ttd_chunk_plan_compute      (gint64               video_size,
                                      gint64               preferred_chunk,
                                      TtdChunkPlan        *plan,
                                      GError             **error);
gboolean ttd_chunk_plan_is_valid     (const TtdChunkPlan  *plan);
void     ttd_chunk_plan_get_range    (const TtdChunkPlan  *plan,
                                      gint64               index,
                                      gint64              *first,
                                      gint64              *length);
gint64   ttd_chunk_plan_index_at     (const TtdChunkPlan  *plan,
                                      gint64               offset);

G_END_DECLS
