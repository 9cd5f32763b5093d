/* ttd-draft-session-private.h — what the ttd-draft-session*.c files (and the UI      tests) share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-draft-session.h"

G_BEGIN_DECLS

struct _TtdDraftSession
{
  GObject          parent_instance;

  GListStore      *items;            /* TtdUploadItem: videos and slideshows */
  TtdQueue        *queue;            /* the queue on disk, shared with the CLI */
  TtdAccount      *account;          /* the signed-in account, or NULL */
  TtdAccounts     *accounts;         /* every account, for items sent to another one */
  GCancellable    *cancellable;      /* intake, thumbnails, restoring; cancelled in dispose */

  /* Saving (ttd-draft-session-queue.c) */
  GHashTable      *queue_known;      /* ids this session has had (may be on disk) */
  gpointer         queue_final_save; /* started once the running save is done */
  guint            queue_save_id;    /* the debounce timeout */
  guint            queue_saving : 1;
  guint            queue_save_again : 1;
  guint            resume_pending : 1;  /* restored items were interrupted */

  /* Sending (ttd-draft-session-send.c) */
  guint            sending : 1;
  guint            send_due_only : 1; /* a retry of its own: what TikTok holds back waits */
  guint            retry_id;         /* the timer for the earliest next try */
  GCancellable    *send_cancellable;
  TtdUploadItem   *current;          /* the item being sent, if any */
  guint            n_sent;
  guint            n_failed;
};

enum {
  SESSION_SIGNAL_MESSAGE,
  SESSION_SIGNAL_SEND_FINISHED,
  SESSION_N_SIGNALS
};

extern guint _ttd_draft_session_signals[SESSION_N_SIGNALS];

/* ttd-draft-session.c */
void           _ttd_draft_session_message        (TtdDraftSession *self,
                                                  const char      *message);
void           _ttd_draft_session_notify_sending (TtdDraftSession *self);

/* ttd-draft-session-queue.c */
void           _ttd_draft_session_queue_init     (TtdDraftSession *self);
void           _ttd_draft_session_queue_dispose  (TtdDraftSession *self);
void           _ttd_draft_session_queue_watch    (TtdDraftSession *self,
                                                  TtdUploadItem   *item);
void           _ttd_draft_session_queue_changed  (TtdDraftSession *self);
const char    *_ttd_draft_session_item_id        (TtdUploadItem   *item);
TtdQueueItem  *_ttd_draft_session_snapshot       (TtdUploadItem   *item);
void           _ttd_draft_session_resume         (TtdDraftSession *self);

/* ttd-draft-session-send.c */
void           _ttd_draft_session_show_waiting   (TtdUploadItem   *item,
                                                  TtdWaitReason    reason,
                                                  gint64           next_try_at);
void           _ttd_draft_session_schedule_retry (TtdDraftSession *self);

/* ttd-draft-session-intake.c */
TtdUploadItem *_ttd_draft_session_add_video      (TtdDraftSession *self,
                                                  GFile           *file,
                                                  gint64           size);
TtdUploadItem *_ttd_draft_session_new_image      (TtdDraftSession *self,
                                                  GFile           *file,
                                                  gint64           size);

G_END_DECLS
