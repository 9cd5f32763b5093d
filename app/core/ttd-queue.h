/* ttd-queue.h — what the user queued, kept on disk so nothing is lost
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-wait.h"

G_BEGIN_DECLS

typedef enum
{
  TTD_QUEUE_KIND_VIDEO,
  TTD_QUEUE_KIND_SLIDESHOW,
} TtdQueueKind;

/**
 * TtdQueueState:
 * @TTD_QUEUE_STATE_QUEUED: queued, not sent yet
 * @TTD_QUEUE_STATE_SENDING: bytes on their way
 * @TTD_QUEUE_STATE_PROCESSING: sent; TikTok is processing it
 * @TTD_QUEUE_STATE_DONE: in the creator's TikTok inbox
 * @TTD_QUEUE_STATE_FAILED: stopped; the item's error says why
 * @TTD_QUEUE_STATE_WAITING: part of a send that is running, its turn has not
 *   come; only a process that sends has it, the queue file says "queued"
 *
 * What became of a queue item. The app's items (TtdUploadItem) have the
 * same states.
 */
typedef enum
{
  TTD_QUEUE_STATE_QUEUED,
  TTD_QUEUE_STATE_SENDING,
  TTD_QUEUE_STATE_PROCESSING,
  TTD_QUEUE_STATE_DONE,
  TTD_QUEUE_STATE_FAILED,
  TTD_QUEUE_STATE_WAITING,
} TtdQueueState;

/**
 * TtdQueueItem:
 * @id: stable identifier
 * @open_id: (nullable): the account it is for, fixed when it was queued;
 *   %NULL (items from before several accounts) means the default account
 * @paths: the files (one for a video; the photos in order for a slideshow)
 * @upload_url: TikTok's upload URL for the current attempt (valid 1 hour)
 * @acknowledged: bytes TikTok confirmed for that upload URL
 * @file_size: @file_mtime: the video as it was when the upload started
 * @owner_pid: the process sending it now, or 0
 * @owner_start_time: when that process started (clock ticks since boot, as
 *   in /proc), so a later process given the same pid is not taken for it
 * @wait_reason: why TikTok holds the item back (the pending-draft cap, the
 *   rate limit), or %TTD_WAIT_NONE
 * @next_try_at: when it is tried again (seconds since the epoch); 0 = now
 * @wait_count: how many times in a row it was held back (the back-off grows)
 */
typedef struct
{
  char          *id;
  TtdQueueKind   kind;
  char          *open_id;
  GStrv          paths;
  char          *title;
  char          *description;
  guint          cover_index;
  TtdQueueState  state;
  char          *publish_id;
  char          *upload_url;
  gint64         upload_url_issued_at;
  gint64         acknowledged;
  gint64         chunk_size;
  gint64         chunk_count;
  gint64         file_size;
  gint64         file_mtime;
  char          *status;
  char          *error;
  gint64         owner_pid;
  gint64         owner_start_time;
  TtdWaitReason  wait_reason;
  gint64         next_try_at;
  gint64         wait_count;
  gint64         created_at;
  gint64         updated_at;
} TtdQueueItem;

#define TTD_TYPE_QUEUE_ITEM (ttd_queue_item_get_type ())

GType         ttd_queue_item_get_type     (void) G_GNUC_CONST;
TtdQueueItem *ttd_queue_item_new          (TtdQueueKind         kind);
TtdQueueItem *ttd_queue_item_copy         (const TtdQueueItem  *self);
void          ttd_queue_item_free         (TtdQueueItem        *self);
const char   *ttd_queue_state_to_string   (TtdQueueState        state);
gboolean      ttd_queue_item_is_pending   (const TtdQueueItem  *self);
gboolean      ttd_queue_item_is_claimed_elsewhere (const TtdQueueItem *self);
gboolean      ttd_queue_item_is_waiting   (const TtdQueueItem  *self);
gboolean      ttd_queue_item_is_due       (const TtdQueueItem  *self,
                                           gint64               now);
void          ttd_queue_item_clear_wait   (TtdQueueItem        *self);
char         *ttd_queue_path_to_text      (const char          *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdQueueItem, ttd_queue_item_free)

#define TTD_TYPE_QUEUE (ttd_queue_get_type ())

G_DECLARE_FINAL_TYPE (TtdQueue, ttd_queue, TTD, QUEUE, GObject)

TtdQueue     *ttd_queue_new               (const char          *path);
const char   *ttd_queue_get_path          (TtdQueue            *self);
GStrv         ttd_queue_take_problems     (TtdQueue            *self);
GPtrArray    *ttd_queue_list              (TtdQueue            *self,
                                           GError             **error);
TtdQueueItem *ttd_queue_lookup            (TtdQueue            *self,
                                           const char          *id,
                                           GError             **error);
TtdQueueItem *ttd_queue_find_video        (TtdQueue            *self,
                                           GFile               *file,
                                           const char          *open_id,
                                           GError             **error);
gboolean      ttd_queue_put               (TtdQueue            *self,
                                           TtdQueueItem        *item,
                                           GError             **error);
gboolean      ttd_queue_upsert            (TtdQueue            *self,
                                           const TtdQueueItem  *item,
                                           GError             **error);
gboolean      ttd_queue_remove            (TtdQueue            *self,
                                           const char          *id,
                                           GError             **error);
gboolean      ttd_queue_mark_delivered    (TtdQueue            *self,
                                           const char          *id,
                                           GError             **error);
gboolean      ttd_queue_claim             (TtdQueue            *self,
                                           const char          *id,
                                           GError             **error);
gboolean      ttd_queue_release           (TtdQueue            *self,
                                           const char          *id,
                                           GError             **error);

G_END_DECLS
