/* ttd-queue-private.h — between the queue and its items' JSON
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ttd-queue.h"

G_BEGIN_DECLS

TtdQueueItem *_ttd_queue_item_from_json (JsonObject          *object,
                                         gboolean             repaired,
                                         const char         **reason);
void          _ttd_queue_item_to_json   (JsonBuilder         *builder,
                                         const TtdQueueItem  *item);

G_END_DECLS
