/* ttd-window-private.h — what the ttd-window*.c files (and the UI tests) share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-queue.h"
#include "ttd-upload-item.h"
#include "ttd-window.h"

G_BEGIN_DECLS

typedef enum
{
  TTD_ACCOUNT_STATE_CHECKING,
  TTD_ACCOUNT_STATE_NO_CREDENTIALS,
  TTD_ACCOUNT_STATE_SIGNED_OUT,
  TTD_ACCOUNT_STATE_SIGNING_IN,
  TTD_ACCOUNT_STATE_SIGNED_IN,
} TtdAccountState;

struct _TtdWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkRevealer          *demo_revealer;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkMenuButton        *account_button;
  AdwAvatar            *account_avatar;
  GtkLabel             *account_name;
  GtkLabel             *account_menu_label;

  /* The other pages (ttd-window-pages.ui): NULL until _ttd_window_ensure_pages() */
  gboolean              pages_built;
  AdwStatusPage        *signed_out_page;
  GtkWidget            *sign_in_button;
  GtkWidget            *browse_button;
  GtkLabel             *waiting_label;
  GtkLabel             *sign_in_uri_label;
  GtkLabel             *sign_in_problem_label;
  GtkListBox           *queue_list;
  GtkWidget            *photo_host_notice;
  GtkLabel             *photo_host_label;
  GtkWidget            *video_note;
  GtkLabel             *summary_label;
  GtkStack             *send_stack;
  GtkButton            *send_button;

  /* Owned references */
  GSettings            *settings;
  TtdAccount           *account;
  TtdUserInfo          *user_info;
  GListStore           *items;
  GCancellable         *account_cancellable;
  TtdAuthFlow          *auth_flow;
  GCancellable         *sign_in_cancellable;
  GCancellable         *send_cancellable;
  GCancellable         *cancellable;     /* thumbnails and scans; cancelled in dispose */
  TtdQueue             *queue;           /* the queue on disk, shared with the CLI */
  GHashTable           *queue_known;     /* ids this window has had (may be on disk) */
  gpointer              queue_final_save; /* started once the running save is done */

  /* Borrowed references */
  GtkDropTarget        *drop_target;
  GtkWindow            *help_overlay;    /* built on first use; destroyed with us */
  TtdUploadItem        *current;         /* the item being sent, if any */

  TtdAccountState       account_state;
  guint                 n_sent;
  guint                 n_failed;
  guint                 sending : 1;
  guint                 close_confirmed : 1;
  guint                 demo : 1;
  guint                 queue_save_id;   /* the debounce timeout */
  guint                 queue_saving : 1;
  guint                 queue_save_again : 1;
  guint                 resume_pending : 1;  /* restored items were interrupted */
};

/* ttd-window.c */
void          _ttd_window_ensure_pages         (TtdWindow       *self);
void          _ttd_window_update               (TtdWindow       *self);
void          _ttd_window_toast                (TtdWindow       *self,
                                                const char      *message);
void          _ttd_window_set_account_state    (TtdWindow       *self,
                                                TtdAccountState  state);
const char   *_ttd_window_photo_host_problem   (TtdWindow       *self);
TtdUploadItem *_ttd_window_find_slideshow      (TtdWindow       *self);

/* ttd-window-account.c */
void          _ttd_window_account_class_init   (GtkWidgetClass  *widget_class);
void          _ttd_window_set_user_info        (TtdWindow       *self,
                                                const TtdUserInfo *info,
                                                GdkPaintable    *avatar);

/* ttd-window-actions.c */
void          _ttd_window_actions_class_init   (GtkWidgetClass  *widget_class);
void          _ttd_window_retry_item           (TtdWindow       *self,
                                                TtdUploadItem   *item);
void          _ttd_window_remove_item          (TtdWindow       *self,
                                                TtdUploadItem   *item);
gboolean      _ttd_window_close_request        (TtdWindow       *self);

/* ttd-window-dnd.c */
void          _ttd_window_dnd_init             (TtdWindow       *self);
void          _ttd_window_dnd_class_init       (GtkWidgetClass  *widget_class);
TtdUploadItem *_ttd_window_add_video           (TtdWindow       *self,
                                                GFile           *file,
                                                gint64           size);
TtdUploadItem *_ttd_window_new_image           (TtdWindow       *self,
                                                GFile           *file,
                                                gint64           size);

/* ttd-window-queue.c */
void          _ttd_window_queue_init           (TtdWindow       *self);
void          _ttd_window_queue_dispose        (TtdWindow       *self);
void          _ttd_window_queue_watch          (TtdWindow       *self,
                                                TtdUploadItem   *item);
void          _ttd_window_queue_changed        (TtdWindow       *self);
void          _ttd_window_queue_resume         (TtdWindow       *self);
const char   *_ttd_window_queue_id             (TtdUploadItem   *item);
TtdQueueItem *_ttd_window_queue_snapshot       (TtdUploadItem   *item);

G_END_DECLS
